// a consultation's content as the residents' pages show it (in the
#include "pages/consultation_content.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include "http/api_impl.h"
#include "pages/page_kit.h"
#include "townhall/consultations/status.h"
#include "townhall/consultations/translation.h"
#include "townhall/i18n/catalog.h"
#include "townhall/i18n/locale.h"
#include "townhall/i18n/text.h"
#include "townhall/panel/ask_once.h"
#include "townhall/panel/member_data.h"
#include "townhall/panel/member_import.h"
#include "townhall/panel/sign_in_email.h"
#include "townhall/responses/answers.h"
#include "townhall/submissions/submit.h"
#include "townhall/access/token.h"
#include "townhall/util/json_schema.h"
#include "townhall/util/sha256.h"

namespace townhall::server {

nlohmann::json content_attrs() { return {{"clang", kContentLang}, {"cdir", i18n::html_dir(kContentLang)}}; }

Content content_of(Store& store, const ConsultationRecord& rec, const std::string& page_lang, const std::vector<nlohmann::json>& questions) {
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
  c.machine_draft = t->document.value("machine_draft", false);
  for (const auto& [pointer, lang] : local.fallbacks) c.fallbacks.insert(pointer);
  for (const auto& [pointer, lang] : local_questions.fallbacks) c.fallbacks.insert(pointer);
  return c;
}

void merge(nlohmann::json& into, const nlohmann::json& from) {
  for (auto it = from.begin(); it != from.end(); ++it) into[it.key()] = it.value();
}

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
  if (r.status == ConsultationStatus::kScheduled) {
    if (opens) out.push_back(loc.html("consultation.opens", {{"date", *opens}}));
    if (closes) out.push_back(loc.html("consultation.closes", {{"date", *closes}}));
  } else if (r.status == ConsultationStatus::kOpen) {
    if (closes) {
      out.push_back(loc.html("consultation.closes", {{"date", *closes}}));
      int64_t left = std::max<int64_t>(0, *closes - today);
      out.push_back(loc.html("consultation.days_left", {{"count", left}}));
    }
  } else if (auto closed = doc_date(r.document, "closed_on"); closed || closes) {
    // The day it really closed, once recorded: never the published date still to come.
    out.push_back(loc.html("consultation.closed_on", {{"date", closed ? *closed : *closes}}));
  }
  return out;
}

std::string isolate(std::string_view text) { return "\u2068" + std::string(text) + "\u2069"; }

std::string join_html(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

// Loads a consultation the public may see, or gives the 404 page.
std::optional<ConsultationRecord> load_public_consultation(Api::Impl& api, const std::string& id, const Localiser& loc, HttpResponse& fail) {
  auto rec = api.public_record(id);
  if (!rec || (*rec)->status == ConsultationStatus::kDraft) {
    fail = not_found_page(loc.lang());
    return std::nullopt;
  }
  return **rec;
}

}  // namespace townhall::server
