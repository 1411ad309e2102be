// The pages' static assets (pages/asset_set.h): Townhall's own CSS/JS (embedded) and GOV.UK
// Frontend's files, under their own and their fingerprinted names.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include "http/api_impl.h"
#include "http/compression.h"
#include "pages/asset_set.h"
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

namespace townhall::server {

namespace {

// Fingerprinted names are immutable (other bytes get another name); an asset's own name is
// revalidated with its ETag, so old links keep working and are never stale.
constexpr const char* kImmutable = "public, max-age=31536000, immutable";
constexpr const char* kRevalidate = "public, no-cache";

void serve_file(Api::Impl& api, const std::string& relative, const HttpRequest& request, Respond& respond) {
  const std::string& assets_dir = api.options.web_assets_dir.empty() ? std::string(TOWNHALL_WEB_ASSETS_DIR)
                                                                    : api.options.web_assets_dir;
  bool fingerprinted = false;
  const pages::Asset* asset = relative.size() > 200 ? nullptr : pages::assets_of(assets_dir)->find(relative, &fingerprinted);
  if (asset == nullptr) {
    HttpResponse r;
    r.status = 404;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "Not found";
    r.headers.emplace_back("Cache-Control", "no-store");
    return respond(std::move(r));
  }
  respond(answer_from(*asset->answer, request.if_none_match, accepts_gzip(request.accept_encoding),
                      fingerprinted ? kImmutable : kRevalidate));
}

}  // namespace

// GET /assets/{file}
void get_assets_file(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  serve_file(api, ctx.params["file"], ctx.request, respond);
}

// GET /assets/{dir}/{file}
void get_assets_dir_file(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  serve_file(api, ctx.params["dir"] + "/" + ctx.params["file"], ctx.request, respond);
}

}  // namespace townhall::server
