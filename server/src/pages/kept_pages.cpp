// Pages kept rendered with a marker for their CSRF token; see pages/kept_pages.h.
#include "pages/kept_pages.h"

#include <mutex>
#include <unordered_map>

#include "http/compression.h"
#include "townhall/access/token.h"

namespace townhall::server::pages {

namespace {

struct KeptPage {
  HttpResponse page;
  size_t token_at = 0;
  // The page gzip-coded but for its token, so a gzip answer costs a copy rather than a deflate.
  SplicedGzip coded;
};

struct KeptPages {
  std::mutex mu;
  uint64_t generation = 0;
  std::unordered_map<std::string, std::shared_ptr<const KeptPage>> pages;
};

KeptPages& kept() {
  static KeptPages k;
  return k;
}

// Question pages are kept per consultation, question, language and position; a council's open
// consultations give a few thousand at most.
constexpr size_t kMaxKeptPages = 4096;

}  // namespace

const std::string& token_marker() {
  static const std::string marker = [] {
    std::string m = "tokenmarker";
    for (char c : new_bearer_token()) {
      if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) m += c;
    }
    return m;
  }();
  return marker;
}

HttpResponse keep_page(uint64_t generation, const std::string& key, HttpResponse page, const std::string& token) {
  const std::string& marker = token_marker();
  size_t at = page.body.find(marker);
  if (at == std::string::npos) return page;
  if (page.body.find(marker, at + 1) == std::string::npos) {
    const std::string_view body = page.body;
    HttpResponse plain = page;
    plain.gzip_body = nullptr;
    auto entry = std::make_shared<const KeptPage>(
        KeptPage{std::move(plain), at, SplicedGzip(body.substr(0, at), body.substr(at + marker.size()))});
    auto& k = kept();
    std::lock_guard lock(k.mu);
    if (generation >= k.generation) {
      if (generation > k.generation || k.pages.size() >= kMaxKeptPages) {
        k.pages.clear();
        k.generation = generation;
      }
      k.pages[key] = std::move(entry);
    }
  }
  for (; at != std::string::npos; at = page.body.find(marker, at + token.size())) page.body.replace(at, marker.size(), token);
  return page;
}

std::optional<HttpResponse> kept_page(uint64_t generation, const std::string& key, const std::string& token) {
  std::shared_ptr<const KeptPage> entry;
  {
    auto& k = kept();
    std::lock_guard lock(k.mu);
    if (k.generation != generation) return std::nullopt;
    auto it = k.pages.find(key);
    if (it == k.pages.end()) return std::nullopt;
    entry = it->second;
  }
  HttpResponse r = entry->page;
  r.body.replace(entry->token_at, token_marker().size(), token);
  r.gzip_body = [entry, token](std::string_view body) -> std::optional<std::string> {
    const std::string_view kept = entry->page.body;
    const size_t at = entry->token_at;
    // Only the page as it was given out: a body changed since is coded from scratch.
    if (body.size() != kept.size() - token_marker().size() + token.size() || body.substr(0, at) != kept.substr(0, at) ||
        body.substr(at, token.size()) != token ||
        body.substr(at + token.size()) != kept.substr(at + token_marker().size())) {
      return std::nullopt;
    }
    return entry->coded.gzip(token);
  };
  return r;
}

}  // namespace townhall::server::pages
