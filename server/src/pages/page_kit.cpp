// The web pages' toolkit: localised strings, mustache rendering, layout, headers, sessions, forms.
#include "pages/page_kit.h"

#include <kainjow/mustache.hpp>

#include <chrono>
#include <iostream>
#include <map>
#include <mutex>

#include "http/api_impl.h"
#include "townhall/i18n/locale.h"
#include "townhall/i18n/text.h"
#include "townhall/access/token.h"
#include "townhall/util/hmac.h"
#include "townhall/util/sha256.h"

namespace townhall::embedded::pages {
std::string_view lookup(std::string_view name);
}

namespace townhall::server::pages {
namespace {

namespace mu = kainjow::mustache;

// Message-key prefixes the templates use.
constexpr std::string_view kPagePrefixes[] = {"site.", "nav.", "common.", "hub.", "consultation.", "journey.",
                                              "error.", "results.", "accessibility.", "privacy.", "panel."};

const i18n::CatalogSet& catalogs() { return i18n::CatalogSet::builtin(); }

mu::data to_data(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      mu::data d{mu::data::type::object};
      for (auto it = j.begin(); it != j.end(); ++it) d.set(it.key(), to_data(it.value()));
      return d;
    }
    case nlohmann::json::value_t::array: {
      mu::data d{mu::data::type::list};
      for (const auto& v : j) d.push_back(to_data(v));
      return d;
    }
    case nlohmann::json::value_t::string: return mu::data{j.get<std::string>()};
    case nlohmann::json::value_t::boolean: return mu::data{j.get<bool>()};
    case nlohmann::json::value_t::null: return mu::data{false};
    default: return mu::data{j.dump()};
  }
}

std::string template_text(std::string_view name) {
  auto text = embedded::pages::lookup(std::string(name) + ".mustache");
  if (text.empty()) throw std::runtime_error("no page template " + std::string(name));
  return std::string(text);
}

std::string render_template(std::string_view name, const nlohmann::json& data) {
  mu::mustache tmpl{template_text(name)};
  if (!tmpl.is_valid()) throw std::runtime_error("template " + std::string(name) + ": " + tmpl.error_message());
  mu::data d = to_data(data);
  d.set("error_summary", mu::partial{[] { return template_text("error_summary"); }});
  return tmpl.render(d);
}

std::string trim_spaces(std::string_view s) {
  size_t b = s.find_first_not_of(' '), e = s.find_last_not_of(' ');
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

}  // namespace

std::string escape_html(std::string_view text) { return mu::html_escape<std::string>(std::string(text)); }

Localiser::Localiser(std::string lang) : lang_(std::move(lang)) {}

const char* Localiser::dir() const { return i18n::html_dir(lang_); }

std::string Localiser::text(std::string_view key, const i18n::MessageArgs& args) const {
  auto f = catalogs().format(lang_, key, args);
  return f ? f->text : std::string(key);
}

std::string Localiser::html(std::string_view key, const i18n::MessageArgs& args) const {
  auto f = catalogs().format(lang_, key, args);
  if (!f) return escape_html(key);
  std::string h = escape_html(f->text);
  if (f->locale != lang_) {
    h = "<span lang=\"" + escape_html(f->locale) + "\" dir=\"" + i18n::html_dir(f->locale) + "\">" + h + "</span>";
  }
  return h;
}

const nlohmann::json& Localiser::strings() const {
  static std::mutex mu;
  static std::map<std::string, nlohmann::json, std::less<>> cache;
  std::lock_guard lock(mu);
  if (auto it = cache.find(lang_); it != cache.end()) return it->second;
  nlohmann::json t = nlohmann::json::object();
  const auto* en = catalogs().find(i18n::kDefaultLocale);
  if (en != nullptr) {
    for (const auto& [key, pattern] : en->messages()) {
      bool wanted = false;
      for (auto p : kPagePrefixes) wanted = wanted || key.rfind(p, 0) == 0;
      if (!wanted || pattern.find('{') != std::string::npos) continue;  // arguments: formatted per page
      nlohmann::json* node = &t;
      size_t start = 0, dot;
      while ((dot = key.find('.', start)) != std::string::npos) {
        node = &(*node)[key.substr(start, dot - start)];
        start = dot + 1;
      }
      (*node)[key.substr(start)] = html(key);
    }
  }
  return cache.emplace(lang_, std::move(t)).first->second;
}

bool is_page_language(std::string_view tag) { return catalogs().find(tag) != nullptr; }

void add_security_headers(HttpResponse& r) {
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
                         "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Referrer-Policy", "same-origin");
}

HttpResponse render_page(const Localiser& loc, std::string_view template_name, nlohmann::json data,
                         const PageOptions& options) {
  data["lang"] = loc.lang();
  data["dir"] = loc.dir();
  data["t"] = loc.strings();
  data["has_error"] = options.has_error;
  std::string content = render_template(template_name, data);

  nlohmann::json languages = nlohmann::json::array();
  for (const auto& tag : catalogs().locales()) {
    languages.push_back({{"tag", tag},
                         {"name", i18n::endonym(tag)},
                         {"dir", i18n::html_dir(tag)},
                         {"href", "/" + tag + (options.rest_path.empty() ? "/" : options.rest_path)},
                         {"current", tag == loc.lang()}});
  }
  nlohmann::json layout = {{"lang", loc.lang()},
                           {"dir", loc.dir()},
                           {"t", loc.strings()},
                           {"title", options.title},
                           {"site_name", loc.text("site.name")},
                           {"nav_language", loc.text("nav.language")},
                           {"error_prefix", loc.text("common.error_prefix")},
                           {"has_error", options.has_error},
                           {"back", options.back.empty() ? nlohmann::json(false) : nlohmann::json(options.back)},
                           {"languages", languages},
                           {"content", content}};
  HttpResponse r;
  r.status = options.status;
  r.content_type = "text/html; charset=utf-8";
  r.body = render_template("layout", layout);
  r.headers.emplace_back("Content-Language", loc.lang());
  r.headers.emplace_back("Cache-Control", "no-store");
  add_security_headers(r);
  return r;
}

std::string render_fragment(std::string_view template_name, const nlohmann::json& data) {
  return render_template(template_name, data);
}

void add_field_error(nlohmann::json& data, PageOptions& options, const std::string& message_html,
                     const std::string& field_id) {
  data["error_message"] = message_html;
  data["errors"] = nlohmann::json::array({{{"href", "#" + field_id}, {"message", message_html}}});
  options.has_error = true;
  options.status = 422;
}

HttpResponse text_page(const Localiser& loc, int status, const std::string& heading_key,
                       const std::vector<std::string>& paragraph_keys, const std::string& rest_path, bool home_link) {
  nlohmann::json paragraphs = nlohmann::json::array();
  for (const auto& k : paragraph_keys) paragraphs.push_back(loc.html(k));
  PageOptions o;
  o.title = loc.text(heading_key);
  o.status = status;
  o.rest_path = rest_path;
  return render_page(loc, "text_page", {{"heading", loc.html(heading_key)}, {"paragraphs", paragraphs}, {"home", home_link}},
                     o);
}

HttpResponse not_found_page(const std::string& lang) {
  return text_page(Localiser(is_page_language(lang) ? lang : std::string(i18n::kDefaultLocale)), 404,
                   "error.page_not_found", {"error.page_not_found_help"}, "");
}

std::optional<std::string> page_language_of(std::string_view path) {
  if (path.size() < 2 || path[0] != '/') return std::nullopt;
  size_t end = path.find('/', 1);
  std::string_view first = path.substr(1, end == std::string_view::npos ? std::string_view::npos : end - 1);
  if (!is_page_language(first)) return std::nullopt;
  return std::string(first);
}

std::optional<HttpResponse> unknown_page(std::string_view path) {
  auto lang = page_language_of(path);
  if (!lang) return std::nullopt;
  return not_found_page(*lang);
}

Handler page(PageHandler handler) {
  return [h = std::move(handler)](RequestContext& ctx, Respond& respond) {
    const std::string& lang = ctx.params["lang"];
    if (!is_page_language(lang)) return respond(not_found_page(std::string(i18n::kDefaultLocale)));
    Localiser loc(lang);
    respond(page_or_error(loc, [&] { return h(ctx, loc); }));
  };
}

HttpResponse error_page(const Localiser& loc, const Error& error) {
  if (error.code == ErrorCode::kNotFound) return not_found_page(loc.lang());
  std::cerr << "townhall: page error: " << error.describe() << std::endl;
  int status = error.code == ErrorCode::kStorageFull ? 503 : error.code == ErrorCode::kConflict ? 409 : 500;
  HttpResponse r = text_page(loc, status, "error.service_problem_title", {"error.service_problem"}, "");
  if (status == 503) r.headers.emplace_back("Retry-After", "120");
  return r;
}

HttpResponse with_session(HttpResponse response, const Session& session) {
  remember_session(response, session);
  return response;
}

namespace {
constexpr std::string_view kMemberCookie = "th_member";
constexpr std::string_view kSessionCookie = "th_session";

std::string member_session_hash(std::string_view secret) { return sha256_hex("member-session\n" + std::string(secret)); }

bool is_hex(std::string_view s) { return s.find_first_not_of("0123456789abcdef") == std::string_view::npos; }

// The MAC part of a th_session cookie for `secret` (128 bits are plenty to make forging hopeless).
std::string session_mac(const std::string& key, std::string_view secret) {
  return hmac_sha256_hex(key, "th_session\n" + std::string(secret)).substr(0, 32);
}

std::string cookie_attributes(bool secure) { return std::string("; Path=/; HttpOnly; SameSite=Lax") + (secure ? "; Secure" : ""); }

Session new_session(const Api::Impl& api, const HttpRequest& request) {
  Session s;
  s.secret = new_bearer_token();
  s.key = api.page_key;
  s.cookie = s.secret + "." + session_mac(s.key, s.secret);
  std::string member = cookie_value(request.cookie, kMemberCookie);
  if (!member.empty()) s.member = sha256_hex(member);
  s.is_new = true;
  s.secure = served_over_https(api, request);
  return s;
}
}  // namespace

std::optional<panel::Member> signed_in_member(Api::Impl& api, const HttpRequest& request) {
  std::string secret = cookie_value(request.cookie, kMemberCookie);
  if (secret.size() < 32 || secret.size() > 128) return std::nullopt;
  auto id = api.store.member_token("session", member_session_hash(secret), now_seconds(api), false);
  if (!id) return std::nullopt;
  auto m = api.store.get_member(*id);
  if (!m) return std::nullopt;
  return std::move(m).value();
}

void start_member_session(Api::Impl& api, const HttpRequest& request, int64_t member_id, HttpResponse& response) {
  std::string secret = new_bearer_token();
  MemberToken t{"session", member_session_hash(secret), member_id, now_seconds(api) + kMemberSessionSeconds};
  if (auto st = api.store.put_member_token(t); !st) throw std::runtime_error(st.error().message);
  const bool secure = served_over_https(api, request);
  response.headers.emplace_back("Set-Cookie", std::string(kMemberCookie) + "=" + secret + cookie_attributes(secure) +
                                                  "; Max-Age=" + std::to_string(kMemberSessionSeconds));
  // A fresh browser session for the signed-in member: a th_session someone planted before the
  // sign-in (and the drafts and tokens tied to it) stays behind.
  remember_session(response, new_session(api, request));
}

void end_member_session(Api::Impl& api, const HttpRequest& request, HttpResponse& response) {
  std::string secret = cookie_value(request.cookie, kMemberCookie);
  if (!secret.empty()) (void)api.store.delete_member_token("session", member_session_hash(secret));
  response.headers.emplace_back("Set-Cookie", std::string(kMemberCookie) + "=" +
                                                  cookie_attributes(served_over_https(api, request)) + "; Max-Age=0");
}

HttpResponse redirect(const std::string& location) {
  HttpResponse r;
  r.status = 303;
  r.content_type = "text/plain; charset=utf-8";
  r.headers.emplace_back("Location", location);
  r.headers.emplace_back("Cache-Control", "no-store");
  add_security_headers(r);
  return r;
}

std::string cookie_value(std::string_view header, std::string_view name) {
  size_t i = 0;
  while (i < header.size()) {
    size_t semi = header.find(';', i);
    if (semi == std::string_view::npos) semi = header.size();
    std::string part = trim_spaces(header.substr(i, semi - i));
    size_t eq = part.find('=');
    if (eq != std::string::npos && part.substr(0, eq) == name) return part.substr(eq + 1);
    i = semi + 1;
  }
  return {};
}

Session session_of(const Api::Impl& api, const HttpRequest& request) {
  std::string value = cookie_value(request.cookie, kSessionCookie);
  size_t dot = value.find('.');
  if (dot == 64 && value.size() == 64 + 1 + 32) {
    std::string_view secret = std::string_view(value).substr(0, 64), mac = std::string_view(value).substr(65);
    if (is_hex(secret) && is_hex(mac) && constant_time_equal(mac, session_mac(api.page_key, secret))) {
      Session s;
      s.secret = std::string(secret);
      s.cookie = value;
      s.key = api.page_key;
      std::string member = cookie_value(request.cookie, kMemberCookie);
      if (!member.empty()) s.member = sha256_hex(member);
      s.secure = served_over_https(api, request);
      return s;
    }
  }
  return new_session(api, request);
}

void remember_session(HttpResponse& response, const Session& session) {
  if (!session.is_new) return;
  response.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) + "=" + session.cookie + cookie_attributes(session.secure));
}

std::string csrf_token(const Session& session) {
  return hmac_sha256_hex(session.key, "csrf\n" + session.secret + "\n" + session.member);
}

bool csrf_valid(const Session& session, std::string_view submitted) {
  return !session.is_new && constant_time_equal(csrf_token(session), submitted);
}

HttpResponse too_many_requests_page(const Localiser& loc, const RateDecision& d, const Session& session) {
  HttpResponse r = text_page(loc, 429, "error.too_many_title", {"error.too_many"}, "");
  r.headers.emplace_back("Retry-After", std::to_string(d.retry_after_seconds));
  return with_session(std::move(r), session);
}

Result<FormFields> parse_form(std::string_view content_type, std::string_view body, size_t limit) {
  std::string type(content_type.substr(0, content_type.find(';')));
  type = trim_spaces(type);
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type != "application/x-www-form-urlencoded") {
    return invalid_argument("Content-Type", "send the form as application/x-www-form-urlencoded");
  }
  if (body.size() > limit) {
    return invalid_argument("body", "the form is larger than " + std::to_string(limit) + " bytes");
  }
  FormFields out;
  size_t i = 0;
  while (i < body.size()) {
    size_t amp = body.find('&', i);
    if (amp == std::string_view::npos) amp = body.size();
    std::string_view part = body.substr(i, amp - i);
    i = amp + 1;
    if (part.empty()) continue;
    for (size_t k = 0; k < part.size(); ++k) {
      if (part[k] == '%' && (k + 2 >= part.size() || hex_value(part[k + 1]) < 0 || hex_value(part[k + 2]) < 0)) {
        return invalid_argument("body", "malformed %-escape in the form");
      }
    }
    size_t eq = part.find('=');
    std::string name = percent_decode(part.substr(0, eq), true);
    std::string raw = eq == std::string_view::npos ? "" : percent_decode(part.substr(eq + 1), true);
    auto value = i18n::normalize_for_storage(raw, name);
    if (!value) return value.error();
    if (auto st = i18n::validate_utf8(name, "body"); !st) return st.error();
    out.emplace_back(std::move(name), std::move(value).value());
  }
  return out;
}

std::string form_value(const FormFields& fields, std::string_view name) {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return {};
}

std::vector<std::string> form_values(const FormFields& fields, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields) {
    if (k == name) out.push_back(v);
  }
  return out;
}

}  // namespace townhall::server::pages
