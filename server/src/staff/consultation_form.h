// Internal to townhall_server: the consultation builder's form. Every field of a consultation
// document (schemas/consultation-draft.schema.json) is a form field with a name of its own
// ("title", "contact-email", "option-2-reason", "question-0-options"), so the console's rule that a
// form names each field once holds, and repeating parts (options considered, documents, events,
// questions) are numbered rows that "Add another" and "Remove" buttons change without JavaScript.
// The form's state is the text typed in each field, so a round trip (adding a row, a refused save)
// shows everything as it was typed. Building the document drops wholly empty rows and records which
// field each part of the document came from, so an error's JSON pointer finds its field.
// Thread-safety: plain functions and values.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "pages/page_kit.h"
#include "townhall/error.h"

namespace townhall::server::staff {

struct BuilderState {
  std::map<std::string, std::string> values;  // field name → text as typed ("yes" for a ticked box)
  std::map<std::string, int> rows;            // "option", "document", "event", "question" → rows shown
};

// The form showing a stored document.
BuilderState builder_state_of(const nlohmann::json& document);
// The form of a new consultation: one empty option considered and one empty question.
BuilderState empty_builder_state();
// The posted form (rows counted from the numbered names present, up to each part's limit).
BuilderState builder_state_posted(const pages::FormFields& form);

// Applies "add-<part>" or "remove-<part>-<n>"; false for any other action (such as "save").
bool apply_builder_action(BuilderState& state, const std::string& action);

struct BuiltDocument {
  nlohmann::json document = nlohmann::json::object();
  std::map<std::string, std::string> field_of;  // JSON pointer into the document → field name
  // A date or number the form cannot read, named by its JSON pointer as the schema's errors are.
  std::optional<Error> error;
};
// The document the form describes.
BuiltDocument build_consultation_document(const BuilderState& state);

// The field an error's JSON pointer is about: the field of the longest matching pointer, else the
// first field inside the part it names, else the title.
std::string builder_field_for(const BuiltDocument& built, const std::string& pointer);

// The template data of the form: "sections", each with its rows of fields (in the shape of
// staff_builder_fields.mustache), each field named in `errors` (field name → message) showing its
// message.
nlohmann::json builder_sections(const BuilderState& state, const std::map<std::string, std::string>& errors);

}  // namespace townhall::server::staff
