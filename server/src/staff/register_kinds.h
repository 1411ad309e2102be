// Internal to townhall_server: what the console's register pages know of each kind of record —
// where its pages are, its names, its form's fields, and how a posted form becomes its document.
// Thread-safety: immutable after first use.
#pragma once

#include <string>
#include <vector>

#include "staff/register_form.h"
#include "townhall/forward_plan/register_store.h"

namespace townhall::server::staff {

struct RegisterKind {
  RecordKind kind;
  std::string base;     // "/staff/forward-plan"
  std::string singular; // "key decision"
  std::string plural;   // "Key decisions" (the list's heading)
  std::string id_label; // "Reference"
  std::string id_hint;
  std::vector<FormField> fields;
};

const RegisterKind& register_kind(RecordKind kind);
// The fields of a key decision's exception routes (general exception, special urgency).
const std::vector<FormField>& exception_fields();

// The posted form as the record's document (its id added; for a key decision the notice's
// particulars taken from the decision where the form leaves them empty; parts left wholly empty
// dropped).
Result<nlohmann::json> record_document(const RegisterKind& kind, const std::string& id, const pages::FormFields& form);
// Drops the optional parts of `doc` that hold nothing but false.
void drop_empty_parts(nlohmann::json& doc);

}  // namespace townhall::server::staff
