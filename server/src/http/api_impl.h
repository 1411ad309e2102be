// Internal to townhall_server: the Api's state, route table and request context.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/charter/finding.h"
#include "townhall/forward_plan/forward_plan.h"
#include "townhall/panel/ask_once.h"
#include "townhall/panel/member.h"
#include "townhall/panel/fact.h"
#include "townhall/responses/answers.h"
#include "townhall/submissions/submit.h"
#include "townhall/util/json_text.h"
#include "townhall/server/api.h"
#include "townhall/submissions/response_committer.h"
#include "http/response_cache.h"
#include "http/slow_work.h"

namespace townhall::server {

struct RequestContext {
  const HttpRequest& request;
  User user;                                  // role kPublic and id 0 when anonymous
  std::map<std::string, std::string> params;  // path parameters, e.g. {"id": "c-1"}
  std::map<std::string, std::string> query;   // decoded query parameters
  nlohmann::json body;                        // validated body (null for routes without one)
};

using Handler = std::function<void(RequestContext&, Respond&)>;
// Tried before the body is parsed as JSON (ctx.body is null): answers the request and returns
// true, or returns false having done nothing, and the body takes the general path.
using PlainBodyHandler = std::function<bool(RequestContext&, Respond&)>;

struct Route {
  RouteInfo info;
  std::vector<std::string> segments;  // pattern split at '/'
  std::vector<bool> is_param;         // segment i is a "{name}" parameter
  Handler handler;
  PlainBodyHandler plain_body;        // optional fast path for the common body (response submission)
  bool public_document = false;       // an anonymous GET of it may be kept by caches (see api.cpp)
  bool public_page = false;           // a residents' page that is the same for every anonymous reader
  bool keeps_public_content = false;  // a write that cannot change what public answers show
};

// What response submission needs of a consultation, cached so the hot path avoids the database.
using CachedConsultation = ResponseTarget;

// The first public-content generation of a new Api (see Api::Impl::public_generation).
inline uint64_t first_public_generation() {
  static std::atomic<uint64_t> next{0};
  return next.fetch_add(uint64_t{1} << 40, std::memory_order_relaxed);
}

struct Api::Impl {
  Impl(Store& s, ApiOptions o)
      : store(s),
        options(std::move(o)),
        join_limiter(options.rate_limits.join_per_client, options.rate_limits.max_keys),
        email_address_limiter(options.rate_limits.email_per_address, options.rate_limits.max_keys),
        email_client_limiter(options.rate_limits.email_per_client, options.rate_limits.max_keys),
        committer(s, options.max_batch) {}

  Store& store;
  ApiOptions options;
  RateLimiter join_limiter;           // panel joins per client
  RateLimiter email_address_limiter;  // emails sent per email address (sign_in_key)
  RateLimiter email_client_limiter;   // emails sent per client
  // The key the web pages authenticate their session cookies and CSRF tokens with (the store's
  // site secret "pages", so sessions survive a restart).
  std::string page_key;
  ResponseCommitter committer;
  std::vector<Route> routes;
  // Indexes into `routes` by number of path segments, in declaration order (a request is only
  // compared with the routes of its own length).
  std::vector<std::vector<size_t>> routes_by_length;

  std::atomic<uint64_t> plain_bodies{0};  // submissions read by the plain-body path
  // The audit log's state at the last check (Api::check_audit): what /health says of it.
  std::atomic<AuditState> audit_state{AuditState::kUnverified};

  std::mutex cache_mu;
  std::unordered_map<std::string, std::shared_ptr<const CachedConsultation>> cache;
  uint64_t cache_generation = 0;  // bumped by every invalidate()

  Route& add(std::string method, std::string pattern, std::set<Role> roles, std::string body_schema,
             Handler handler);
  void dispatch(const HttpRequest& req, Respond& respond);

  Date today() const { return options.today ? options.today() : Date::today_in_london(); }

  Result<std::shared_ptr<const CachedConsultation>> cached(const std::string& id);
  void invalidate(const std::string& id);

  // The generation of the public content (consultations, their translations and meetings, the
  // Forward Plan): public answers made from an older one are made again. Bumped once a write
  // through the Api that may change it has been answered, by invalidate() and by the schedule.
  // Writes made to the database by another process are not seen (as with the cache above).
  // Each Api of the process starts where no other has been: kept question pages
  // (pages/kept_pages.h) are kept for the whole process by generation, so two Apis over different
  // databases (the tests, a host embedding two) must never share a generation number.
  std::atomic<uint64_t> public_generation{first_public_generation()};
  void public_changed() { public_generation.fetch_add(1, std::memory_order_acq_rel); }
  ResponseCache answers;
  // A consultation as the store holds it, read once per generation of the public content (the
  // pages read one on every request of a response journey; parsing its document each time was
  // most of a question page's cost). nullptr with the store's error when it cannot be read.
  Result<std::shared_ptr<const ConsultationRecord>> public_record(const std::string& id);
  std::mutex records_mu;
  std::unordered_map<std::string, std::pair<uint64_t, std::shared_ptr<const ConsultationRecord>>> records;

  // Long work (panel draws) off the I/O threads; last, so it stops before the members above go.
  SlowWork slow;
  // Staff password checks (Argon2id), off the I/O threads and apart from the draws, and how many
  // are waiting (the console turns sign-ins away past a bound).
  std::atomic<int> password_checks_waiting{0};
  SlowWork passwords;
};

// ---- who is asking (client address, HTTPS) and the rate limits ---------------------------------

// The client's address for the rate limits: the peer, or the last X-Forwarded-For address when the
// peer is a trusted proxy; IPv6 addresses by their /64 network. "" in process.
std::string client_of(const Api::Impl& api, const HttpRequest& request);
// Whether the request reached the site over HTTPS (an https public URL, or X-Forwarded-Proto from
// a trusted proxy): cookies get Secure.
bool served_over_https(const Api::Impl& api, const HttpRequest& request);
// Unix seconds by the Api's clock (ApiOptions::now_seconds).
int64_t now_seconds(const Api::Impl& api);
// One limit to check: a limiter and the key it counts by.
struct RateCheck {
  RateLimiter* limiter;
  std::string key;
};
// Takes one request from every check when all of them allow it; otherwise takes none and says how
// long to wait (the longest of the refusals).
RateDecision take_all(const Api::Impl& api, const std::vector<RateCheck>& checks);
// The checks for sending one email to `email` at the request of `request`'s client.
std::vector<RateCheck> email_checks(Api::Impl& api, const HttpRequest& request, const std::string& email);
// 429 problem+json with Retry-After.
HttpResponse too_many_requests(const RateDecision& d);

// Roles shorthand for route declarations.
std::set<Role> everyone();
std::set<Role> signed_in();

HttpResponse json_response(int status, const nlohmann::json& body);
// Adds X-Content-Type-Options: nosniff, and to JSON answers without one a Cache-Control header:
// no-cache for a `public_document` answered without error, no-store for everything else.
void mark_answer(HttpResponse& r, bool public_document);
// Maps a core Error to problem+json: not found 404, conflict 409, bad input 422, I/O 500.
HttpResponse error_response(const Error& e);
std::string actor_of(const User& u);

// 0-15 for a hex digit, -1 otherwise.
int hex_value(char c);
// Decodes %XX escapes (and '+' as space when `plus_is_space`); a malformed escape is kept as is.
std::string percent_decode(std::string_view s, bool plus_is_space);

// Registers every route (server/src/routes.cpp, the one list of them).
void add_routes(Api::Impl& api);

// ---- shared by the API's capability files (server/src/api/) -----------------------------------
// How long facts given in a response stay valid (the charter policy's panel_fact_valid_months).
panel::FactValidity fact_validity(const Api::Impl& api);
// ---- panel members' email addresses (api/panel.cpp) -------------------------------------------
// `text` as an email address to store (NFC, spaces trimmed) when it looks like one (x@y.z, at most
// 254 bytes); nullopt otherwise.
std::optional<std::string> email_address(std::string_view text);
// Emails `member` a link that proves `email` (the address they joined with, or a new one), in
// `lang`, with the page /{lang}/panel/confirm-email/{secret} (single use, kEmailConfirmationSeconds,
// only its hash stored). When another member signs in with that address already nothing is
// claimed: the owner is told, at the address they proved, that someone tried — and the caller
// answers exactly as if a link had gone. Nothing is sent while kSignInLinksOutstanding of the
// member's links are live. Rate limits are the caller's.
Status send_email_confirmation(Api::Impl& api, const panel::Member& member, const std::string& email, const std::string& lang);
// Joining the Citizens' Panel, for the API route and the join page alike: `form` (valid against
// panel-join.schema.json) through the core's member_from_join, the email address checked, the
// rate limits (joins per client; emails per address and per client) taken, the member stored with
// an audit entry by `user`, and the link proving the address emailed in `lang`. When a limit
// refuses, `refused` is set and nothing is stored or sent. Errors name the JSON pointer (/email,
// /facts/postcode).
struct PanelJoin {
  std::optional<RateDecision> refused;
  panel::Member member;
  std::string token;      // the member's API bearer token (only its hash is stored)
  size_t facts_kept = 0;  // 0 without consent: the facts are not kept at all
  bool email_sent = false;
};
Result<PanelJoin> join_panel(Api::Impl& api, const nlohmann::json& form, const HttpRequest& request, const User& user,
                             const std::string& lang);
// The language of emails sent for an API request: Accept-Language against the catalogs.
std::string email_language(const HttpRequest& request);

// A path parameter that must be a positive whole number; anything else is kNotFound "no <kind>".
Result<int64_t> id_param(const RequestContext& ctx, const std::string& name, const std::string& kind);

// The consultation {id} of the request, as a 404 when it is a draft the caller may not see.
Result<ConsultationRecord> load_visible_consultation(Api::Impl& api, RequestContext& ctx);
// GET of one consultation: the record with its meetings, in the language asked for by ?lang= or
// Accept-Language (translated fields in place, `field_lang` naming those that fell back).
HttpResponse consultation_response(Api::Impl& api, RequestContext& ctx, const ConsultationRecord& rec);
// The language a GET asks for (?lang=, else Accept-Language), negotiated against English and the
// consultation's stored translations; nullopt when the request asks for none. kInvalidArgument
// for a ?lang= that is not a language tag (language_query_problem makes it a 400).
struct LanguageChoice {
  std::string lang;                          // the language served
  std::vector<std::string> available;        // en-GB and the stored translations
  std::optional<nlohmann::json> translation;  // the served language's translation (none for English)
};
Result<std::optional<LanguageChoice>> choose_language(Api::Impl& api, RequestContext& ctx, const std::string& id);
HttpResponse language_query_problem(const Error& e);
// Adds lang, dir, field_lang (pointer → language of each field shown in English) and
// languages_available to `body`, and the Content-Language header to `res`.
void mark_language(nlohmann::json& body, HttpResponse& res, const LanguageChoice& c,
                   const std::map<std::string, std::string>& fallbacks);
// The OpenAPI document of every route, self-contained (server/src/api/openapi_document.cpp).
const std::string& openapi_document();
// Opens and closes consultations whose dates have come (api/consultations.cpp).
std::vector<std::string> run_schedule(Api::Impl& api, Date today);

}  // namespace townhall::server
