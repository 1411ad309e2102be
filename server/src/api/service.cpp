// The service itself: GET /health and the OpenAPI document.
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

// GET /health
void get_health(Api::Impl& api, RequestContext&, Respond& respond) {
  HttpResponse r;
  switch (api.audit_state.load(std::memory_order_relaxed)) {
    case AuditState::kIntact: r.body = R"({"status":"ok","audit":"ok"})"; break;
    case AuditState::kBroken: r.body = R"({"status":"ok","audit":"broken"})"; break;
    case AuditState::kUnverified: r.body = R"({"status":"ok","audit":"unverified"})"; break;
  }
  respond(std::move(r));
}

// GET /api/v1/openapi.json
void get_openapi_json(RequestContext&, Respond& respond) {
  HttpResponse r;
  r.body = openapi_document();
  respond(std::move(r));
}

}  // namespace townhall::server
