// townhall/readability/report.h — readability scores and plain-language guidance for officers.
//
// analyse_readability() counts sentences, words and long words (more than six letters) for any
// language and computes LIX (Björnsson 1968: words/sentences + 100 × long words/words). For English
// it also counts syllables and computes Flesch reading ease (206.835 − 1.015 W/S − 84.6 Sy/W) and
// the Flesch–Kincaid grade (0.39 W/S + 11.8 Sy/W − 15.59), and a UK reading age (grade + 5).
// Guidance follows GOV.UK's writing guidance: sentences of 25 words or fewer, and content a reader
// with a reading age of about 9 can follow (an English text misses it when its reading age, FK grade
// + 5, is above 9.5 — "about 9" rounded).
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/error.h"

namespace townhall::readability {

inline constexpr size_t kMaxSentenceWords = 25;   // GOV.UK: 25 words or fewer
inline constexpr double kTargetReadingAge = 9.0;  // GOV.UK: a reading age of about 9

struct SentenceLength {
  size_t index = 0;  // 1-based position in the text
  size_t words = 0;
  std::string text;
};

struct GuidanceMiss {
  std::string id;       // "sentence-length" | "reading-age"
  std::string message;  // plain English, with the figures
};

struct ReadabilityReport {
  std::string lang;  // canonical tag
  bool english = false;
  size_t sentences = 0;
  size_t words = 0;
  size_t long_words = 0;            // more than 6 letters
  size_t syllables = 0;             // English only
  double words_per_sentence = 0;
  double lix = 0;
  std::optional<double> flesch_reading_ease;   // English only
  std::optional<double> flesch_kincaid_grade;  // English only
  std::optional<double> reading_age;           // English only: FK grade + 5
  std::vector<SentenceLength> longest;         // up to 5, longest first
  std::vector<SentenceLength> over_limit;      // every sentence over kMaxSentenceWords, in order
  std::vector<GuidanceMiss> guidance;

  nlohmann::json to_json() const;
};

// `text` must be valid UTF-8 (the error names `field` otherwise) and have at least one word.
Result<ReadabilityReport> analyse_readability(std::string_view text, std::string_view lang,
                                              std::string_view field = "text");

}  // namespace townhall::readability
