// Readability scores and GOV.UK guidance; see townhall/readability/report.h.
#include "townhall/readability/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "townhall/i18n/locale.h"
#include "townhall/i18n/text.h"
#include "townhall/readability/segmentation.h"

namespace townhall::readability {
namespace {

double round2(double x) { return std::round(x * 100.0) / 100.0; }

std::string fixed1(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", x);
  return buf;
}

nlohmann::json sentences_json(const std::vector<SentenceLength>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& s : v) a.push_back({{"index", s.index}, {"words", s.words}, {"text", s.text}});
  return a;
}

}  // namespace

Result<ReadabilityReport> analyse_readability(std::string_view text, std::string_view lang, std::string_view field) {
  auto tag = i18n::canonical_tag(lang, "lang");
  if (!tag) return tag.error();
  if (auto st = i18n::validate_utf8(text, field); !st) return st.error();
  auto nfc = i18n::normalize_nfc(text, field);
  if (!nfc) return nfc.error();

  ReadabilityReport r;
  r.lang = *tag;
  r.english = r.lang == "en" || r.lang.rfind("en-", 0) == 0;
  const auto sentences = split_sentences(*nfc, r.lang);
  std::vector<SentenceLength> lengths;
  for (size_t i = 0; i < sentences.size(); ++i) {
    const auto& s = sentences[i];
    r.words += s.words.size();
    for (const auto& w : s.words) {
      if (letter_count(w) > 6) ++r.long_words;
      if (r.english) r.syllables += static_cast<size_t>(english_syllables(w));
    }
    SentenceLength sl{i + 1, s.words.size(), s.text};
    if (sl.words > kMaxSentenceWords) r.over_limit.push_back(sl);
    lengths.push_back(std::move(sl));
  }
  r.sentences = sentences.size();
  if (r.words == 0) return invalid_argument(std::string(field), "has no words to measure");

  const double w = static_cast<double>(r.words);
  const double s = static_cast<double>(r.sentences);
  r.words_per_sentence = round2(w / s);
  r.lix = round2(w / s + 100.0 * static_cast<double>(r.long_words) / w);
  if (r.english) {
    const double sy = static_cast<double>(r.syllables);
    r.flesch_reading_ease = round2(206.835 - 1.015 * (w / s) - 84.6 * (sy / w));
    r.flesch_kincaid_grade = round2(0.39 * (w / s) + 11.8 * (sy / w) - 15.59);
    r.reading_age = round2(*r.flesch_kincaid_grade + 5.0);
  }

  std::stable_sort(lengths.begin(), lengths.end(), [](const auto& a, const auto& b) { return a.words > b.words; });
  lengths.resize(std::min<size_t>(lengths.size(), 5));
  r.longest = std::move(lengths);

  if (!r.over_limit.empty()) {
    r.guidance.push_back(
        {"sentence-length", std::to_string(r.over_limit.size()) + " of " + std::to_string(r.sentences) +
                                " sentences are longer than " + std::to_string(kMaxSentenceWords) +
                                " words (GOV.UK: 25 words or fewer); the longest has " +
                                std::to_string(r.longest.front().words) + " words"});
  }
  if (r.reading_age && *r.reading_age > kTargetReadingAge + 0.5) {
    r.guidance.push_back({"reading-age", "needs a reading age of about " + fixed1(*r.reading_age) +
                                             " (Flesch–Kincaid grade " + fixed1(*r.flesch_kincaid_grade) +
                                             "); GOV.UK aims for about 9"});
  }
  return r;
}

nlohmann::json ReadabilityReport::to_json() const {
  nlohmann::json j;
  j["lang"] = lang;
  j["sentences"] = sentences;
  j["words"] = words;
  j["long_words"] = long_words;
  j["words_per_sentence"] = words_per_sentence;
  j["lix"] = lix;
  if (english) {
    j["syllables"] = syllables;
    j["flesch_reading_ease"] = *flesch_reading_ease;
    j["flesch_kincaid_grade"] = *flesch_kincaid_grade;
    j["reading_age"] = *reading_age;
  } else {
    j["syllables"] = nullptr;
    j["flesch_reading_ease"] = nullptr;
    j["flesch_kincaid_grade"] = nullptr;
    j["reading_age"] = nullptr;
  }
  j["longest_sentences"] = sentences_json(longest);
  j["sentences_over_limit"] = sentences_json(over_limit);
  nlohmann::json g = nlohmann::json::array();
  for (const auto& m : guidance) g.push_back({{"id", m.id}, {"message", m.message}});
  j["guidance_missed"] = g;
  j["limits"] = {{"max_sentence_words", kMaxSentenceWords}, {"target_reading_age", kTargetReadingAge}};
  return j;
}

}  // namespace townhall::readability
