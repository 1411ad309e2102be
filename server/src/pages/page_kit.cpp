// The web pages' toolkit: localised strings, mustache rendering, layout, headers, sessions, forms.
#include "pages/page_kit.h"

#include <kainjow/mustache.hpp>

#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "http/api_impl.h"
#include "http/compression.h"
#include "pages/asset_set.h"
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
                                              "error.", "results.", "accessibility.", "privacy.", "panel.", "forward_plan."};

const i18n::CatalogSet& catalogs() { return i18n::CatalogSet::builtin(); }

std::string trim_spaces(std::string_view s) {
  size_t b = s.find_first_not_of(' '), e = s.find_last_not_of(' ');
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

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
    case nlohmann::json::value_t::string: return mu::data{j.get_ref<const std::string&>()};
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

// A template's text with its partials ({{> name}}) written in, so it is parsed once as a whole.
// A partial alone on its line takes the whole line, as a standalone partial tag does.
std::string expand_partials(std::string text, int depth = 0) {
  if (depth > 8) throw std::runtime_error("page template partials nest too deeply");
  std::string out;
  size_t at = 0;
  for (size_t open; (open = text.find("{{>", at)) != std::string::npos;) {
    size_t close = text.find("}}", open);
    if (close == std::string::npos) break;
    std::string name = trim_spaces(std::string_view(text).substr(open + 3, close - open - 3));
    std::string partial = expand_partials(template_text(name), depth + 1);
    const bool line_start = open == 0 || text[open - 1] == '\n';
    size_t after = close + 2;
    if (line_start && after < text.size() && text[after] == '\n' && !partial.empty() && partial.back() == '\n') ++after;
    out.append(text, at, open - at);
    out += partial;
    at = after;
  }
  out.append(text, at, std::string::npos);
  return out;
}

std::string formatted_html(const std::string& lang, std::string_view key, const i18n::MessageArgs& args) {
  auto f = catalogs().format(lang, key, args);
  if (!f) return mu::html_escape<std::string>(std::string(key));
  std::string h = mu::html_escape<std::string>(f->text);
  if (f->locale != lang) {
    h = "<span lang=\"" + mu::html_escape<std::string>(f->locale) + "\" dir=\"" + i18n::html_dir(f->locale) + "\">" + h +
        "</span>";
  }
  return h;
}

// Appends rendered text to a string (kainjow's render takes any type with operator<<).
struct Appender {
  std::string& out;
  Appender& operator<<(const std::string& s) {
    out += s;
    return *this;
  }
};

// The page templates, each parsed once (with its partials written in) on first use and kept for
// the life of the process. Rendering a parsed template only reads its tree: kainjow writes to the
// template only to record an error from a lambda or a partial, and these templates have neither
// (partials are written in before parsing, and the data holds no lambdas), so one parsed template
// serves every thread at once.
class Templates {
 public:
  static Templates& instance() {
    static Templates t;
    return t;
  }
  mu::mustache& get(std::string_view name) {
    {
      std::shared_lock lock(mu_);
      if (auto it = parsed_.find(name); it != parsed_.end()) return *it->second;
    }
    auto tmpl = std::make_unique<mu::mustache>(expand_partials(template_text(name)));
    if (!tmpl->is_valid()) throw std::runtime_error("template " + std::string(name) + ": " + tmpl->error_message());
    std::unique_lock lock(mu_);
    return *parsed_.try_emplace(std::string(name), std::move(tmpl)).first->second;
  }

 private:
  std::shared_mutex mu_;
  std::map<std::string, std::unique_ptr<mu::mustache>, std::less<>> parsed_;
};

// Renders `name` with `page` in front of `shared` (looked up when `page` lacks a name).
std::string render_template(std::string_view name, const mu::data& page, const mu::data* shared) {
  mu::mustache& tmpl = Templates::instance().get(name);
  mu::context<std::string> ctx;
  if (shared != nullptr) ctx.push(shared);
  ctx.push(&page);
  std::string out;
  out.reserve(8192);
  Appender sink{out};
  tmpl.render(ctx, sink);
  if (!tmpl.is_valid()) throw std::runtime_error("template " + std::string(name) + ": " + tmpl.error_message());
  return out;
}

// Everything about a locale that is the same on every page, built once: every argument-free
// message as escaped HTML and as text, and the template data shared by all its pages (the `t`
// tree, the site's name, the language picker's entries). Immutable once built.
struct LocaleStrings {
  std::string lang;
  std::unordered_map<std::string, std::string> html, text;  // argument-free messages by key
  nlohmann::json tree;                                      // {"hub": {"title": "…"}} of the page prefixes
  mu::data shared{mu::data::type::object};                  // {"t": tree} for every template
  std::string site_name, nav_language, error_prefix;
};

std::unique_ptr<LocaleStrings> build_locale_strings(const std::string& lang);

// The built locales: every catalog's, made together on first use (so, with no lock afterwards).
const std::map<std::string, std::unique_ptr<LocaleStrings>, std::less<>>& catalog_strings() {
  static const auto all = [] {
    std::map<std::string, std::unique_ptr<LocaleStrings>, std::less<>> m;
    for (const auto& tag : catalogs().locales()) m.emplace(tag, build_locale_strings(tag));
    return m;
  }();
  return all;
}

// "pa" of "pa-Guru", lower case.
std::string primary_language(std::string_view tag) {
  std::string out(tag.substr(0, tag.find_first_of("-_")));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The catalog a first path segment that is not one means: the same tag in other letter case
// ("EN-gb"), or a bare language with exactly one catalog ("en" → "en-GB", "pa" → "pa-Guru").
std::optional<std::string> catalog_meant_by(std::string_view segment) {
  if (segment.empty() || segment.size() > 35) return std::nullopt;
  std::string lower(segment);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::optional<std::string> only;
  int same_language = 0;
  for (const auto& tag : catalogs().locales()) {
    std::string t = tag;
    for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (t == lower) return tag;
    if (primary_language(tag) == lower) {
      ++same_language;
      only = tag;
    }
  }
  if (same_language == 1) return only;
  return std::nullopt;
}

// The language picker's entries (every catalog, by its endonym), the same on every page.
struct PickerLanguage {
  std::string tag, name, dir;
};
const std::vector<PickerLanguage>& picker_languages() {
  static const auto all = [] {
    std::vector<PickerLanguage> v;
    // A language with one catalog is named by the language alone ("English", not "British
    // English"); one written in two scripts or regions keeps the distinction ("ਪੰਜਾਬੀ (ਗੁਰਮੁਖੀ)").
    std::map<std::string, int> per_language;
    for (const auto& tag : catalogs().locales()) ++per_language[primary_language(tag)];
    for (const auto& tag : catalogs().locales()) {
      std::string primary = primary_language(tag);
      std::string name = per_language[primary] == 1 ? i18n::endonym(primary) : i18n::endonym(tag);
      if (name.empty() || name == primary) name = i18n::endonym(tag);
      v.push_back({tag, name, i18n::html_dir(tag)});
    }
    return v;
  }();
  return all;
}

// A locale's strings: a catalog's from the table; any other tag's (a Localiser may be made for a
// tag that only falls back to a catalog) built once and kept, under a lock.
const LocaleStrings& locale_strings(const std::string& lang) {
  const auto& built = catalog_strings();
  if (auto it = built.find(lang); it != built.end()) return *it->second;
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<LocaleStrings>, std::less<>> others;
  std::lock_guard lock(mu);
  auto it = others.find(lang);
  if (it == others.end()) {
    // Bounded: the tags come from code, but a limit costs nothing.
    if (others.size() >= 64) others.clear();
    it = others.emplace(lang, build_locale_strings(lang)).first;
  }
  return *it->second;
}


}  // namespace

std::string escape_html(std::string_view text) { return mu::html_escape<std::string>(std::string(text)); }

Localiser::Localiser(std::string lang) : lang_(std::move(lang)) {}

const char* Localiser::dir() const { return i18n::html_dir(lang_); }

std::string Localiser::text(std::string_view key, const i18n::MessageArgs& args) const {
  if (args.empty()) {
    const auto& built = locale_strings(lang_).text;
    if (auto it = built.find(std::string(key)); it != built.end()) return it->second;
  }
  auto f = catalogs().format(lang_, key, args);
  return f ? f->text : std::string(key);
}

std::string Localiser::html(std::string_view key, const i18n::MessageArgs& args) const {
  if (args.empty()) {
    const auto& built = locale_strings(lang_).html;
    if (auto it = built.find(std::string(key)); it != built.end()) return it->second;
  }
  return formatted_html(lang_, key, args);
}

const nlohmann::json& Localiser::strings() const { return locale_strings(lang_).tree; }

namespace {

std::unique_ptr<LocaleStrings> build_locale_strings(const std::string& lang) {
  auto s = std::make_unique<LocaleStrings>();
  s->lang = lang;
  s->tree = nlohmann::json::object();
  const auto* en = catalogs().find(i18n::kDefaultLocale);
  if (en != nullptr) {
    // Every key of the default catalog: the others hold a subset of it (a missing one falls back).
    for (const auto& [key, pattern] : en->messages()) {
      if (pattern.find('{') != std::string::npos) continue;  // arguments: formatted per page
      auto f = catalogs().format(lang, key, {});
      if (!f) continue;
      s->text.emplace(key, f->text);
      std::string h = formatted_html(lang, key, {});
      s->html.emplace(key, h);
      bool wanted = false;
      for (auto p : kPagePrefixes) wanted = wanted || key.rfind(p, 0) == 0;
      if (!wanted) continue;
      nlohmann::json* node = &s->tree;
      size_t start = 0, dot;
      while ((dot = key.find('.', start)) != std::string::npos) {
        node = &(*node)[key.substr(start, dot - start)];
        start = dot + 1;
      }
      (*node)[key.substr(start)] = std::move(h);
    }
  }
  s->shared.set("t", to_data(s->tree));
  auto text_of = [&](const char* key) {
    auto it = s->text.find(key);
    return it == s->text.end() ? std::string(key) : it->second;
  };
  s->site_name = text_of("site.name");
  s->nav_language = text_of("nav.language");
  s->error_prefix = text_of("common.error_prefix");
  return s;
}

}  // namespace

bool is_page_language(std::string_view tag) { return catalogs().find(tag) != nullptr; }

void add_security_headers(HttpResponse& r) {
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
                         "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Referrer-Policy", "same-origin");
}

namespace {

// The layout around a page's content depends only on the locale and the page's title, back link,
// path and error state, so it is rendered once per such page and kept as the text before and after
// the content. Bounded: started again when full (titles come from consultations and questions).
// The frame also keeps the two parts deflated, so a page made per request is gzip-coded by
// deflating only its content (FramedGzip).
using LayoutFrame = FramedGzip;

std::shared_ptr<const LayoutFrame> render_layout_frame(const Localiser& loc, const LocaleStrings& strings,
                                                       const PageOptions& options) {
  mu::data languages{mu::data::type::list};
  for (const auto& l : picker_languages()) {
    mu::data item{mu::data::type::object};
    item.set("tag", l.tag);
    item.set("name", l.name);
    item.set("dir", l.dir);
    item.set("href", "/" + l.tag + (options.rest_path.empty() ? "/" : options.rest_path));
    item.set("current", l.tag == loc.lang());
    languages.push_back(item);
  }
  mu::data layout{mu::data::type::object};
  layout.set("lang", loc.lang());
  layout.set("dir", std::string(loc.dir()));
  layout.set("title", options.title);
  layout.set("site_name", strings.site_name);
  layout.set("nav_language", strings.nav_language);
  layout.set("error_prefix", strings.error_prefix);
  layout.set("has_error", options.has_error);
  layout.set("preview", options.preview);
  if (options.back.empty()) {
    layout.set("back", false);
  } else {
    layout.set("back", options.back);
  }
  layout.set("languages", languages);
  layout.set("asset_favicon", asset_path("images/favicon.ico"));
  layout.set("asset_govuk_css", asset_path("govuk-frontend.min.css"));
  layout.set("asset_townhall_css", asset_path("townhall.css"));
  layout.set("asset_townhall_js", asset_path("townhall.js"));
  // The content goes where this marker is: random per process, so no page text can forge it.
  static const std::string marker = "\x01content-" + new_bearer_token() + "\x01";
  layout.set("content", marker);
  std::string whole = render_template("layout", layout, &strings.shared);
  size_t at = whole.find(marker);
  if (at == std::string::npos) throw std::runtime_error("the layout template has no {{{content}}}");
  return std::make_shared<const LayoutFrame>(whole.substr(0, at), whole.substr(at + marker.size()));
}

std::shared_ptr<const LayoutFrame> layout_frame(const Localiser& loc, const LocaleStrings& strings,
                                                const PageOptions& options) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::shared_ptr<const LayoutFrame>> frames;
  // Asset paths are part of the frame: a server started over other assets gets other frames.
  std::string key = loc.lang() + '\n' + options.title + '\n' + options.back + '\n' + options.rest_path + '\n' +
                    (options.has_error ? "1" : "0") + (options.preview ? "p" : "") + '\n' + asset_path("govuk-frontend.min.css");
  {
    std::lock_guard lock(mu);
    if (auto it = frames.find(key); it != frames.end()) return it->second;
  }
  auto frame = render_layout_frame(loc, strings, options);
  std::lock_guard lock(mu);
  if (frames.size() >= 4096) frames.clear();
  frames[key] = frame;
  return frame;
}

}  // namespace

HttpResponse render_page(const Localiser& loc, std::string_view template_name, nlohmann::json data,
                         const PageOptions& options) {
  const LocaleStrings& strings = locale_strings(loc.lang());
  mu::data page = to_data(data);
  page.set("lang", loc.lang());
  page.set("dir", std::string(loc.dir()));
  page.set("has_error", options.has_error);
  std::string content = render_template(template_name, page, &strings.shared);

  const auto frame = layout_frame(loc, strings, options);
  std::string body;
  body.reserve(frame->head().size() + content.size() + frame->tail().size());
  body += frame->head();
  body += content;
  body += frame->tail();
  HttpResponse r;
  r.status = options.status;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(body);
  r.headers.emplace_back("Content-Language", loc.lang());
  r.headers.emplace_back("Cache-Control", kPersonalCacheControl);
  add_security_headers(r);
  r.gzip_body = [frame](std::string_view whole) { return frame->gzip(whole, 1); };
  return r;
}

std::string render_fragment(std::string_view template_name, const nlohmann::json& data) {
  return render_template(template_name, to_data(data), nullptr);
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

std::optional<HttpResponse> language_redirect(std::string_view target) {
  if (target.size() < 2 || target[0] != '/') return std::nullopt;
  size_t end = target.find_first_of("/?", 1);
  std::string_view first = target.substr(1, end == std::string_view::npos ? std::string_view::npos : end - 1);
  if (is_page_language(first)) return std::nullopt;
  auto meant = catalog_meant_by(first);
  if (!meant) return std::nullopt;
  std::string rest(end == std::string_view::npos ? std::string_view("/") : target.substr(end));
  if (rest[0] == '?') rest = "/" + rest;
  HttpResponse r = redirect("/" + *meant + rest);
  r.status = 308;  // permanent, and a form posted to it is posted again to the catalog's path
  return r;
}

std::optional<HttpResponse> unknown_page(std::string_view path, std::string_view target) {
  if (auto moved = language_redirect(target.empty() ? path : target)) return moved;
  auto lang = page_language_of(path);
  if (!lang) return std::nullopt;
  return not_found_page(*lang);
}

Handler page(PageHandler handler) {
  return [h = std::move(handler)](RequestContext& ctx, Respond& respond) {
    const std::string& lang = ctx.params["lang"];
    if (!is_page_language(lang)) {
      if (auto moved = language_redirect(ctx.request.target)) return respond(std::move(*moved));
      return respond(not_found_page(std::string(i18n::kDefaultLocale)));
    }
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
