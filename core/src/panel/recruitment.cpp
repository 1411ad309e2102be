#include "townhall/panel/recruitment.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "townhall/analysis/representativeness.h"
#include "townhall/consultations/repeat_questions.h"

namespace townhall::panel {
namespace {

// Index of the target matching `value` by NFKC_Casefold words, or −1.
int32_t match(const std::vector<std::string>& keys, const std::string& value) {
  const std::string k = question_key(value);
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == k) return static_cast<int32_t>(i);
  }
  return -1;
}

std::vector<std::string> keys_of(const analysis::CategoryTargets& t) {
  std::vector<std::string> keys;
  for (const auto& v : t.values) keys.push_back(question_key(v.value));
  return keys;
}

void add_gaps(const std::vector<const PoolRecord*>& members, const analysis::CategoryTargets& t, const std::string& ward,
              std::vector<RecruitmentGap>& out) {
  auto keys = keys_of(t);
  std::vector<int64_t> counts(t.values.size(), 0);
  int64_t n = 0;
  for (const PoolRecord* m : members) {
    auto it = m->find(t.category);
    if (it == m->end() || it->second.empty()) continue;
    int32_t code = match(keys, it->second);
    if (code < 0) continue;
    ++counts[static_cast<size_t>(code)];
    ++n;
  }
  for (size_t i = 0; i < t.values.size(); ++i) {
    int64_t add = members_to_add(counts[i], n, t.values[i].share);
    if (add <= 0) continue;
    RecruitmentGap g{t.category, t.values[i].value, ward, counts[i], n, t.values[i].share, add, ""};
    g.text = "we need ~" + std::to_string(add) + " more member" + (add == 1 ? "" : "s") + " with " + t.category + " '" +
             t.values[i].value + "'" + (ward.empty() ? std::string() : " in " + ward);
    out.push_back(std::move(g));
  }
}

std::string fixed(double v, int places) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", places, v);
  return buf;
}

}  // namespace

Result<CensusReportTargets> census_report_targets(const std::string& census_dir, const std::string& variables,
                                                  const std::string& borough_code, bool by_ward) {
  auto wards = analysis::borough_ward_codes(borough_code);
  if (!wards) return wards.error();
  std::vector<std::string> vars;
  for (size_t i = 0; i <= variables.size();) {
    size_t comma = std::min(variables.find(',', i), variables.size());
    if (comma > i) vars.push_back(variables.substr(i, comma - i));
    i = comma + 1;
  }
  if (vars.empty()) return invalid_argument("variable", "name at least one census variable (ward, ethnicity, tenure, religion)");
  CensusReportTargets out;
  for (const auto& v : vars) {
    auto t = analysis::census_targets(census_dir, v, *wards, borough_code);
    if (!t) return t.error();
    out.borough.push_back(std::move(*t));
  }
  if (!by_ward) return out;
  auto names = analysis::census_ward_names(census_dir, *wards);
  if (!names) return names.error();
  for (const auto& [code, name] : *names) {
    WardTargets wt{name, {}};
    for (const auto& v : vars) {
      if (v == "ward") continue;
      auto t = analysis::census_targets(census_dir, v, {code}, name);
      if (!t) return t.error();
      wt.targets.push_back(std::move(*t));
    }
    out.wards.push_back(std::move(wt));
  }
  return out;
}

std::vector<PoolRecord> pool_from_facts(const std::vector<std::pair<int64_t, std::vector<Fact>>>& facts, Date today) {
  std::vector<PoolRecord> pool;
  for (const auto& [id, fs] : facts) {
    PoolRecord r;
    for (const auto& f : fs) {
      if (f.valid_on(today) && f.value.is_string()) r[f.key] = f.value.get<std::string>();
    }
    pool.push_back(std::move(r));
  }
  return pool;
}

int64_t members_to_add(int64_t have, int64_t of, double t) {
  if (t >= 1) return 0;  // adding members cannot bring a 100% target closer while others stay
  double n = (t * static_cast<double>(of) - static_cast<double>(have)) / (1 - t);
  if (n <= 1e-9) return 0;
  return static_cast<int64_t>(std::ceil(n - 1e-9));
}

Result<PoolReport> pool_report(const std::vector<PoolRecord>& pool, const std::vector<analysis::CategoryTargets>& targets,
                               const std::vector<WardTargets>& ward_targets, const std::string& ward_key) {
  PoolReport report;
  report.members = static_cast<int64_t>(pool.size());
  std::vector<const PoolRecord*> everyone;
  for (const auto& m : pool) everyone.push_back(&m);
  for (const auto& t : targets) {
    PoolCategory cat;
    cat.category = t.category;
    cat.source = t.source;
    auto keys = keys_of(t);
    std::vector<int32_t> codes;
    codes.reserve(pool.size());
    for (const auto& m : pool) {
      auto it = m.find(t.category);
      if (it == m.end() || it->second.empty()) {
        ++cat.missing;
        continue;
      }
      int32_t code = match(keys, it->second);
      if (code < 0) {
        ++cat.unmatched[it->second];
        continue;
      }
      codes.push_back(code);
    }
    std::vector<double> shares;
    for (const auto& v : t.values) shares.push_back(v.share);
    if (codes.empty()) {
      // A new panel, or one whose members have not given this fact yet: nothing to fit, but the
      // targets and the missing and unmatched counts are still the report.
      double total = 0;
      for (double share : shares) total += share;
      cat.fitted = false;
      for (const auto& v : t.values) {
        cat.values.push_back({v.value, 0, 0, total > 0 ? v.share / total : 0, 0,
                              std::numeric_limits<double>::quiet_NaN(), false});
      }
      report.categories.push_back(std::move(cat));
      continue;
    }
    auto fit = analysis::representativeness(codes, shares);
    if (!fit) {
      Error e = fit.error();
      e.message = t.category + ": " + e.message;
      return e;
    }
    cat.n = fit->n;
    cat.chi_square = fit->chi_square;
    cat.p_value = fit->p_value;
    cat.dissimilarity = fit->dissimilarity;
    cat.degrees_of_freedom = fit->degrees_of_freedom;
    for (size_t i = 0; i < t.values.size(); ++i) {
      const auto& f = fit->categories[i];
      cat.values.push_back({t.values[i].value, f.count, f.sample_share, f.target_share, f.expected, f.ratio,
                            f.under_represented});
    }
    report.categories.push_back(std::move(cat));
    add_gaps(everyone, t, "", report.gaps);
  }
  for (const auto& wt : ward_targets) {
    std::vector<const PoolRecord*> in_ward;
    const std::string wk = question_key(wt.ward);
    for (const auto& m : pool) {
      auto it = m.find(ward_key);
      if (it != m.end() && question_key(it->second) == wk) in_ward.push_back(&m);
    }
    for (const auto& t : wt.targets) add_gaps(in_ward, t, wt.ward, report.gaps);
  }
  std::stable_sort(report.gaps.begin(), report.gaps.end(),
                   [](const RecruitmentGap& a, const RecruitmentGap& b) { return a.add > b.add; });
  return report;
}

nlohmann::json PoolReport::to_json() const {
  nlohmann::json cats = nlohmann::json::array();
  for (const auto& c : categories) {
    nlohmann::json values = nlohmann::json::array();
    for (const auto& v : c.values) {
      values.push_back({{"value", v.value},
                        {"count", v.count},
                        {"pool_share", v.pool_share},
                        {"target_share", v.target_share},
                        {"expected", v.expected},
                        {"ratio", std::isfinite(v.ratio) ? nlohmann::json(v.ratio) : nlohmann::json(nullptr)},
                        {"flagged", v.flagged}});
    }
    cats.push_back({{"category", c.category},
                    {"source", c.source},
                    {"n", c.n},
                    {"missing", c.missing},
                    {"unmatched", c.unmatched},
                    {"values", values},
                    {"chi_square", c.fitted ? nlohmann::json(c.chi_square) : nlohmann::json(nullptr)},
                    {"degrees_of_freedom", c.degrees_of_freedom},
                    {"p_value", c.fitted ? nlohmann::json(c.p_value) : nlohmann::json(nullptr)},
                    {"dissimilarity", c.fitted ? nlohmann::json(c.dissimilarity) : nlohmann::json(nullptr)}});
  }
  nlohmann::json gap_list = nlohmann::json::array();
  for (const auto& g : gaps) {
    nlohmann::json j = {{"category", g.category}, {"value", g.value},   {"have", g.have}, {"of", g.of},
                        {"target_share", g.target_share}, {"add", g.add}, {"text", g.text}};
    if (!g.ward.empty()) j["ward"] = g.ward;
    gap_list.push_back(j);
  }
  return {{"members", members}, {"categories", cats}, {"gaps", gap_list}};
}

std::string PoolReport::to_text() const {
  std::ostringstream out;
  out << "Panel pool: " << members << " members\n";
  for (const auto& c : categories) {
    out << "\n" << c.category << " (" << c.source << "): n=" << c.n << ", missing " << c.missing;
    for (const auto& [v, k] : c.unmatched) out << ", no target for '" << v << "' (" << k << ")";
    if (c.fitted) {
      out << "\n  chi-square " << fixed(c.chi_square, 2) << " (df " << c.degrees_of_freedom << ", p "
          << fixed(c.p_value, 4) << "), dissimilarity " << fixed(c.dissimilarity, 3) << "\n";
    } else {
      out << "\n  no member has a value with a target yet\n";
    }
    for (const auto& v : c.values) {
      out << "  " << (v.flagged ? "! " : "  ") << v.value << ": " << v.count << " members, pool "
          << fixed(100 * v.pool_share, 1) << "% vs target " << fixed(100 * v.target_share, 1) << "%, ratio "
          << (std::isfinite(v.ratio) ? fixed(v.ratio, 2) : std::string("n/a")) << "\n";
    }
  }
  out << "\nRecruitment gaps:\n";
  if (gaps.empty()) out << "  none\n";
  for (const auto& g : gaps) out << "  " << g.text << " (" << g.have << " of " << g.of << ", target " << fixed(100 * g.target_share, 1) << "%)\n";
  return out.str();
}

}  // namespace townhall::panel
