// Internal to townhall_server: the staff console under /staff/ — its one route table with the
// roles each route allows, the console session cookie, CSRF on every form, and its page layout.
//
// A staff member signs in with a user name (or email address) and password
// (townhall/access/staff.h); the browser then holds the session secret in the th_staff cookie
// (HttpOnly, SameSite=Strict, Path=/staff, Secure over HTTPS) and the database only its hash. Every
// route of the console is listed once, in staff_routes(), with the staff roles allowed on it; the
// wrapper that serves them answers a request without a live session with a See Other to the
// sign-in page, a role not allowed with 403, and a POST whose form lacks the session's CSRF token
// with 403, before the route's handler runs. Every answer is Cache-Control: private, no-store.
// Thread-safety: the functions are safe from any thread.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "http/api_impl.h"
#include "pages/page_kit.h"
#include "townhall/access/password.h"
#include "townhall/access/staff.h"

namespace townhall::server::staff {

// What a console handler gets: the request, the signed-in staff member (absent on the sign-in
// pages) and, for a POST, the parsed form (its CSRF token already checked).
struct StaffContext {
  RequestContext& ctx;
  std::optional<SignedInStaff> staff;
  std::string session_secret;  // the th_staff cookie's secret ("" when signed out)
  std::string csrf;            // the token the page's forms carry
  pages::FormFields form;
};

using StaffHandler = Result<HttpResponse> (*)(Api::Impl&, StaffContext&);

struct StaffRoute {
  std::string method;
  std::string pattern;
  // Who may use it; empty = anyone, signed in or not (the sign-in page).
  std::set<Role> roles;
  StaffHandler handler;
  // Checks a password: a memory-hard hash taking most of a second, run on its own thread (one at a
  // time, a bounded queue) so that a flood of sign-ins cannot hold the I/O threads others need.
  bool hashes_password = false;
};

// Every route of the console, in the order they are matched.
const std::vector<StaffRoute>& staff_routes();
// Adds staff_routes() to the server's route table (to the API's role check they are open to
// every caller: the console's own roles are checked by the wrapper, from the session).
void add_staff_routes(Api::Impl& api);

// ---- helpers for the handlers ------------------------------------------------------------------
inline constexpr const char* kStaffCookie = "th_staff";

struct StaffPage {
  std::string title;  // plain text for <title>
  int status = 200;
  bool has_error = false;
  std::string back;   // href of a back link ("" = none)
};

// Renders server/templates/staff/<template_name>.mustache inside the console's layout (the
// signed-in member's name and the sign-out form when `sc.staff`), with `csrf` and `staff` in the
// data.
HttpResponse render_staff_page(const StaffContext& sc, const std::string& template_name, nlohmann::json data,
                               const StaffPage& page);
// The Set-Cookie value starting a console session with `secret` (empty `secret`: ending it).
std::string staff_cookie(const Api::Impl& api, const HttpRequest& request, const std::string& secret);
// "7 December 2026, 14:05 UTC" for Unix seconds.
std::string format_instant(int64_t unix_seconds);
// A Date as "7 December 2026".
std::string format_date(const std::string& iso);

// Handlers (sign_in.cpp, consultations.cpp, …).
Result<HttpResponse> get_sign_in(Api::Impl& api, StaffContext& sc);
Result<HttpResponse> post_sign_in(Api::Impl& api, StaffContext& sc);
Result<HttpResponse> post_sign_out(Api::Impl& api, StaffContext& sc);
Result<HttpResponse> get_sessions(Api::Impl& api, StaffContext& sc);
Result<HttpResponse> post_sessions_end(Api::Impl& api, StaffContext& sc);
Result<HttpResponse> get_consultations(Api::Impl& api, StaffContext& sc);
Result<HttpResponse> get_consultation(Api::Impl& api, StaffContext& sc);
Result<HttpResponse> post_consultation_transition(Api::Impl& api, StaffContext& sc);
Result<HttpResponse> post_consultation_exception_request(Api::Impl& api, StaffContext& sc);
// The Forward Plan register (register_pages.cpp): each kind's list, new, edit and withdraw routes
// and a key decision's exception routes, readable by `readers`, changed by `writers`.
std::vector<StaffRoute> register_routes(const std::set<Role>& readers, const std::set<Role>& writers);
// The consultation builder, preview, outcome and translation editors (builder_pages.cpp), used by
// `writers` (the preview by `readers`); listed before /staff/consultations/{id}, which would take "new".
std::vector<StaffRoute> consultation_builder_routes(const std::set<Role>& readers, const std::set<Role>& writers);
// compliance_pages.cpp, forward_plan_import.cpp.
Result<HttpResponse> get_compliance(Api::Impl& api, StaffContext& sc);
Result<HttpResponse> get_compliance_report(Api::Impl& api, StaffContext& sc);
Result<HttpResponse> get_forward_plan_import(Api::Impl& api, StaffContext& sc);
Result<HttpResponse> post_forward_plan_import(Api::Impl& api, StaffContext& sc);

}  // namespace townhall::server::staff
