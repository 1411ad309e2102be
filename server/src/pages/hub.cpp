// The hub of the residents' pages: "/" picks the language, /{lang} lists the consultations.
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

namespace townhall::server {

// GET /
void get_root(RequestContext& ctx, Respond& respond) {
  std::string lang = i18n::negotiate_language(ctx.request.accept_language, i18n::CatalogSet::builtin().locales());
  HttpResponse r = pages::redirect("/" + lang + "/");
  r.headers.emplace_back("Vary", "Accept-Language");
  respond(std::move(r));
}

// GET /{lang}
Result<HttpResponse> get_hub_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  ConsultationQuery all;
  all.statuses = public_statuses();
  all.limit = 100;
  auto everything = api.store.list_consultations(all);
  if (!everything) return pages::error_page(loc, everything.error());
  std::set<std::string> wards, topics;
  for (const auto& r : everything->items) {
    for (const auto& w : r.document.value("wards", nlohmann::json::array())) wards.insert(w.get<std::string>());
    for (const auto& t : r.document.value("topics", nlohmann::json::array())) topics.insert(t.get<std::string>());
  }
  ConsultationQuery q = all;
  q.search = ctx.query["q"];
  q.ward = ctx.query["ward"];
  q.topic = ctx.query["topic"];
  q.sort = "closes";
  auto found = api.store.list_consultations(q);
  if (!found) return pages::error_page(loc, found.error());
  Date today = api.today();
  struct Section {
    const char* id;
    const char* heading;
    std::set<ConsultationStatus> statuses;
  };
  using S = ConsultationStatus;
  const Section sections[] = {{"open", "hub.open", {S::kOpen}},
                              {"forthcoming", "hub.forthcoming", {S::kScheduled}},
                              {"closed", "hub.closed", {S::kClosed, S::kOutcomePublished}}};
  nlohmann::json section_data = nlohmann::json::array();
  for (const auto& s : sections) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& r : found->items) {
      if (!s.statuses.count(r.status)) continue;
      Content c = content_of(api.store, r, loc.lang());
      nlohmann::json item = {{"id", r.id},
                             {"title", c.doc.value("title", "")},
                             {"summary", c.doc.value("summary", "")},
                             {"ta", c.attrs("/title")},
                             {"sa", c.attrs("/summary")},
                             {"dates", join_html(date_lines(loc, r, today), " · ")}};
      item["lang"] = loc.lang();
      // A closed consultation says whether what happened next is out yet.
      if (r.status == S::kOutcomePublished) item["results_published"] = true;
      if (r.status == S::kClosed) item["results_pending"] = true;
      items.push_back(item);
    }
    section_data.push_back({{"id", s.id}, {"heading", loc.html(s.heading)}, {"items", items}, {"empty", items.empty()}});
  }
  auto options = [&](const std::set<std::string>& values, const std::string& chosen) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : values) out.push_back({{"value", v}, {"selected", v == chosen}, {"clang", kContentLang}});
    return out;
  };
  nlohmann::json data = {{"q", q.search},
                         {"wards", options(wards, q.ward)},
                         {"topics", options(topics, q.topic)},
                         {"results_count", loc.html("hub.results_count", {{"count", found->total}})},
                         {"sections", section_data}};
  PageOptions o;
  o.title = loc.text("hub.title");
  return pages::render_page(loc, "hub", data, o);
}

}  // namespace townhall::server
