// Panel-selection benchmark: LEXIMIN (this library, single thread) against the Sortition
// Foundation's own library run in the same invocation (bench/sf_reference_runner.py in the venv
// that bench/selection.sh creates). Two sets of instances:
//   public (default): the public instances shipped in tests/data/sortition, and geneva_30 (no
//     licence, not shipped) from ../shared/data/sortition when it is there, each checked against
//     its reference minimum;
//   --scale: council-shaped pools made by the generator shipped beside council_2000_60
//     (synthetic-council/generate_council_pool.py, default seed) into build/bench-data: 2 000, 5 000,
//     10 000 and 20 000 volunteers for panels of 60, 80, 110 and 150, six categories and one per
//     household (address_line_1, postcode), for how time grows with the pool.
// Prints wall and CPU seconds (and per phase), panels in support, the certificate, the minimum
// selection probability of both, and the time ratio; at the end a Markdown table of the run.
//
// usage: bench_selection [--scale] [--only NAME] [--no-baseline] [--progress]
// Run from the repository root. Env: TOWNHALL_SF_PYTHON (default build/sf-venv/bin/python),
// TOWNHALL_SHARED_DATA_DIR (default ../shared/data, for geneva_30 only), TOWNHALL_SF_TIMEOUT
// seconds per baseline run (default 900),
// TOWNHALL_BENCH_LIMIT LEXIMIN's time limit in seconds (default 600), TOWNHALL_BENCH_DATA (where
// the scale pools are written, default build/bench-data).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/selection/instance.h"
#include "townhall/selection/leximin.h"

using namespace townhall::selection;

namespace {

struct BenchInstance {
  std::string name;
  std::string quotas, pool;  // paths relative to the data folder (public) or to the working folder (scale)
  std::string id_column;
  int k = 0;
  double reference_min = -1;   // published / peer reference (data README); < 0: none
  double target_seconds = 0;   // wall-clock target, 0: none
  std::string reference_time = "-";
  std::string households;      // household columns, comma-separated; "" = no household rule
  int generate_n = 0;          // scale pools: volunteers to generate
  bool shipped = true;         // false: not redistributable, read from ../shared/data when there
};

std::vector<BenchInstance> public_instances() {
  return {
      {"example_small_20", "citizensassemblies-replication/data/example_small_20/categories.csv",
       "citizensassemblies-replication/data/example_small_20/respondents.csv", "", 20, 0.100, 0.3, "-", "", 0},
      {"sf_fixture_22", "sortition-algorithms/tests/fixtures/features.csv",
       "sortition-algorithms/tests/fixtures/candidates.csv", "nationbuilder_id", 22, 0.09091, 0, "-", "", 0},
      {"opendlp_monitoring_30", "opendlp/backend/docs/fixtures/monitoring/categories.csv",
       "opendlp/backend/docs/fixtures/monitoring/respondents.csv", "unique_id", 30, 0.29670, 0, "-", "", 0},
      {"geneva_30", "lolina-sortition-thesis/Legacy_and_Leximin/data/geneva_30/categories.csv",
       "lolina-sortition-thesis/Legacy_and_Leximin/data/geneva_30/respondents.csv", "pool_member_identifier", 30,
       0.06533, 10, "-", "", 0, false},
      {"newdemocracy_example_20", "newdemocracy-selection-tool/data/example-categories.csv",
       "newdemocracy-selection-tool/data/example-people.csv", "id", 20, 0.06250, 15, "-", "", 0},
      {"example_large_200", "citizensassemblies-replication/data/example_large_200/categories.csv",
       "citizensassemblies-replication/data/example_large_200/respondents.csv", "", 200, 0.100, 60,
       "1162 s (Gurobi, published)", "", 0},
      {"council_2000_60", "synthetic-council/council_2000_60/categories.csv",
       "synthetic-council/council_2000_60/respondents.csv", "id", 60, 0.01975, 300, "-", "", 0},
  };
}

// Pools of growing size, one per household; 10 000 x 110 must be certified within 5 minutes.
std::vector<BenchInstance> scale_instances(const std::string& dir) {
  std::vector<BenchInstance> out;
  const int sizes[][2] = {{2000, 60}, {5000, 80}, {10000, 110}, {20000, 150}};
  for (const auto& [n, k] : sizes) {
    const std::string name = "council_" + std::to_string(n) + "_" + std::to_string(k);
    BenchInstance i;
    i.name = name + "_hh";
    i.quotas = dir + "/" + name + "/categories.csv";
    i.pool = dir + "/" + name + "/respondents.csv";
    i.id_column = "id";
    i.k = k;
    i.target_seconds = n == 10000 ? 300 : 0;
    i.households = "address_line_1,postcode";
    i.generate_n = n;
    out.push_back(i);
  }
  return out;
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    std::string part = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!part.empty()) out.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// Runs the baseline; returns its JSON line or null.
nlohmann::json run_baseline(const std::string& python, const std::string& runner, const BenchInstance& inst,
                            const std::string& quotas, const std::string& pool, int timeout) {
  std::string cmd = "timeout " + std::to_string(timeout) + " " + shell_quote(python) + " " + shell_quote(runner) +
                    " " + shell_quote(quotas) + " " + shell_quote(pool) + " " + std::to_string(inst.k) + " " +
                    shell_quote(inst.id_column) + " " + shell_quote(inst.households) + " 2>/dev/null";
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

struct Row {
  std::string name;
  size_t n = 0, types = 0, panels = 0;
  int k = 0, levels = 0;
  double wall = 0, cpu = 0, relaxation = 0, decomposition = 0;
  double min_p = 0, dual_bound = 0, shortfall = 0;
  bool certified = false;
  std::string baseline = "not run";
  double baseline_wall = 0, baseline_min = -1;
};

std::string thousands(size_t v) {
  const std::string digits = std::to_string(v);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ' ';
    out += digits[i];
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  bool baseline = true, progress = false, scale = false;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--no-baseline") baseline = false;
    else if (a == "--only" && i + 1 < argc) only = argv[++i];
    else if (a == "--progress") progress = true;
    else if (a == "--scale") scale = true;
    else {
      std::fprintf(stderr, "usage: bench_selection [--scale] [--only NAME] [--no-baseline] [--progress]\n");
      return 2;
    }
  }
  const std::string shipped_data = "tests/data/sortition";
  const char* data_env = std::getenv("TOWNHALL_SHARED_DATA_DIR");
  const std::string unshipped_data = std::string(data_env ? data_env : "../shared/data") + "/sortition";
  const std::string generator = shipped_data + "/synthetic-council/generate_council_pool.py";
  const char* py_env = std::getenv("TOWNHALL_SF_PYTHON");
  const std::string python = py_env ? py_env : "build/sf-venv/bin/python";
  const char* to_env = std::getenv("TOWNHALL_SF_TIMEOUT");
  const int timeout = to_env ? std::atoi(to_env) : 900;
  const char* limit_env = std::getenv("TOWNHALL_BENCH_LIMIT");
  const double limit = limit_env ? std::atof(limit_env) : 600;  // keeps `make bench` finite
  const char* gen_env = std::getenv("TOWNHALL_BENCH_DATA");
  const std::string generated = gen_env ? gen_env : "build/bench-data";
  const std::string runner = "bench/sf_reference_runner.py";
  if (baseline && (!std::filesystem::exists(python) || !std::filesystem::exists(runner))) {
    std::cout << "baseline: " << python << " or " << runner
              << " missing (run bench/selection.sh from the repo root to create the venv); skipping it\n";
    baseline = false;
  }
  std::printf("LEXIMIN time limit %.0f s; baseline %s (limit %d s)\n", limit,
              baseline ? "sortition-algorithms maximin + highspy" : "not run", timeout);
  std::printf("%-24s %6s %4s %6s %9s %8s %10s %10s %8s | %9s %10s %8s\n", "instance", "n", "k", "types", "wall_s",
              "cpu_s", "min_p", "ref_min", "target", "sf_wall_s", "sf_min_p", "ratio");
  std::vector<BenchInstance> instances = scale ? scale_instances(generated) : public_instances();
  std::vector<Row> rows;
  int failures = 0;
  for (const auto& inst : instances) {
    if (!only.empty() && only != inst.name) continue;
    const std::string data = inst.shipped ? shipped_data : unshipped_data;
    const std::string quotas = inst.generate_n ? inst.quotas : data + "/" + inst.quotas;
    const std::string pool = inst.generate_n ? inst.pool : data + "/" + inst.pool;
    if (inst.generate_n && !std::filesystem::exists(pool)) {
      // The shipped generator (standard-library Python, deterministic with its default seed).
      if (!std::filesystem::exists(generator)) {
        std::printf("%-24s skipped: the generator %s is missing (run from the repository root)\n", inst.name.c_str(),
                    generator.c_str());
        ++failures;
        continue;
      }
      const std::string out = std::filesystem::path(pool).parent_path().string();
      std::filesystem::create_directories(out);
      const std::string cmd = "python3 " + shell_quote(generator) + " " +
                              std::to_string(inst.generate_n) + " " + std::to_string(inst.k) + " " + shell_quote(out) +
                              " >/dev/null";
      if (std::system(cmd.c_str()) != 0) {
        std::printf("%-24s could not generate the pool (%s)\n", inst.name.c_str(), cmd.c_str());
        ++failures;
        continue;
      }
    }
    if (!std::filesystem::exists(quotas)) {
      if (inst.shipped) {
        // Shipped with the repository: missing means the benchmark runs from the wrong folder.
        std::printf("%-24s missing %s (run from the repository root)\n", inst.name.c_str(), quotas.c_str());
        ++failures;
      } else {
        std::printf("%-24s skipped: not shipped (no licence); put ../shared/data beside the checkout (%s)\n",
                    inst.name.c_str(), quotas.c_str());
      }
      continue;
    }
    PoolOptions po;
    po.id_column = inst.id_column;
    po.household_columns = split_commas(inst.households);
    auto loaded = load_instance(quotas, pool, po);
    if (!loaded) {
      std::printf("%-24s load error: %s\n", inst.name.c_str(), loaded.error().message.c_str());
      ++failures;
      continue;
    }
    SelectionProblem p;
    p.categories = loaded->categories;
    p.k = inst.k;
    for (const auto& person : loaded->people) {
      p.people.push_back(person.values);
      p.household.push_back(person.household);
    }
    auto wall0 = std::chrono::steady_clock::now();
    const std::clock_t cpu0 = std::clock();
    LeximinOptions lo;
    lo.max_seconds = limit;
    if (progress) lo.progress = [](const LeximinProgress& pr) { std::fprintf(stderr, "  %s\n", describe_progress(pr).c_str()); };
    auto dist = leximin(p, lo);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    const double cpu = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
    if (!dist) {
      std::printf("%-24s leximin error: %s\n", inst.name.c_str(), dist.error().message.c_str());
      ++failures;
      continue;
    }
    const LeximinCertificate& cert = dist->certificate;
    const double min_p = *std::min_element(dist->probabilities.begin(), dist->probabilities.end());
    Row row;
    row.name = inst.name;
    row.n = p.people.size();
    row.k = inst.k;
    row.types = dist->types.members.size();
    row.panels = dist->panels.size();
    row.levels = dist->levels;
    row.wall = wall;
    row.cpu = cpu;
    for (const auto& ph : cert.phases) {
      if (ph.name == "relaxation") row.relaxation += ph.seconds;
      else row.decomposition += ph.seconds;
    }
    row.min_p = min_p;
    row.dual_bound = cert.dual_bound;
    row.shortfall = cert.max_shortfall;
    row.certified = cert.certified;
    std::printf("%-24s %6zu %4d %6zu %9.3f %8.3f %10.6f %10s %8.1f", inst.name.c_str(), row.n, inst.k, row.types, wall,
                cpu, min_p, inst.reference_min < 0 ? "-" : std::to_string(inst.reference_min).substr(0, 7).c_str(),
                inst.target_seconds);
    std::fflush(stdout);
    if (baseline) {
      auto j = run_baseline(python, runner, inst, quotas, pool, timeout);
      if (j.is_null()) {
        std::printf(" | %9s %10s %8s\n", ("> " + std::to_string(timeout)).c_str(), "-", "-");
        row.baseline = "> " + std::to_string(timeout) + " s (timed out)";
        row.baseline_wall = timeout;
      } else {
        const double sw = j["seconds"].get<double>();
        row.baseline_wall = sw;
        row.baseline_min = j["min_probability"].get<double>();
        std::printf(" | %9.3f %10.6f %7.1fx\n", sw, row.baseline_min, sw / std::max(wall, 1e-6));
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.1f s", sw);
        row.baseline = buf;
      }
    } else {
      std::printf("\n");
    }
    // Checks that need no reference file: probabilities add up to k, every panel in the support
    // meets every quota (and household rule) as two different concrete panels, the minimum lies
    // between the dual bound less the tolerance and the dual bound, and the result is certified.
    const double sum = std::accumulate(dist->probabilities.begin(), dist->probabilities.end(), 0.0);
    size_t invalid = 0;
    for (const auto& tp : dist->panels) {
      std::vector<size_t> shifted(tp.size(), 1);
      invalid += panel_is_valid(p, expand_panel(dist->types, tp)) && panel_is_valid(p, expand_panel(dist->types, tp, shifted)) ? 0 : 1;
    }
    const bool min_ok = inst.reference_min < 0 || std::abs(min_p - inst.reference_min) <= 1e-4;
    const bool sum_ok = std::abs(sum - inst.k) <= 1e-6;
    const bool bound_ok = min_p <= cert.dual_bound + 1e-9 && min_p >= cert.dual_bound - cert.tolerance;
    const bool target_ok = inst.target_seconds <= 0 || wall <= inst.target_seconds;
    if (!min_ok || !sum_ok || invalid > 0 || !cert.certified || !bound_ok) ++failures;
    if (inst.reference_min >= 0) {
      std::printf("    checks: minimum %s the reference (|%.6f - %.5f| %s 1e-4),", min_ok ? "matches" : "DOES NOT MATCH",
                  min_p, inst.reference_min, min_ok ? "<=" : ">");
    } else {
      std::printf("    checks:");
    }
    std::printf(" sum of probabilities %.9f (k = %d), panels violating a quota or household rule %zu of %zu, "
                "minimum %s the dual bound %.6f (within %.0e)%s\n",
                sum, inst.k, invalid, dist->panels.size(), bound_ok ? "at" : "NOT AT", cert.dual_bound, cert.tolerance,
                target_ok ? "" : ", OVER ITS TIME TARGET");
    std::printf("    certificate: %s; largest shortfall %.2e; %s\n", cert.summary().c_str(), cert.max_shortfall,
                cert.method.c_str());
    std::printf("    types %zu, levels %d, panels generated %zu (support %zu), CBC runs %zu; phases:", row.types,
                dist->levels, dist->panels_generated, dist->panels.size(), dist->mip_calls);
    for (const auto& ph : cert.phases) std::printf(" %s %.2f s (CPU %.2f s)", ph.name.c_str(), ph.seconds, ph.cpu_seconds);
    std::printf("; reference time %s\n", inst.reference_time.c_str());
    std::fflush(stdout);
    rows.push_back(row);
  }
  if (!rows.empty()) {
    std::printf("\n| instance | volunteers | panel | types | levels | wall s (CPU s) | relaxation s | decomposition s | "
                "panels in support | certificate | min probability (dual bound) | Sortition Foundation maximin | ratio |\n"
                "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (const auto& r : rows) {
      char ratio[64] = "-";
      if (r.baseline != "not run") {
        std::snprintf(ratio, sizeof ratio, "%s%.0fx", r.baseline_min < 0 ? "> " : "", r.baseline_wall / std::max(r.wall, 1e-6));
      }
      std::printf("| %s | %s | %d | %s | %d | %.1f (%.1f) | %.1f | %.1f | %zu | %s, shortfall %.1e | %.6f (%.6f) | %s | %s |\n",
                  r.name.c_str(), thousands(r.n).c_str(), r.k, thousands(r.types).c_str(), r.levels, r.wall, r.cpu,
                  r.relaxation, r.decomposition, r.panels, r.certified ? "certified" : "NOT certified", r.shortfall,
                  r.min_p, r.dual_bound, r.baseline.c_str(), ratio);
    }
  }
  if (failures > 0) std::printf("%d instance(s) FAILED a check\n", failures);
  return failures > 0 ? 1 : 0;
}
