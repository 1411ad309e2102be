// The pages' static assets: Townhall's own CSS/JS (embedded) and GOV.UK Frontend's files.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include "http/api_impl.h"
#include "pages/page_kit.h"
#include "pages/handlers.h"
#include "pages/consultation_content.h"
#include "townhall/consultations/status.h"
#include "townhall/consultations/translation.h"
#include "townhall/i18n/catalog.h"
#include "townhall/i18n/locale.h"
#include "townhall/panel/ask_once.h"
#include "townhall/responses/answers.h"
#include "townhall/submissions/submit.h"
#include "townhall/access/token.h"
#include "townhall/util/json_schema.h"
#include "townhall/util/sha256.h"

namespace townhall::embedded::pages {
std::string_view asset_townhall_css();
std::string_view asset_townhall_js();
}  // namespace townhall::embedded::pages

namespace townhall::server {

namespace {

// ---- assets -------------------------------------------------------------------------------------
std::string content_type_for(const std::string& name) {
  auto ends = [&](std::string_view ext) {
    return name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0;
  };
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".woff2")) return "font/woff2";
  if (ends(".woff")) return "font/woff";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  if (ends(".json")) return "application/json";
  return "";
}

HttpResponse asset_response(std::string content_type, std::string body) {
  HttpResponse r;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  r.headers.emplace_back("Cache-Control", "public, max-age=3600");
  pages::add_security_headers(r);
  return r;
}

auto serve_file(Api::Impl& api, const std::string& relative, Respond& respond) {
  const std::string& assets_dir = api.options.web_assets_dir.empty() ? std::string(TOWNHALL_WEB_ASSETS_DIR)
                                                                    : api.options.web_assets_dir;
  if (relative == "townhall.css") return respond(asset_response("text/css; charset=utf-8", std::string(embedded::pages::asset_townhall_css())));
  if (relative == "townhall.js") {
    return respond(asset_response("text/javascript; charset=utf-8", std::string(embedded::pages::asset_townhall_js())));
  }
  static const std::regex kSafe("^(govuk-frontend\\.min\\.(css|js)|(fonts|images)/[A-Za-z0-9._-]+)$");
  std::string type = content_type_for(relative);
  std::string on_disk = relative.rfind("govuk-frontend", 0) == 0 ? relative : "assets/" + relative;
  std::ifstream in(assets_dir + "/" + on_disk, std::ios::binary);
  // The length is checked first: std::regex recurses once per character it repeats over.
  if (type.empty() || relative.size() > 200 || !std::regex_match(relative, kSafe) ||
      relative.find("..") != std::string::npos || !in) {
    HttpResponse r;
    r.status = 404;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "Not found";
    return respond(std::move(r));
  }
  std::ostringstream body;
  body << in.rdbuf();
  respond(asset_response(type, body.str()));
}

}  // namespace

// GET /assets/{file}
void get_assets_file(Api::Impl& api, RequestContext& ctx, Respond& respond) { serve_file(api, ctx.params["file"], respond);
}

// GET /assets/{dir}/{file}
void get_assets_dir_file(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  serve_file(api, ctx.params["dir"] + "/" + ctx.params["file"], respond);
}

}  // namespace townhall::server
