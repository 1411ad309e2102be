#include "leximin_internal.h"

namespace townhall::selection::leximin_internal {

double panel_value(const TypePanel& x, const std::vector<double>& w) {
  double v = 0;
  for (size_t t = 0; t < x.size(); ++t)
    if (x[t]) v += w[t] * x[t];
  return v;
}

std::vector<size_t> best_panels(const std::vector<TypePanel>& panels, const std::vector<double>& w, size_t count) {
  std::vector<std::pair<double, size_t>> ranked;
  ranked.reserve(panels.size());
  for (size_t j = 0; j < panels.size(); ++j) ranked.push_back({panel_value(panels[j], w), j});
  count = std::min(count, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<long>(count), ranked.end(),
                    [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<size_t> out(count);
  for (size_t i = 0; i < count; ++i) out[i] = ranked[i].second;
  return out;
}

std::optional<TypePanel> integral_panel(const std::vector<double>& x, size_t types) {
  TypePanel panel(types);
  for (size_t t = 0; t < types; ++t) {
    const double r = std::round(x[t]);
    if (std::abs(x[t] - r) > 1e-9) return std::nullopt;
    panel[t] = static_cast<int>(r);
  }
  return panel;
}

double cpu_since(std::clock_t start) { return static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC; }

void add_panel_column(LpModel& lp, int conv_row, const std::vector<int>& type_row, const std::vector<double>& count,
                      const TypePanel& p) {
  std::vector<int> rows{conv_row};
  std::vector<double> vals{1.0};
  for (size_t t = 0; t < p.size(); ++t)
    if (p[t] > 0) {
      rows.push_back(type_row[t]);
      vals.push_back(p[t] / count[t]);
    }
  lp.add_column(0, kLpInfinity, 0.0, rows, vals);
}

void set_support(PanelDistribution& dist, const std::vector<TypePanel>& panels, const std::vector<double>& p,
                 size_t people) {
  const TypeModel& tm = dist.types;
  dist.panels.clear();
  dist.weights.clear();
  const size_t J = std::min(panels.size(), p.size());
  double total = 0;
  for (size_t j = 0; j < J; ++j)
    if (p[j] > 1e-12) total += p[j];
  for (size_t j = 0; j < J; ++j)
    if (p[j] > 1e-12) {
      dist.panels.push_back(panels[j]);
      dist.weights.push_back(p[j] / total);
    }
  dist.probabilities.assign(people, 0.0);
  for (size_t j = 0; j < dist.panels.size(); ++j)
    for (size_t t = 0; t < tm.members.size(); ++t)
      if (dist.panels[j][t] > 0) {
        double share = dist.weights[j] * dist.panels[j][t] / static_cast<double>(tm.members[t].size());
        for (int person : tm.members[t]) dist.probabilities[static_cast<size_t>(person)] += share;
      }
}

void certify(PanelDistribution& dist, const std::vector<double>& bound, const std::vector<int>& level_of, int levels,
             bool open_last, double dual_bound) {
  LeximinCertificate& c = dist.certificate;
  const TypeModel& tm = dist.types;
  c.levels.assign(static_cast<size_t>(std::max(0, levels)), LeximinLevel{});
  std::vector<char> seen(c.levels.size(), 0);
  for (size_t t = 0; t < tm.members.size(); ++t) {
    if (level_of[t] < 0) continue;
    const size_t j = static_cast<size_t>(level_of[t]);
    const double p = dist.probabilities.empty() ? 0.0 : dist.probabilities[static_cast<size_t>(tm.members[t][0])];
    LeximinLevel& level = c.levels[j];
    level.bound = seen[j] ? std::max(level.bound, bound[t]) : bound[t];
    level.achieved = seen[j] ? std::min(level.achieved, p) : p;
    level.people += tm.members[t].size();
    seen[j] = 1;
  }
  if (open_last && !c.levels.empty()) c.levels.back().open = true;
  c.levels_total = levels;
  c.levels_certified = 0;
  c.max_shortfall = 0;
  bool prefix = true;
  for (const auto& level : c.levels) {
    c.max_shortfall = std::max(c.max_shortfall, level.bound - level.achieved);
    prefix = prefix && !level.open && level.bound - level.achieved <= c.tolerance;
    if (prefix) ++c.levels_certified;
  }
  c.dual_bound = dual_bound;
  c.certified = !open_last && levels > 0 && c.levels_certified == levels;
}

}  // namespace townhall::selection::leximin_internal
