// Internal to townhall_server: the console's forms for the Forward Plan register. A form is a list
// of fields, each bound to a member of the record's JSON document by a dotted path
// ("notice.published_on"); the same list turns a stored document into the form's values, and a
// posted form back into a document for compliance/register.h, which checks it. An error's JSON
// pointer ("/notice/published_on") finds the field it is about, so the message shows beside it.
// Thread-safety: plain functions and values.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pages/page_kit.h"
#include "townhall/error.h"

namespace townhall::server::staff {

enum class FieldType {
  kText,      // a string
  kTextArea,  // a longer string
  kDate,      // YYYY-MM-DD
  kCheckbox,  // true when ticked, false otherwise
  kLines,     // a list of strings, one a line
  kPounds,    // pounds and pence in the form, integer pence in the document
  kSelect,    // one of `options` (value, label); "" leaves the member out
};

struct FormField {
  FormField(std::string path_, std::string label_, std::string hint_, FieldType type_, std::string group_,
            std::vector<std::pair<std::string, std::string>> options_ = {})
      : path(std::move(path_)), label(std::move(label_)), hint(std::move(hint_)), type(type_),
        group(std::move(group_)), options(std::move(options_)) {}

  std::string path;   // "notice.published_on"
  std::string label;
  std::string hint;   // "" for none
  FieldType type = FieldType::kText;
  std::string group;  // the legend of the fieldset it opens ("" = continues the current one)
  std::vector<std::pair<std::string, std::string>> options;  // kSelect
};

// The document's values as the form shows them (path → text).
nlohmann::json form_values_of(const std::vector<FormField>& fields, const nlohmann::json& doc);
// The posted form as the values the page shows again.
nlohmann::json form_values_posted(const std::vector<FormField>& fields, const pages::FormFields& form);
// The posted form as a document; an empty field leaves its member out. Errors name the field's
// path as a JSON pointer.
Result<nlohmann::json> document_of(const std::vector<FormField>& fields, const pages::FormFields& form);
// The template data of the fields ("fieldsets" with their "fields"), with `values` and `error` (if
// any, shown by the field it is about, else by the first).
nlohmann::json form_data(const std::vector<FormField>& fields, const nlohmann::json& values, const Error* error);
// The error summary's entries for `error`.
nlohmann::json error_list(const std::vector<FormField>& fields, const Error& error);

}  // namespace townhall::server::staff
