// townhall/panel/recruitment.h — is the panel pool representative of the borough, and whom should
// the council recruit next? (docs/design.md §2.6)
//
// For each category with targets (census or a council file, analysis/census.h) the report gives,
// per value: members, pool share, target share, ratio, a flag (ratio < 0.8 with expected count
// ≥ 5), and the whole category's chi-square (with p-value) and index of dissimilarity — computed by
// analysis::representativeness. Pool values are matched to target values by their NFKC_Casefold
// words, so "social rented" matches "Social rented"; a member with no value for the category is
// `missing`, one whose value has no target is listed under `unmatched` (both left out of n).
//
// The recruitment-gap list says how many members to ADD with a value to reach its target share
// when nobody leaves: with c of N members having the value and target t,
//     (c + n) / (N + n) = t   ⇒   n = (t·N − c) / (1 − t),   rounded up.
// Ward gaps ("we need ~40 more social renters in Golborne") use the ward's own census shares and
// the members in that ward.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/analysis/census.h"
#include "townhall/date.h"
#include "townhall/error.h"
#include "townhall/panel/fact.h"

namespace townhall::panel {

// One pool member's answers by category ("ward" → "Golborne", "tenure" → "Social rented").
using PoolRecord = std::map<std::string, std::string>;

struct PoolValue {
  std::string value;
  int64_t count = 0;
  double pool_share = 0, target_share = 0, expected = 0, ratio = 0;
  bool flagged = false;
};

struct PoolCategory {
  std::string category, source;
  int64_t n = 0;        // members with a matched value
  int64_t missing = 0;  // members with no value
  std::map<std::string, int64_t> unmatched;  // values without a target → members
  std::vector<PoolValue> values;
  // The fit of the pool to the targets; none while no member has a matched value (n == 0), when
  // the report still gives the counts and the targets.
  bool fitted = true;
  double chi_square = 0, p_value = 1, dissimilarity = 0;
  int degrees_of_freedom = 0;
};

struct RecruitmentGap {
  std::string category, value;
  std::string ward;       // "" = the whole pool
  int64_t have = 0;       // members with the value (in the ward)
  int64_t of = 0;         // members with a value for the category (in the ward)
  double target_share = 0;
  int64_t add = 0;        // ⌈(t·N − c)/(1 − t)⌉
  std::string text;       // "we need ~40 more members with tenure 'Social rented' in Golborne"
};

// Targets for one ward (its own census shares), for ward-level gaps.
struct WardTargets {
  std::string ward;  // the value members' "ward" fact has (the census ward name)
  std::vector<analysis::CategoryTargets> targets;
};

struct PoolReport {
  int64_t members = 0;
  std::vector<PoolCategory> categories;
  std::vector<RecruitmentGap> gaps;  // largest first

  nlohmann::json to_json() const;
  std::string to_text() const;  // a plain-English table for the CLI
};

// Members needed to bring `have` of `of` up to share t (0 when already there; t must be < 1).
int64_t members_to_add(int64_t have, int64_t of, double t);

// Census targets for the comma-separated `variables` ("ward,ethnicity,tenure") over a borough's
// wards, and with `by_ward` each ward's own targets for the variables other than ward.
struct CensusReportTargets {
  std::vector<analysis::CategoryTargets> borough;
  std::vector<WardTargets> wards;
};
Result<CensusReportTargets> census_report_targets(const std::string& census_dir, const std::string& variables,
                                                  const std::string& borough_code, bool by_ward);

// The pool as the store holds it: each member's facts valid on `today` (string values only).
std::vector<PoolRecord> pool_from_facts(const std::vector<std::pair<int64_t, std::vector<Fact>>>& facts, Date today);

Result<PoolReport> pool_report(const std::vector<PoolRecord>& pool, const std::vector<analysis::CategoryTargets>& targets,
                               const std::vector<WardTargets>& ward_targets = {}, const std::string& ward_key = "ward");

}  // namespace townhall::panel
