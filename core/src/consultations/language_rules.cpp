#include "townhall/consultations/language_rules.h"

#include <cmath>
#include <cstdio>
#include <set>

#include "townhall/charter/rules.h"
#include "townhall/consultations/translation.h"
#include "townhall/i18n/locale.h"
#include "townhall/readability/report.h"
#include "townhall/readability/segmentation.h"

namespace townhall {
namespace {

// Reading scores are averages over a passage; below this many words one long word swings them.
constexpr size_t kMinWordsForScores = 20;

Finding make(const std::string& id, const char* rule, Severity severity, std::string message) {
  return make_finding(rule, severity, "consultation", id, std::move(message));
}

// "Welsh (cy)"; the bare tag when ICU has no English name for it.
std::string language_label(const std::string& tag) {
  std::string name = i18n::display_name(tag, "en-GB");
  return name.empty() || name == tag ? tag : name + " (" + tag + ")";
}

std::string one_decimal(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// The promised languages other than English, canonical and in the order promised.
std::vector<std::string> promised(const nlohmann::json& document) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto it = document.find("languages");
  if (it == document.end() || !it->is_array()) return out;
  for (const auto& l : *it) {
    if (!l.is_string()) continue;
    auto tag = i18n::canonical_tag(l.get<std::string>());
    std::string t = tag ? *tag : l.get<std::string>();
    if (is_english_tag(t) || !seen.insert(t).second) continue;
    out.push_back(t);
  }
  return out;
}

void check_text(const std::string& id, const std::string& lang, const char* field, const std::string& text,
                const CharterPolicy& p, std::vector<Finding>& out) {
  auto report = readability::analyse_readability(text, lang, field);
  if (!report || report->words == 0) return;
  std::vector<std::string> misses;
  size_t over = 0, longest = 0;
  for (const auto& s : readability::split_sentences(text, lang)) {
    longest = std::max(longest, s.words.size());
    if (s.words.size() > static_cast<size_t>(p.readability_max_sentence_words)) ++over;
  }
  if (over > 0) {
    misses.push_back(std::to_string(over) + (over == 1 ? " sentence is" : " sentences are") + " longer than " +
                     std::to_string(p.readability_max_sentence_words) + " words (the longest has " +
                     std::to_string(longest) + ")");
  }
  bool age_missed = false, lix_missed = false;
  if (report->words < kMinWordsForScores) {
    // Too short for a reading score to mean anything; only sentence length applies.
  } else if (report->english && report->reading_age) {
    age_missed = *report->reading_age > p.readability_reading_age + 0.5;
    if (age_missed) {
      misses.push_back("the reading age is " + one_decimal(*report->reading_age) + ", above the target of about " +
                       one_decimal(p.readability_reading_age));
    }
  } else if (!report->english) {
    lix_missed = report->lix > p.readability_max_lix;
    if (lix_missed) {
      misses.push_back("the LIX score is " + one_decimal(report->lix) + ", above the target of " +
                       one_decimal(p.readability_max_lix));
    }
  }
  if (misses.empty()) return;
  std::string message = "The " + std::string(field) + " in " + language_label(lang) + " misses the plain-language target: ";
  for (size_t i = 0; i < misses.size(); ++i) message += (i ? "; " : "") + misses[i];
  Finding f = make(id, "READ", p.severity_of("READ"), message + ".");
  f.figures["sentences_over_limit"] = static_cast<int64_t>(over);
  f.figures["longest_sentence_words"] = static_cast<int64_t>(longest);
  f.figures["max_sentence_words"] = p.readability_max_sentence_words;
  if (report->reading_age) f.figures["reading_age_tenths"] = std::llround(*report->reading_age * 10);
  if (!report->english) f.figures["lix_tenths"] = std::llround(report->lix * 10);
  out.push_back(std::move(f));
}

}  // namespace

std::vector<Finding> check_languages(const std::string& consultation_id, const nlohmann::json& document,
                                     const std::map<std::string, nlohmann::json>& translations,
                                     const CharterPolicy& policy) {
  std::vector<Finding> out;
  auto langs = promised(document);
  std::vector<std::string> complete;
  for (const auto& lang : langs) {
    auto it = translations.find(lang);
    const nlohmann::json empty = nlohmann::json::object();
    auto missing = missing_translation_fields(document, it == translations.end() ? empty : it->second);
    if (missing.empty()) {
      complete.push_back(lang);
      continue;
    }
    std::string message = "The consultation promises " + language_label(lang) + ", but ";
    if (it == translations.end()) {
      message += "there is no translation into it yet (needed: ";
    } else {
      message += "its translation is incomplete (missing: ";
    }
    for (size_t i = 0; i < missing.size(); ++i) message += (i ? ", " : "") + missing[i];
    Finding f = make(consultation_id, "LANG", policy.severity_of("LANG"), message + ").");
    f.figures["missing_fields"] = static_cast<int64_t>(missing.size());
    out.push_back(std::move(f));
  }
  if (!complete.empty() && complete.size() == langs.size()) {
    std::string names;
    for (size_t i = 0; i < complete.size(); ++i) names += (i ? ", " : "") + language_label(complete[i]);
    out.push_back(make(consultation_id, "LANG", Severity::kInfo, "Every promised language is complete: " + names + "."));
  }
  return out;
}

std::vector<Finding> check_plain_language(const std::string& consultation_id, const nlohmann::json& document,
                                          const std::map<std::string, nlohmann::json>& translations,
                                          const CharterPolicy& policy) {
  std::vector<Finding> out;
  for (const char* field : {"summary", "proposal"}) {
    auto it = document.find(field);
    if (it != document.end() && it->is_string() && !it->get_ref<const std::string&>().empty()) {
      check_text(consultation_id, "en-GB", field, it->get<std::string>(), policy, out);
    }
  }
  for (const auto& lang : promised(document)) {
    auto t = translations.find(lang);
    if (t == translations.end()) continue;
    for (const char* field : {"summary", "proposal"}) {
      auto it = t->second.find(field);
      if (it != t->second.end() && it->is_string() && !it->get_ref<const std::string&>().empty()) {
        check_text(consultation_id, lang, field, it->get<std::string>(), policy, out);
      }
    }
  }
  return out;
}

}  // namespace townhall
