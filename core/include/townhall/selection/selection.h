// townhall/selection/selection.h — drawing a Citizens' Panel: the whole procedure from a loaded
// instance to the selected people, with probabilities, fairness figures and a commitment.
//
// Procedure: (1) already-selected people are placed on the panel and the quotas and panel size are
// reduced by them; excluded people (and, with households, everyone at an already-selected
// person's address) are removed from the pool. (2) LEXIMIN (or the legacy greedy draw) gives every
// available person a selection probability. (3) A commitment — SHA-256 over a canonical
// serialisation of the inputs, the settings and the algorithm version, but not the seed — can be
// published before the seed is revealed. (4) The seed drives a xoshiro256** generator (prng.h)
// that draws one panel from the distribution (optionally from a uniform lottery over m panels).
// Thread-safety: select_panel is re-entrant.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/error.h"
#include "townhall/selection/instance.h"
#include "townhall/selection/leximin.h"

namespace townhall::selection {

inline constexpr const char* kSelectionAlgorithmVersion = "townhall-panel-select/1";

enum class Algorithm { kLeximin, kLegacy };

struct SelectionOptions {
  int k = 0;
  Algorithm algorithm = Algorithm::kLeximin;
  uint64_t seed = 0;
  bool households = false;                   // one per household (Person::household keys)
  std::vector<std::string> already_selected;  // ids (in the pool) already on the panel
  std::vector<Person> already_selected_external;  // already on the panel but not in the pool
  std::vector<std::string> exclude;           // ids not to select
  int lottery_panels = 0;                     // > 0: round to a uniform lottery over m panels
  int legacy_runs = 2000;                     // Monte Carlo draws for legacy probabilities
  double max_seconds = 0;                     // > 0: LEXIMIN's wall-clock limit (leximin.h: the best found so far is drawn from)
  std::function<void(const LeximinProgress&)> progress;
};

struct LotteryReport {
  int panels = 0;
  double max_change = 0;   // max |p_lottery - p| over people
  double mean_change = 0;  // mean |p_lottery - p|
};

struct SelectionResult {
  std::string algorithm;
  std::vector<std::string> selected;                        // ids, already-selected first
  std::vector<std::pair<std::string, double>> probabilities;  // every pool person, pool order
  double min_probability = 0;     // over people available for selection
  double gini = 0;                // of the available people's probabilities
  size_t panels_in_support = 0;
  uint64_t seed = 0;
  std::string commitment;
  double seconds = 0;
  std::vector<std::string> infeasible_people;  // fit no quota-feasible panel
  std::optional<LotteryReport> lottery;
  int legacy_runs = 0;            // Monte Carlo draws behind legacy probabilities
  int levels = 0;                 // LEXIMIN levels
  size_t panels_generated = 0;
  std::optional<LeximinCertificate> certificate;  // LEXIMIN: what is proven about the probabilities
};

// The certificate as a JSON object for reports: certified, summary, stopped_early, method,
// tolerance, max_shortfall, dual_bound, levels_certified, levels_total, levels [{bound, achieved,
// people, open}].
nlohmann::json certificate_json(const LeximinCertificate& certificate);
// Time per phase: [{phase, seconds, cpu_seconds}] (wall and CPU seconds).
nlohmann::json phases_json(const LeximinCertificate& certificate);

// The commitment: lower-case hex SHA-256 of the canonical serialisation below.
std::string selection_commitment(const Instance& instance, const SelectionOptions& options);
std::string canonical_serialisation(const Instance& instance, const SelectionOptions& options);

// Builds the reduced problem (step 1). Errors: unknown ids, k out of range, already-selected
// people breaking a maximum. `available` receives the pool index of each problem person.
Result<SelectionProblem> reduce_problem(const Instance& instance, const SelectionOptions& options,
                                        std::vector<size_t>* available);

// Explains infeasible quotas: the minimal relaxation and a readable message.
std::string describe_infeasibility(const SelectionProblem& problem);

Result<SelectionResult> select_panel(const Instance& instance, const SelectionOptions& options);

// Gini coefficient of a vector of non-negative values (0 = all equal).
double gini(std::vector<double> values);

// Rounds a distribution to integer multiples of 1/m (largest remainders); counts sum to m.
std::vector<int> round_to_lottery(const std::vector<double>& weights, int m);

}  // namespace townhall::selection
