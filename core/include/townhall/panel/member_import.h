// townhall/panel/member_import.h — turning a join form or a council's CSV list into panel members.
//
// Columns (CSV) or members (join form, schemas/panel-join.schema.json):
//   personal data: name (required), email, phone, address; id (the council's own id, optional,
//                  unique) — kept in the store's people table;
//   facts:         ward, postcode, age_band, sex, ethnicity, tenure, disability,
//                  contact_preference, or any `fact:KEY` column — kept as ask-once facts with
//                  provenance (channel, source "import FILE row N" / "join", date, valid until);
//   consent:       yes/no (required): whether the member agreed that their facts are kept and
//                  reused. Without consent the facts are NOT stored at all.
//   joined_on:     YYYY-MM-DD (optional; default today).
// Every problem in a file is reported (one line each, naming the row and the column); one bad row
// means nothing is imported. Text is checked as UTF-8 and stored in NFC; postcodes are stored in
// upper case with one space before the inward code.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/date.h"
#include "townhall/error.h"
#include "townhall/panel/ask_once.h"
#include "townhall/util/csv_table.h"
#include "townhall/panel/member.h"

namespace townhall::panel {

struct ImportOptions {
  Date today;
  std::string channel = "import";  // how the list was collected (import, paper, event, ...)
  FactValidity validity;
  size_t max_errors = 50;           // stop listing problems after this many
};

// All rows of `table`, or an error listing every bad row and column (field = the first column).
Result<std::vector<NewMember>> members_from_csv(const csv::CsvTable& table, const ImportOptions& options);

// One member from a join form (already validated against panel-join.schema.json): errors name the
// JSON pointer (/facts/postcode).
Result<NewMember> member_from_join(const nlohmann::json& form, const ImportOptions& options);

// "SW1A 1AA" from " sw1a1aa"; an error when it is not a UK postcode shape.
Result<std::string> normalise_postcode(std::string_view text, std::string_view field);

}  // namespace townhall::panel
