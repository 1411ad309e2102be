// townhall/selection/leximin.h — LEXIMIN panel selection (Flanigan, Gölz, Gupta, Hennig, Procaccia,
// "Fair algorithms for selecting citizens' assemblies", Nature 2021).
//
// Finds the distribution over quota-feasible panels whose vector of selection probabilities is
// leximin-optimal: the lowest probability is as high as possible, then the second lowest, and so
// on. It works on types (problem.h): people with identical features share one probability.
// Relaxation first: the LEXIMIN vector of the LP relaxation of the panel polytope (a short sequence
// of LPs over type counts, no panels) bounds the true one level by level. Carathéodory steps then
// write a point of the relaxation that meets that vector as a mixture of panels: each step takes
// an integer panel on the smallest face containing what is left (an LP vertex, its fractional
// counts rounded by a small integer programme when needed) with the largest weight that keeps the
// rest in the relaxation. They stop once nobody is more than kLeximinTolerance / 2 short: the
// result is then within kLeximinTolerance of a vector nothing can beat, which is the certificate.
// If a face holds no integer panel (the relaxation is not always integral), column generation
// continues the decomposition (restricted LP over panels, swap-heuristic columns, exact pricing);
// if exact pricing proves the relaxation's LEXIMIN is no mixture of panels, the column-generation
// LEXIMIN over panels runs (Flanigan et al.): a restricted LP over the panels found (people fixed
// at an earlier level keep their probability; the minimum over the rest is maximised), integer
// pricing for the panel of most dual weight, and fixing of people with positive dual weight once no
// panel improves the LP; a level also stops once its value reaches the average of the unfixed
// people's remaining probability, which no minimum can exceed. Pricing solves the LP relaxation
// first (its value bounds the level; an integral optimum is the best panel) and runs CBC only when
// it is fractional; its duals are smoothed towards those with the best bound so far (Wentges).
// With a time limit, the best distribution found so far is returned with a certificate that says
// which levels are proven.
// Thread-safety: leximin() is re-entrant; the callback is called on the caller's thread.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "townhall/error.h"
#include "townhall/selection/problem.h"

namespace townhall::selection {

// The certificate's tolerance: a result is certified when nobody's probability is more than this
// below the bound for their level (far below what a lottery of 1 000 or even 100 000 panels can
// represent). It also covers the LP solver's own tolerances.
inline constexpr double kLeximinTolerance = 1e-6;

struct LeximinProgress {
  // "relaxation": LEXIMIN levels of the LP relaxation (lower = upper = the level's value);
  // "decomposition": writing that vector as a mixture of panels (Carathéodory steps, then if they
  // stop short a column generation; lower/upper bound the largest shortfall, <= 0, 0 means done);
  // "column generation": the column-generation LEXIMIN over panels (bounds of the current level).
  const char* phase = "levels";
  int level = 0;              // levels completed (relaxation, column generation)
  int levels_total = 0;       // decomposition: levels of the relaxation's LEXIMIN (0: not known yet)
  int levels_certified = 0;   // decomposition: leading levels already within the tolerance
  size_t people_fixed = 0;    // people whose probability is final
  size_t people_total = 0;
  double lower = 0;           // current level: achievable minimum with the panels found so far
  double upper = 0;           // current level: upper bound (the unfixed average until pricing proves the level optimal)
  double residual = 0;        // decomposition: the most anyone's probability would fall short if it stopped now
  double tolerance = kLeximinTolerance;  // ... and what it must fall to
  size_t panels = 0;          // panels generated so far
  double elapsed = 0;         // wall seconds since leximin() started
  double estimate = -1;       // wall seconds the current phase still needs (< 0: no estimate yet)
  double lp_seconds = 0;      // CPU time so far in the restricted LP
  double mip_seconds = 0;     // CPU time so far in exact pricing (LP relaxation + CBC)
};

// One line a person can read: phase, level k of n, residual, elapsed time and the estimate.
std::string describe_progress(const LeximinProgress& progress);

struct LeximinOptions {
  std::function<void(const LeximinProgress&)> progress;  // may be empty
  // > 0: wall-clock limit in seconds. When it passes, leximin() stops and returns the best
  // distribution found so far with its certificate (certified_levels says how much of the LEXIMIN
  // is proven); only when not a single panel has been found yet does it fail (kInternal
  // "time-limit").
  double max_seconds = 0;
  // May be empty. Asked between steps; returning true stops leximin() as the time limit does.
  std::function<bool()> stop;
  // Compute the LEXIMIN of the LP relaxation first and try to decompose it into panels (exact when
  // it succeeds); on failure the column-generation LEXIMIN runs, seeded with the panels found.
  bool relaxation_first = true;
};

// One level of the LEXIMIN: its people (those fixed at it), the bound for the lowest probability
// among them and the lowest one the result gives.
struct LeximinLevel {
  double bound = 0;      // nobody can do better (relaxation's LEXIMIN, or a pricing bound)
  double achieved = 0;   // lowest probability of this level's people in the result
  size_t people = 0;
  bool open = false;     // stopped early while this level was being computed: bound is its current upper bound
};

struct LeximinPhase {
  std::string name;      // "relaxation", "decomposition", "column generation"
  double seconds = 0;    // wall
  double cpu_seconds = 0;  // the process's CPU time (in a server, other threads' too)
};

// What is proven about a result. Every panel in the support meets every quota and household rule
// whatever this says; the certificate is about fairness (how close to the LEXIMIN it is).
struct LeximinCertificate {
  bool certified = false;       // every level within `tolerance` of its bound: the LEXIMIN, proven
  bool stopped_early = false;   // the time limit passed before the method finished
  std::string method;           // "relaxation + Carathéodory", "relaxation + column generation", "column generation"
  double tolerance = kLeximinTolerance;
  double max_shortfall = 0;     // largest bound - probability over everyone (<= 0: none short)
  double dual_bound = 0;        // no distribution over panels gives everybody more than this
  int levels_certified = 0;     // leading levels within the tolerance (a proven LEXIMIN prefix)
  int levels_total = 0;
  std::vector<LeximinLevel> levels;
  std::vector<LeximinPhase> phases;

  // Plain words: "certified LEXIMIN: all 15 levels within 1.0e-06 of the best possible (lowest
  // probability 0.007216, and no draw can give everybody more than 0.007216)" or "stopped at the
  // time limit: levels 1-3 of 15 certified (lowest probability ...); probabilities may be up to
  // 0.002100 below the best possible".
  std::string summary() const;
};

struct PanelDistribution {
  TypeModel types;
  std::vector<TypePanel> panels;    // panels in the support
  std::vector<double> weights;      // probability of each panel; sums to 1
  std::vector<double> probabilities;  // per person
  std::vector<int> infeasible_people; // people who fit in no quota-feasible panel (probability 0)
  size_t panels_generated = 0;      // all panels the column generation produced
  int levels = 0;
  bool relaxation_decomposed = false;  // the result is the relaxation's LEXIMIN, realised (within the tolerance)
  double relaxation_shortfall = 0;     // then: largest amount by which a type falls short of it (<= kLeximinTolerance)
  size_t mip_calls = 0;             // integer programmes solved with CBC (branch and bound)
  size_t heuristic_panels = 0;      // panels found by the swap heuristic instead
  double lp_seconds = 0;            // CPU time in the restricted LP
  double mip_seconds = 0;           // CPU time in exact pricing (LP relaxation + CBC)
  LeximinCertificate certificate;
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

}  // namespace townhall::selection
