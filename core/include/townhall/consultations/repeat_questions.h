// townhall/consultations/repeat_questions.h — the drafting check for repeated questions
// (docs/design.md §2.5): a draft question that duplicates one already asked of the same audience in
// the last N months (charter policy panel.repeat_question_months) is flagged with the earlier
// consultation, so the officer can reuse its answers instead of asking again.
//
// Matching works in any language: the text is normalised with ICU's NFKC_Casefold (width, case,
// compatibility forms: "ＣＡＲ" = "car", "Straße" = "strasse") and cut into words with ICU's word
// BreakIterator for the consultation's language (readability/segmentation.h), so punctuation and
// spacing never matter. Two questions match when their keys (the words joined by one space) are
// equal, or when the Jaccard similarity of their word sets |A∩B| / |A∪B| reaches the threshold
// (policy panel.repeat_question_similarity, default 0.8).
// "Same audience": the two consultations share a ward, or either is borough-wide (no wards); and
// when both state an `audience`, their audience keys are equal.
// Thread-safety: pure functions (ICU must be initialised: i18n::init_i18n()).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/date.h"

namespace townhall {

// NFKC_Casefold words of `text` (invalid UTF-8 gives no words).
std::vector<std::string> question_words(std::string_view text, std::string_view lang = "en-GB");
// The words joined by single spaces.
std::string question_key(std::string_view text, std::string_view lang = "en-GB");
// |A∩B| / |A∪B| of the word sets; 1 when both are empty.
double word_jaccard(const std::vector<std::string>& a, const std::vector<std::string>& b);

// A consultation already asked (or scheduled), as the check needs it.
struct AskedConsultation {
  std::string id;
  std::string title;
  std::string audience;             // free text ("" = not stated)
  std::vector<std::string> wards;   // empty = borough-wide
  Date opens;
  std::vector<nlohmann::json> questions;  // {id, text, ...}
  std::string language = "en-GB";
};

struct RepeatedQuestion {
  std::string question_id, text;                  // in the draft
  std::string earlier_consultation_id, earlier_title, earlier_question_id, earlier_text;
  Date earlier_opens;
  double similarity = 0;  // 1 for an equal key

  nlohmann::json to_json() const;
};

struct RepeatCheckOptions {
  int months = 12;          // look back this many months from `today` (later dates count too)
  double threshold = 0.8;   // Jaccard similarity that counts as a repeat
};

// `draft` is a consultation document (title, audience, wards, questions, languages). Earlier
// consultations with the draft's own `draft_id` are skipped. Each draft question is reported once,
// with its most similar earlier question (ties: the most recent).
std::vector<RepeatedQuestion> find_repeated_questions(const nlohmann::json& draft, const std::string& draft_id,
                                                      const std::vector<AskedConsultation>& earlier, Date today,
                                                      const RepeatCheckOptions& options = {});

}  // namespace townhall
