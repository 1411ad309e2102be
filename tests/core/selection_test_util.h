// Shared helpers for the selection tests: instance paths and reference probability files.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "townhall/util/csv_table.h"
#include "townhall/selection/instance.h"
#include "townhall/selection/problem.h"

namespace townhall::selection::testing {

// The instances shipped with the tests (tests/data/sortition, with their licences).
inline std::string sortition_dir() { return std::string(TOWNHALL_SOURCE_DIR) + "/tests/data/sortition"; }
// Instances that may not be redistributed (no licence), read from ../shared/data beside the
// checkout when it is there; their tests skip otherwise.
inline std::string unshipped_sortition_dir() { return std::string(TOWNHALL_SHARED_DATA_DIR) + "/sortition"; }

inline bool have(const std::string& path) { return std::filesystem::exists(path); }

inline SelectionProblem to_problem(const Instance& inst, int k, bool households = false) {
  SelectionProblem p;
  p.categories = inst.categories;
  p.k = k;
  for (const auto& person : inst.people) {
    p.people.push_back(person.values);
    p.household.push_back(households ? person.household : std::string());
  }
  return p;
}

// <dir>/peer-leximin/<name>_leximin_probs.csv: agent,prob (agent = 0-based pool row).
inline std::vector<double> peer_probabilities(const std::string& dir, const std::string& name) {
  auto t = csv::read_csv_file(dir + "/peer-leximin/" + name + "_leximin_probs.csv");
  EXPECT_TRUE(t.ok());
  std::vector<double> out(t->rows.size());
  for (const auto& row : t->rows) out.at(std::stoul(row[0])) = std::stod(row[1]);
  return out;
}

// reference_output/<instance>_prob_allocs_data.csv: algorithm,percentile,probability; returns the
// LexiMin column in file order (ascending percentiles of the pool).
inline std::vector<double> replication_leximin_profile(const std::string& path) {
  auto t = csv::read_csv_file(path);
  EXPECT_TRUE(t.ok());
  std::vector<double> out;
  for (const auto& row : t->rows)
    if (row[0] == "LexiMin" || row[0] == "Leximin" || row[0] == "LEXIMIN") out.push_back(std::stod(row[2]));
  return out;
}

}  // namespace townhall::selection::testing
