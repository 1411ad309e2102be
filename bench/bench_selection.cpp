// Panel-selection benchmark: LEXIMIN (this library, single thread) on the public instances, against
// the Sortition Foundation's own library run in the same invocation (bench/sf_reference_runner.py
// in the venv that bench/selection.sh creates). Prints wall and CPU seconds, the minimum selection
// probability of both, the reference minimum from the literature, and the time ratio.
//
// usage: bench_selection [--no-baseline] [--only NAME] [--progress]
// Env: TOWNHALL_SF_PYTHON (default build/sf-venv/bin/python), TOWNHALL_SHARED_DATA_DIR
// (default ../shared/data), TOWNHALL_SF_TIMEOUT seconds per baseline run (default 900),
// TOWNHALL_BENCH_LIMIT CPU seconds per LEXIMIN run (default 600).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/panel/instance.h"
#include "townhall/panel/leximin.h"

using namespace townhall::panel;

namespace {

struct Instance {
  const char* name;
  const char* quotas;
  const char* pool;
  const char* id_column;
  int k;
  double reference_min;   // published / peer reference (data README)
  double target_seconds;  // issue #4
  const char* reference_time;
};

const Instance kInstances[] = {
    {"example_small_20", "citizensassemblies-replication/data/example_small_20/categories.csv",
     "citizensassemblies-replication/data/example_small_20/respondents.csv", "", 20, 0.100, 0.3, "-"},
    {"sf_fixture_22", "sortition-algorithms/tests/fixtures/features.csv",
     "sortition-algorithms/tests/fixtures/candidates.csv", "nationbuilder_id", 22, 0.09091, 0, "-"},
    {"opendlp_monitoring_30", "opendlp/backend/docs/fixtures/monitoring/categories.csv",
     "opendlp/backend/docs/fixtures/monitoring/respondents.csv", "unique_id", 30, 0.29670, 0, "-"},
    {"geneva_30", "lolina-sortition-thesis/Legacy_and_Leximin/data/geneva_30/categories.csv",
     "lolina-sortition-thesis/Legacy_and_Leximin/data/geneva_30/respondents.csv", "pool_member_identifier", 30,
     0.06533, 10, "-"},
    {"newdemocracy_example_20", "newdemocracy-selection-tool/data/example-categories.csv",
     "newdemocracy-selection-tool/data/example-people.csv", "id", 20, 0.06250, 15, "-"},
    {"example_large_200", "citizensassemblies-replication/data/example_large_200/categories.csv",
     "citizensassemblies-replication/data/example_large_200/respondents.csv", "", 200, 0.100, 60,
     "1162 s (Gurobi, published)"},
    {"council_2000_60", "synthetic-council/council_2000_60/categories.csv",
     "synthetic-council/council_2000_60/respondents.csv", "id", 60, 0.01975, 300, "-"},
};

double cpu_now() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs the baseline; returns its JSON line or null.
nlohmann::json run_baseline(const std::string& python, const std::string& runner, const std::string& quotas,
                            const std::string& pool, int k, const std::string& id_column, int timeout) {
  std::string cmd = "timeout " + std::to_string(timeout) + " " + shell_quote(python) + " " + shell_quote(runner) +
                    " " + shell_quote(quotas) + " " + shell_quote(pool) + " " + std::to_string(k) + " " +
                    shell_quote(id_column) + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return nullptr;
  std::string out, last;
  char buf[4096];
  while (fgets(buf, sizeof buf, p)) out += buf;
  pclose(p);
  size_t pos = 0;
  while (pos < out.size()) {
    size_t nl = out.find('\n', pos);
    std::string line = out.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (!line.empty() && line[0] == '{') last = line;
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  if (last.empty()) return nullptr;
  try {
    return nlohmann::json::parse(last);
  } catch (...) {
    return nullptr;
  }
}

}  // namespace

int main(int argc, char** argv) {
  bool baseline = true, progress = false;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--no-baseline") baseline = false;
    else if (a == "--only" && i + 1 < argc) only = argv[++i];
    else if (a == "--progress") progress = true;
  }
  const char* data_env = std::getenv("TOWNHALL_SHARED_DATA_DIR");
  std::string data = std::string(data_env ? data_env : "../shared/data") + "/sortition";
  const char* py_env = std::getenv("TOWNHALL_SF_PYTHON");
  std::string python = py_env ? py_env : "build/sf-venv/bin/python";
  const char* to_env = std::getenv("TOWNHALL_SF_TIMEOUT");
  int timeout = to_env ? std::atoi(to_env) : 900;
  std::string runner = "bench/sf_reference_runner.py";
  if (baseline && (!std::filesystem::exists(python) || !std::filesystem::exists(runner))) {
    std::cout << "baseline: " << python << " or " << runner
              << " missing (run bench/selection.sh from the repo root to create the venv); skipping it\n";
    baseline = false;
  }
  std::printf("%-24s %5s %4s %9s %8s %10s %10s %8s | %9s %10s %8s\n", "instance", "n", "k", "wall_s", "cpu_s",
              "min_p", "ref_min", "target", "sf_wall_s", "sf_min_p", "ratio");
  int failures = 0;
  for (const auto& inst : kInstances) {
    if (!only.empty() && only != inst.name) continue;
    std::string quotas = data + "/" + inst.quotas, pool = data + "/" + inst.pool;
    if (!std::filesystem::exists(quotas)) {
      std::printf("%-24s missing data, skipped\n", inst.name);
      continue;
    }
    PoolOptions po;
    po.id_column = inst.id_column;
    auto loaded = load_instance(quotas, pool, po);
    if (!loaded) {
      std::printf("%-24s load error: %s\n", inst.name, loaded.error().message.c_str());
      ++failures;
      continue;
    }
    SelectionProblem p;
    p.categories = loaded->categories;
    p.k = inst.k;
    for (const auto& person : loaded->people) {
      p.people.push_back(person.values);
      p.household.push_back("");
    }
    auto wall0 = std::chrono::steady_clock::now();
    double cpu0 = cpu_now();
    LeximinOptions lo;
    const char* limit_env = std::getenv("TOWNHALL_BENCH_LIMIT");
    lo.max_cpu_seconds = limit_env ? std::atof(limit_env) : 600;  // keeps `make bench` finite
    if (progress) {
      lo.progress = [&](const LeximinProgress& pr) {
        std::fprintf(stderr, "  [%.1f s] %s: level %d, %zu/%zu fixed, bounds [%.6f, %.6f], %zu panels, LP %.1f s, MIP %.1f s\n",
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count(), pr.phase, pr.level,
                     pr.people_fixed, pr.people_total, pr.lower, pr.upper, pr.panels, pr.lp_seconds, pr.mip_seconds);
      };
    }
    auto dist = leximin(p, lo);
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    double cpu = cpu_now() - cpu0;
    if (!dist) {
      std::printf("%-24s leximin error: %s\n", inst.name, dist.error().message.c_str());
      ++failures;
      continue;
    }
    double min_p = 1;
    for (double x : dist->probabilities) min_p = std::min(min_p, x);
    std::printf("%-24s %5zu %4d %9.3f %8.3f %10.6f %10.5f %8.1f", inst.name, p.people.size(), inst.k, wall, cpu, min_p,
                inst.reference_min, inst.target_seconds);
    std::fflush(stdout);
    if (baseline) {
      auto j = run_baseline(python, runner, quotas, pool, inst.k, inst.id_column, timeout);
      if (j.is_null()) {
        std::printf(" | %9s %10s %8s\n", "timeout", "-", "-");
      } else {
        double sw = j["seconds"].get<double>();
        std::printf(" | %9.3f %10.6f %7.1fx\n", sw, j["min_probability"].get<double>(), sw / std::max(wall, 1e-6));
      }
    } else {
      std::printf("\n");
    }
    // Checks that need no reference file: probabilities add up to k, every panel in the support
    // meets every quota, and (relaxation path) the distribution realises the relaxation's LEXIMIN,
    // an upper bound level by level, so it is optimal.
    double sum = 0;
    for (double x : dist->probabilities) sum += x;
    size_t invalid = 0;
    for (const auto& tp : dist->panels) invalid += panel_is_valid(p, expand_panel(dist->types, tp)) ? 0 : 1;
    const bool min_ok = std::abs(min_p - inst.reference_min) <= 1e-4;
    const bool sum_ok = std::abs(sum - inst.k) <= 1e-6;
    if (!min_ok || !sum_ok || invalid > 0) ++failures;
    std::printf("    checks: minimum %s the reference (|%.6f - %.5f| %s 1e-4), sum of probabilities %.9f (k = %d), "
                "panels violating a quota %zu of %zu",
                min_ok ? "matches" : "DOES NOT MATCH", min_p, inst.reference_min, min_ok ? "<=" : ">", sum, inst.k,
                invalid, dist->panels.size());
    if (dist->relaxation_decomposed)
      std::printf(", largest shortfall from the relaxation's LEXIMIN %.2e (certificate)", dist->relaxation_shortfall);
    std::printf("\n");
    std::printf("    types %zu, levels %d (%s), panels generated %zu (support %zu), exact pricing MIPs %zu, "
                "LP %.2f s, MIP %.2f s; reference time %s\n",
                dist->types.members.size(), dist->levels,
                dist->relaxation_decomposed ? "relaxation LEXIMIN, decomposed" : "column generation", dist->panels_generated, dist->panels.size(),
                dist->mip_calls, dist->lp_seconds, dist->mip_seconds, inst.reference_time);
    std::fflush(stdout);
  }
  if (failures > 0) std::printf("%d instance(s) FAILED a check\n", failures);
  return failures > 0 ? 1 : 0;
}
