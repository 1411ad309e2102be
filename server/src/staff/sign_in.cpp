// The console's sign-in, sign-out and sessions pages.
#include "staff/staff_kit.h"

namespace townhall::server::staff {
namespace {

HttpResponse sign_in_form(const StaffContext& sc, const std::string& name, const std::string& error_field,
                          const std::string& error, int status, bool signed_out) {
  StaffPage p;
  p.title = "Sign in";
  nlohmann::json data = {{"name", name}, {"signed_out", signed_out}};
  if (!error.empty()) {
    p.has_error = true;
    p.status = status;
    data["errors"] = nlohmann::json::array({{{"href", "#" + error_field}, {"message", error}}});
    data[error_field == "name" ? "name_error" : "password_error"] = error;
  }
  return render_staff_page(sc, "staff_sign_in", data, p);
}

}  // namespace

// GET /staff/sign-in
Result<HttpResponse> get_sign_in(Api::Impl& api, StaffContext& sc) {
  // Someone already signed in goes straight on.
  std::string secret = pages::cookie_value(sc.ctx.request.cookie, kStaffCookie);
  if (!secret.empty() && staff_of_session(api.store, secret, now_seconds(api))) return pages::redirect("/staff");
  return sign_in_form(sc, "", "", "", 200, sc.ctx.query.count("signed-out") > 0);
}

// POST /staff/sign-in: name (user name or email address) and password.
Result<HttpResponse> post_sign_in(Api::Impl& api, StaffContext& sc) {
  const std::string name = pages::form_value(sc.form, "name");
  const std::string password = pages::form_value(sc.form, "password");
  if (!staff_sign_in_key(name)) return sign_in_form(sc, name, "name", "Enter your user name or email address", 422, false);
  if (password.empty()) return sign_in_form(sc, name, "password", "Enter your password", 422, false);
  if (password.size() > kPasswordMaxBytes) {
    return sign_in_form(sc, name, "password", "Enter a correct user name or email address and password", 422, false);
  }
  auto result = sign_in_staff(api.store, name, password, client_of(api, sc.ctx.request), now_seconds(api));
  if (!result) return result.error();
  switch (result->outcome) {
    case SignInOutcome::kThrottled: {
      const int64_t minutes = (result->retry_after + 59) / 60;
      HttpResponse r = sign_in_form(
          sc, name, "name",
          "There have been too many failed attempts to sign in with this name or from this network. Wait " +
              std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes") + " and try again.",
          429, false);
      r.headers.emplace_back("Retry-After", std::to_string(result->retry_after));
      return r;
    }
    case SignInOutcome::kRefused:
      return sign_in_form(sc, name, "name", "Enter a correct user name or email address and password", 422, false);
    case SignInOutcome::kDisabled:
      return sign_in_form(sc, name, "name",
                          "This account has been disabled. Ask an administrator of the console to enable it again", 403,
                          false);
    case SignInOutcome::kSignedIn: break;
  }
  HttpResponse r = pages::redirect("/staff");
  r.headers.emplace_back("Set-Cookie", staff_cookie(api, sc.ctx.request, result->session_secret));
  return r;
}

// POST /staff/sign-out: ends this browser's session.
Result<HttpResponse> post_sign_out(Api::Impl& api, StaffContext& sc) {
  (void)api.store.delete_staff_session(sc.staff->user.id, sc.staff->session.id);
  HttpResponse r = pages::redirect("/staff/sign-in?signed-out");
  r.headers.emplace_back("Set-Cookie", staff_cookie(api, sc.ctx.request, ""));
  return r;
}

// GET /staff/sessions: the signed-in member's sessions, each with a button to end it.
Result<HttpResponse> get_sessions(Api::Impl& api, StaffContext& sc) {
  auto sessions = api.store.staff_sessions(sc.staff->user.id, now_seconds(api), SignInPolicy{}.idle_seconds);
  if (!sessions) return sessions.error();
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& s : *sessions) {
    rows.push_back({{"id", s.id},
                    {"this_browser", s.id == sc.staff->session.id},
                    {"signed_in", format_instant(s.created_at)},
                    {"last_used", format_instant(s.last_seen_at)},
                    {"ends", format_instant(s.expires_at)},
                    {"client", s.client.empty() ? "unknown" : s.client}});
  }
  StaffPage p;
  p.title = "Your sessions";
  p.back = "/staff";
  return render_staff_page(sc, "staff_sessions", {{"sessions", rows}, {"count", rows.size()}, {"one", rows.size() == 1}}, p);
}

// POST /staff/sessions/{session_id}/end: signs out one of the member's own sessions.
Result<HttpResponse> post_sessions_end(Api::Impl& api, StaffContext& sc) {
  auto id = id_param(sc.ctx, "session_id", "session");
  if (!id) return id.error();
  auto st = api.store.delete_staff_session(sc.staff->user.id, *id);
  if (!st) return st.error();
  if (*id == sc.staff->session.id) {
    HttpResponse r = pages::redirect("/staff/sign-in?signed-out");
    r.headers.emplace_back("Set-Cookie", staff_cookie(api, sc.ctx.request, ""));
    return r;
  }
  return pages::redirect("/staff/sessions");
}

}  // namespace townhall::server::staff
