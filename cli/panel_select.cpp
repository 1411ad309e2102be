// `townhall panel select`: draw a Citizens' Panel (LEXIMIN or the legacy greedy draw).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli.h"
#include "options.h"
#include "townhall/util/csv_table.h"
#include "townhall/panel/draw.h"
#include "townhall/selection/instance.h"
#include "townhall/selection/selection.h"

namespace townhall::cli {
namespace {

using namespace townhall::panel;
using namespace townhall::selection;

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream ss(s);
  while (std::getline(ss, cur, ','))
    if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

void write_row(std::ostream& out, const std::vector<std::string>& row) {
  for (size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << csv_field(row[i]);
  out << "\r\n";
}

// Reads an id list file (--already-selected / --exclude): a CSV with a header. Ids come from the
// --id-column (or a column named "id"), else the first column. When the file has every category
// column its rows are full records: people not in the pool are placed by their features.
Status read_people_file(const std::string& path, const Instance& inst, const PoolOptions& pool_options,
                        std::vector<std::string>* ids, std::vector<Person>* external) {
  auto table = csv::read_csv_file(path);
  if (!table) return table.error();
  std::optional<size_t> id_col;
  if (!pool_options.id_column.empty()) id_col = table->column(pool_options.id_column);
  if (!id_col) id_col = table->column("id");
  if (!id_col) id_col = 0;
  std::set<std::string> pool_ids;
  for (const auto& p : inst.people) pool_ids.insert(p.id);
  bool full_records = external != nullptr;
  for (const auto& c : inst.categories)
    if (!table->column(c.name)) full_records = false;
  if (full_records) {
    PoolOptions po = pool_options;
    if (po.id_column.empty()) po.id_column = table->header[*id_col];
    auto parsed = parse_pool(inst.categories, *table, po);
    if (!parsed) return parsed.error();
    for (auto& person : parsed->people) {
      if (pool_ids.count(person.id)) ids->push_back(person.id);
      else external->push_back(person);
    }
    return Status::Ok();
  }
  for (size_t r = 0; r < table->rows.size(); ++r) {
    const std::string& id = table->rows[r][*id_col];
    if (id.empty()) continue;
    if (!pool_ids.count(id)) {
      return Error{ErrorCode::kNotFound, table->header[*id_col],
                   csv::csv_location(*table, r, table->header[*id_col]) + ": id '" + id + "' is not in the pool"};
    }
    ids->push_back(id);
  }
  return Status::Ok();
}

// Who cannot be drawn, by reason: the --exclude file, and with households everyone else at an
// already-selected person's address (reduce_problem leaves them out).
ExclusionCounts exclusion_counts(const Instance& inst, const SelectionOptions& o) {
  std::set<std::string> excluded(o.exclude.begin(), o.exclude.end());
  std::set<std::string> already(o.already_selected.begin(), o.already_selected.end());
  std::set<std::string> taken;
  if (o.households) {
    for (const auto& p : inst.people)
      if (already.count(p.id) && !p.household.empty()) taken.insert(p.household);
    for (const auto& p : o.already_selected_external)
      if (!p.household.empty()) taken.insert(p.household);
  }
  int64_t same_household = 0;
  for (const auto& p : inst.people) {
    if (!excluded.count(p.id) && !already.count(p.id) && taken.count(p.household)) ++same_household;
  }
  ExclusionCounts out;
  if (!excluded.empty()) out.push_back({"excluded by --exclude file", static_cast<int64_t>(excluded.size())});
  if (same_household) out.push_back({"in the household of someone already selected", same_household});
  return out;
}

int run_select(const Args& a) {
  auto categories = a.option("categories"), respondents = a.option("respondents"), size = a.option("size");
  if (!categories) return bad_input("--categories: required (quotas CSV)");
  if (!respondents) return bad_input("--respondents: required (pool CSV)");
  if (!size) return bad_input("--size: required (panel size)");
  SelectionOptions opt;
  try {
    size_t pos = 0;
    opt.k = std::stoi(*size, &pos);
    if (pos != size->size()) throw std::invalid_argument("size");
  } catch (...) {
    return bad_input("--size: '" + *size + "' is not an integer");
  }
  auto algorithm = algorithm_option(a);
  if (!algorithm) return bad_input(algorithm.error());
  opt.algorithm = *algorithm;
  // The output folder is made (and checked) before the draw, which can take minutes.
  const std::string dir = a.option("output-dir").value_or(".");
  {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec || access(dir.c_str(), W_OK) != 0) {
      return bad_input("--output-dir: cannot write to '" + dir + "'" + (ec ? ": " + ec.message() : ""));
    }
  }
  auto seed = seed_option(a);
  if (!seed) return bad_input(seed.error());
  opt.seed = *seed;
  auto max_seconds = max_seconds_option(a);
  if (!max_seconds) return bad_input(max_seconds.error());
  opt.max_seconds = *max_seconds;
  if (auto m = a.option("lottery")) {
    try {
      opt.lottery_panels = std::stoi(*m);
    } catch (...) {
      opt.lottery_panels = 0;
    }
    if (opt.lottery_panels <= 0) return bad_input("--lottery: must be a positive number of panels");
  }
  PoolOptions po;
  po.id_column = a.option("id-column").value_or("");
  if (auto h = a.option("household-columns")) po.household_columns = split_commas(*h);
  opt.households = !po.household_columns.empty();
  auto inst = load_instance(*categories, *respondents, po);
  if (!inst) return bad_input(inst.error().message);
  if (auto f = a.option("already-selected")) {
    auto st = read_people_file(*f, *inst, po, &opt.already_selected, &opt.already_selected_external);
    if (!st) return bad_input(st.error().message);
  }
  if (auto f = a.option("exclude")) {
    auto st = read_people_file(*f, *inst, po, &opt.exclude, nullptr);
    if (!st) return bad_input(st.error().message);
  }
  const auto exclusions = exclusion_counts(*inst, opt);
  std::cerr << describe_exclusions(exclusions) << "\n";
  opt.progress = print_leximin_progress;
  std::cerr << "commitment (publish before revealing the seed): " << selection_commitment(*inst, opt) << "\n";
  auto result = select_panel(*inst, opt);
  if (!result) {
    const Error& e = result.error();
    if (e.code == ErrorCode::kInternal) {
      std::cerr << "townhall: " << e.describe() << "\n";
      return kExitBreach;
    }
    return bad_input(e.message);
  }
  if (result->certificate && !result->certificate->certified) {
    std::cerr << "townhall: " << result->certificate->summary() << "\n";
  }
  if (!result->infeasible_people.empty()) {
    std::cerr << "townhall: " << result->infeasible_people.size()
              << " people fit in no panel that meets the quotas (probability 0):";
    for (const auto& id : result->infeasible_people) std::cerr << " " << id;
    std::cerr << "\n";
  }

  // selected.csv and remaining.csv, with the pool's own columns.
  auto pool = csv::read_csv_file(*respondents);
  if (!pool) return bad_input(pool.error().message);
  std::set<std::string> selected(result->selected.begin(), result->selected.end());
  std::ofstream sel(dir + "/selected.csv", std::ios::binary), rem(dir + "/remaining.csv", std::ios::binary);
  if (!sel || !rem) return bad_input("--output-dir: cannot write to '" + dir + "'");
  write_row(sel, pool->header);
  write_row(rem, pool->header);
  for (size_t r = 0; r < pool->rows.size(); ++r) {
    const std::string& id = inst->people[r].id;
    write_row(selected.count(id) ? sel : rem, pool->rows[r]);
  }
  for (const auto& person : opt.already_selected_external) {
    std::vector<std::string> row(pool->header.size());
    for (size_t c = 0; c < inst->categories.size(); ++c) {
      auto col = pool->column(inst->categories[c].name);
      row[*col] = inst->categories[c].values[static_cast<size_t>(person.values[c])];
    }
    if (auto col = pool->column(po.id_column.empty() ? "id" : po.id_column)) row[*col] = person.id;
    write_row(sel, row);
  }

  if (a.json()) {
    nlohmann::ordered_json j;
    j["algorithm"] = result->algorithm;
    j["selected"] = result->selected;
    nlohmann::ordered_json probs = nlohmann::ordered_json::object();
    for (const auto& [id, p] : result->probabilities) probs[id] = p;
    j["probabilities"] = probs;
    j["min_probability"] = result->min_probability;
    j["gini"] = result->gini;
    j["panels_in_support"] = result->panels_in_support;
    j["seed"] = result->seed;
    j["commitment"] = result->commitment;
    j["timing"] = {{"seconds", result->seconds}};
    if (result->certificate) {
      j["timing"]["phases"] = phases_json(*result->certificate);
      j["certificate"] = certificate_json(*result->certificate);
    }
    j["infeasible_people"] = result->infeasible_people;
    j["excluded"] = exclusions_json(exclusions);
    if (result->algorithm == "legacy") j["legacy_runs"] = result->legacy_runs;
    else j["levels"] = result->levels;
    if (result->lottery) {
      j["lottery"] = {{"panels", result->lottery->panels},
                      {"max_probability_change", result->lottery->max_change},
                      {"mean_probability_change", result->lottery->mean_change}};
    }
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "Selected " << result->selected.size() << " people (" << result->algorithm << ", seed "
              << result->seed << ")\n";
    for (const auto& id : result->selected) std::cout << "  " << id << "\n";
    std::printf("minimum selection probability %.4f, gini %.4f, %zu panels in support, %.2f s\n",
                result->min_probability, result->gini, result->panels_in_support, result->seconds);
    if (result->certificate) std::cout << result->certificate->summary() << "\n";
    if (result->lottery) {
      std::printf("lottery over %d panels: probabilities moved by at most %.5f (mean %.5f)\n",
                  result->lottery->panels, result->lottery->max_change, result->lottery->mean_change);
    }
    std::cout << "commitment " << result->commitment << "\nwrote " << dir << "/selected.csv and " << dir
              << "/remaining.csv\n";
  }
  return kExitOk;
}

}  // namespace

TOWNHALL_COMMAND("panel select",
                 "panel select --categories QUOTAS.csv --respondents POOL.csv --size K "
                 "[--algorithm leximin|legacy] [--seed S] [--id-column C] [--household-columns A,B] "
                 "[--already-selected F] [--exclude F] [--lottery M] [--max-seconds S] [--output-dir D] [--json]",
                 OptionSpec{{"categories", "respondents", "size", "algorithm", "seed", "id-column",
                             "household-columns", "already-selected", "exclude", "lottery", "output-dir",
                             "max-seconds"},
                            {},
                            0,
                            0},
                 run_select);

}  // namespace townhall::cli
