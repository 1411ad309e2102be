// townhall/consultations/language_rules.h — the LANG and READ charter rules.
//
// LANG (breach by default): every language a consultation promises (`languages`, BCP 47; English
// is the source and needs nothing) has a complete translation before the consultation is scheduled
// or opened. A finding per incomplete language names it and lists the missing fields.
// READ (warning by default): the summary and the proposal meet the plain-language targets of the
// policy — sentences of at most `readability_max_sentence_words` words in every language, a reading
// age (Flesch–Kincaid grade + 5) of at most `readability_reading_age` + 0.5 in English, and a LIX
// of at most `readability_max_lix` in the promised languages' translations (the two scores only for
// texts of 20 words or more: on a shorter text one long word swings them). One finding per text
// that misses a target, naming the language, the field and the figures (charter/rules.h has both).
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/charter/finding.h"
#include "townhall/charter/policy.h"

namespace townhall {

// `translations`: canonical language tag → translation document.
std::vector<Finding> check_languages(const std::string& consultation_id, const nlohmann::json& document,
                                     const std::map<std::string, nlohmann::json>& translations,
                                     const CharterPolicy& policy);

std::vector<Finding> check_plain_language(const std::string& consultation_id, const nlohmann::json& document,
                                          const std::map<std::string, nlohmann::json>& translations,
                                          const CharterPolicy& policy);

}  // namespace townhall
