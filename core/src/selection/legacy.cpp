#include "townhall/selection/legacy.h"

#include <algorithm>
#include <map>

namespace townhall::selection {
namespace {

std::optional<std::vector<int>> attempt(const SelectionProblem& p, Xoshiro256& rng,
                                        const std::vector<int>& household_id) {
  const size_t n = p.people.size();
  const size_t C = p.categories.size();
  std::vector<char> available(n, 1);
  size_t available_count = n;
  std::vector<std::vector<int>> avail_by_value(C), selected_by_value(C);
  for (size_t c = 0; c < C; ++c) {
    avail_by_value[c].assign(p.categories[c].values.size(), 0);
    selected_by_value[c].assign(p.categories[c].values.size(), 0);
  }
  for (size_t i = 0; i < n; ++i)
    for (size_t c = 0; c < C; ++c) avail_by_value[c][static_cast<size_t>(p.people[i][c])]++;
  auto remove = [&](size_t i) {
    if (!available[i]) return;
    available[i] = 0;
    --available_count;
    for (size_t c = 0; c < C; ++c) avail_by_value[c][static_cast<size_t>(p.people[i][c])]--;
  };
  std::vector<int> panel;
  std::vector<size_t> candidates;
  for (int seat = 0; seat < p.k; ++seat) {
    double best_ratio = -1;
    size_t best_c = C, best_v = 0;
    for (size_t c = 0; c < C; ++c)
      for (size_t v = 0; v < p.categories[c].values.size(); ++v) {
        int need = p.categories[c].min[v] - selected_by_value[c][v];
        if (need <= 0) continue;
        if (avail_by_value[c][v] < need) return std::nullopt;  // this minimum can no longer be met
        double ratio = static_cast<double>(need) / avail_by_value[c][v];
        if (ratio > best_ratio) {
          best_ratio = ratio;
          best_c = c;
          best_v = v;
        }
      }
    candidates.clear();
    for (size_t i = 0; i < n; ++i)
      if (available[i] && (best_c == C || p.people[i][best_c] == static_cast<int>(best_v))) candidates.push_back(i);
    if (candidates.empty()) return std::nullopt;
    size_t chosen = candidates[rng.below(candidates.size())];
    panel.push_back(static_cast<int>(chosen));
    remove(chosen);
    for (size_t c = 0; c < C; ++c) {
      size_t v = static_cast<size_t>(p.people[chosen][c]);
      selected_by_value[c][v]++;
      if (selected_by_value[c][v] >= p.categories[c].max[v]) {
        for (size_t i = 0; i < n; ++i)
          if (available[i] && p.people[i][c] == static_cast<int>(v)) remove(i);
      }
    }
    if (household_id[chosen] >= 0) {
      for (size_t i = 0; i < n; ++i)
        if (available[i] && household_id[i] == household_id[chosen]) remove(i);
    }
  }
  for (size_t c = 0; c < C; ++c)
    for (size_t v = 0; v < p.categories[c].values.size(); ++v)
      if (selected_by_value[c][v] < p.categories[c].min[v]) return std::nullopt;
  std::sort(panel.begin(), panel.end());
  return panel;
}

std::vector<int> household_ids(const SelectionProblem& p) {
  std::vector<int> ids(p.people.size(), -1);
  std::map<std::string, int> index;
  for (size_t i = 0; i < p.household.size(); ++i) {
    if (p.household[i].empty()) continue;
    auto [it, inserted] = index.emplace(p.household[i], static_cast<int>(index.size()));
    ids[i] = it->second;
  }
  return ids;
}

}  // namespace

std::optional<std::vector<int>> legacy_draw(const SelectionProblem& problem, Xoshiro256& rng,
                                            int max_attempts) {
  auto hh = household_ids(problem);
  for (int a = 0; a < max_attempts; ++a) {
    auto panel = attempt(problem, rng, hh);
    if (panel) return panel;
  }
  return std::nullopt;
}

LegacyEstimate legacy_probabilities(const SelectionProblem& problem, uint64_t seed, int runs) {
  LegacyEstimate est;
  est.probabilities.assign(problem.people.size(), 0.0);
  Xoshiro256 rng(seed);
  auto hh = household_ids(problem);
  for (int r = 0; r < runs; ++r) {
    std::optional<std::vector<int>> panel;
    for (int a = 0; a < 1000 && !panel; ++a) panel = attempt(problem, rng, hh);
    if (!panel) {
      ++est.failed_runs;
      continue;
    }
    ++est.runs;
    for (int i : *panel) est.probabilities[static_cast<size_t>(i)] += 1.0;
  }
  if (est.runs > 0)
    for (auto& x : est.probabilities) x /= est.runs;
  return est;
}

}  // namespace townhall::selection
