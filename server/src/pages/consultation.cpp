// A consultation's page, and its results ("We asked, you said, we did").
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

// GET /{lang}/consultations/{id}
Result<HttpResponse> get_consultations_id_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  HttpResponse fail;
  auto rec = load_public_consultation(api, ctx.params["id"], loc, fail);
  if (!rec) return fail;
  Content local = content_of(api.store, *rec, loc.lang());
  const auto& doc = local.doc;
  nlohmann::json data = {{"id", rec->id},
                         {"status_text", loc.html(std::string("consultation.status_") + to_string(rec->status))},
                         {"title", doc.value("title", "")},
                         {"summary", doc.value("summary", "")},
                         {"proposal", doc.value("proposal", "")},
                         {"reasons", doc.value("reasons", "")},
                         {"ta", local.attrs("/title")},
                         {"sa", local.attrs("/summary")},
                         {"pa", local.attrs("/proposal")},
                         {"ra", local.attrs("/reasons")},
                         {"date_lines", date_lines(loc, *rec, api.today())},
                         {"can_respond", rec->status == ConsultationStatus::kOpen},
                         {"has_results", rec->status == ConsultationStatus::kOutcomePublished}};
  merge(data, content_attrs());
  nlohmann::json documents = nlohmann::json::array(), events = nlohmann::json::array(),
                 channels = nlohmann::json::array();
  for (const auto& d : doc.value("documents", nlohmann::json::array())) {
    nlohmann::json item = {{"title", d["title"]}, {"url", d["url"]}};
    merge(item, local.attrs("/documents/" + std::to_string(documents.size()) + "/title"));
    documents.push_back(item);
  }
  for (const auto& e : doc.value("events", nlohmann::json::array())) {
    auto when = Date::parse(e.value("date", ""));
    nlohmann::json item = {{"title", e["title"]},
                           {"date", when ? pages::escape_html(i18n::format_date(loc.lang(), *when)) : ""},
                           {"place", e.value("place", "")}};
    merge(item, content_attrs());
    events.push_back(item);
  }
  if (auto meetings = api.store.list_meetings(rec->id)) {
    for (const auto& m : *meetings) {
      const auto& e = m.document;
      auto when = Date::parse(e.value("date", ""));
      std::string date = when ? pages::escape_html(i18n::format_date(loc.lang(), *when)) : "";
      if (e.contains("starts_at")) date += " " + pages::escape_html(e["starts_at"].get<std::string>());
      nlohmann::json item = {{"title", e.value("title", "")}, {"date", date}, {"place", e.value("place", "")}};
      merge(item, content_attrs());
      events.push_back(item);
    }
  }
  for (const auto& c : doc.value("channels", nlohmann::json::array())) {
    if (c != "online") channels.push_back(loc.html("consultation.channel_" + c.get<std::string>()));
  }
  data["documents"] = documents;
  data["has_documents"] = !documents.empty();
  data["events"] = events;
  data["has_events"] = !events.empty();
  data["channels"] = channels;
  data["has_channels"] = !channels.empty();
  PageOptions o;
  o.title = doc.value("title", "");
  o.back = "/" + loc.lang() + "/";
  o.rest_path = "/consultations/" + rec->id;
  return pages::render_page(loc, "consultation", data, o);
}

// GET /{lang}/consultations/{id}/results
Result<HttpResponse> get_consultations_id_results_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  HttpResponse fail;
  auto rec = load_public_consultation(api, ctx.params["id"], loc, fail);
  if (!rec) return fail;
  if (rec->status != ConsultationStatus::kOutcomePublished || !rec->document.contains("outcome")) {
    return not_found_page(loc.lang());
  }
  const auto& outcome = rec->document["outcome"];
  auto count = api.store.count_responses(rec->id);
  Content c = content_of(api.store, *rec, loc.lang());
  nlohmann::json data = {{"title", c.doc.value("title", "")},
                         {"ta", c.attrs("/title")},
                         {"responses_text", loc.html("consultation.responses_so_far", {{"count", count ? *count : 0}})},
                         {"we_asked", outcome.value("we_asked", "")},
                         {"you_said", outcome.value("you_said", "")},
                         {"we_did", outcome.value("we_did", "")}};
  merge(data, content_attrs());
  PageOptions o;
  o.title = loc.text("results.title");
  o.back = "/" + loc.lang() + "/consultations/" + rec->id;
  o.rest_path = "/consultations/" + rec->id + "/results";
  return pages::render_page(loc, "results", data, o);
}

}  // namespace townhall::server
