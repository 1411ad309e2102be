// `townhall panel draw` as an engagement officer runs it: a draw from the members database that
// leaves out members over the contact limit or without the facts the quotas need, says how many
// and why on stderr, and records the invitations; and `panel select --exclude` saying the same.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <filesystem>
#include <set>
#include <vector>

#include "cli_test_util.h"

namespace {

using townhall::testing::run_cli;
using townhall::testing::write_temp;

std::string temp_db() { return townhall::testing::make_temp_dir("townhall-panel-draw-cli") + "/t.db"; }

// The CSV's rows 1-6 women, 7-12 men, age bands alternating; row 13 gave no age band. The demo seed
// has its own panel member first (member 1, who gave only tenure and ward, so no valid sex), so row r
// is member r + 1.
std::string members_csv() {
  std::string csv = "name,sex,age_band,consent\n";
  for (int i = 1; i <= 12; ++i) {
    csv += "M" + std::to_string(i) + "," + (i <= 6 ? "Female" : "Male") + "," + (i % 2 ? "16-34" : "35+") + ",yes\n";
  }
  return csv + "M13,Female,,yes\n";
}

TEST(PanelDrawCli, DrawsFromTheDatabaseAndSaysWhoWasLeftOutAndWhy) {
  std::string db = temp_db();
  ASSERT_EQ(run_cli("demo seed --db " + db).exit_code, 0);
  std::string members = write_temp(members_csv(), ".csv");
  ASSERT_EQ(run_cli("panel import " + members + " --db " + db + " --today 2026-03-02").exit_code, 0);
  std::string quotas = write_temp(
      "category,name,min,max\nsex,Female,2,2\nsex,Male,2,2\nage_band,16-34,0,10\nage_band,35+,0,10\n", ".csv");
  const std::string base = "panel draw --db " + db + " --categories " + quotas + " --today 2026-03-02 --seed 3";
  const std::string draw = base + " --size 4";

  auto first = run_cli(draw + " --consultation c-1 --json");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("2 excluded: 1 no valid sex; 1 no valid age_band"), std::string::npos) << first.err;
  auto j = nlohmann::json::parse(first.out);
  ASSERT_EQ(j["selected"].size(), 4u);
  std::set<int64_t> drawn;
  int women = 0;
  for (const auto& id : j["selected"]) {
    drawn.insert(id.get<int64_t>());
    women += id.get<int64_t>() >= 2 && id.get<int64_t>() <= 7;
    EXPECT_NE(id.get<int64_t>(), 14);
    EXPECT_NE(id.get<int64_t>(), 1);
  }
  EXPECT_EQ(women, 2);
  // 6 women and 6 men can be drawn, 2 seats each: everyone 1/3.
  EXPECT_NEAR(j["min_probability"].get<double>(), 1.0 / 3, 1e-6);
  EXPECT_TRUE(j["invitations_recorded"].get<bool>());
  EXPECT_TRUE(j["certificate"]["certified"].get<bool>()) << j.dump();
  EXPECT_NE(first.err.find("LEXIMIN bounds (LP relaxation)"), std::string::npos) << first.err;  // progress

  // The same consultation again: the four invited are left out.
  auto second = run_cli(draw + " --consultation c-1");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("6 excluded: 4 already invited to c-1; 1 no valid sex; 1 no valid age_band"), std::string::npos) << second.err;

  // Another consultation with a limit of 1 invitation in 365 days: the 8 invited so far are over it.
  std::string policy = write_temp(R"({"panel": {"max_invitations": 1}})", ".json");
  auto third = run_cli(base + " --size 5 --consultation c-2 --dry-run --policy " + policy);
  EXPECT_EQ(third.exit_code, 2);
  EXPECT_NE(third.err.find("10 excluded: 8 invited 1 time in the last 365 days (at most 1 invitation in 365 days); "
                           "1 no valid sex; 1 no valid age_band"),
            std::string::npos)
      << third.err;
  EXPECT_NE(third.err.find("panel size 5 but only 4 members can be drawn"), std::string::npos) << third.err;

  // The draws are audited as the API audits them: who was left out and why, with the invitations.
  {
    sqlite3* con = nullptr;
    ASSERT_EQ(sqlite3_open_v2(db.c_str(), &con, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(con, "SELECT actor, detail FROM audit_log WHERE action = 'panel.draw' ORDER BY seq",
                                 -1, &q, nullptr),
              SQLITE_OK);
    std::vector<nlohmann::json> details;
    while (sqlite3_step(q) == SQLITE_ROW) {
      EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)), "cli");
      details.push_back(nlohmann::json::parse(reinterpret_cast<const char*>(sqlite3_column_text(q, 1))));
    }
    sqlite3_finalize(q);
    sqlite3_close(con);
    ASSERT_EQ(details.size(), 2u);  // the dry run recorded nothing
    EXPECT_EQ(details[0]["exclusions"], "2 excluded: 1 no valid sex; 1 no valid age_band");
    EXPECT_EQ(details[0]["invited"], 4);
    EXPECT_EQ(details[1]["exclusions"], "6 excluded: 4 already invited to c-1; 1 no valid sex; 1 no valid age_band");
  }

  // Bad input names the option.
  EXPECT_EQ(run_cli(draw + " --consultation c-404").exit_code, 2);
  auto algo = run_cli(draw + " --consultation c-2 --algorithm best");
  EXPECT_EQ(algo.exit_code, 2);
  EXPECT_NE(algo.err.find("--algorithm"), std::string::npos) << algo.err;
  auto limit = run_cli(draw + " --consultation c-2 --max-seconds none");
  EXPECT_EQ(limit.exit_code, 2);
  EXPECT_NE(limit.err.find("--max-seconds"), std::string::npos) << limit.err;
  std::filesystem::remove_all(std::filesystem::path(db).parent_path());
  for (const auto& f : {members, quotas, policy}) std::remove(f.c_str());
}

TEST(PanelSelectCli, ExcludeFileIsCountedInTheSummary) {
  std::string quotas = write_temp("category,name,min,max\nsex,F,1,2\nsex,M,1,2\n", ".csv");
  std::string pool = write_temp("id,sex\na,F\nb,F\nc,M\nd,M\ne,M\n", ".csv");
  std::string exclude = write_temp("id\nb\ne\n", ".csv");
  std::string dir = townhall::testing::make_temp_dir("townhall-select-exclude");
  auto r = run_cli("panel select --categories " + quotas + " --respondents " + pool + " --size 2 --id-column id --seed 1 "
                   "--exclude " + exclude + " --output-dir " + dir + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("2 excluded: 2 excluded by --exclude file"), std::string::npos) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["excluded"]["count"], 2);
  EXPECT_EQ(j["excluded"]["by_reason"][0]["reason"], "excluded by --exclude file");
  EXPECT_EQ(j["probabilities"]["b"].get<double>(), 0.0);
  EXPECT_EQ(j["probabilities"]["e"].get<double>(), 0.0);
  std::filesystem::remove_all(dir);
  for (const auto& f : {quotas, pool, exclude}) std::remove(f.c_str());
}

}  // namespace
