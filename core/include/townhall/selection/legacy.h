// townhall/selection/legacy.h — the old greedy quota draw, kept as a baseline for LEXIMIN.
//
// One draw: repeatedly find the category value whose minimum is furthest from met relative to the
// people still available with that value ((min - selected) / available), pick a uniformly random
// available person with that value, and remove everyone whose value has reached its maximum (and,
// with households, everyone at the same address). If all minimums are met the pick is from all
// available people. A draw that gets stuck or ends with an unmet minimum is restarted.
// Selection probabilities are estimated by Monte Carlo over repeated draws.
// Thread-safety: re-entrant.
#pragma once

#include <optional>
#include <vector>

#include "townhall/selection/prng.h"
#include "townhall/selection/problem.h"

namespace townhall::selection {

// One panel (person indices), or nothing after `max_attempts` failed restarts.
std::optional<std::vector<int>> legacy_draw(const SelectionProblem& problem, Xoshiro256& rng,
                                            int max_attempts = 1000);

struct LegacyEstimate {
  std::vector<double> probabilities;  // per person: share of the runs that selected them
  int runs = 0;
  int failed_runs = 0;
};

// Monte Carlo estimate of the selection probabilities from `runs` draws.
LegacyEstimate legacy_probabilities(const SelectionProblem& problem, uint64_t seed, int runs);

}  // namespace townhall::selection
