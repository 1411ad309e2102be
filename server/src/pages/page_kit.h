// Internal to townhall_server: the toolkit of the residents' web pages — localised strings, HTML
// rendering with mustache templates (automatic escaping), the page layout, security headers,
// sessions and CSRF tokens, and strict application/x-www-form-urlencoded parsing.
//
// Escaping rule: templates print data with {{double braces}} (escaped). Only strings that this
// toolkit produced already escaped — localised messages (`t.*`, Localiser::html) and rendered
// templates — are printed with {{{triple braces}}}.
// Thread-safety: all functions are safe from any thread; Localiser is immutable after construction.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/api_impl.h"
#include "townhall/error.h"
#include "townhall/i18n/catalog.h"
#include "townhall/panel/member.h"
#include "townhall/server/http.h"

namespace townhall::server::pages {

std::string escape_html(std::string_view text);

// One locale's strings for a page. Messages missing in the locale fall back to en-GB and come back
// wrapped in <span lang="en-GB" dir="ltr"> so the passage is read in the right language.
class Localiser {
 public:
  explicit Localiser(std::string lang);
  const std::string& lang() const { return lang_; }
  const char* dir() const;
  // The message as escaped HTML (wrapped in a lang/dir span when it fell back to another locale).
  std::string html(std::string_view key, const i18n::MessageArgs& args = {}) const;
  // The message as plain text (for <title> and emails).
  std::string text(std::string_view key, const i18n::MessageArgs& args = {}) const;
  // Every argument-free message of the page prefixes as escaped HTML, nested by the dots of its
  // key ({"hub": {"title": "…"}}), for templates as {{{t.hub.title}}}.
  const nlohmann::json& strings() const;

 private:
  std::string lang_;
};

// True when `tag` is exactly one of the deployment's catalogs (the first segment of a page path).
bool is_page_language(std::string_view tag);

// Cache-Control of anything personal: a page of a browser session (a draft, a form with its CSRF
// token), a signed-in member's page, the staff console. render_page() gives every page this; only
// the public pages the server itself marks cacheable (http/api.cpp) are sent as public.
inline constexpr const char* kPersonalCacheControl = "private, no-store";

struct PageOptions {
  std::string title;       // plain text for <title>
  std::string back;        // href of a back link ("" = none)
  std::string rest_path;   // the path after /{lang}, for the language picker ("/consultations/c-1")
  int status = 200;
  bool has_error = false;  // prefixes the title with "Error:"
  bool preview = false;    // a staff preview: a "not published" banner and noindex
};

// Renders `template_name` (server/templates/<name>.mustache) with `data` plus {lang, dir, t,
// has_error}, then the layout around it, as a text/html response with the security headers and
// Cache-Control: private, no-store. Templates are parsed once per process and each locale's
// messages formatted once, so a page costs only its own data.
HttpResponse render_page(const Localiser& loc, std::string_view template_name, nlohmann::json data,
                         const PageOptions& options);

// Renders `template_name` (server/templates/**/<name>.mustache) with `data` alone: no layout, no
// strings added. For pages with a layout of their own (the staff console's).
std::string render_fragment(std::string_view template_name, const nlohmann::json& data);

// A plain page: a heading and paragraphs (catalog keys, formatted without arguments), and a link
// to the hub when `home_link`.
HttpResponse text_page(const Localiser& loc, int status, const std::string& heading_key,
                       const std::vector<std::string>& paragraph_keys, const std::string& rest_path,
                       bool home_link = true);
// The localised "Page not found" page (status 404) in `lang`, or en-GB when it is not a page language.
HttpResponse not_found_page(const std::string& lang);
// The first segment of `path` when it is a page language ("/cy/consultations" → "cy"), else nullopt.
std::optional<std::string> page_language_of(std::string_view path);
// A 308 to the same path under the catalog a first segment means when it is not one itself:
// "/en/…" → "/en-GB/…", "/CY/…" → "/cy/…" (the query kept); nullopt otherwise.
std::optional<HttpResponse> language_redirect(std::string_view target);
// For a path no route matched: language_redirect() of `target` (the path and query; the path when
// empty), else the 404 page when its first segment is a page language ("/cy/nope"); nullopt for
// other paths (the API's problem+json 404 applies).
std::optional<HttpResponse> unknown_page(std::string_view path, std::string_view target = {});

// The page for an error a page handler could not deal with, in the page's language: the 404 page
// for kNotFound, "there is a problem with the service" otherwise (503 with Retry-After when the
// storage is full, 409 for a conflict, 500 for the rest). The error's own text (a database's
// message, say) goes to the server's log, never to the browser.
HttpResponse error_page(const Localiser& loc, const Error& error);

// Runs `make` (a page handler's body) and gives its page; an error it returns, or an exception it
// throws, becomes error_page().
template <class Make>
HttpResponse page_or_error(const Localiser& loc, Make&& make) {
  try {
    Result<HttpResponse> r = make();
    if (r) return std::move(r).value();
    return error_page(loc, r.error());
  } catch (const std::exception& e) {
    return error_page(loc, Error{ErrorCode::kInternal, "", e.what()});
  }
}

// A page route's handler: runs `handler` with the Localiser of the {lang} path parameter, or
// gives the 404 page when {lang} is not one of the catalogs. What it returns is the page; an
// error it returns (or throws) is answered with error_page().
using PageHandler = std::function<Result<HttpResponse>(RequestContext&, const Localiser&)>;
Handler page(PageHandler handler);

// Marks a form page as failed (GOV.UK pattern): the error summary links `message_html` to the field
// `#field_id`, the field shows it inline, the title gets "Error:" and the status is 422.
void add_field_error(nlohmann::json& data, PageOptions& options, const std::string& message_html,
                     const std::string& field_id);

// Adds Content-Security-Policy (no inline script or style), nosniff, frame and referrer policies.
void add_security_headers(HttpResponse& response);
// A 303 See Other to `location` (POST-redirect-GET).
HttpResponse redirect(const std::string& location);

// ---- sessions and CSRF ----------------------------------------------------------------------
// A browser session is a random secret the server issues in the th_session cookie (HttpOnly,
// SameSite=Lax, Path=/, and Secure when served over HTTPS), as "<secret>.<MAC>": an HMAC-SHA256
// of the secret under the site's page key (Store::site_secret("pages")). A cookie the server did
// not issue — one a client or another site chose — is replaced by a new one. Forms carry a CSRF
// token: the HMAC of the session secret AND of the member session cookie (th_member) the request
// carries, so a token is good only with the browser session and the sign-in it was issued to; a
// POST whose token does not match is refused.
struct Session {
  std::string secret;   // the random part of th_session (drafts are keyed by it)
  std::string cookie;   // the whole cookie value
  std::string member;   // SHA-256 of the request's th_member cookie, "" without one
  std::string key;      // the page key
  bool is_new = false;  // set the cookie on the response
  bool secure = false;  // mark cookies Secure
};
Session session_of(const Api::Impl& api, const HttpRequest& request);
// Adds the Set-Cookie header when the session is new.
void remember_session(HttpResponse& response, const Session& session);
std::string csrf_token(const Session& session);
bool csrf_valid(const Session& session, std::string_view submitted);

// The response with the Set-Cookie of a new session.
HttpResponse with_session(HttpResponse response, const Session& session);

// ---- panel members signed in on the web pages ------------------------------------------------
// A member signs in by an emailed single-use link; the browser then holds a random secret in the
// th_member cookie (HttpOnly, SameSite=Lax, Path=/, Max-Age = kMemberSessionSeconds, Secure over
// HTTPS); the store keeps only its SHA-256 with an expiry (MemberToken "session"). It is not an
// API bearer token. Signing in also starts a new th_session, so nothing issued before the sign-in
// (a session someone else may know) carries over into it.
inline constexpr int64_t kSignInLinkSeconds = 30 * 60;
// At most this many unused sign-in links per member at a time; further requests send nothing
// (the page is the same, so it reveals nothing) until one is used or expires.
inline constexpr int64_t kSignInLinksOutstanding = 3;
inline constexpr int64_t kMemberSessionSeconds = 8 * 60 * 60;
// An emailed link proving an email address (joining, or changing the address) lives this long,
// and at most kSignInLinksOutstanding of a member's are live at a time.
inline constexpr int64_t kEmailConfirmationSeconds = 24 * 60 * 60;
// The signed-in member of the request's th_member cookie; nullopt when none, unknown or expired.
std::optional<panel::Member> signed_in_member(Api::Impl& api, const HttpRequest& request);
// Starts a member session: stores its hash and sets the member cookie and a new th_session on
// `response` (the caller must not also set the old session's cookie).
void start_member_session(Api::Impl& api, const HttpRequest& request, int64_t member_id, HttpResponse& response);
// Ends the request's member session (if any) and clears the cookie on `response`.
void end_member_session(Api::Impl& api, const HttpRequest& request, HttpResponse& response);

// The value of cookie `name` in a Cookie header ("" when absent).
std::string cookie_value(std::string_view header, std::string_view name);

// ---- rate limits on the pages ------------------------------------------------------------------
// The localised "too many requests" page (429, Retry-After) for a refused RateDecision.
HttpResponse too_many_requests_page(const Localiser& loc, const RateDecision& d, const Session& session);

// ---- forms ----------------------------------------------------------------------------------
using FormFields = std::vector<std::pair<std::string, std::string>>;
inline constexpr size_t kFormBodyLimit = 64 * 1024;

// Parses an application/x-www-form-urlencoded body. Errors: another content type (field
// "Content-Type"), a body over `limit` bytes, a malformed %-escape or invalid UTF-8 (naming the
// field). Values are NFC-normalised.
Result<FormFields> parse_form(std::string_view content_type, std::string_view body, size_t limit = kFormBodyLimit);
std::string form_value(const FormFields& fields, std::string_view name);
std::vector<std::string> form_values(const FormFields& fields, std::string_view name);

}  // namespace townhall::server::pages

namespace townhall::server {
// The page handlers (pages/*.cpp) name the kit's most used parts unqualified.
using pages::Localiser;
using pages::PageOptions;
using pages::not_found_page;
using pages::page;
using pages::text_page;
using pages::with_session;
}  // namespace townhall::server
