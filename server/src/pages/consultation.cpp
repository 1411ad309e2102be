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

namespace {

// Each option considered, whether it was rejected and why (G2: rejected alternatives are published
// too), in the page's language where translated.
nlohmann::json consultation_options(const Content& local, const Localiser& loc) {
  nlohmann::json out = nlohmann::json::array();
  const auto options = local.doc.value("options_considered", nlohmann::json::array());
  for (size_t i = 0; i < options.size(); ++i) {
    const auto& o = options[i];
    std::string at = "/options_considered/" + std::to_string(i);
    nlohmann::json item = {{"option", o.value("option", "")},
                           {"reason", o.value("reason", "")},
                           {"decision", loc.html(o.value("rejected", false) ? "consultation.option_rejected"
                                                                             : "consultation.option_open")},
                           {"rejected", o.value("rejected", false)},
                           {"oa", local.attrs(at + "/option")},
                           {"ra", local.attrs(at + "/reason")}};
    out.push_back(item);
  }
  return out;
}

// The council's contact for the consultation: a team, an email address, a phone number with its
// hours and a postal address (one line each), as the page prints them.
nlohmann::json consultation_contact(const nlohmann::json& doc) {
  const auto c = doc.value("contact", nlohmann::json::object());
  nlohmann::json out = nlohmann::json::object();
  if (c.contains("team")) out["team"] = c["team"];
  if (c.contains("email")) out["email"] = c["email"];
  if (c.contains("phone")) {
    std::string tel;
    for (char ch : c["phone"].get<std::string>()) {
      if ((ch >= '0' && ch <= '9') || ch == '+') tel += ch;
    }
    out["phone"] = c["phone"];
    out["tel"] = tel;
  }
  if (c.contains("phone_hours")) out["phone_hours"] = c["phone_hours"];
  if (c.contains("postal_address")) {
    nlohmann::json lines = nlohmann::json::array();
    std::istringstream in(c["postal_address"].get<std::string>());
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) lines.push_back(line);
    }
    out["has_address"] = !lines.empty();
    out["address_lines"] = lines;
  }
  return out;
}

// "Other ways to respond", each with what a resident needs to act on it: the number to call, the
// address to write to, the events to go to.
nlohmann::json consultation_ways(const nlohmann::json& doc, const nlohmann::json& contact, bool has_events,
                                 const Localiser& loc) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : doc.value("channels", nlohmann::json::array())) {
    const std::string channel = c.get<std::string>();
    if (channel == "online") continue;
    nlohmann::json way = {{"text", loc.html("consultation.channel_" + channel)}};
    if (channel == "phone" && contact.contains("phone")) {
      way["phone"] = contact["phone"];
      way["tel"] = contact["tel"];
      if (contact.contains("phone_hours")) way["phone_hours"] = contact["phone_hours"];
    }
    if (channel == "paper" && contact.value("has_address", false)) {
      way["address_lines"] = contact["address_lines"];
      way["has_address"] = true;
    }
    if ((channel == "event" || channel == "face_to_face") && has_events) way["events_link"] = true;
    out.push_back(way);
  }
  return out;
}

}  // namespace

// GET /{lang}/consultations/{id}
Result<HttpResponse> get_consultations_id_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  HttpResponse fail;
  auto rec = load_public_consultation(api, ctx.params["id"], loc, fail);
  if (!rec) return fail;
  return render_consultation_page(api, *rec, loc, loc.lang(), false);
}

std::string preview_question_href(const std::string& id, const std::string& content_lang, size_t number) {
  std::string query;
  if (!is_english_tag(content_lang)) query = "lang=" + content_lang;
  if (number > 0) query += (query.empty() ? "" : "&") + std::string("question=") + std::to_string(number);
  return "/staff/consultations/" + id + "/preview" + (query.empty() ? "" : "?" + query);
}

Result<HttpResponse> render_consultation_page(Api::Impl& api, const ConsultationRecord& found, const Localiser& loc,
                                       const std::string& content_lang, bool preview) {
  // A draft is previewed as it will be published: as scheduled (its dates and status as residents
  // will first read them; the residents' catalogs have no words for a draft).
  ConsultationRecord as_published;
  const ConsultationRecord* rec = &found;
  if (preview && found.status == ConsultationStatus::kDraft) {
    as_published = found;
    as_published.status = ConsultationStatus::kScheduled;
    rec = &as_published;
  }
  Content local = content_of(api.store, *rec, content_lang);
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
                         {"machine_draft", local.machine_draft},
                         {"date_lines", date_lines(loc, *rec, api.today())},
                         {"can_respond", rec->status == ConsultationStatus::kOpen},
                         {"has_results", rec->status == ConsultationStatus::kOutcomePublished}};
  merge(data, content_attrs());
  nlohmann::json documents = nlohmann::json::array(), events = nlohmann::json::array();
  for (const auto& d : doc.value("documents", nlohmann::json::array())) {
    nlohmann::json item = {{"title", d["title"]}, {"url", d["url"]}};
    merge(item, local.attrs("/documents/" + std::to_string(documents.size()) + "/title"));
    documents.push_back(item);
  }
  for (const auto& e : doc.value("events", nlohmann::json::array())) {
    auto when = Date::parse(e.value("date", ""));
    std::string date = when ? pages::escape_html(i18n::format_date(loc.lang(), *when)) : "";
    if (e.contains("starts_at")) date += " <bdi dir=\"ltr\">" + pages::escape_html(e["starts_at"].get<std::string>()) + "</bdi>";
    nlohmann::json item = {{"title", e["title"]}, {"date", date}, {"place", e.value("place", "")}};
    merge(item, content_attrs());
    events.push_back(item);
  }
  if (auto meetings = api.store.list_meetings(rec->id)) {
    for (const auto& m : *meetings) {
      const auto& e = m.document;
      auto when = Date::parse(e.value("date", ""));
      std::string date = when ? pages::escape_html(i18n::format_date(loc.lang(), *when)) : "";
      if (e.contains("starts_at")) date += " <bdi dir=\"ltr\">" + pages::escape_html(e["starts_at"].get<std::string>()) + "</bdi>";
      nlohmann::json item = {{"title", e.value("title", "")}, {"date", date}, {"place", e.value("place", "")}};
      merge(item, content_attrs());
      events.push_back(item);
    }
  }
  const auto options = consultation_options(local, loc);
  const auto contact = consultation_contact(doc);
  const auto ways = consultation_ways(doc, contact, !events.empty(), loc);
  data["options"] = options;
  data["has_options"] = !options.empty();
  data["contact"] = contact;
  data["has_contact"] = !contact.empty();
  data["documents"] = documents;
  data["has_documents"] = !documents.empty();
  data["events"] = events;
  data["has_events"] = !events.empty();
  data["ways"] = ways;
  data["has_ways"] = !ways.empty();
  PageOptions o;
  o.title = doc.value("title", "");
  o.back = "/" + loc.lang() + "/";
  o.rest_path = "/consultations/" + rec->id;
  data["english_path"] = o.rest_path;
  if (preview) {
    // Staff read it before residents can: no link leads to a public page that does not exist yet.
    o.preview = true;
    o.back = "/staff/consultations/" + rec->id;
    o.rest_path.clear();
    // Each question page as residents will see it (staff_preview_question_href).
    nlohmann::json questions = nlohmann::json::array();
    const auto qs = doc.value("questions", nlohmann::json::array());
    for (size_t i = 0; i < qs.size(); ++i) {
      nlohmann::json item = {{"href", preview_question_href(rec->id, content_lang, i + 1)}, {"text", qs[i].value("text", "")}};
      merge(item, local.attrs("/questions/" + std::to_string(i) + "/text"));
      questions.push_back(std::move(item));
    }
    data["preview_questions"] = questions;
    data["has_preview_questions"] = !questions.empty();
  }
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
  auto count = api.store.count_responses(rec->id);
  if (!count) return count.error();
  Content c = content_of(api.store, *rec, loc.lang());
  const auto outcome = c.doc.value("outcome", nlohmann::json::object());
  // Responses are closed by now: the count is what was received, not a running total.
  nlohmann::json data = {{"title", c.doc.value("title", "")},
                         {"ta", c.attrs("/title")},
                         {"machine_draft", c.machine_draft},
                         {"responses_text", loc.html("results.responses_received", {{"count", *count}})},
                         {"we_asked", outcome.value("we_asked", "")},
                         {"you_said", outcome.value("you_said", "")},
                         {"we_did", outcome.value("we_did", "")},
                         {"wa", c.attrs("/outcome/we_asked")},
                         {"ya", c.attrs("/outcome/you_said")},
                         {"wd", c.attrs("/outcome/we_did")}};
  PageOptions o;
  o.title = loc.text("results.title");
  o.back = "/" + loc.lang() + "/consultations/" + rec->id;
  o.rest_path = "/consultations/" + rec->id + "/results";
  data["english_path"] = o.rest_path;
  return pages::render_page(loc, "results", data, o);
}

}  // namespace townhall::server
