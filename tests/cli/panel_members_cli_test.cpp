// `townhall panel import` and `townhall panel report` as an engagement officer runs them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>

#include "cli_test_util.h"

namespace {

using townhall::testing::run_cli;
using townhall::testing::write_temp;

std::string temp_db() { return townhall::testing::make_temp_dir("townhall-panel-cli") + "/t.db"; }


TEST(PanelImportCli, ImportsAllRowsOrNoneNamingEveryBadRowAndColumn) {
  std::string db = temp_db();
  std::string bad = write_temp("name,postcode,tenure,consent\nAda,W10 5RP,Social rented,yes\nBo,NOPE,Owned,perhaps\n", ".csv");
  auto r = run_cli("panel import " + bad + " --db " + db + " --today 2026-03-02");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("row 2 (line 3), column 'postcode'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("row 2 (line 3), column 'consent'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nothing was imported"), std::string::npos) << r.err;

  std::string good = write_temp("name,ward,tenure,consent\nAda,Golborne,Social rented,yes\nBo,Golborne,Owned,no\n", ".csv");
  r = run_cli("panel import " + good + " --db " + db + " --create --today 2026-03-02 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["imported"], 2);
  EXPECT_EQ(j["facts"], 2);  // Bo gave no consent: his facts are not kept

  // The report over the database's facts: one social renter, one member without facts.
  r = run_cli("panel report --db " + db + " --census tenure --today 2026-03-02 --json");
  ASSERT_LE(r.exit_code, 1) << r.err;
  auto rep = nlohmann::json::parse(r.out);
  EXPECT_EQ(rep["members"], 2);
  EXPECT_EQ(rep["categories"][0]["n"], 1);
  EXPECT_EQ(rep["categories"][0]["missing"], 1);
  std::filesystem::remove_all(std::filesystem::path(db).parent_path());
  std::remove(bad.c_str());
  std::remove(good.c_str());
}

TEST(PanelReportCli, CouncilTargetsGiveRatioFlagChiSquareAndGap) {
  std::string targets = write_temp("category,value,share\nsex,Female,0.5\nsex,Male,0.5\n", ".csv");
  std::string pool = "id,sex\n";
  for (int i = 0; i < 100; ++i) pool += std::to_string(i) + "," + (i < 30 ? "Female" : "Male") + "\n";
  std::string pool_file = write_temp(pool, ".csv");
  auto r = run_cli("panel report --targets " + targets + " --pool " + pool_file + " --json");
  EXPECT_EQ(r.exit_code, 1) << r.err;  // Female is under-represented
  auto j = nlohmann::json::parse(r.out);
  const auto& sex = j["categories"][0];
  // 30 of 100 against 50%: ratio 0.6, expected 50 → flagged; chi-square 20²/50 + 20²/50 = 16;
  // dissimilarity ½(0.2 + 0.2) = 0.2; gap (0.5·100 − 30)/(1 − 0.5) = 40.
  EXPECT_DOUBLE_EQ(sex["values"][0]["ratio"].get<double>(), 0.6);
  EXPECT_TRUE(sex["values"][0]["flagged"].get<bool>());
  EXPECT_NEAR(sex["chi_square"].get<double>(), 16.0, 1e-12);
  EXPECT_NEAR(sex["dissimilarity"].get<double>(), 0.2, 1e-12);
  EXPECT_EQ(j["gaps"][0]["add"], 40);
  EXPECT_EQ(j["gaps"][0]["text"], "we need ~40 more members with sex 'Female'");
  r = run_cli("panel report --targets " + targets + " --pool " + pool_file);
  EXPECT_NE(r.out.find("! Female: 30 members, pool 30.0% vs target 50.0%, ratio 0.60"), std::string::npos) << r.out;

  auto missing = run_cli("panel report --pool " + pool_file);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--targets"), std::string::npos);
  std::string broken = write_temp("category,value\nsex,Female\n", ".csv");
  auto bad = run_cli("panel report --targets " + broken + " --pool " + pool_file);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("missing column 'share'"), std::string::npos) << bad.err;
  for (const auto& f : {targets, pool_file, broken}) std::remove(f.c_str());
}

}  // namespace
