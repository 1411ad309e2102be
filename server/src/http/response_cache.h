// Internal to townhall_server: public answers rendered once and kept until the public content
// changes, with their gzip form and ETag; conditional GET (304) and gzip for every answer.
//
// What may be kept: an anonymous GET of a public page (the hub, a consultation, its results, the
// accessibility and privacy pages) or of a public API document, answered 200 without a cookie.
// Each answer is kept with the generation of the public content it was made from and the day it
// was made on (pages say "5 days left"); a write that may change public content bumps the
// generation (Api::Impl::public_changed), and a kept answer of another generation or day is made
// again. Bounded: at most kMaxEntries answers of at most kMaxBody bytes each.
// Thread-safety: ResponseCache is safe from any thread; the functions are plain.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "townhall/date.h"
#include "townhall/server/http.h"

namespace townhall::server {

struct CachedAnswer {
  uint64_t generation = 0;
  Date day;
  HttpResponse response;  // identity body; headers without Cache-Control, ETag or Vary
  std::string gzipped;    // the body gzip-coded; "" when not worth it
  std::string etag;       // a strong validator of the body: "\"<hex>\""
};

class ResponseCache {
 public:
  static constexpr size_t kMaxEntries = 512;
  static constexpr size_t kMaxBody = 1u << 20;

  // The answer kept for `key`, if it was made from `generation` on `day`.
  std::shared_ptr<const CachedAnswer> find(const std::string& key, uint64_t generation, Date day) const;
  // Keeps `response` (when small enough) and gives it as kept, compressed and tagged.
  std::shared_ptr<const CachedAnswer> put(const std::string& key, uint64_t generation, Date day, HttpResponse response);

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const CachedAnswer>> entries_;
};

// Builds the kept form of `response`: its ETag and, for text, its gzip form (smallest level).
std::shared_ptr<CachedAnswer> make_cached_answer(uint64_t generation, Date day, HttpResponse response);

// What the client gets of a kept answer: 304 when If-None-Match names its ETag, else the body
// (gzip-coded when Accept-Encoding allows). `cache_control` is the answer's Cache-Control; a
// personal one (no-store) carries no ETag and is never answered 304.
HttpResponse answer_from(const CachedAnswer& answer, std::string_view if_none_match, bool gzip_ok,
                         const std::string& cache_control);

// Whether an If-None-Match value names `etag` (weak comparison, as RFC 9110 asks for GET; "*"
// matches anything), ignoring the "-gzip" suffix the gzip form's tag carries.
bool etag_matches(std::string_view if_none_match, std::string_view etag);

// gzip-codes a text answer made for one request (fast level) when the client accepts it, and adds
// Vary: Accept-Encoding to every answer whose coding depends on it.
void compress_for(HttpResponse& response, bool gzip_ok);

// Whether the request carries a cookie of a browser session or a signed-in member (th_session,
// th_member): then whatever it is answered is personal.
bool has_personal_cookie(std::string_view cookie_header);

}  // namespace townhall::server
