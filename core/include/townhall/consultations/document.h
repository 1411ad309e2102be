// townhall/consultations/document.h — a consultation document as officers write it and the store
// keeps it.
//
// The stored document (schemas/consultation-draft.schema.json) holds more than the charter rules
// read: a summary, questions, promised languages, wards and topics. charter_view() picks out the
// fields schemas/consultation.schema.json defines and parses them, so any document — stored, as
// the API returns it (with id, status, version, meetings…), or in a check file — is seen the same
// way by the rules. check_draft_document() checks what the schema cannot say.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "townhall/consultations/consultation.h"
#include "townhall/error.h"

namespace townhall {

// The charter fields of `document` with `id`, parsed; errors are JSON pointers after `pointer_prefix`.
Result<Consultation> charter_view(const std::string& id, const nlohmann::json& document,
                                  std::string_view pointer_prefix = {});
// The same with the document's own "id" (a consultation as the API returns it, or in a check file).
Result<Consultation> charter_view(const nlohmann::json& document, std::string_view pointer_prefix = {});

// Checks of a draft beyond its schema: real dates, closes not before opens, distinct question
// ids, options where a question type needs them, a scale's max above its min. The document must
// already match consultation-draft.schema.json.
Status check_draft_document(const nlohmann::json& document);

}  // namespace townhall
