// townhall/analysis/census.h — representativeness targets: Census 2021 ward tables or a council's
// own targets file (docs/design.md §2.6).
//
// Census tables are ONS/Nomis ward-level bulk downloads for Kensington and Chelsea and Hounslow,
// compiled into the library (core/data/census, with its source and licence); a council points
// `dir` at its own tables in the same format. Columns `date, geography, geography code, <Table>: Total: ..., <Table>: <category>,
// <Table>: <category>: <sub-category>, ...`. Variables:
//   ward       each ward's share of the borough's usual residents (TS021 total)
//   ethnicity  TS021, the 5 high-level ethnic groups (usual residents)
//   tenure     TS054, the 5 high-level tenures (households; the two overlapping aggregate columns
//              are left out)
//   religion   TS030 (usual residents)
// The area is a borough (its ward codes, listed below) or any list of ward codes; counts are summed
// over the area. A council's own targets file is a CSV `category,value,share` (e.g. age bands, sex,
// disability); shares of a category must sum to 1 (±0.01) and are then normalised.
// Errors name the file and the missing column, ward or category.
// Thread-safety: pure functions (they read files).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/error.h"

namespace townhall::analysis {

struct TargetShare {
  std::string value;  // category label, e.g. "Social rented", "Golborne"
  double count = 0;   // census count (0 for a council file)
  double share = 0;   // 0..1, shares of a category sum to 1
};

struct CategoryTargets {
  std::string category;  // "tenure"
  std::string source;    // "Census 2021 TS054 (households), E09000020" or the file name
  std::vector<TargetShare> values;
};

inline constexpr const char* kCensusVariables[] = {"ward", "ethnicity", "tenure", "religion"};

// The ward codes of a borough the data folder covers (E09000020 Kensington and Chelsea,
// E09000018 Hounslow).
Result<std::vector<std::string>> borough_ward_codes(std::string_view borough_code);

// The census folder: $TOWNHALL_CENSUS_DIR, else "" (the tables built into the library).
std::string default_census_dir();

// The text of a built-in census table by file name ("census2021-ts021-ward-rbkc-hounslow.csv");
// empty when there is none of that name.
std::string_view builtin_census_table(std::string_view file_name);

// Targets for one variable over `ward_codes` (the area); `area_label` goes into `source`. An empty
// `dir` reads the built-in tables.
Result<CategoryTargets> census_targets(const std::string& dir, std::string_view variable,
                                       const std::vector<std::string>& ward_codes, const std::string& area_label);

// The census ward names by code for `ward_codes` (from TS021), to relate members' ward facts.
Result<std::vector<std::pair<std::string, std::string>>> census_ward_names(const std::string& dir,
                                                                            const std::vector<std::string>& ward_codes);

// A council targets CSV (`category,value,share`); `source` names it in errors.
Result<std::vector<CategoryTargets>> parse_targets_csv(std::string_view text, const std::string& source);

// The same rules for targets given as JSON rows [{category, value, share}] (the API body); errors
// name `pointer`/<row>/<member> ("/targets/2/share") and say "<source>, row 3, share".
Result<std::vector<CategoryTargets>> targets_from_json(const nlohmann::json& rows, const std::string& source,
                                                       const std::string& pointer = "/targets");

}  // namespace townhall::analysis
