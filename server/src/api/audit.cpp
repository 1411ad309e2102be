// The audit log: its entries and the check of its hash chain (governance).
#include <algorithm>
#include <charconv>
#include <optional>
#include <set>

#include "http/api_impl.h"
#include "pages/page_kit.h"
#include "api/handlers.h"
#include "api/api_kit.h"
#include "townhall/consultations/consultation.h"
#include "townhall/consultations/document.h"
#include "townhall/consultations/findings.h"
#include "townhall/consultations/lifecycle.h"
#include "townhall/consultations/translation.h"
#include "townhall/forward_plan/forward_plan.h"
#include "townhall/forward_plan/forward_plan_rules.h"
#include "townhall/forward_plan/outputs.h"
#include "townhall/i18n/locale.h"
#include "townhall/responses/answers.h"
#include "townhall/responses/submission_body.h"
#include "townhall/access/token.h"
#include "townhall/util/json_schema.h"
#include "townhall/util/sha256.h"

namespace townhall::server {

// GET /api/v1/audit
void get_audit(Api::Impl& api, RequestContext&, Respond& respond) {
  auto entries = api.store.audit_entries();
  if (!entries) return respond(error_response(entries.error()));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& e : *entries) items.push_back(e.to_json());
  respond(json_response(200, {{"items", items}}));
}

// GET /api/v1/audit/verify
void get_audit_verify(Api::Impl& api, RequestContext&, Respond& respond) {
  auto v = api.store.verify_audit();
  if (!v) return respond(error_response(v.error()));
  api.audit_state.store(v->state, std::memory_order_relaxed);
  nlohmann::json j = {{"ok", v->ok}, {"state", audit_state_id(v->state)}, {"entries", v->entries},
                      {"problem", v->problem}};
  if (v->first_bad_seq) j["first_bad_seq"] = *v->first_bad_seq;
  if (v->sealed_from) j["sealed_from"] = *v->sealed_from;
  if (!v->public_key.empty()) j["public_key"] = v->public_key;
  respond(json_response(200, j));
}

}  // namespace townhall::server
