#include "townhall/selection/problem.h"

#include <algorithm>
#include <map>
#include <set>

namespace townhall::selection {

TypeModel build_types(const SelectionProblem& problem) {
  TypeModel tm;
  const size_t n = problem.people.size();
  std::map<std::string, int> household_size;
  for (size_t i = 0; i < n; ++i)
    if (!problem.household.empty() && !problem.household[i].empty()) household_size[problem.household[i]]++;
  std::map<std::vector<int>, int> by_features;
  std::map<std::string, std::vector<int>> household_types;
  tm.type_of.assign(n, -1);
  for (size_t i = 0; i < n; ++i) {
    bool shared = !problem.household.empty() && !problem.household[i].empty() &&
                  household_size[problem.household[i]] > 1;
    int t;
    if (shared) {
      t = static_cast<int>(tm.members.size());
      tm.members.push_back({});
      household_types[problem.household[i]].push_back(t);
    } else {
      auto [it, inserted] = by_features.emplace(problem.people[i], static_cast<int>(tm.members.size()));
      if (inserted) tm.members.push_back({});
      t = it->second;
    }
    tm.members[static_cast<size_t>(t)].push_back(static_cast<int>(i));
    tm.type_of[i] = t;
  }
  for (auto& [key, types] : household_types) tm.households.push_back(types);
  return tm;
}

std::vector<int> expand_panel(const TypeModel& types, const TypePanel& panel,
                              const std::vector<size_t>& offset) {
  std::vector<int> out;
  for (size_t t = 0; t < panel.size(); ++t) {
    const auto& m = types.members[t];
    size_t off = offset.empty() ? 0 : offset[t];
    for (int j = 0; j < panel[t]; ++j) out.push_back(m[(off + static_cast<size_t>(j)) % m.size()]);
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool panel_is_valid(const SelectionProblem& problem, const std::vector<int>& panel) {
  if (static_cast<int>(panel.size()) != problem.k) return false;
  std::set<int> seen(panel.begin(), panel.end());
  if (seen.size() != panel.size()) return false;
  for (size_t c = 0; c < problem.categories.size(); ++c) {
    std::vector<int> count(problem.categories[c].values.size(), 0);
    for (int p : panel) {
      if (p < 0 || static_cast<size_t>(p) >= problem.people.size()) return false;
      count[static_cast<size_t>(problem.people[static_cast<size_t>(p)][c])]++;
    }
    for (size_t v = 0; v < count.size(); ++v)
      if (count[v] < problem.categories[c].min[v] || count[v] > problem.categories[c].max[v]) return false;
  }
  if (!problem.household.empty()) {
    std::set<std::string> hh;
    for (int p : panel) {
      const auto& h = problem.household[static_cast<size_t>(p)];
      if (!h.empty() && !hh.insert(h).second) return false;
    }
  }
  return true;
}

}  // namespace townhall::selection
