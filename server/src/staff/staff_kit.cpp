// The staff console's route table, its session and CSRF checks, and its layout (staff_kit.h).
#include "staff/staff_kit.h"

#include "staff/account_pages.h"
#include "staff/exception_pages.h"
#include "staff/panel_pages.h"
#include "staff/responses_pages.h"

#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>
#include <set>

namespace townhall::server::staff {
namespace {

// Sign-ins waiting for their password check; past this a sign-in is turned away at once (503),
// so a flood costs neither memory nor time.
constexpr int kMaxPasswordChecksWaiting = 32;

// The CSRF token of a signed-in console session: the residents' pages' token (page_kit.h), bound
// to the console session's secret instead of the browser session's.
pages::Session csrf_session(const Api::Impl& api, const std::string& secret) {
  pages::Session s;
  s.secret = secret;
  s.member = "staff";
  s.key = api.page_key;
  s.is_new = false;
  return s;
}

void mark_private(HttpResponse& r) {
  // Whatever a page set (page_kit's no-store, a redirect's), a console answer is one person's.
  for (auto it = r.headers.begin(); it != r.headers.end();) {
    if (it->first == "Cache-Control") it = r.headers.erase(it);
    else ++it;
  }
  r.headers.emplace_back("Cache-Control", "private, no-store");
}

HttpResponse message_page(const StaffContext& sc, int status, const std::string& heading, const std::string& text) {
  StaffPage p;
  p.title = heading;
  p.status = status;
  return render_staff_page(sc, "staff_message", {{"heading", heading}, {"text", text}}, p);
}

HttpResponse serve(Api::Impl& api, const StaffRoute& route, RequestContext& ctx) {
  StaffContext sc{ctx, std::nullopt, "", "", {}};
  std::optional<pages::Session> browser;
  const bool post = ctx.request.method == "POST";
  if (post) {
    // A body that is not a form, or a form without a token, is refused whoever sends it.
    auto form = pages::parse_form(ctx.request.content_type, ctx.request.body);
    if (!form) return message_page(sc, 400, "The form could not be read", form.error().describe());
    sc.form = std::move(form).value();
    // Every console form names each field once; a repeated name is not a form of ours, and which
    // value would count is better refused than guessed.
    std::set<std::string> names;
    for (const auto& [name, value] : sc.form) {
      if (!names.insert(name).second) {
        return message_page(sc, 400, "The form could not be read", "The field \"" + name + "\" appears more than once.");
      }
    }
    if (pages::form_value(sc.form, "csrf").empty()) {
      return message_page(sc, 403, "The form has expired", "Nothing was changed. Go back, reload the page and try again.");
    }
  }
  if (route.roles.empty()) {
    // Signed-out pages: forms are bound to the residents' browser session (th_session).
    browser = pages::session_of(api, ctx.request);
    sc.csrf = pages::csrf_token(*browser);
  } else {
    std::string secret = pages::cookie_value(ctx.request.cookie, kStaffCookie);
    auto signed_in = staff_of_session(api.store, secret, now_seconds(api));
    if (!signed_in) {
      if (signed_in.error().code != ErrorCode::kNotFound) return pages::error_page(Localiser("en-GB"), signed_in.error());
      return pages::redirect("/staff/sign-in");
    }
    sc.staff = std::move(signed_in).value();
    sc.session_secret = secret;
    sc.csrf = pages::csrf_token(csrf_session(api, secret));
    if (!route.roles.count(sc.staff->user.role)) {
      return message_page(sc, 403, "You cannot use this page",
                          std::string("Your role (") + role_id(sc.staff->user.role) +
                              ") does not allow it. Ask an administrator if you need it.");
    }
  }
  if (post) {
    const std::string submitted = pages::form_value(sc.form, "csrf");
    bool valid = browser ? pages::csrf_valid(*browser, submitted)
                         : pages::csrf_valid(csrf_session(api, sc.session_secret), submitted);
    if (!valid) {
      HttpResponse r = message_page(sc, 403, "The form has expired",
                                    "Nothing was changed. Go back, reload the page and try again.");
      if (browser) pages::remember_session(r, *browser);
      return r;
    }
  }
  HttpResponse r = pages::page_or_error(Localiser("en-GB"), [&] { return route.handler(api, sc); });
  if (browser) pages::remember_session(r, *browser);
  return r;
}

}  // namespace

const std::vector<StaffRoute>& staff_routes() {
  const std::set<Role> staff = {Role::kOfficer, Role::kGovernance, Role::kAdmin};
  const std::set<Role> officers = {Role::kOfficer, Role::kAdmin};
  const std::set<Role> governance = {Role::kGovernance, Role::kAdmin};
  static const std::vector<StaffRoute> routes = [&] {
    std::vector<StaffRoute> all = {
      {"GET", "/staff/sign-in", {}, get_sign_in},
      {"POST", "/staff/sign-in", {}, post_sign_in, true},
      {"POST", "/staff/sign-out", staff, post_sign_out},
      {"GET", "/staff/sessions", staff, get_sessions},
      {"POST", "/staff/sessions/{session_id}/end", staff, post_sessions_end},
      {"GET", "/staff", staff, get_consultations},
      {"GET", "/staff/consultations/{id}", staff, get_consultation},
      {"POST", "/staff/consultations/{id}/transitions", officers, post_consultation_transition},
      {"POST", "/staff/consultations/{id}/exception-requests", officers, post_consultation_exception_request},
      // Governance: the compliance dashboard and report (every staff role may read them), the
      // Forward Plan register (read by every staff role, changed by governance).
      {"GET", "/staff/compliance", staff, get_compliance},
      {"GET", "/staff/compliance/report", staff, get_compliance_report},
      {"GET", "/staff/forward-plan/import", governance, get_forward_plan_import},
      {"POST", "/staff/forward-plan/import", governance, post_forward_plan_import},
    };
    for (auto& r : register_routes(staff, governance)) all.push_back(std::move(r));
    for (auto& r : account_routes({Role::kAdmin})) all.push_back(std::move(r));
    for (auto& r : panel_routes(officers)) all.push_back(std::move(r));
    for (auto& r : exception_routes(officers)) all.push_back(std::move(r));
    { auto b = consultation_builder_routes(staff, officers); all.insert(all.begin(), b.begin(), b.end()); }  // "new" before {id}
    for (auto& r : responses_routes(staff, officers)) all.push_back(std::move(r));
    return all;
  }();
  return routes;
}

void add_staff_routes(Api::Impl& api) {
  for (const auto& route : staff_routes()) {
    api.add(route.method, route.pattern, everyone(), "", [&api, &route](RequestContext& ctx, Respond& respond) {
      auto answer = [&api, &route](RequestContext& c) {
        HttpResponse r;
        try {
          r = serve(api, route, c);
        } catch (const std::exception& e) {
          r = pages::error_page(Localiser("en-GB"), Error{ErrorCode::kInternal, "", e.what()});
        }
        mark_private(r);
        return r;
      };
      if (!route.hashes_password) return respond(answer(ctx));
      if (api.password_checks_waiting.fetch_add(1) >= kMaxPasswordChecksWaiting) {
        --api.password_checks_waiting;
        StaffContext sc{ctx, std::nullopt, "", "", {}};
        HttpResponse busy = message_page(sc, 503, "Too many sign-ins at once",
                                         "Nothing was checked. Wait a few seconds and sign in again.");
        busy.headers.emplace_back("Retry-After", "5");
        mark_private(busy);
        return respond(std::move(busy));
      }
      // The request is copied: the job runs after this handler has returned.
      auto request = std::make_shared<HttpRequest>(ctx.request);
      api.passwords.post([&api, answer, request, user = ctx.user, params = ctx.params, query = ctx.query,
                          respond]() mutable {
        RequestContext c{*request, std::move(user), std::move(params), std::move(query), nullptr};
        HttpResponse r = answer(c);
        --api.password_checks_waiting;
        respond(std::move(r));
      });
    });
  }
}

HttpResponse render_staff_page(const StaffContext& sc, const std::string& template_name, nlohmann::json data,
                               const StaffPage& page) {
  data["csrf"] = sc.csrf;
  data["has_error"] = page.has_error;
  nlohmann::json who = false;
  if (sc.staff) {
    who = {{"name", sc.staff->user.name},
           {"role", role_id(sc.staff->user.role)},
           {"id", sc.staff->user.id},
           {"is_admin", sc.staff->user.role == Role::kAdmin},
           {"approves", sc.staff->user.role == Role::kAdmin || sc.staff->user.role == Role::kOfficer}};
  }
  data["staff"] = who;
  data["error_summary_html"] = page.has_error ? pages::render_fragment("staff_errors", data) : std::string();
  std::string content = pages::render_fragment(template_name, data);
  nlohmann::json layout = {{"title", page.title},
                           {"has_error", page.has_error},
                           {"staff", who},
                           {"csrf", sc.csrf},
                           {"back", page.back.empty() ? nlohmann::json(false) : nlohmann::json(page.back)},
                           {"content", content}};
  HttpResponse r;
  r.status = page.status;
  r.content_type = "text/html; charset=utf-8";
  r.body = pages::render_fragment("staff_layout", layout);
  r.headers.emplace_back("Content-Language", "en-GB");
  pages::add_security_headers(r);
  return r;
}

std::string staff_cookie(const Api::Impl& api, const HttpRequest& request, const std::string& secret) {
  std::string c = std::string(kStaffCookie) + "=" + secret + "; Path=/staff; HttpOnly; SameSite=Strict";
  if (served_over_https(api, request)) c += "; Secure";
  if (secret.empty()) c += "; Max-Age=0";
  return c;
}

std::string format_instant(int64_t unix_seconds) {
  static const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                  "July",    "August",   "September", "October", "November", "December"};
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char clock[8];
  std::snprintf(clock, sizeof clock, "%02d:%02d", tm.tm_hour, tm.tm_min);
  return std::to_string(tm.tm_mday) + " " + kMonths[tm.tm_mon] + " " + std::to_string(tm.tm_year + 1900) + ", " + clock +
         " UTC";
}

std::string format_date(const std::string& iso) {
  static const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                  "July",    "August",   "September", "October", "November", "December"};
  auto d = Date::parse(iso);
  if (!d) return iso;
  return std::to_string(d->day()) + " " + kMonths[d->month() - 1] + " " + std::to_string(d->year());
}

}  // namespace townhall::server::staff
