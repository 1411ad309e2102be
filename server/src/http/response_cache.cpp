// Public answers kept and revalidated; see http/response_cache.h.
#include "http/response_cache.h"

#include <algorithm>
#include <cctype>

#include "http/compression.h"
#include "http/header_kit.h"
#include "townhall/util/sha256.h"

namespace townhall::server {
namespace {

constexpr std::string_view kGzipSuffix = "-gzip";

// The gzip form's tag: the identity tag with a suffix inside the quotes (a different
// representation needs a different strong validator).
std::string gzip_tag(const std::string& etag) { return etag.substr(0, etag.size() - 1) + std::string(kGzipSuffix) + "\""; }

}  // namespace

std::shared_ptr<const CachedAnswer> ResponseCache::find(const std::string& key, uint64_t generation, Date day) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second->generation != generation || it->second->day != day) return nullptr;
  return it->second;
}

std::shared_ptr<const CachedAnswer> ResponseCache::put(const std::string& key, uint64_t generation, Date day,
                                                       HttpResponse response) {
  std::shared_ptr<const CachedAnswer> made = make_cached_answer(generation, day, std::move(response));
  if (made->response.body.size() > kMaxBody || key.size() > 4096) return made;
  std::lock_guard lock(mu_);
  // Keys come from request targets (the hub's search words among them): when full, start again
  // rather than grow; the entries that matter come back on their next request.
  if (entries_.size() >= kMaxEntries && !entries_.count(key)) entries_.clear();
  auto& slot = entries_[key];
  // A slower request made from older content must not replace a newer answer.
  if (!slot || slot->generation <= generation) slot = made;
  return made;
}

std::shared_ptr<CachedAnswer> make_cached_answer(uint64_t generation, Date day, HttpResponse response) {
  auto a = std::make_shared<CachedAnswer>();
  a->generation = generation;
  a->day = day;
  for (const char* name : {"Cache-Control", "ETag", "Vary"}) drop_header(response, name);
  a->etag = "\"" + sha256_hex(response.body).substr(0, 32) + "\"";
  if (is_compressible(response.content_type) && response.body.size() >= kMinCompressBytes) {
    a->gzipped = gzip(response.body, 9);
  }
  a->response = std::move(response);
  return a;
}

bool etag_matches(std::string_view header, std::string_view etag) {
  std::string_view want = etag;
  size_t at = 0;
  while (at <= header.size()) {
    size_t comma = header.find(',', at);
    std::string_view tag = trim_ows(header.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at));
    at = comma == std::string_view::npos ? header.size() + 1 : comma + 1;
    if (tag == "*") return true;
    if (tag.rfind("W/", 0) == 0) tag.remove_prefix(2);
    if (tag.size() >= 2 + kGzipSuffix.size() && tag.substr(tag.size() - 1 - kGzipSuffix.size(), kGzipSuffix.size()) == kGzipSuffix) {
      std::string plain = std::string(tag.substr(0, tag.size() - 1 - kGzipSuffix.size())) + "\"";
      if (plain == want) return true;
      continue;
    }
    if (tag == want) return true;
  }
  return false;
}

HttpResponse answer_from(const CachedAnswer& a, std::string_view if_none_match, bool gzip_ok, const std::string& cache_control) {
  const bool personal = cache_control.find("no-store") != std::string::npos;
  const bool coded = gzip_ok && !a.gzipped.empty();
  HttpResponse r;
  r.status = a.response.status;
  r.content_type = a.response.content_type;
  r.headers = a.response.headers;
  r.headers.emplace_back("Cache-Control", cache_control);
  if (!a.gzipped.empty()) r.headers.emplace_back("Vary", "Accept-Encoding");
  if (!personal) {
    r.headers.emplace_back("ETag", coded ? gzip_tag(a.etag) : a.etag);
    if (!if_none_match.empty() && etag_matches(if_none_match, a.etag)) {
      r.status = 304;
      // A 304 carries the validator and caching headers of the 200 it stands for, and no body
      // (nor Content-Type, which Beast would send anyway; harmless).
      return r;
    }
  }
  if (coded) {
    r.headers.emplace_back("Content-Encoding", "gzip");
    r.body = a.gzipped;
  } else {
    r.body = a.response.body;
  }
  return r;
}

void compress_for(HttpResponse& r, bool gzip_ok) {
  if (r.body.size() < kMinCompressBytes || !is_compressible(r.content_type) || has_header(r, "Content-Encoding")) return;
  if (!has_header(r, "Vary")) r.headers.emplace_back("Vary", "Accept-Encoding");
  if (!gzip_ok) return;
  std::optional<std::string> coded;
  if (r.gzip_body) coded = r.gzip_body(r.body);
  r.body = coded ? std::move(*coded) : gzip(r.body, 1);
  r.gzip_body = nullptr;
  r.headers.emplace_back("Content-Encoding", "gzip");
}

bool has_personal_cookie(std::string_view header) {
  for (std::string_view name : {"th_session=", "th_member="}) {
    for (size_t at = header.find(name); at != std::string_view::npos; at = header.find(name, at + 1)) {
      if (at == 0 || header[at - 1] == ' ' || header[at - 1] == ';') return true;
    }
  }
  return false;
}

}  // namespace townhall::server
