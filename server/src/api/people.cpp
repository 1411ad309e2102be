// Residents' personal data: what is held about a person, and erasing it.
#include <algorithm>
#include <cstdio>

#include "http/api_impl.h"
#include "pages/page_kit.h"
#include "api/handlers.h"
#include "api/api_kit.h"
#include "townhall/consultations/language_rules.h"
#include "townhall/consultations/translation.h"
#include "townhall/i18n/locale.h"

namespace townhall::server {

// GET /api/v1/people/{person_id}
void get_people_person_id(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto pid = id_param(ctx, "person_id", "person");
  if (!pid) return respond(error_response(pid.error()));
  auto p = api.store.get_person(*pid);
  if (!p) return respond(error_response(p.error()));
  respond(json_response(200, p->to_json()));
}

// DELETE /api/v1/people/{person_id}
void delete_people_person_id(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto pid = id_param(ctx, "person_id", "person");
  if (!pid) return respond(error_response(pid.error()));
  // The audit entry records that an erasure happened and who did it — never what was erased.
  auto st = api.store.erase_person(*pid, AuditEvent{actor_of(ctx.user), "person.erase", "person", "", {}});
  if (!st) return respond(error_response(st.error()));
  respond(no_content());
}

}  // namespace townhall::server
