// townhall/panel/leximin.h — LEXIMIN panel selection (Flanigan, Gölz, Gupta, Hennig, Procaccia,
// "Fair algorithms for selecting citizens' assemblies", Nature 2021).
//
// Finds the distribution over quota-feasible panels whose vector of selection probabilities is
// leximin-optimal: the lowest probability is as high as possible, then the second lowest, and so
// on. Relaxation first: the LEXIMIN vector of the LP relaxation of the panel polytope (a sequence
// of small LPs over type counts, no panels) bounds the true one level by level; column generation
// then tries to write it as a mixture of panels (Frank-Wolfe seed panels, swap-heuristic columns,
// exact pricing to certify). If that succeeds the result is optimal (it attains the bound);
// otherwise exact pricing has proved it is not a mixture of panels, and the column-generation
// LEXIMIN below runs, seeded with the panels found. Column generation over panels: a restricted dual LP over the current panel set (people fixed
// at an earlier level keep their probability; the minimum over the rest is maximised), an integer
// pricing problem for the panel of maximum dual weight, and fixing of people with positive dual
// weight once no panel improves the LP. It works on types (problem.h): people with identical
// features share one probability. A level also stops once its LP value reaches the average of the
// unfixed people's remaining probability mass, which no minimum can exceed.
// Speed: pricing solves the LP relaxation of the panel model first (its value is an upper bound
// that certifies a level without branch and bound, and an integral optimum is the best panel);
// CBC runs only when the relaxation is fractional. Pricing duals are smoothed towards the duals
// with the best bound so far (Wentges), which cuts the number of rounds; the optimality
// certificate always uses the restricted LP's own duals. The warm start covers types with swaps
// and calls exact pricing only to find or rule out panels for types still uncovered.
// Thread-safety: leximin() is re-entrant; the callback is called on the caller's thread.
#pragma once

#include <functional>
#include <vector>

#include "townhall/error.h"
#include "townhall/panel/problem.h"

namespace townhall::panel {

struct LeximinProgress {
  // "relaxation": LEXIMIN levels of the LP relaxation (lower = upper = the level's value);
  // "decomposition": writing that vector as a mixture of panels (lower/upper bound the largest
  // shortfall, <= 0; 0 means done: first minus the probability not yet placed on panels by the
  // Carathéodory steps, then, if those stop short, the column generation's bounds); "levels":
  // column-generation LEXIMIN over panels.
  const char* phase = "levels";
  int level = 0;              // levels completed
  size_t people_fixed = 0;    // people whose probability is final
  size_t people_total = 0;
  double lower = 0;           // current level: achievable minimum with the panels found so far
  double upper = 0;           // current level: upper bound (the unfixed average until pricing proves the level optimal)
  size_t panels = 0;          // panels generated so far
  double lp_seconds = 0;      // CPU time so far in the restricted LP
  double mip_seconds = 0;     // CPU time so far in exact pricing (LP relaxation + CBC)
};

struct LeximinOptions {
  std::function<void(const LeximinProgress&)> progress;  // may be empty
  double max_cpu_seconds = 0;  // > 0: give up (kInternal "time limit") after this much CPU time
  // Compute the LEXIMIN of the LP relaxation first and try to decompose it into panels (exact when
  // it succeeds); on failure the column-generation LEXIMIN runs, seeded with the panels found.
  bool relaxation_first = true;
};

struct PanelDistribution {
  TypeModel types;
  std::vector<TypePanel> panels;    // panels in the support
  std::vector<double> weights;      // probability of each panel; sums to 1
  std::vector<double> probabilities;  // per person
  std::vector<int> infeasible_people; // people who fit in no quota-feasible panel (probability 0)
  size_t panels_generated = 0;      // all panels the column generation produced
  int levels = 0;
  bool relaxation_decomposed = false;  // the result is the relaxation's LEXIMIN, realised exactly
  double relaxation_shortfall = 0;     // then: largest amount by which a type falls short of it (<= 1e-6)
  size_t mip_calls = 0;             // pricing problems that needed CBC (branch and bound)
  size_t heuristic_panels = 0;      // panels found by the swap heuristic instead
  double lp_seconds = 0;            // CPU time in the restricted LP
  double mip_seconds = 0;           // CPU time in exact pricing (LP relaxation + CBC)
};

// Fails with kInfeasible when no panel meets the quotas (see diagnose_infeasible).
Result<PanelDistribution> leximin(const SelectionProblem& problem, const LeximinOptions& options = {});

// When the quotas cannot all be met: the smallest total relaxation of min/max bounds that makes
// a panel of size k possible (integer programme), one line per bound to change.
struct QuotaRelaxation {
  std::string category, value;
  int min = 0, max = 0;          // current bounds
  int new_min = 0, new_max = 0;  // suggested bounds
};
std::vector<QuotaRelaxation> suggest_relaxation(const SelectionProblem& problem);

// Is there any panel meeting all bounds? (integer programme)
bool quotas_feasible(const SelectionProblem& problem);

}  // namespace townhall::panel
