// Internal to townhall_server: the pages' static assets, read, fingerprinted and gzip-coded once.
//
// Each asset is served under its own name (/assets/townhall.css: revalidated with its ETag, so an
// old link keeps working and is never stale) and under a fingerprinted name carrying a hash of its
// bytes (/assets/townhall.3f2a9c1b7d4e.css: cached for a year, immutable, since other bytes get
// another name). GOV.UK Frontend's fonts already carry a hash in their names and are immutable
// under them. The stylesheet's references to the images are rewritten to their fingerprinted
// names. Pages link the fingerprinted names (asset_path).
// Thread-safety: an AssetSet is immutable once built; the functions are safe from any thread.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "http/response_cache.h"

namespace townhall::server::pages {

struct Asset {
  std::shared_ptr<const CachedAnswer> answer;  // the body, its gzip form and its ETag
  std::string fingerprinted;                    // "townhall.3f2a9c1b7d4e.css"
  bool self_fingerprinted = false;              // the name carries a hash already (GOV.UK's fonts)
};

class AssetSet {
 public:
  // Reads the assets of `dir` (GOV.UK Frontend's dist/govuk folder) and the embedded ones.
  explicit AssetSet(const std::string& dir);
  // The asset a request names ("townhall.css", "fonts/x.woff2", or a fingerprinted name), and
  // whether the name was the fingerprinted one; nullptr when there is none.
  const Asset* find(const std::string& relative, bool* fingerprinted) const;
  // "/assets/<fingerprinted name>" of an asset's own name; "/assets/<name>" when unknown.
  std::string path(const std::string& name) const;

 private:
  std::map<std::string, Asset> by_name_;
  std::map<std::string, std::string> by_fingerprint_;  // fingerprinted name → name
};

// The asset set of `dir`, built on first use and kept (one per directory).
std::shared_ptr<const AssetSet> assets_of(const std::string& dir);
// Makes `dir`'s set the one pages link to (the Api does, at start).
void use_assets(const std::string& dir);
// The path pages link for asset `name` ("govuk-frontend.min.css"), fingerprinted.
std::string asset_path(const std::string& name);

}  // namespace townhall::server::pages
