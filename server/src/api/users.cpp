// Who is calling (GET /api/v1/me) and new users with their bearer tokens (admins).
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

// GET /api/v1/me
void get_me(RequestContext& ctx, Respond& respond) {
  respond(json_response(200, {{"id", ctx.user.id}, {"name", ctx.user.name}, {"role", role_id(ctx.user.role)}}));
}

// POST /api/v1/users
void post_users(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto role = parse_role(ctx.body["role"].get<std::string>(), "/role");
  if (!role) return respond(error_response(role.error()));
  std::string token = new_bearer_token();
  auto u = api.store.add_user(*role, ctx.body.value("name", role_id(*role)), hash_token(token));
  if (!u) return respond(error_response(u.error()));
  respond(json_response(201, {{"id", u->id}, {"name", u->name}, {"role", role_id(u->role)}, {"token", token}}));
}

}  // namespace townhall::server
