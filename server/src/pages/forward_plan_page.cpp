// The Forward Plan of key decisions for residents: each decision by the month it is due, with the
// particulars its notice gives (regulation 9 of SI 2012/2089), and the same plan as Atom, CSV and
// iCalendar linked beside it. The decisions are the register's own text (English), marked so.
#include <map>

#include "http/api_impl.h"
#include "pages/consultation_content.h"
#include "pages/handlers.h"
#include "pages/page_kit.h"
#include "townhall/i18n/locale.h"

namespace townhall::server {

namespace {

// Who decides, as the notice names them: a person with their title, or a body with its members.
std::string decision_maker_text(const nlohmann::json& maker) {
  std::string out;
  auto add = [&](const std::string& part) {
    if (!part.empty()) out += (out.empty() ? "" : ", ") + part;
  };
  add(maker.value("name", ""));
  add(maker.value("title", ""));
  add(maker.value("body", ""));
  if (maker.contains("members") && maker["members"].is_array()) {
    std::string members;
    for (const auto& m : maker["members"]) {
      if (m.is_string()) members += (members.empty() ? "" : ", ") + m.get<std::string>();
    }
    if (!members.empty()) out += " (" + members + ")";
  }
  return out;
}

// The date a decision is due (its date, else the start of its period): what the plan is sorted by.
std::optional<Date> due_date(const nlohmann::json& d) {
  if (auto when = doc_date(d, "decision_date")) return when;
  if (d.contains("decision_period") && d["decision_period"].is_object()) return doc_date(d["decision_period"], "from");
  return std::nullopt;
}

nlohmann::json decision_row(const Localiser& loc, const nlohmann::json& d) {
  const auto notice = d.value("notice", nlohmann::json::object());
  nlohmann::json item = {{"id", d.value("id", "")}, {"matter", d.value("matter", "")}};
  merge(item, content_attrs());
  item["maker"] = decision_maker_text(d.value("decision_maker", nlohmann::json::object()));
  if (auto when = doc_date(d, "decision_date")) {
    item["when"] = loc.html("forward_plan.on_date", {{"date", *when}});
  } else if (d.contains("decision_period")) {
    auto from = doc_date(d["decision_period"], "from"), to = doc_date(d["decision_period"], "to");
    if (from && to) item["when"] = loc.html("forward_plan.in_period", {{"from", *from}, {"to", *to}});
  }
  if (auto published = doc_date(notice, "published_on")) {
    item["notice"] = loc.html("forward_plan.on_date", {{"date", *published}});
  }
  nlohmann::json documents = nlohmann::json::array();
  for (const auto& doc : notice.value("documents", nlohmann::json::array())) {
    if (doc.is_string()) documents.push_back(doc);
  }
  item["documents"] = documents;
  item["has_documents"] = !documents.empty();
  item["available_from"] = notice.value("documents_available_from", "");
  item["how_to_request"] = notice.value("how_to_request", "");
  item["other_documents"] = notice.value("other_documents_statement", false);
  if (auto decided = doc_date(d, "decided_on")) item["decided"] = loc.html("forward_plan.on_date", {{"date", *decided}});
  return item;
}

}  // namespace

// GET /{lang}/forward-plan
Result<HttpResponse> get_forward_plan_page(Api::Impl& api, RequestContext&, const Localiser& loc) {
  auto stored = api.store.list_key_decisions();
  if (!stored) return stored.error();
  // Month by month, in date order; a decision without a date comes last.
  std::vector<std::pair<std::optional<Date>, const nlohmann::json*>> ordered;
  for (const auto& d : *stored) ordered.emplace_back(due_date(d), &d);
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
    if (a.first && b.first) return *a.first < *b.first;
    return a.first.has_value() && !b.first.has_value();
  });
  nlohmann::json months = nlohmann::json::array();
  std::string current;
  for (const auto& [when, d] : ordered) {
    std::string key = when ? when->iso().substr(0, 7) : "";
    if (months.empty() || key != current) {
      current = key;
      std::string heading = when ? loc.html("forward_plan.month", {{"date", *when}}) : loc.html("forward_plan.no_date");
      months.push_back({{"heading", heading}, {"decisions", nlohmann::json::array()}});
    }
    months.back()["decisions"].push_back(decision_row(loc, *d));
  }
  nlohmann::json data = {{"months", months}, {"empty", months.empty()}};
  PageOptions o;
  o.title = loc.text("forward_plan.title");
  o.back = "/" + loc.lang() + "/";
  o.rest_path = "/forward-plan";
  return pages::render_page(loc, "forward_plan", data, o);
}

}  // namespace townhall::server
