#include "townhall/selection/selection.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

#include "townhall/selection/legacy.h"
#include "townhall/selection/prng.h"
#include "townhall/util/sha256.h"

namespace townhall::selection {
namespace {

// Length-prefixed field so that no value can forge a separator.
void field(std::ostringstream& out, const std::string& s) { out << s.size() << ':' << s << ';'; }

}  // namespace

std::string canonical_serialisation(const Instance& inst, const SelectionOptions& o) {
  std::ostringstream out;
  out << kSelectionAlgorithmVersion << '\n';
  out << "algorithm=" << (o.algorithm == Algorithm::kLeximin ? "leximin" : "legacy") << '\n';
  out << "k=" << o.k << '\n';
  out << "households=" << (o.households ? 1 : 0) << '\n';
  out << "lottery=" << o.lottery_panels << '\n';
  if (o.algorithm == Algorithm::kLegacy) out << "legacy_runs=" << o.legacy_runs << '\n';
  out << "categories=" << inst.categories.size() << '\n';
  for (const auto& c : inst.categories) {
    field(out, c.name);
    for (size_t v = 0; v < c.values.size(); ++v) {
      field(out, c.values[v]);
      out << c.min[v] << ',' << c.max[v] << ';';
    }
    out << '\n';
  }
  out << "people=" << inst.people.size() << '\n';
  for (const auto& p : inst.people) {
    field(out, p.id);
    for (size_t c = 0; c < p.values.size(); ++c) field(out, inst.categories[c].values[static_cast<size_t>(p.values[c])]);
    if (o.households) field(out, p.household);
    out << '\n';
  }
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  out << "already_selected=" << o.already_selected.size() << '\n';
  for (const auto& id : sorted(o.already_selected)) field(out, id);
  out << "\nalready_selected_external=" << o.already_selected_external.size() << '\n';
  for (const auto& person : o.already_selected_external) {
    field(out, person.id);
    for (size_t c = 0; c < person.values.size(); ++c) field(out, inst.categories[c].values[static_cast<size_t>(person.values[c])]);
    if (o.households) field(out, person.household);
    out << '\n';
  }
  out << "\nexclude=" << o.exclude.size() << '\n';
  for (const auto& id : sorted(o.exclude)) field(out, id);
  out << '\n';
  return out.str();
}

std::string selection_commitment(const Instance& inst, const SelectionOptions& o) {
  return sha256_hex(canonical_serialisation(inst, o));
}

Result<SelectionProblem> reduce_problem(const Instance& inst, const SelectionOptions& o,
                                        std::vector<size_t>* available) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < inst.people.size(); ++i) index[inst.people[i].id] = i;
  std::set<size_t> already, excluded;
  for (const auto& id : o.already_selected) {
    auto it = index.find(id);
    if (it == index.end()) return Error{ErrorCode::kNotFound, "already-selected", "already-selected id '" + id + "' is not in the pool"};
    already.insert(it->second);
  }
  for (const auto& id : o.exclude) {
    auto it = index.find(id);
    if (it == index.end()) return Error{ErrorCode::kNotFound, "exclude", "excluded id '" + id + "' is not in the pool"};
    if (already.count(it->second)) return Error{ErrorCode::kConflict, "exclude", "id '" + id + "' is both already selected and excluded"};
    excluded.insert(it->second);
  }
  if (o.k <= 0) return invalid_argument("size", "panel size must be positive");
  if (static_cast<size_t>(o.k) > inst.people.size()) {
    return invalid_argument("size", "panel size " + std::to_string(o.k) + " exceeds the pool of " +
                                        std::to_string(inst.people.size()) + " people");
  }
  const size_t already_count = already.size() + o.already_selected_external.size();
  if (already_count > static_cast<size_t>(o.k)) {
    return invalid_argument("already-selected", std::to_string(already_count) +
                                                    " people already selected but the panel size is " + std::to_string(o.k));
  }
  SelectionProblem p;
  p.categories = inst.categories;
  p.k = o.k - static_cast<int>(already_count);
  std::set<std::string> taken_households;
  std::vector<const Person*> placed;
  for (size_t i : already) placed.push_back(&inst.people[i]);
  for (const auto& person : o.already_selected_external) placed.push_back(&person);
  for (const Person* person : placed) {
    for (size_t c = 0; c < p.categories.size(); ++c) {
      size_t v = static_cast<size_t>(person->values[c]);
      p.categories[c].min[v] = std::max(0, p.categories[c].min[v] - 1);
      p.categories[c].max[v] -= 1;
      if (p.categories[c].max[v] < 0) {
        return Error{ErrorCode::kInfeasible, p.categories[c].name,
                     "already-selected people exceed the maximum for " + p.categories[c].name + " = " +
                         p.categories[c].values[v]};
      }
    }
    if (o.households && !person->household.empty()) taken_households.insert(person->household);
  }
  available->clear();
  for (size_t i = 0; i < inst.people.size(); ++i) {
    if (already.count(i) || excluded.count(i)) continue;
    if (o.households && taken_households.count(inst.people[i].household)) continue;
    available->push_back(i);
    p.people.push_back(inst.people[i].values);
    p.household.push_back(o.households ? inst.people[i].household : std::string());
  }
  if (static_cast<size_t>(p.k) > p.people.size()) {
    return invalid_argument("size", "only " + std::to_string(p.people.size()) + " people are available for the " +
                                        std::to_string(p.k) + " seats still to fill");
  }
  return p;
}

std::string describe_infeasibility(const SelectionProblem& problem) {
  std::ostringstream msg;
  msg << "no panel of " << problem.k << " meets all the quotas.";
  auto relax = suggest_relaxation(problem);
  if (!relax.empty()) {
    msg << " Smallest change that makes a panel possible:";
    for (const auto& r : relax) {
      msg << "\n  " << r.category << " = " << r.value << ": ";
      if (r.new_min != r.min) msg << "min " << r.min << " -> " << r.new_min;
      if (r.new_min != r.min && r.new_max != r.max) msg << ", ";
      if (r.new_max != r.max) msg << "max " << r.max << " -> " << r.new_max;
    }
  }
  return msg.str();
}

nlohmann::json certificate_json(const LeximinCertificate& c) {
  nlohmann::json levels = nlohmann::json::array();
  for (const auto& l : c.levels) {
    levels.push_back({{"bound", l.bound}, {"achieved", l.achieved}, {"people", l.people}, {"open", l.open}});
  }
  nlohmann::json j;
  j["certified"] = c.certified;
  j["summary"] = c.summary();
  j["stopped_early"] = c.stopped_early;
  j["method"] = c.method;
  j["tolerance"] = c.tolerance;
  j["max_shortfall"] = c.max_shortfall;
  j["dual_bound"] = c.dual_bound;
  j["levels_certified"] = c.levels_certified;
  j["levels_total"] = c.levels_total;
  j["levels"] = levels;
  return j;
}

nlohmann::json phases_json(const LeximinCertificate& c) {
  nlohmann::json phases = nlohmann::json::array();
  for (const auto& p : c.phases) phases.push_back({{"phase", p.name}, {"seconds", p.seconds}, {"cpu_seconds", p.cpu_seconds}});
  return phases;
}

double gini(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  double sum = std::accumulate(v.begin(), v.end(), 0.0);
  if (sum <= 0) return 0;
  double weighted = 0;
  for (size_t i = 0; i < v.size(); ++i) weighted += static_cast<double>(i + 1) * v[i];
  const double n = static_cast<double>(v.size());
  return std::max(0.0, 2.0 * weighted / (n * sum) - (n + 1.0) / n);
}

std::vector<int> round_to_lottery(const std::vector<double>& w, int m) {
  std::vector<int> counts(w.size(), 0);
  std::vector<std::pair<double, size_t>> rem;
  int total = 0;
  for (size_t j = 0; j < w.size(); ++j) {
    double x = w[j] * m;
    counts[j] = static_cast<int>(std::floor(x));
    total += counts[j];
    rem.push_back({x - counts[j], j});
  }
  std::stable_sort(rem.begin(), rem.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = 0; total < m && i < rem.size(); ++i, ++total) counts[rem[i].second]++;
  return counts;
}

Result<SelectionResult> select_panel(const Instance& inst, const SelectionOptions& o) {
  auto start = std::chrono::steady_clock::now();
  std::vector<size_t> avail;
  auto problem = reduce_problem(inst, o, &avail);
  if (!problem) return problem.error();
  const SelectionProblem& p = *problem;
  SelectionResult r;
  r.seed = o.seed;
  r.commitment = selection_commitment(inst, o);
  r.algorithm = o.algorithm == Algorithm::kLeximin ? "leximin" : "legacy";
  if (p.k > 0 && !quotas_feasible(p)) return Error{ErrorCode::kInfeasible, "quotas", describe_infeasibility(p)};

  std::vector<double> prob(p.people.size(), 0.0);
  std::vector<int> drawn;  // problem indices
  Xoshiro256 rng(o.seed);
  if (p.k == 0) {
    // Nothing to fill.
  } else if (o.algorithm == Algorithm::kLeximin) {
    LeximinOptions lo;
    lo.progress = o.progress;
    lo.max_seconds = o.max_seconds;
    auto dist = leximin(p, lo);
    if (!dist) return dist.error();
    prob = dist->probabilities;
    r.panels_in_support = dist->panels.size();
    r.levels = dist->levels;
    r.panels_generated = dist->panels_generated;
    r.certificate = dist->certificate;
    for (int i : dist->infeasible_people) r.infeasible_people.push_back(inst.people[avail[static_cast<size_t>(i)]].id);
    const TypeModel& tm = dist->types;
    if (o.lottery_panels > 0) {
      auto counts = round_to_lottery(dist->weights, o.lottery_panels);
      std::vector<size_t> offset(tm.members.size(), 0);
      std::vector<std::vector<int>> lottery;
      for (size_t j = 0; j < dist->panels.size(); ++j)
        for (int c = 0; c < counts[j]; ++c) {
          lottery.push_back(expand_panel(tm, dist->panels[j], offset));
          for (size_t t = 0; t < offset.size(); ++t) offset[t] += static_cast<size_t>(dist->panels[j][t]);
        }
      std::vector<double> lp(p.people.size(), 0.0);
      for (const auto& panel : lottery)
        for (int i : panel) lp[static_cast<size_t>(i)] += 1.0 / o.lottery_panels;
      LotteryReport rep;
      rep.panels = o.lottery_panels;
      for (size_t i = 0; i < lp.size(); ++i) {
        double d = std::abs(lp[i] - prob[i]);
        rep.max_change = std::max(rep.max_change, d);
        rep.mean_change += d / static_cast<double>(lp.size());
      }
      r.lottery = rep;
      drawn = lottery[rng.below(lottery.size())];
    } else {
      double u = rng.uniform(), acc = 0;
      size_t chosen = dist->panels.size() - 1;
      for (size_t j = 0; j < dist->panels.size(); ++j) {
        acc += dist->weights[j];
        if (u < acc) {
          chosen = j;
          break;
        }
      }
      const TypePanel& tp = dist->panels[chosen];
      for (size_t t = 0; t < tp.size(); ++t) {
        std::vector<int> members = tm.members[t];
        for (int j = 0; j < tp[t]; ++j) {  // partial Fisher-Yates
          size_t pick = static_cast<size_t>(j) + rng.below(members.size() - static_cast<size_t>(j));
          std::swap(members[static_cast<size_t>(j)], members[pick]);
          drawn.push_back(members[static_cast<size_t>(j)]);
        }
      }
    }
  } else {
    auto panel = legacy_draw(p, rng);
    if (!panel) return Error{ErrorCode::kInfeasible, "quotas", "the legacy draw failed after 1000 restarts"};
    drawn = *panel;
    auto est = legacy_probabilities(p, o.seed ^ 0x5bd1e995ULL, o.legacy_runs);
    prob = est.probabilities;
    r.legacy_runs = est.runs;
  }
  std::sort(drawn.begin(), drawn.end());

  std::set<std::string> already(o.already_selected.begin(), o.already_selected.end());
  for (const auto& person : inst.people)
    if (already.count(person.id)) r.selected.push_back(person.id);
  for (const auto& person : o.already_selected_external) r.selected.push_back(person.id);
  for (int i : drawn) r.selected.push_back(inst.people[avail[static_cast<size_t>(i)]].id);
  std::vector<double> full(inst.people.size(), 0.0);
  for (size_t i = 0; i < inst.people.size(); ++i)
    if (already.count(inst.people[i].id)) full[i] = 1.0;
  for (size_t j = 0; j < avail.size(); ++j) full[avail[j]] = prob[j];
  for (size_t i = 0; i < inst.people.size(); ++i) r.probabilities.push_back({inst.people[i].id, full[i]});
  r.min_probability = prob.empty() ? 0.0 : *std::min_element(prob.begin(), prob.end());
  r.gini = gini(prob);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace townhall::selection
