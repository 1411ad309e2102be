// townhall/consultations/translation.h — per-language versions of a consultation's content.
//
// A translation (schemas/consultation-translation.schema.json) carries, for one language, the
// translatable fields of a consultation document: title, summary, proposal, reasons, the options
// considered (option and reason, by position), the documents' titles (by position) and, keyed by
// question id, each question's text, hint and option labels (in the English order), and the outcome
// ("We asked, you said, we did") once the consultation has one. English is the source: the
// consultation document itself. `machine_draft: true` marks a translation not yet checked by a
// translator (pages say so).
//
// A translation is complete when every translatable field that the English document fills has a
// non-empty counterpart; missing_translation_fields() lists the gaps as JSON pointers into the
// translation document ("/summary", "/questions/q2/hint", "/questions/q2/options/1"). localise() merges a translation
// over the English document and marks each field that fell back to English.
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/error.h"

namespace townhall {

// Checks a translation against its English source beyond the schema (question ids that exist,
// no more options, documents or options considered than the source has), and returns it with
// every string in Unicode NFC. Errors name the field as a JSON pointer.
Result<nlohmann::json> prepare_translation(const nlohmann::json& translation, const nlohmann::json& source);

// The translatable fields `source` fills that `translation` leaves out or empty, in document
// order, as JSON pointers into the translation document.
std::vector<std::string> missing_translation_fields(const nlohmann::json& source, const nlohmann::json& translation);

struct LocalisedDocument {
  nlohmann::json document;  // the source with translated fields put in place
  // JSON pointer (into `document`) → language, for each translatable field shown in English.
  std::map<std::string, std::string> fallbacks;
};

// `source` with `translation` merged in. Fields the translation lacks stay English and are listed
// in `fallbacks` with `source_lang`.
LocalisedDocument localise(const nlohmann::json& source, const nlohmann::json& translation,
                           std::string_view source_lang = "en-GB");

// The same for a list of question definitions (as GET …/questions returns them); pointers are
// "/items/<i>/text", "/items/<i>/hint" and "/items/<i>/option_labels/<j>".
LocalisedDocument localise_questions(const std::vector<nlohmann::json>& questions, const nlohmann::json& translation,
                                     std::string_view source_lang = "en-GB");

// True for tags whose language is English ("en", "en-GB", "en-US"): the source, never translated.
bool is_english_tag(std::string_view tag);

}  // namespace townhall
