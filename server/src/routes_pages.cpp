// The residents' web pages (server-rendered, GOV.UK Design System): the hub, consultation pages,
// the one-question-per-page response journey with check your answers, confirmation, save and come
// back later by an emailed link, "We asked, you said, we did", the accessibility statement and the
// privacy notice; and the static assets they use. Every page is /{lang}/...; "/" negotiates the
// language from Accept-Language. Forms work without JavaScript (POST-redirect-GET) and carry a
// CSRF token; a response is stored through the same group committer as the API, with its language.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include "api_impl.h"
#include "pages/page_kit.h"
#include "townhall/consultations/status.h"
#include "townhall/consultations/translation.h"
#include "townhall/i18n/catalog.h"
#include "townhall/i18n/locale.h"
#include "townhall/panel/ask_once.h"
#include "townhall/responses/answers.h"
#include "townhall/store/token.h"
#include "townhall/util/json_schema.h"
#include "townhall/util/sha256.h"

namespace townhall::embedded::pages {
std::string_view asset_townhall_css();
std::string_view asset_townhall_js();
}  // namespace townhall::embedded::pages

namespace townhall::server {
namespace {

using pages::Localiser;
using pages::PageOptions;

// Consultation content is written in English until per-language versions exist; every passage of
// it carries these so a page in another language marks it.
constexpr const char* kContentLang = "en-GB";
constexpr int kResumeDays = 28;

std::string draft_key(const pages::Session& s, const std::string& consultation_id) {
  return sha256_hex("session\n" + s.secret + "\n" + consultation_id);
}
std::string resume_key(const std::string& secret, const std::string& consultation_id) {
  return sha256_hex("resume\n" + secret + "\n" + consultation_id);
}

nlohmann::json content_attrs() { return {{"clang", kContentLang}, {"cdir", i18n::html_dir(kContentLang)}}; }

// A consultation's content in the page's language where the council has translated it, English
// otherwise; attrs(pointer) gives the lang/dir of the language each field is actually shown in.
struct Content {
  nlohmann::json doc;
  std::vector<nlohmann::json> questions;
  std::string lang = kContentLang;
  std::set<std::string> fallbacks;  // JSON pointers shown in English ("/title", "/items/0/text")

  nlohmann::json attrs(const std::string& pointer) const {
    std::string l = fallbacks.count(pointer) ? std::string(kContentLang) : lang;
    return {{"clang", l}, {"cdir", i18n::html_dir(l)}};
  }
};

Content content_of(Store& store, const ConsultationRecord& rec, const std::string& page_lang,
                   const std::vector<nlohmann::json>& questions = {}) {
  Content c;
  c.doc = rec.document;
  c.questions = questions;
  if (is_english_tag(page_lang)) return c;
  auto t = store.get_translation(rec.id, page_lang);
  if (!t) return c;
  auto local = localise(rec.document, t->document, kContentLang);
  auto local_questions = localise_questions(questions, t->document, kContentLang);
  c.doc = std::move(local.document);
  c.questions = local_questions.document.value("items", nlohmann::json::array()).get<std::vector<nlohmann::json>>();
  if (c.questions.size() != questions.size()) c.questions = questions;
  c.lang = page_lang;
  for (const auto& [pointer, lang] : local.fallbacks) c.fallbacks.insert(pointer);
  for (const auto& [pointer, lang] : local_questions.fallbacks) c.fallbacks.insert(pointer);
  return c;
}

void merge(nlohmann::json& into, const nlohmann::json& from) {
  for (auto it = from.begin(); it != from.end(); ++it) into[it.key()] = it.value();
}

using pages::not_found_page;
using pages::page;
using pages::text_page;
using pages::with_session;

std::optional<Date> doc_date(const nlohmann::json& doc, const char* key) {
  if (!doc.contains(key) || !doc[key].is_string()) return std::nullopt;
  auto d = Date::parse(doc[key].get<std::string>());
  if (!d) return std::nullopt;
  return *d;
}

// "Closes 12 March 2026" and friends for a listing or a consultation page.
std::vector<std::string> date_lines(const Localiser& loc, const ConsultationRecord& r, Date today) {
  std::vector<std::string> out;
  auto opens = doc_date(r.document, "opens"), closes = doc_date(r.document, "closes");
  if (has_status(r.status, ConsultationStatus::kScheduled)) {
    if (opens) out.push_back(loc.html("consultation.opens", {{"date", *opens}}));
    if (closes) out.push_back(loc.html("consultation.closes", {{"date", *closes}}));
  } else if (has_status(r.status, ConsultationStatus::kOpen)) {
    if (closes) {
      out.push_back(loc.html("consultation.closes", {{"date", *closes}}));
      int64_t left = std::max<int64_t>(0, *closes - today);
      out.push_back(loc.html("consultation.days_left", {{"count", left}}));
    }
  } else if (closes) {
    out.push_back(loc.html("consultation.closed_on", {{"date", *closes}}));
  }
  return out;
}

std::string join_html(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

// ---- the response journey ---------------------------------------------------------------------

struct JourneyError {
  std::string key;  // message key ("" = none)
  i18n::MessageArgs args;
};

// The answer a question page's form gives (null = not answered), or why it cannot be read.
nlohmann::json answer_from_form(const nlohmann::json& q, const pages::FormFields& form, JourneyError& error) {
  const std::string type = q["type"];
  std::string one = pages::form_value(form, "answer");
  if (type == "yes_no") {
    if (one.empty()) return nullptr;
    if (one == "yes" || one == "no") return one == "yes";
    error.key = "error.select_answer";
    return nullptr;
  }
  if (type == "single_choice") return one.empty() ? nlohmann::json(nullptr) : nlohmann::json(one);
  if (type == "multiple_choice") {
    auto all = pages::form_values(form, "answer");
    return all.empty() ? nlohmann::json(nullptr) : nlohmann::json(all);
  }
  if (type == "scale") {
    if (one.empty()) return nullptr;
    try {
      size_t used = 0;
      long long v = std::stoll(one, &used);
      if (used == one.size()) return static_cast<int64_t>(v);
    } catch (const std::exception&) {
    }
    error.key = "error.select_answer";
    return nullptr;
  }
  if (type == "ranking") {
    const auto& options = q["options"];
    std::vector<std::pair<int64_t, std::string>> ranked;
    std::set<int64_t> used;
    for (size_t i = 0; i < options.size(); ++i) {
      std::string v = pages::form_value(form, "rank-" + std::to_string(i + 1));
      if (v.empty()) continue;
      int64_t rank = 0;
      try {
        rank = std::stoll(v);
      } catch (const std::exception&) {
        rank = 0;
      }
      if (rank < 1 || rank > static_cast<int64_t>(options.size()) || !used.insert(rank).second) {
        error.key = "error.rank_twice";
        return nullptr;
      }
      ranked.emplace_back(rank, options[i].get<std::string>());
    }
    if (ranked.empty()) return nullptr;
    std::sort(ranked.begin(), ranked.end());
    nlohmann::json out = nlohmann::json::array();
    for (auto& [rank, option] : ranked) out.push_back(option);
    return out;
  }
  // free_text: blank is no answer.
  if (one.find_first_not_of(" \t\r\n") == std::string::npos) return nullptr;
  return one;
}

// Checks one answer against its question with the same rules as the API; the message key for a
// resident when it fails.
JourneyError check_answer(const nlohmann::json& q, const nlohmann::json& value) {
  nlohmann::json answers = nlohmann::json::object();
  if (!value.is_null()) answers[q["id"].get<std::string>()] = value;
  auto st = validate_answers(std::vector<nlohmann::json>{q}, answers);
  if (st) return {};
  const std::string type = q["type"];
  if (value.is_null()) return {type == "free_text" ? "error.enter_answer" : "error.select_answer", {}};
  if (type == "free_text") return {"error.too_long", {{"max", q.value("max_length", int64_t{10000})}}};
  return {"error.select_answer", {}};
}

// The question page's template data, with the answer in `value` shown as chosen.
nlohmann::json question_data(const Localiser& loc, const std::string& id, const std::vector<nlohmann::json>& qs,
                             const Content& content, size_t index, const nlohmann::json& value,
                             const std::string& raw_text) {
  const auto& q = qs[index];
  const auto& shown = content.questions.size() == qs.size() ? content.questions[index] : q;
  const std::string at = "/items/" + std::to_string(index);
  const std::string type = q["type"];
  nlohmann::json d = {{"id", id},
                      {"number", std::to_string(index + 1)},
                      {"text", shown["text"]},
                      {"required", q.value("required", false)},
                      {"is_text", type == "free_text"},
                      {"is_fieldset", type != "free_text"},
                      {"is_radios", type == "yes_no" || type == "single_choice" || type == "scale"},
                      {"inline", type == "yes_no" || type == "scale"},
                      {"is_checkboxes", type == "multiple_choice"},
                      {"is_ranking", type == "ranking"}};
  merge(d, content.attrs(at + "/text"));
  nlohmann::json choices = nlohmann::json::array();
  auto add = [&](const std::string& v, const std::string& label_html, bool is_content, bool checked) {
    size_t n = choices.size();
    nlohmann::json choice = {{"input_id", n == 0 ? std::string("answer") : "answer-" + std::to_string(n + 1)},
                             {"value", v},
                             {"label", label_html},
                             {"content", is_content},
                             {"checked", checked},
                             {"index", std::to_string(n + 1)}};
    if (is_content) merge(choice, content.attrs(at + "/option_labels/" + std::to_string(n)));
    choices.push_back(choice);
  };
  if (type == "yes_no") {
    add("yes", loc.html("common.yes"), false, value == true);
    add("no", loc.html("common.no"), false, value == false);
  } else if (type == "scale") {
    int64_t lo = q.value("min", int64_t{1}), hi = q.value("max", int64_t{5});
    for (int64_t v = lo; v <= hi; ++v) {
      add(std::to_string(v), pages::escape_html(i18n::format_number(loc.lang(), static_cast<double>(v), 0)), false,
          value.is_number_integer() && value.get<int64_t>() == v);
    }
  } else if (type == "single_choice" || type == "multiple_choice" || type == "ranking") {
    const auto& options = q["options"];
    for (size_t i = 0; i < options.size(); ++i) {
      const std::string o = options[i];
      bool checked = value == o || (value.is_array() && std::find(value.begin(), value.end(), o) != value.end());
      std::string label = o;
      if (auto shown_options = shown.find("option_labels"); shown_options != shown.end() && i < shown_options->size()) {
        label = (*shown_options)[i].get<std::string>();
      }
      add(o, pages::escape_html(label), true, checked);
      if (type == "ranking") {
        nlohmann::json ranks = nlohmann::json::array();
        int64_t chosen = 0;
        if (value.is_array()) {
          auto it = std::find(value.begin(), value.end(), o);
          if (it != value.end()) chosen = static_cast<int64_t>(it - value.begin()) + 1;
        }
        for (size_t r = 1; r <= options.size(); ++r) {
          ranks.push_back({{"value", std::to_string(r)}, {"selected", chosen == static_cast<int64_t>(r)}});
        }
        choices.back()["ranks"] = ranks;
      }
    }
  }
  d["choices"] = choices;
  d["value"] = raw_text.empty() && value.is_string() ? value.get<std::string>() : raw_text;
  return d;
}

// An answer as the check-your-answers page shows it (escaped HTML).
std::string answer_html(const Localiser& loc, const nlohmann::json& value) {
  if (value.is_null()) return loc.html("journey.not_answered");
  if (value.is_boolean()) return loc.html(value.get<bool>() ? "common.yes" : "common.no");
  if (value.is_number()) return pages::escape_html(i18n::format_number(loc.lang(), value.get<double>(), 0));
  if (value.is_array()) {
    std::vector<std::string> parts;
    for (const auto& v : value) parts.push_back(pages::escape_html(v.get<std::string>()));
    return join_html(parts, ", ");
  }
  return pages::escape_html(value.get<std::string>());
}

bool is_content_answer(const nlohmann::json& q) {
  const std::string type = q["type"];
  return type == "single_choice" || type == "multiple_choice" || type == "ranking";
}

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

}  // namespace

void add_pages_routes(Api::Impl& api) {
  const std::string assets_dir = api.options.web_assets_dir.empty() ? std::string(TOWNHALL_WEB_ASSETS_DIR)
                                                                    : api.options.web_assets_dir;

  // ---- assets: our own CSS/JS (embedded) and GOV.UK Frontend's precompiled files -------------
  auto serve_file = [assets_dir](const std::string& relative, Respond& respond) {
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
  };
  api.add("GET", "/assets/{file}", everyone(), "",
          [serve_file](RequestContext& ctx, Respond& respond) { serve_file(ctx.params["file"], respond); });
  api.add("GET", "/assets/{dir}/{file}", everyone(), "", [serve_file](RequestContext& ctx, Respond& respond) {
    serve_file(ctx.params["dir"] + "/" + ctx.params["file"], respond);
  });

  // ---- "/" negotiates the language ------------------------------------------------------------
  api.add("GET", "/", everyone(), "", [](RequestContext& ctx, Respond& respond) {
    std::string lang = i18n::negotiate_language(ctx.request.accept_language, i18n::CatalogSet::builtin().locales());
    HttpResponse r = pages::redirect("/" + lang + "/");
    r.headers.emplace_back("Vary", "Accept-Language");
    respond(std::move(r));
  });

  // ---- the hub ---------------------------------------------------------------------------------
  api.add("GET", "/{lang}", everyone(), "", page([&api](RequestContext& ctx, const Localiser& loc) {
    ConsultationQuery all;
    all.statuses = public_status_ids();
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
      std::set<std::string> statuses;
    };
    using S = ConsultationStatus;
    const Section sections[] = {{"open", "hub.open", {to_string(S::kOpen)}},
                                {"forthcoming", "hub.forthcoming", {to_string(S::kScheduled)}},
                                {"closed", "hub.closed", {to_string(S::kClosed), to_string(S::kOutcomePublished)}}};
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
  }));

  // Loads a consultation the public may see, or gives the 404 page.
  auto load = [&api](const std::string& id, const Localiser& loc, HttpResponse& fail) -> std::optional<ConsultationRecord> {
    auto rec = api.store.get_consultation(id);
    if (!rec || has_status(rec->status, ConsultationStatus::kDraft)) {
      fail = not_found_page(loc.lang());
      return std::nullopt;
    }
    return std::move(rec).value();
  };

  // ---- a consultation --------------------------------------------------------------------------
  api.add("GET", "/{lang}/consultations/{id}", everyone(), "",
          page([&api, load](RequestContext& ctx, const Localiser& loc) {
            HttpResponse fail;
            auto rec = load(ctx.params["id"], loc, fail);
            if (!rec) return fail;
            Content local = content_of(api.store, *rec, loc.lang());
            const auto& doc = local.doc;
            nlohmann::json data = {{"id", rec->id},
                                   {"status_text", loc.html("consultation.status_" + rec->status)},
                                   {"title", doc.value("title", "")},
                                   {"summary", doc.value("summary", "")},
                                   {"proposal", doc.value("proposal", "")},
                                   {"reasons", doc.value("reasons", "")},
                                   {"ta", local.attrs("/title")},
                                   {"sa", local.attrs("/summary")},
                                   {"pa", local.attrs("/proposal")},
                                   {"ra", local.attrs("/reasons")},
                                   {"date_lines", date_lines(loc, *rec, api.today())},
                                   {"can_respond", has_status(rec->status, ConsultationStatus::kOpen)},
                                   {"has_results", has_status(rec->status, ConsultationStatus::kOutcomePublished)}};
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
          }));

  // ---- results: we asked, you said, we did -----------------------------------------------------
  api.add("GET", "/{lang}/consultations/{id}/results", everyone(), "",
          page([&api, load](RequestContext& ctx, const Localiser& loc) {
            HttpResponse fail;
            auto rec = load(ctx.params["id"], loc, fail);
            if (!rec) return fail;
            if (!has_status(rec->status, ConsultationStatus::kOutcomePublished) || !rec->document.contains("outcome")) return not_found_page(loc.lang());
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
          }));

  // ---- the response journey ---------------------------------------------------------------------
  // What every journey page needs: an open consultation, its questions, the browser session and
  // the draft of this session's answers; for a signed-in panel member, their facts and the
  // questions those facts already answer (ask once: these are skipped, and shown on check your
  // answers as known, with a change link).
  struct Journey {
    ConsultationRecord rec;
    std::shared_ptr<const CachedConsultation> cached;
    pages::Session session;
    ResponseDraft draft;
    Content content;
    std::optional<panel::Member> member;
    std::vector<panel::Fact> facts;
    std::map<std::string, nlohmann::json> known;  // question id → the valid fact's value

    const std::string& qid(size_t i) const { return cached->questions[i]["id"].get_ref<const std::string&>(); }
    // A known question the member has not answered themselves on this journey is not asked.
    bool skipped(size_t i) const { return known.count(qid(i)) && !draft.answers.contains(qid(i)); }
    // The answer so far: the member's own, else the known fact, else null.
    nlohmann::json answer(size_t i) const {
      if (draft.answers.contains(qid(i))) return draft.answers[qid(i)];
      if (auto k = known.find(qid(i)); k != known.end()) return k->second;
      return nullptr;
    }
    // "Question n of N" counts only the questions this person is asked (plus `index` itself when
    // a known one is opened to change it): the known ones are not questions to them.
    std::pair<int64_t, int64_t> position(size_t index) const {
      int64_t n = 0, total = 0;
      for (size_t i = 0; i < cached->questions.size(); ++i)
        if (!skipped(i) || i == index) {
          ++total;
          if (i <= index) ++n;
        }
      return {n, total};
    }
    // The first question at or after `from` (0-based) to ask, or the number of questions if none.
    size_t next_asked(size_t from) const {
      while (from < cached->questions.size() && skipped(from)) ++from;
      return from;
    }
    // Path of the page before question `index` (the previous question asked, or the consultation).
    std::string before(const std::string& lang, size_t index) const {
      std::string base = "/" + lang + "/consultations/" + rec.id;
      while (index > 0 && skipped(index - 1)) --index;
      return index == 0 ? base : base + "/questions/" + std::to_string(index);
    }
  };
  auto journey = [&api, load](RequestContext& ctx, const Localiser& loc, HttpResponse& fail) -> std::optional<Journey> {
    auto rec = load(ctx.params["id"], loc, fail);
    if (!rec) return std::nullopt;
    if (!has_status(rec->status, ConsultationStatus::kOpen)) {
      auto closes = doc_date(rec->document, "closes");
      if (!closes) {
        fail = not_found_page(loc.lang());
        return std::nullopt;
      }
      PageOptions o;
      o.title = loc.text("error.consultation_closed_title");
      o.status = 410;
      o.rest_path = "/consultations/" + rec->id;
      fail = pages::render_page(loc, "text_page",
                                {{"heading", loc.html("error.consultation_closed_title")},
                                 {"paragraphs", {loc.html("error.consultation_closed", {{"date", *closes}})}},
                                 {"home", true}},
                                o);
      return std::nullopt;
    }
    auto cached = api.cached(rec->id);
    if (!cached) {
      fail = pages::error_page(loc, cached.error());
      return std::nullopt;
    }
    Journey j{std::move(rec).value(), *cached, pages::session_of(api, ctx.request), {}, {}, {}, {}, {}};
    j.content = content_of(api.store, j.rec, loc.lang(), j.cached->questions);
    j.draft.key = draft_key(j.session, j.rec.id);
    j.draft.consultation_id = j.rec.id;
    j.draft.language = loc.lang();
    if (!j.session.is_new) {
      if (auto d = api.store.get_draft(j.draft.key)) j.draft = std::move(d).value();
    }
    j.draft.language = loc.lang();
    if (auto m = pages::signed_in_member(api, ctx.request)) {
      auto facts = api.store.member_facts(m->id);
      if (!facts) {
        fail = pages::error_page(loc, facts.error());
        return std::nullopt;
      }
      j.facts = std::move(facts).value();
      for (const auto& q : panel::questions_for_member(j.cached->questions, j.facts, api.today())) {
        if (q.value("known", false)) j.known[q["id"].get<std::string>()] = q["prefill"];
      }
      j.member = std::move(m);
    }
    return j;
  };
  // A POST's form, after its CSRF token is checked; nullopt with `fail` set otherwise.
  auto posted_form = [](RequestContext& ctx, const Localiser& loc, const Journey& j,
                        HttpResponse& fail) -> std::optional<pages::FormFields> {
    auto form = pages::parse_form(ctx.request.content_type, ctx.request.body);
    if (!form || !pages::csrf_valid(j.session, pages::form_value(*form, "csrf"))) {
      fail = with_session(text_page(loc, form ? 403 : 400, "error.form_expired_title", {"error.form_expired"},
                                    "/consultations/" + j.rec.id),
                          j.session);
      return std::nullopt;
    }
    return std::move(form).value();
  };
  auto question_index = [](RequestContext& ctx, const Journey& j) -> std::optional<size_t> {
    const std::string& n = ctx.params["n"];
    if (n.empty() || n.size() > 4 || n.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    size_t i = std::stoul(n);
    if (i < 1 || i > j.cached->questions.size()) return std::nullopt;
    return i - 1;
  };
  auto question_page = [](const Localiser& loc, const Journey& j, size_t index, const nlohmann::json& value,
                          const std::string& raw, const JourneyError& error, bool change) {
    nlohmann::json d = question_data(loc, j.rec.id, j.cached->questions, j.content, index, value, raw);
    d["csrf"] = pages::csrf_token(j.session);
    d["change"] = change;
    const auto [number, total] = j.position(index);
    d["question_of"] = loc.html("journey.question_of", {{"number", number}, {"total", total}});
    PageOptions o;
    o.title = j.content.questions[index]["text"].get<std::string>();
    o.rest_path = "/consultations/" + j.rec.id + "/questions/" + std::to_string(index + 1);
    o.back = j.before(loc.lang(), index);
    if (!error.key.empty()) pages::add_field_error(d, o, loc.html(error.key, error.args), "answer");
    return with_session(pages::render_page(loc, "question", d, o), j.session);
  };

  api.add("GET", "/{lang}/consultations/{id}/questions/{n}", everyone(), "",
          page([journey, question_index, question_page](RequestContext& ctx, const Localiser& loc) {
            HttpResponse fail;
            auto j = journey(ctx, loc, fail);
            if (!j) return fail;
            auto index = question_index(ctx, *j);
            if (!index) return not_found_page(loc.lang());
            bool change = ctx.query["change"] == "1";
            if (j->skipped(*index) && !change) {  // ask once: on to the next question to ask
              size_t next = j->next_asked(*index);
              std::string base = "/" + loc.lang() + "/consultations/" + j->rec.id;
              return with_session(pages::redirect(next == j->cached->questions.size()
                                                      ? base + "/check"
                                                      : base + "/questions/" + std::to_string(next + 1)),
                                  j->session);
            }
            return question_page(loc, *j, *index, j->answer(*index), "", {}, change);
          }));

  api.add("POST", "/{lang}/consultations/{id}/questions/{n}", everyone(), "",
          page([&api, journey, posted_form, question_index, question_page](RequestContext& ctx, const Localiser& loc) {
            HttpResponse fail;
            auto j = journey(ctx, loc, fail);
            if (!j) return fail;
            auto index = question_index(ctx, *j);
            if (!index) return not_found_page(loc.lang());
            auto form = posted_form(ctx, loc, *j, fail);
            if (!form) return fail;
            const auto& q = j->cached->questions[*index];
            bool change = ctx.query["change"] == "1";
            JourneyError error;
            nlohmann::json value = answer_from_form(q, *form, error);
            if (error.key.empty()) error = check_answer(q, value);
            if (!error.key.empty()) {
              return question_page(loc, *j, *index, value, pages::form_value(*form, "answer"), error, change);
            }
            std::string qid = q["id"];
            if (value.is_null()) {
              j->draft.answers.erase(qid);
            } else {
              j->draft.answers[qid] = value;
            }
            if (auto st = api.store.save_draft(j->draft); !st) return pages::error_page(loc, st.error());
            std::string base = "/" + loc.lang() + "/consultations/" + j->rec.id;
            size_t next = j->next_asked(*index + 1);
            bool last = next == j->cached->questions.size();
            return with_session(pages::redirect(change || last ? base + "/check"
                                                               : base + "/questions/" + std::to_string(next + 1)),
                                j->session);
          }));

  auto check_page = [](const Localiser& loc, const Journey& j, const std::string& missing_key, size_t missing_index) {
    nlohmann::json rows = nlohmann::json::array();
    const auto& qs = j.cached->questions;
    for (size_t i = 0; i < qs.size(); ++i) {
      nlohmann::json value = j.answer(i);
      // Options are stored in English; show them as the question page labelled them.
      const std::string at = "/items/" + std::to_string(i);
      nlohmann::json shown = value;
      std::string first_option = at + "/option_labels/0";
      if (is_content_answer(qs[i]) && !value.is_null()) {
        const auto& english = qs[i]["options"];
        const auto labels = j.content.questions[i].value("option_labels", english);
        auto label_of = [&](const nlohmann::json& v) {
          for (size_t k = 0; k < english.size() && k < labels.size(); ++k) {
            if (english[k] == v) {
              first_option = at + "/option_labels/" + std::to_string(k);
              return labels[k];
            }
          }
          return v;
        };
        if (value.is_array()) {
          shown = nlohmann::json::array();
          for (const auto& v : value) shown.push_back(label_of(v));
          if (!value.empty()) label_of(value[0]);
        } else {
          shown = label_of(value);
        }
      }
      nlohmann::json row = {{"id", j.rec.id},
                            {"number", std::to_string(i + 1)},
                            {"text", j.content.questions[i]["text"]},
                            {"ta", j.content.attrs(at + "/text")},
                            {"answer", answer_html(loc, shown)},
                            {"content", is_content_answer(qs[i]) && !value.is_null()},
                            {"known", j.skipped(i)},
                            {"known_text", loc.html("journey.known_fact")},
                            {"lang", loc.lang()}};
      merge(row, j.content.attrs(first_option));
      rows.push_back(row);
    }
    nlohmann::json d = {{"id", j.rec.id}, {"title", j.content.doc.value("title", "")}, {"ta", j.content.attrs("/title")},
                        {"rows", rows}, {"csrf", pages::csrf_token(j.session)}};
    merge(d, content_attrs());
    PageOptions o;
    o.title = loc.text("journey.check_answers");
    o.rest_path = "/consultations/" + j.rec.id + "/check";
    o.back = j.before(loc.lang(), qs.size());
    if (!missing_key.empty()) {
      d["errors"] = nlohmann::json::array(
          {{{"href", "/" + loc.lang() + "/consultations/" + j.rec.id + "/questions/" + std::to_string(missing_index + 1) +
                         "?change=1"},
            {"message", loc.html(missing_key)}}});
      o.has_error = true;
      o.status = 422;
    }
    return with_session(pages::render_page(loc, "check", d, o), j.session);
  };

  api.add("GET", "/{lang}/consultations/{id}/check", everyone(), "",
          page([journey, check_page](RequestContext& ctx, const Localiser& loc) {
            HttpResponse fail;
            auto j = journey(ctx, loc, fail);
            if (!j) return fail;
            return check_page(loc, *j, "", 0);
          }));

  // Sending the response answers asynchronously (after the group commit), so this one route does
  // not go through `page`.
  api.add("POST", "/{lang}/consultations/{id}/check", everyone(), "",
          [&api, journey, posted_form, check_page](RequestContext& ctx, Respond& respond) {
            const std::string lang = ctx.params["lang"];
            if (!pages::is_page_language(lang)) return respond(not_found_page(lang));
            Localiser loc(lang);
            HttpResponse fail;
            auto j = journey(ctx, loc, fail);
            if (!j) return respond(std::move(fail));
            auto form = posted_form(ctx, loc, *j, fail);
            if (!form) return respond(std::move(fail));
            ResponseRequest request;
            request.channel = "online";
            request.language = lang;
            request.answers = j->draft.answers;
            // Ask once happens in check_response: a signed-in member's known facts fill the
            // questions not asked, and the facts they gave are recorded once the response is stored.
            auto checked = check_response(api.store, *j->cached, Respondent{User{}, j->member}, std::move(request),
                                          api.options.policy, api.today());
            if (!checked) {
              const auto& e = checked.error();
              if (e.refusal == SubmitRefusal::kInvalidAnswer) {
                const auto& qs = j->cached->questions;
                for (size_t i = 0; i < qs.size(); ++i) {
                  if (e.field != "/answers/" + json_pointer_token(j->qid(i))) continue;
                  auto error = check_answer(qs[i], j->answer(i));
                  return respond(check_page(loc, *j, error.key.empty() ? "error.select_answer" : error.key, i));
                }
              }
              return respond(text_page(loc, 409, "error.not_sent_title", {"error.not_sent"}, ""));
            }
            const std::string key = j->draft.key;
            const std::string base = "/" + lang + "/consultations/" + j->rec.id;
            store_checked_response(api, std::move(checked).value(), [respond, key, base, lang, &api](Result<StoredResponse> r) {
              if (!r) {
                Localiser l(lang);
                if (r.error().code == ErrorCode::kStorageFull) {
                  // Nothing was stored, and sending the same answers again later will work.
                  auto page = text_page(l, 503, "error.not_sent_title", {"error.not_sent"}, "");
                  page.headers.emplace_back("Retry-After", "120");
                  return respond(std::move(page));
                }
                return respond(text_page(l, 409, "error.not_sent_title", {"error.not_sent"}, ""));
              }
              (void)api.store.delete_draft(key);
              respond(pages::redirect(base + "/confirmation/" + r->reference));
            });
          });

  api.add("GET", "/{lang}/consultations/{id}/confirmation/{reference}", everyone(), "",
          page([&api, load](RequestContext& ctx, const Localiser& loc) {
            HttpResponse fail;
            auto rec = load(ctx.params["id"], loc, fail);
            if (!rec) return fail;
            auto response = api.store.response_by_reference(ctx.params["reference"]);
            if (!response || response->consultation_id != rec->id) return not_found_page(loc.lang());
            nlohmann::json d = {
                {"reference_text",
                 loc.html("journey.reference", {{"reference", response->reference}})},
                {"what_next", ""}};
            if (auto closes = doc_date(rec->document, "closes")) {
              d["what_next"] = loc.html("journey.what_next", {{"date", *closes}});
            }
            PageOptions o;
            o.title = loc.text("journey.confirmation_title");
            o.rest_path = "/consultations/" + rec->id + "/confirmation/" + response->reference;
            return pages::render_page(loc, "confirmation", d, o);
          }));

  // ---- save and come back later ----------------------------------------------------------------
  auto save_page = [](const Localiser& loc, const Journey& j, const std::string& email, bool invalid) {
    nlohmann::json d = {{"id", j.rec.id}, {"email", email}, {"csrf", pages::csrf_token(j.session)}};
    PageOptions o;
    o.title = loc.text("journey.save_title");
    o.rest_path = "/consultations/" + j.rec.id + "/save";
    o.back = "/" + loc.lang() + "/consultations/" + j.rec.id + "/check";
    if (invalid) pages::add_field_error(d, o, loc.html("error.email_invalid"), "email");
    return with_session(pages::render_page(loc, "save", d, o), j.session);
  };
  auto resume_until = [&api](const ConsultationRecord& rec) {
    Date until = api.today().plus_days(kResumeDays);
    if (auto closes = doc_date(rec.document, "closes"); closes && *closes < until) until = *closes;
    return until;
  };

  api.add("GET", "/{lang}/consultations/{id}/save", everyone(), "",
          page([journey, save_page](RequestContext& ctx, const Localiser& loc) {
            HttpResponse fail;
            auto j = journey(ctx, loc, fail);
            if (!j) return fail;
            return save_page(loc, *j, j->draft.email, false);
          }));

  api.add("POST", "/{lang}/consultations/{id}/save", everyone(), "",
          page([&api, journey, posted_form, save_page, resume_until](RequestContext& ctx, const Localiser& loc) {
            HttpResponse fail;
            auto j = journey(ctx, loc, fail);
            if (!j) return fail;
            auto form = posted_form(ctx, loc, *j, fail);
            if (!form) return fail;
            const std::string typed = pages::form_value(*form, "email");
            auto checked = email_address(typed);
            if (!checked) return save_page(loc, *j, typed, true);
            const std::string& email = *checked;
            if (auto d = take_all(api, email_checks(api, ctx.request, email)); !d.allowed) {
              return pages::too_many_requests_page(loc, d, j->session);
            }
            std::string secret = new_bearer_token();
            ResponseDraft copy = j->draft;
            copy.key = resume_key(secret, j->rec.id);
            copy.email = "";
            if (auto st = api.store.save_draft(copy); !st) return pages::error_page(loc, st.error());
            j->draft.email = email;
            if (auto st = api.store.save_draft(j->draft); !st) return pages::error_page(loc, st.error());
            std::string link = api.options.public_url + "/" + loc.lang() + "/consultations/" + j->rec.id + "/resume/" + secret;
            OutboxEmail mail;
            mail.to = email;
            mail.subject = loc.text("email.resume_subject");
            mail.body = loc.text("email.resume_body", {{"link", link}, {"date", resume_until(j->rec)}}) + "\n";
            auto id = api.store.add_outbox_email(mail);
            if (!id) return pages::error_page(loc, id.error());
            std::cout << "townhall: outbox: email " << *id << " (resume link for " << j->rec.id << ") queued" << std::endl;
            return with_session(pages::redirect("/" + loc.lang() + "/consultations/" + j->rec.id + "/saved"), j->session);
          }));

  api.add("GET", "/{lang}/consultations/{id}/saved", everyone(), "",
          page([journey, resume_until](RequestContext& ctx, const Localiser& loc) {
            HttpResponse fail;
            auto j = journey(ctx, loc, fail);
            if (!j) return fail;
            if (j->draft.email.empty()) return not_found_page(loc.lang());
            nlohmann::json d = {{"id", j->rec.id},
                                {"title", j->rec.document.value("title", "")},
                                {"saved_text", loc.html("journey.saved", {{"email", j->draft.email}, {"date", resume_until(j->rec)}})}};
            PageOptions o;
            o.title = loc.text("journey.saved_title");
            o.rest_path = "/consultations/" + j->rec.id + "/saved";
            return with_session(pages::render_page(loc, "saved", d, o), j->session);
          }));

  // A resume link opens a page with a button; only the button's POST uses the link up. Mail
  // scanners and link previews fetch links with GET, and must not burn a resident's one-time link.
  // The saved answers under the link's key, or nullopt (then gone) when unknown or expired.
  auto saved_answers = [&api](const Journey& j, const std::string& secret) -> std::optional<ResponseDraft> {
    std::string key = resume_key(secret, j.rec.id);
    auto saved = api.store.get_draft(key);
    bool expired = !saved;
    if (saved) {
      auto at = Date::parse(saved->updated_at.substr(0, 10));
      expired = !at || at->plus_days(kResumeDays) < api.today();
    }
    if (expired) {
      (void)api.store.delete_draft(key);
      return std::nullopt;
    }
    return std::move(saved).value();
  };

  api.add("GET", "/{lang}/consultations/{id}/resume/{token}", everyone(), "",
          page([journey, saved_answers](RequestContext& ctx, const Localiser& loc) {
            HttpResponse fail;
            auto j = journey(ctx, loc, fail);
            if (!j) return fail;
            if (!saved_answers(*j, ctx.params["token"])) return with_session(text_page(loc, 410, "error.link_expired", {}, ""), j->session);
            PageOptions o;
            o.title = loc.text("journey.resume_title");
            o.rest_path = "/consultations/" + j->rec.id;
            return with_session(pages::render_page(loc, "resume",
                                                   {{"id", j->rec.id}, {"secret", ctx.params["token"]}, {"csrf", pages::csrf_token(j->session)}},
                                                   o),
                                j->session);
          }));

  api.add("POST", "/{lang}/consultations/{id}/resume/{token}", everyone(), "",
          page([&api, journey, posted_form, saved_answers](RequestContext& ctx, const Localiser& loc) {
            HttpResponse fail;
            auto j = journey(ctx, loc, fail);
            if (!j) return fail;
            auto form = posted_form(ctx, loc, *j, fail);
            if (!form) return fail;
            auto saved = saved_answers(*j, ctx.params["token"]);
            if (!saved) return with_session(text_page(loc, 410, "error.link_expired", {}, ""), j->session);
            j->draft.answers = saved->answers;
            if (auto st = api.store.save_draft(j->draft); !st) return pages::error_page(loc, st.error());
            (void)api.store.delete_draft(saved->key);  // a resume link works once
            std::string base = "/" + loc.lang() + "/consultations/" + j->rec.id;
            const auto& qs = j->cached->questions;
            for (size_t i = 0; i < qs.size(); ++i) {
              if (!j->draft.answers.contains(qs[i]["id"].get<std::string>())) {
                return with_session(pages::redirect(base + "/questions/" + std::to_string(i + 1)), j->session);
              }
            }
            return with_session(pages::redirect(base + "/check"), j->session);
          }));

  // ---- accessibility statement and privacy notice ---------------------------------------------
  api.add("GET", "/{lang}/accessibility", everyone(), "", page([](RequestContext&, const Localiser& loc) {
    return text_page(loc, 200, "accessibility.title",
                     {"accessibility.intro", "accessibility.standard", "accessibility.known_issues",
                      "accessibility.contact"},
                     "/accessibility");
  }));
  api.add("GET", "/{lang}/privacy", everyone(), "", page([](RequestContext&, const Localiser& loc) {
    return text_page(loc, 200, "privacy.title",
                     {"privacy.who", "privacy.what", "privacy.why", "privacy.how_long", "privacy.panel", "privacy.rights"}, "/privacy");
  }));
}

}  // namespace townhall::server
