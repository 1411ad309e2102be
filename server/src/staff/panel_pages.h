// Internal to townhall_server: the staff console's Citizens' Panel pages under /staff/panel —
// the members with search, recruitment gaps against the census, the contact limits, draws
// (preview with the commitment, the selection probabilities and the drawn panel; then invite
// them) and the email outbox. Officers and administrators only; every change goes through the
// core (panel/draw.h) with the staff member as the audited actor.
// Thread-safety: the handlers are safe from any thread; a draw runs on the server's slow-work
// thread and its result is kept in process (panel_draw_pages.cpp).
#pragma once

#include <set>
#include <vector>

#include "staff/staff_kit.h"

namespace townhall::server::staff {

// Every /staff/panel route, open to `officers`.
std::vector<StaffRoute> panel_routes(const std::set<Role>& officers);

// panel_pages.cpp
Result<HttpResponse> get_panel_members(Api::Impl& api, StaffContext& sc);
Result<HttpResponse> get_panel_recruitment(Api::Impl& api, StaffContext& sc);
Result<HttpResponse> get_panel_contact_limits(Api::Impl& api, StaffContext& sc);
Result<HttpResponse> get_panel_outbox(Api::Impl& api, StaffContext& sc);
// panel_draw_pages.cpp
Result<HttpResponse> get_panel_draw_form(Api::Impl& api, StaffContext& sc);
Result<HttpResponse> post_panel_draw(Api::Impl& api, StaffContext& sc);
Result<HttpResponse> get_panel_draw_result(Api::Impl& api, StaffContext& sc);
Result<HttpResponse> post_panel_draw_invite(Api::Impl& api, StaffContext& sc);

}  // namespace townhall::server::staff
