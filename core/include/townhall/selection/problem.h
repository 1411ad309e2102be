// townhall/selection/problem.h — a selection problem ready for an algorithm, and its people grouped
// into types.
//
// A SelectionProblem is what remains after already-selected people are placed on the panel and
// excluded people are removed: the available people, the number of seats still to fill and the
// quota bounds still to meet. People with identical feature vectors are interchangeable, so the
// algorithms work on types (groups of such people); a person who shares a household with another
// available person is a type of their own so that the one-per-household rule can be expressed.
// A TypePanel says how many people of each type sit on a panel; it stands for the uniform mixture
// of all concrete panels with those counts, each of which meets every quota and household rule.
// Thread-safety: plain values.
#pragma once

#include <string>
#include <vector>

#include "townhall/selection/instance.h"

namespace townhall::selection {

struct SelectionProblem {
  std::vector<Category> categories;         // bounds still to meet (already-selected removed)
  std::vector<std::vector<int>> people;     // per available person: value index per category
  std::vector<std::string> household;       // per available person; "" = no household rule
  int k = 0;                                // seats still to fill
};

struct TypeModel {
  std::vector<std::vector<int>> members;    // per type: person indices (ascending)
  std::vector<int> type_of;                 // per person
  std::vector<std::vector<int>> households; // groups of types (singletons) of which at most one may sit
};

TypeModel build_types(const SelectionProblem& problem);

using TypePanel = std::vector<int>;  // count per type

// Concrete panel for a type panel: for each type t, members[t][(offset[t] + j) % size] for
// j < count. `offset` may be empty (all zero).
std::vector<int> expand_panel(const TypeModel& types, const TypePanel& panel,
                              const std::vector<size_t>& offset = {});

// True when a concrete panel (person indices) has exactly k people, meets every quota bound and
// has at most one person per household.
bool panel_is_valid(const SelectionProblem& problem, const std::vector<int>& panel);

}  // namespace townhall::selection
