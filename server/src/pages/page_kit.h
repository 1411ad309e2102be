// Internal to townhall_server: the toolkit of the residents' web pages — localised strings, HTML
// rendering with mustache templates (automatic escaping), the page layout, security headers,
// sessions and CSRF tokens, and strict application/x-www-form-urlencoded parsing.
//
// Escaping rule: templates print data with {{double braces}} (escaped). Only strings that this
// toolkit produced already escaped — localised messages (`t.*`, Localiser::html) and rendered
// templates — are printed with {{{triple braces}}}.
// Thread-safety: all functions are safe from any thread; Localiser is immutable after construction.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/error.h"
#include "townhall/i18n/catalog.h"
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

struct PageOptions {
  std::string title;       // plain text for <title>
  std::string back;        // href of a back link ("" = none)
  std::string rest_path;   // the path after /{lang}, for the language picker ("/consultations/c-1")
  int status = 200;
  bool has_error = false;  // prefixes the title with "Error:"
};

// Renders `template_name` (server/templates/<name>.mustache) with `data` plus {lang, dir, t,
// has_error}, then the layout around it, as a text/html response with the security headers.
HttpResponse render_page(const Localiser& loc, std::string_view template_name, nlohmann::json data,
                         const PageOptions& options);

// Adds Content-Security-Policy (no inline script or style), nosniff, frame and referrer policies.
void add_security_headers(HttpResponse& response);
// A 303 See Other to `location` (POST-redirect-GET).
HttpResponse redirect(const std::string& location);

// ---- sessions and CSRF ----------------------------------------------------------------------
// A browser session is a random secret in an HttpOnly SameSite=Lax cookie. Forms carry a CSRF
// token derived from the session secret with a per-process server key; a POST whose token does not
// match its session cookie is refused.
struct Session {
  std::string secret;
  bool is_new = false;  // set the cookie on the response
};
Session session_of(const HttpRequest& request);
// Adds the Set-Cookie header when the session is new.
void remember_session(HttpResponse& response, const Session& session);
std::string csrf_token(const Session& session);
bool csrf_valid(const Session& session, std::string_view submitted);

// The value of cookie `name` in a Cookie header ("" when absent).
std::string cookie_value(std::string_view header, std::string_view name);

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
