// The pages' static assets, fingerprinted and compressed once; see pages/asset_set.h.
#include "pages/asset_set.h"

#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "pages/page_kit.h"
#include "townhall/util/sha256.h"

namespace townhall::embedded::pages {
std::string_view asset_townhall_css();
std::string_view asset_townhall_js();
std::string_view asset_forward_plan_feed_xsl();
}  // namespace townhall::embedded::pages

namespace townhall::server::pages {
namespace {

std::string content_type_for(const std::string& name) {
  auto ends = [&](std::string_view ext) {
    return name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0;
  };
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".woff2")) return "font/woff2";
  if (ends(".woff")) return "font/woff";
  if (ends(".svg")) return "image/svg+xml";
  // An XSLT stylesheet: browsers apply one to an XML document only when it comes as XML.
  if (ends(".xsl")) return "text/xsl; charset=utf-8";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  return "";
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return {};
  std::ostringstream body;
  body << in.rdbuf();
  return body.str();
}

// "dir/name.ext" → "dir/name.<hash>.ext" (the hash before the last extension).
std::string fingerprint(const std::string& name, const std::string& body) {
  std::string hash = sha256_hex(body).substr(0, 12);
  size_t slash = name.rfind('/');
  size_t dot = name.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return name + "." + hash;
  return name.substr(0, dot) + "." + hash + name.substr(dot);
}

}  // namespace

AssetSet::AssetSet(const std::string& dir) {
  std::map<std::string, std::string> files;  // name → bytes
  files["townhall.css"] = std::string(embedded::pages::asset_townhall_css());
  files["townhall.js"] = std::string(embedded::pages::asset_townhall_js());
  files["forward-plan-feed.xsl"] = std::string(embedded::pages::asset_forward_plan_feed_xsl());
  for (const char* name : {"govuk-frontend.min.css", "govuk-frontend.min.js"}) {
    std::string body = read_file(std::filesystem::path(dir) / name);
    if (!body.empty()) files[name] = std::move(body);
  }
  for (const char* sub : {"fonts", "images"}) {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(dir) / "assets" / sub, ec)) {
      std::string name = std::string(sub) + "/" + e.path().filename().string();
      if (!e.is_regular_file() || content_type_for(name).empty()) continue;
      files[name] = read_file(e.path());
    }
  }
  // The files other files name come first: GOV.UK's stylesheet names the images, and townhall.js
  // imports GOV.UK's script; those references are rewritten to the fingerprinted names (so the
  // files that hold them get new fingerprints whenever what they name changes).
  std::map<std::string, std::string> fingerprints;
  for (const auto& [name, body] : files) {
    if (name.rfind("images/", 0) == 0 || name == "govuk-frontend.min.js") fingerprints[name] = fingerprint(name, body);
  }
  // The GDS Transport typeface is licensed for GOV.UK only: townhall.css names local fonts for
  // the family instead, so GOV.UK's @font-face rules for its font files go (a browser would
  // otherwise still download a font file, and swap it in late, moving the page as it did).
  if (auto css = files.find("govuk-frontend.min.css"); css != files.end()) {
    std::string& text = css->second;
    for (size_t at = 0; (at = text.find("@font-face{", at)) != std::string::npos;) {
      size_t end = text.find('}', at);
      if (end == std::string::npos) break;
      if (std::string_view(text).substr(at, end - at).find("/assets/fonts/") != std::string_view::npos) {
        text.erase(at, end + 1 - at);
      } else {
        at = end + 1;
      }
    }
  }
  for (const char* referring : {"govuk-frontend.min.css", "townhall.js"}) {
    auto file = files.find(referring);
    if (file == files.end()) continue;
    for (const auto& [name, fp] : fingerprints) {
      const std::string from = "/assets/" + name, to = "/assets/" + fp;
      for (size_t at = 0; (at = file->second.find(from, at)) != std::string::npos; at += to.size()) {
        file->second.replace(at, from.size(), to);
      }
    }
  }
  for (auto& [name, body] : files) {
    Asset a;
    a.self_fingerprinted = name.rfind("fonts/", 0) == 0;
    a.fingerprinted = a.self_fingerprinted ? name : fingerprint(name, body);
    HttpResponse r;
    r.content_type = content_type_for(name);
    r.body = std::move(body);
    add_security_headers(r);
    a.answer = make_cached_answer(0, Date{}, std::move(r));
    by_fingerprint_[a.fingerprinted] = name;
    by_name_.emplace(name, std::move(a));
  }
}

const Asset* AssetSet::find(const std::string& relative, bool* fingerprinted) const {
  if (auto it = by_fingerprint_.find(relative); it != by_fingerprint_.end()) {
    const Asset& a = by_name_.at(it->second);
    *fingerprinted = true;
    return &a;
  }
  if (auto it = by_name_.find(relative); it != by_name_.end()) {
    *fingerprinted = it->second.self_fingerprinted;
    return &it->second;
  }
  return nullptr;
}

std::string AssetSet::path(const std::string& name) const {
  auto it = by_name_.find(name);
  return "/assets/" + (it == by_name_.end() ? name : it->second.fingerprinted);
}

namespace {
std::mutex g_mu;
std::map<std::string, std::shared_ptr<const AssetSet>>& sets() {
  static std::map<std::string, std::shared_ptr<const AssetSet>> m;
  return m;
}
std::shared_ptr<const AssetSet> g_current;
}  // namespace

std::shared_ptr<const AssetSet> assets_of(const std::string& dir) {
  std::lock_guard lock(g_mu);
  auto& slot = sets()[dir];
  if (!slot) slot = std::make_shared<const AssetSet>(dir);
  return slot;
}

void use_assets(const std::string& dir) {
  auto set = assets_of(dir);
  std::lock_guard lock(g_mu);
  g_current = std::move(set);
}

std::string asset_path(const std::string& name) {
  std::shared_ptr<const AssetSet> set;
  {
    std::lock_guard lock(g_mu);
    set = g_current;
  }
  return set ? set->path(name) : "/assets/" + name;
}

}  // namespace townhall::server::pages
