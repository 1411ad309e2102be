// The request pipeline: routing, authentication, roles, body checks, problem+json.
#include <algorithm>
#include <cctype>
#include <cmath>

#include "http/api_impl.h"
#include "http/compression.h"
#include "http/header_kit.h"
#include "pages/asset_set.h"
#include "pages/page_kit.h"
#include "townhall/i18n/locale.h"
#include "townhall/access/token.h"
#include "townhall/util/json_parse.h"
#include "townhall/util/json_schema.h"

namespace townhall::server {

std::set<Role> everyone() {
  return {Role::kPublic, Role::kPanelMember, Role::kOfficer, Role::kGovernance, Role::kAdmin};
}
std::set<Role> signed_in() { return {Role::kPanelMember, Role::kOfficer, Role::kGovernance, Role::kAdmin}; }

HttpResponse problem(int status, const std::string& type, const std::string& title, const std::string& detail,
                     const std::string& pointer) {
  nlohmann::json j = {{"type", "urn:townhall:problem:" + type}, {"title", title}, {"status", status}, {"detail", detail}};
  if (!pointer.empty()) j["pointer"] = pointer;
  HttpResponse r;
  r.status = status;
  r.content_type = "application/problem+json";
  // A detail may quote what the client sent; text that is not UTF-8 is refused before it gets
  // here, and should any slip through it is written as U+FFFD rather than failing the answer.
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

HttpResponse json_response(int status, const nlohmann::json& body) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

HttpResponse error_response(const Error& e) {
  switch (e.code) {
    case ErrorCode::kNotFound: return problem(404, "not-found", "Not found", e.message, e.field);
    case ErrorCode::kConflict: return problem(409, "conflict", "Conflict with the current state", e.message, e.field);
    case ErrorCode::kInvalidJson: return problem(400, "invalid-json", "Malformed JSON", e.message, e.field);
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kSchemaViolation:
    case ErrorCode::kInvalidCsv:
    case ErrorCode::kInfeasible:
      return problem(422, error_code_name(e.code), "Invalid request", e.message, e.field.empty() ? "" : e.field);
    case ErrorCode::kStorageFull: {
      // Nothing was stored; the request itself was sound and can be sent again once space is freed.
      auto r = problem(503, "storage-full", "Storage full",
                       "The server's storage is full, so nothing was saved. Please try again later.");
      r.headers.emplace_back("Retry-After", "120");
      return r;
    }
    case ErrorCode::kIo:
    case ErrorCode::kInternal:
      return problem(500, "internal", "Internal error", e.message);
  }
  return problem(500, "internal", "Internal error", e.message);
}

std::string actor_of(const User& u) { return Actor::of(u).who; }

bool is_valid_utf8(std::string_view text, size_t* bad_offset) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size(), i = 0;
  auto fail = [&] {
    if (bad_offset) *bad_offset = i;
    return false;
  };
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) { ++i; continue; }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return fail();
    if (i + len > n) return fail();
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return fail();
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return fail();
    }
    i += len;
  }
  return true;
}

namespace {

// Calls f(segment) for each non-empty segment of `path` between slashes.
template <class F>
void for_each_segment(std::string_view path, F&& f) {
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') { ++i; continue; }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    f(path.substr(i, j - i));
    i = j;
  }
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  for_each_segment(path, [&](std::string_view seg) { out.emplace_back(seg); });
  return out;
}

}  // namespace

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (plus_is_space && s[i] == '+') ? ' ' : s[i];
  }
  return out;
}

namespace {

// The decoded query parameters; `repeated` is the name of the first one given more than once
// (every parameter of the API and the pages takes one value).
std::map<std::string, std::string> parse_query(std::string_view q, std::string& repeated) {
  std::map<std::string, std::string> out;
  size_t i = 0;
  while (i <= q.size() && !q.empty()) {
    size_t amp = q.find('&', i);
    if (amp == std::string_view::npos) amp = q.size();
    std::string_view part = q.substr(i, amp - i);
    if (!part.empty()) {
      size_t eq = part.find('=');
      std::string k = percent_decode(part.substr(0, eq), true);
      std::string v = eq == std::string_view::npos ? "" : percent_decode(part.substr(eq + 1), true);
      auto [it, fresh] = out.try_emplace(std::move(k), std::move(v));
      if (!fresh && repeated.empty()) repeated = it->first;
    }
    i = amp + 1;
  }
  return out;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

std::string_view trim_view(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  return s;
}

char lower_ascii(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// `text` equals the lower-case `lower_word`, ignoring the case of `text`.
bool equals_lower(std::string_view text, std::string_view lower_word) {
  return text.size() == lower_word.size() &&
         std::equal(text.begin(), text.end(), lower_word.begin(), [](char a, char b) { return lower_ascii(a) == b; });
}

// "application/json" or "application/json; charset=utf-8" (any case) are accepted. Checked
// without copies: every POST and PUT with a body comes through here.
bool is_json_content_type(std::string_view value) {
  size_t semi = value.find(';');
  if (!equals_lower(trim_view(value.substr(0, semi)), "application/json")) return false;
  if (semi == std::string_view::npos) return true;
  std::string_view params = value.substr(semi + 1);
  static constexpr std::string_view kCharset = "charset=";
  size_t cs = std::string_view::npos;
  for (size_t i = 0; i + kCharset.size() <= params.size(); ++i) {
    if (equals_lower(params.substr(i, kCharset.size()), kCharset)) {
      cs = i;
      break;
    }
  }
  if (cs == std::string_view::npos) return true;
  std::string_view charset = trim_view(params.substr(cs + kCharset.size()));
  if (!charset.empty() && charset.front() == '"') charset = charset.substr(1, charset.find('"', 1) - 1);
  charset = charset.substr(0, charset.find(';'));
  return equals_lower(trim_view(charset), "utf-8");
}

// GET routes whose answers are the same for every anonymous reader and say nothing about a
// person: the public hub's data, the Forward Plan and the OpenAPI document. Caches may keep these
// (revalidating before each use, so a consultation that closes is never shown open). Every other
// JSON answer — anything for a signed-in caller, anything about a person, every error — is
// no-store.
constexpr std::string_view kPublicDocuments[] = {
    "/api/v1/openapi.json",
    "/api/v1/consultations",
    "/api/v1/consultations/{id}",
    "/api/v1/consultations/{id}/questions",
    "/api/v1/consultations/{id}/translations",
    "/api/v1/consultations/{id}/translations/{lang}",
    "/api/v1/consultations/{id}/meetings",
    "/api/v1/consultations/{id}/meetings/{meeting_id}",
    "/api/v1/key-decisions/{id}",
    "/api/v1/forward-plan",
    "/api/v1/executive-meetings",
    "/api/v1/executive-meetings/{id}",
    "/api/v1/urgency-reports",
    "/api/v1/urgency-reports/{id}",
    "/api/v1/scrutiny-referrals",
    "/api/v1/scrutiny-referrals/{id}",
};

// The residents' pages that are the same for every anonymous reader (nothing of a session in
// them): rendered once per change of the public content and day, sent with an ETag and public,
// revalidated caching — unless the request carries a session or member cookie, when the answer
// is personal (private, no-store) like every other page.
constexpr std::string_view kPublicPages[] = {
    "/{lang}",
    "/{lang}/consultations/{id}",
    "/{lang}/consultations/{id}/results",
    "/{lang}/accessibility",
    "/{lang}/privacy",
    "/{lang}/forward-plan",
};

bool is_json_type(std::string_view type) {
  return type.rfind("application/json", 0) == 0 || type.rfind("application/problem+json", 0) == 0;
}

// Text the API may echo in a JSON answer (path segments, query parameters, the headers it reads)
// must be UTF-8 without control characters; the problem names which part was not.
std::optional<HttpResponse> check_text(std::string_view text, const char* type, const char* title,
                                       const std::string& what, const std::string& pointer = "") {
  if (!is_valid_utf8(text)) {
    return problem(400, type, title, what + " is not valid UTF-8.", pointer);
  }
  if (size_t at = find_forbidden_control(text); at != std::string_view::npos) {
    return problem(400, type, title, what + " contains " + describe_control(text, at) + ".", pointer);
  }
  return std::nullopt;
}

std::optional<HttpResponse> check_request_headers(const HttpRequest& req) {
  const std::pair<const char*, const std::string*> headers[] = {{"Content-Type", &req.content_type},
                                                                {"Idempotency-Key", &req.idempotency_key},
                                                                {"If-Match", &req.if_match},
                                                                {"Accept-Language", &req.accept_language}};
  for (const auto& [name, value] : headers) {
    if (value->empty()) continue;
    if (auto bad = check_text(*value, "invalid-header", "Invalid header", std::string("The ") + name + " header")) {
      return bad;
    }
  }
  return std::nullopt;
}

// JSON Schema's "integer" is any number with no fractional part, so 2.0 is the integer 2 (the
// OpenAPI document promises as much); nlohmann keeps 2.0 a float, which the schema validator and
// the handlers would refuse. Floats that are whole and exactly representable (|x| <= 2^53) become
// integers; every other number stays as it was. An explicit stack: the body's depth is the client's.
void whole_numbers_as_integers(nlohmann::json& body) {
  constexpr double kExact = 9007199254740992.0;  // 2^53
  std::vector<nlohmann::json*> stack = {&body};
  while (!stack.empty()) {
    nlohmann::json* node = stack.back();
    stack.pop_back();
    if (node->is_number_float()) {
      double v = node->get<double>();
      if (std::trunc(v) == v && v >= -kExact && v <= kExact) *node = static_cast<int64_t>(v);
    } else if (node->is_structured()) {
      for (auto& child : *node) stack.push_back(&child);
    }
  }
}

}  // namespace

void mark_answer(HttpResponse& r, bool public_document) {
  if (!has_header(r, "X-Content-Type-Options")) r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (is_json_type(r.content_type) && !has_header(r, "Cache-Control")) {
    r.headers.emplace_back("Cache-Control", public_document && r.status < 400 ? "no-cache" : "no-store");
  }
}

Route& Api::Impl::add(std::string method, std::string pattern, std::set<Role> roles, std::string body_schema,
                      Handler handler) {
  Route r;
  r.segments = split_path(pattern);
  for (const auto& seg : r.segments) r.is_param.push_back(seg.size() > 2 && seg.front() == '{' && seg.back() == '}');
  r.info = RouteInfo{std::move(method), std::move(pattern), std::move(roles), std::move(body_schema)};
  r.handler = std::move(handler);
  r.public_document = r.info.method == "GET" && r.info.roles.count(Role::kPublic) != 0 &&
                      std::find(std::begin(kPublicDocuments), std::end(kPublicDocuments), r.info.pattern) !=
                          std::end(kPublicDocuments);
  r.public_page = r.info.method == "GET" && r.info.roles.count(Role::kPublic) != 0 &&
                  std::find(std::begin(kPublicPages), std::end(kPublicPages), r.info.pattern) != std::end(kPublicPages);
  // The residents' own forms (a response, a draft, a member's details) and response submissions
  // change nothing a public answer shows; every other write may (the API's and the console's).
  r.keeps_public_content = r.info.pattern.rfind("/{lang}/", 0) == 0 ||
                           (r.info.method == "POST" && r.info.pattern == "/api/v1/consultations/{id}/responses");
  if (routes_by_length.size() <= r.segments.size()) routes_by_length.resize(r.segments.size() + 1);
  routes_by_length[r.segments.size()].push_back(routes.size());
  routes.push_back(std::move(r));
  return routes.back();
}

void Api::Impl::dispatch(const HttpRequest& req, Respond& respond) {
  // Answers given before the route's handler runs (errors, all of them).
  auto reply = [&respond](HttpResponse r) {
    mark_answer(r, false);
    respond(std::move(r));
  };
  std::string_view target = req.target;
  if (auto bad = check_text(target, "invalid-path", "Invalid path", "The request target")) return reply(std::move(*bad));
  if (auto bad = check_request_headers(req)) return reply(std::move(*bad));
  size_t qpos = target.find('?');
  std::string_view path = target.substr(0, qpos);
  // The path's segments, percent-decoded; views into the target unless a segment has an escape.
  std::vector<std::string_view> segs;
  segs.reserve(8);
  std::vector<std::string> decoded;  // owns the decoded segments (reserved, so the views stay valid)
  if (path.find('%') != std::string_view::npos) {
    decoded.reserve(static_cast<size_t>(std::count(path.begin(), path.end(), '/')) + 1);
  }
  for_each_segment(path, [&](std::string_view seg) {
    if (seg.find('%') == std::string_view::npos) return segs.push_back(seg);
    decoded.push_back(percent_decode(seg, false));
    segs.push_back(decoded.back());
  });
  for (const auto& seg : decoded) {
    if (auto bad = check_text(seg, "invalid-path", "Invalid path", "A segment of the path, once %-decoded,")) {
      return reply(std::move(*bad));
    }
  }
  std::map<std::string, std::string> query;
  std::string repeated;  // refused once the route is known (a page answers in its language)
  if (qpos != std::string_view::npos) {
    query = parse_query(target.substr(qpos + 1), repeated);
    for (const auto& [name, value] : query) {
      if (auto bad = check_text(name, "invalid-query", "Invalid query parameter",
                                "The name of a query parameter, once %-decoded,", "?")) {
        return reply(std::move(*bad));
      }
      if (auto bad = check_text(value, "invalid-query", "Invalid query parameter",
                                "The value of ?" + name + ", once %-decoded,", "?" + name)) {
        return reply(std::move(*bad));
      }
    }
  }

  const Route* match = nullptr;
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed;
  static const std::vector<size_t> kNoRoutes;
  const auto& candidates = segs.size() < routes_by_length.size() ? routes_by_length[segs.size()] : kNoRoutes;
  for (size_t index : candidates) {
    const Route& r = routes[index];
    // Literal segments first; parameters are only collected for the route that matches.
    bool ok = true;
    for (size_t i = 0; i < segs.size() && ok; ++i) ok = r.is_param[i] || r.segments[i] == segs[i];
    if (!ok) continue;
    if (r.info.method == req.method || (req.method == "HEAD" && r.info.method == "GET")) {
      match = &r;
      for (size_t i = 0; i < segs.size(); ++i) {
        if (r.is_param[i]) params[r.segments[i].substr(1, r.segments[i].size() - 2)] = std::string(segs[i]);
      }
      break;
    }
    allowed.push_back(r.info.method);
  }
  if (match == nullptr) {
    if (!allowed.empty()) {
      std::string allow;
      for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
      auto res = problem(405, "method-not-allowed", "Method not allowed",
                         req.method + " is not allowed here; use " + allow + ".");
      res.headers.emplace_back("Allow", allow);
      return reply(std::move(res));
    }
    if (auto html = pages::unknown_page(path, req.target)) return reply(std::move(*html));  // "/cy/nope": the 404 page
    return reply(problem(404, "not-found", "Not found", "There is no resource at " + std::string(path) + "."));
  }

  // Authentication, then the route's roles.
  User user;
  if (!req.authorization.empty()) {
    static const std::string kBearer = "bearer ";
    if (req.authorization.size() <= kBearer.size() || lower(req.authorization.substr(0, kBearer.size())) != kBearer) {
      auto res = problem(401, "unauthorized", "Unauthorized", "Use Authorization: Bearer <token>.");
      res.headers.emplace_back("WWW-Authenticate", "Bearer");
      return reply(std::move(res));
    }
    auto found = store.user_by_token_hash(hash_token(trim(req.authorization.substr(kBearer.size()))));
    if (!found) {
      auto res = problem(401, "unauthorized", "Unauthorized", "The bearer token is not valid.");
      res.headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      return reply(std::move(res));
    }
    user = *found;
  }
  if (!match->info.roles.count(user.role)) {
    if (user.role == Role::kPublic) {
      auto res = problem(401, "unauthorized", "Unauthorized", "Sign in: this needs a bearer token.");
      res.headers.emplace_back("WWW-Authenticate", "Bearer");
      return reply(std::move(res));
    }
    return reply(problem(403, "forbidden", "Forbidden",
                         std::string("The ") + role_id(user.role) + " role may not " + req.method + " " +
                             match->info.pattern + "."));
  }

  if (!repeated.empty()) {
    // One value per parameter: a second one would be silently dropped, so the request is refused
    // instead. Not echoed: the name is the client's text, not necessarily UTF-8.
    if (match->info.pattern.rfind("/{lang}", 0) == 0) {
      const std::string& lang = params["lang"];
      return reply(pages::text_page(pages::Localiser(pages::is_page_language(lang) ? lang : std::string(i18n::kDefaultLocale)),
                                    400, "error.form_expired_title", {"error.page_not_found_help"}, ""));
    }
    return reply(problem(400, "invalid-query", "Invalid query parameter",
                         "A query parameter is given more than once; give each at most once."));
  }
  RequestContext ctx{req, user, std::move(params), std::move(query), nullptr};
  const bool public_document = match->public_document && user.role == Role::kPublic;
  const bool reading = req.method == "GET" || req.method == "HEAD";
  if (reading && user.role == Role::kPublic && (match->public_document || match->public_page)) {
    // The API's documents are the same whatever cookie comes with them; a page with a session or
    // member cookie is personal.
    const bool personal = match->public_page && has_personal_cookie(req.cookie);
    const std::string cache_control = personal ? pages::kPersonalCacheControl
                                      : match->public_page ? "public, no-cache"
                                                           : "no-cache";
    const uint64_t generation = public_generation.load(std::memory_order_acquire);
    const Date day = today();
    std::string key(target);
    if (auto kept = answers.find(key, generation, day)) {
      return respond(answer_from(*kept, req.if_none_match, accepts_gzip(req.accept_encoding), cache_control));
    }
    Respond keep = [this, inner = respond, key = std::move(key), generation, day, cache_control,
                    if_none_match = req.if_none_match, gzip_ok = accepts_gzip(req.accept_encoding),
                    public_document](HttpResponse r) {
      if (r.status != 200 || has_header(r, "Set-Cookie")) {
        mark_answer(r, public_document);
        return inner(std::move(r));
      }
      if (!has_header(r, "X-Content-Type-Options")) r.headers.emplace_back("X-Content-Type-Options", "nosniff");
      auto kept = answers.put(key, generation, day, std::move(r));
      inner(answer_from(*kept, if_none_match, gzip_ok, cache_control));
    };
    return match->handler(ctx, keep);
  }
  Respond answer = [this, inner = respond, public_document,
                    bumps = !reading && !match->keeps_public_content](HttpResponse r) {
    mark_answer(r, public_document);
    // After the write has been answered (and so committed): a public answer made from what was
    // read before it is not given again.
    if (bumps && r.status < 400) public_changed();
    inner(std::move(r));
  };

  if (!match->info.body_schema.empty()) {
    if (req.body.size() > options.body_limit) {
      return reply(problem(413, "body-too-large", "Request body too large",
                           "The request body is larger than the limit of " + std::to_string(options.body_limit) +
                               " bytes."));
    }
    if (!is_json_content_type(req.content_type)) {
      return reply(problem(415, "unsupported-media-type", "Unsupported media type",
                           "Send the body as application/json (UTF-8)" +
                               (req.content_type.empty() ? std::string(".") : ", not " + req.content_type + ".")));
    }
    size_t bad = 0;
    if (!is_valid_utf8(req.body, &bad)) {
      return reply(problem(400, "invalid-utf8", "Invalid UTF-8",
                           "The body is not valid UTF-8 (byte offset " + std::to_string(bad) + ")."));
    }
    if (match->plain_body && match->plain_body(ctx, answer)) return;
    auto parsed = parse_json(req.body, "the request body");
    // 400 for text that cannot be read (syntax, nesting depth, BOM, NUL byte), 422 naming the
    // field for a value refused (a number out of range, a control character).
    if (!parsed) return reply(error_response(parsed.error()));
    whole_numbers_as_integers(*parsed);
    if (auto st = validate_against_schema(*parsed, match->info.body_schema); !st) {
      return reply(problem(422, "schema-violation", "The body does not match its schema",
                           st.error().message, st.error().field));
    }
    ctx.body = std::move(parsed).value();
  }
  match->handler(ctx, answer);
}

Result<std::shared_ptr<const CachedConsultation>> Api::Impl::cached(const std::string& id) {
  uint64_t generation = 0;
  {
    std::lock_guard lock(cache_mu);
    if (auto it = cache.find(id); it != cache.end()) return it->second;
    generation = cache_generation;
  }
  auto target = load_response_target(store, id);
  if (!target) return target.error();
  auto entry = std::make_shared<CachedConsultation>(std::move(target).value());
  std::lock_guard lock(cache_mu);
  // Only remember what we read if nothing was invalidated meanwhile (it may be stale otherwise).
  if (generation == cache_generation) cache[id] = entry;
  return std::shared_ptr<const CachedConsultation>(entry);
}

Result<std::shared_ptr<const ConsultationRecord>> Api::Impl::public_record(const std::string& id) {
  const uint64_t generation = public_generation.load(std::memory_order_acquire);
  {
    std::lock_guard lock(records_mu);
    if (auto it = records.find(id); it != records.end() && it->second.first == generation) return it->second.second;
  }
  auto rec = store.get_consultation(id);
  if (!rec) return rec.error();
  auto kept = std::make_shared<const ConsultationRecord>(std::move(rec).value());
  std::lock_guard lock(records_mu);
  // Ids come from request paths, but only those of real consultations get here; still bounded.
  if (records.size() >= 4096) records.clear();
  records[id] = {generation, kept};
  return std::shared_ptr<const ConsultationRecord>(kept);
}

void Api::Impl::invalidate(const std::string& id) {
  {
    std::lock_guard lock(cache_mu);
    cache.erase(id);
    ++cache_generation;
  }
  public_changed();
}

Api::Api(Store& store, ApiOptions options) : impl_(std::make_unique<Impl>(store, std::move(options))) {
  // A store that cannot keep the key (read-only) still gets one: sessions then last until a restart.
  auto key = store.site_secret("pages");
  impl_->page_key = key ? *key : new_bearer_token();
  // The pages link the fingerprinted names of this server's assets.
  pages::use_assets(impl_->options.web_assets_dir.empty() ? std::string(TOWNHALL_WEB_ASSETS_DIR) : impl_->options.web_assets_dir);
  // The council's imported bank holidays (townhall calendar import), read once: an import made
  // while the server runs counts from its next start.
  if (!impl_->options.policy.holidays) {
    if (auto imported = store.holiday_feed(); imported && *imported) {
      impl_->options.policy.holidays = std::make_shared<const HolidayCalendars>(**imported);
    }
  }
  add_routes(*impl_);
  (void)check_audit();
}

Result<AuditVerification> Api::check_audit() {
  auto v = impl_->store.verify_audit();
  // A log that cannot even be read cannot be vouched for either.
  impl_->audit_state.store(v ? v->state : AuditState::kUnverified, std::memory_order_relaxed);
  return v;
}

Api::~Api() { shutdown(); }

void Api::handle(const HttpRequest& request, Respond respond) {
  // Text answers made per request are gzip-coded here when the client accepts it (kept public
  // answers come already coded, and are left alone).
  respond = [inner = std::move(respond), gzip_ok = accepts_gzip(request.accept_encoding)](HttpResponse r) {
    compress_for(r, gzip_ok);
    inner(std::move(r));
  };
  try {
    impl_->dispatch(request, respond);
  } catch (const std::exception& e) {
    // A page answers in its language, with nothing of the exception's text; the API with problem+json.
    HttpResponse r = problem(500, "internal", "Internal error", e.what());
    std::string_view path = std::string_view(request.target).substr(0, request.target.find('?'));
    if (auto lang = pages::page_language_of(path)) {
      r = pages::error_page(pages::Localiser(*lang), Error{ErrorCode::kInternal, "", e.what()});
    }
    mark_answer(r, false);
    respond(std::move(r));
  }
}

size_t Api::body_limit() const { return impl_->options.body_limit; }

std::vector<RouteInfo> Api::routes() const {
  std::vector<RouteInfo> out;
  for (const auto& r : impl_->routes) out.push_back(r.info);
  return out;
}

std::vector<std::string> Api::run_schedule(Date today) {
  auto changed = townhall::server::run_schedule(*impl_, today);
  impl_->public_changed();
  return changed;
}

Api::CommitStats Api::commit_stats() const {
  return CommitStats{impl_->committer.batches(), impl_->committer.submissions(),
                     impl_->plain_bodies.load(std::memory_order_relaxed)};
}

void Api::shutdown() { impl_->committer.stop(); }

void Api::set_completion_executor(std::function<void(std::function<void()>)> executor) {
  impl_->committer.set_executor(std::move(executor));
}

}  // namespace townhall::server
