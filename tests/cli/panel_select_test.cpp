// `townhall panel select` run as a user would run it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_test_util.h"

namespace townhall::testing {
namespace {

const std::string kData = std::string(TOWNHALL_SOURCE_DIR) + "/tests/data/sortition/opendlp/backend/docs/fixtures/monitoring";

std::string args_for(const std::string& outdir, const std::string& extra = "") {
  return "panel select --categories " + shell_quote(kData + "/categories.csv") + " --respondents " +
         shell_quote(kData + "/respondents.csv") + " --size 30 --id-column unique_id --output-dir " +
         shell_quote(outdir) + " " + extra;
}

std::string temp_dir() {
  char tmpl[] = "/tmp/townhall-panel-XXXXXX";
  return mkdtemp(tmpl);
}

size_t data_lines(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) n += !line.empty() && line != "\r";
  return n - 1;  // header
}

// The output folder is made if it is missing; one that cannot be written is refused before the draw.
TEST(PanelSelectCli, OutputFolderIsMadeOrRefusedBeforeTheDraw) {
  std::string dir = temp_dir();
  auto r = run_cli(args_for(dir + "/draw-2026-03/final", "--seed 1"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(data_lines(dir + "/draw-2026-03/final/selected.csv"), 30u);
  std::ofstream(dir + "/a-file") << "x";
  auto bad = run_cli(args_for(dir + "/a-file/sub", "--seed 1"));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--output-dir"), std::string::npos) << bad.err;
  EXPECT_EQ(bad.err.find("LEXIMIN "), std::string::npos) << "refused only after drawing: " << bad.err;
  std::filesystem::remove_all(dir);
}

TEST(PanelSelectCli, JsonReportAndOutputTables) {
  std::string dir = temp_dir();
  auto r = run_cli(args_for(dir, "--seed 42 --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["algorithm"], "leximin");
  EXPECT_EQ(j["selected"].size(), 30u);
  EXPECT_EQ(j["probabilities"].size(), 100u);
  double sum = 0;
  for (auto& [id, p] : j["probabilities"].items()) sum += p.get<double>();
  EXPECT_NEAR(sum, 30.0, 1e-6);
  EXPECT_NEAR(j["min_probability"].get<double>(), 0.29670, 1e-4);  // data README reference
  EXPECT_EQ(j["seed"].get<uint64_t>(), 42u);
  EXPECT_EQ(j["commitment"].get<std::string>().size(), 64u);
  EXPECT_GT(j["panels_in_support"].get<int>(), 0);
  EXPECT_TRUE(j["timing"].contains("seconds"));
  // Time per phase, and the certificate: the LEXIMIN, proven to its tolerance.
  ASSERT_GE(j["timing"]["phases"].size(), 2u) << j["timing"].dump();
  EXPECT_EQ(j["timing"]["phases"][0]["phase"], "relaxation");
  const auto& cert = j["certificate"];
  EXPECT_TRUE(cert["certified"].get<bool>()) << cert.dump();
  EXPECT_FALSE(cert["stopped_early"].get<bool>());
  EXPECT_EQ(cert["tolerance"].get<double>(), 1e-6);
  EXPECT_LE(cert["max_shortfall"].get<double>(), 1e-6);
  EXPECT_EQ(cert["levels_certified"], cert["levels_total"]);
  EXPECT_NEAR(cert["dual_bound"].get<double>(), 0.29670, 1e-4);
  EXPECT_GE(cert["dual_bound"].get<double>(), j["min_probability"].get<double>() - 1e-9);
  EXPECT_NEAR(cert["levels"][0]["achieved"].get<double>(), j["min_probability"].get<double>(), 1e-12);
  // Progress on stderr, in words.
  EXPECT_NE(r.err.find("LEXIMIN bounds (LP relaxation): level 1 done"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("elapsed"), std::string::npos) << r.err;
  EXPECT_EQ(data_lines(dir + "/selected.csv"), 30u);
  EXPECT_EQ(data_lines(dir + "/remaining.csv"), 70u);
  // Same seed, same draw.
  auto again = run_cli(args_for(dir, "--seed 42 --json"));
  ASSERT_EQ(again.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(again.out)["selected"], j["selected"]);
  std::filesystem::remove_all(dir);
}

// --max-seconds: a number of seconds; a limit too short for even one panel is said plainly and
// draws nothing.
TEST(PanelSelectCli, MaxSecondsIsCheckedAndATooShortLimitDrawsNothing) {
  if (!std::filesystem::exists(kData)) GTEST_SKIP() << "shared data missing";
  std::string dir = temp_dir();
  for (const char* bad : {"0", "-3", "soon", "1e9"}) {
    auto r = run_cli(args_for(dir, std::string("--seed 1 --max-seconds ") + bad));
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.err.find("--max-seconds"), std::string::npos) << r.err;
  }
  auto tiny = run_cli(args_for(dir, "--seed 1 --max-seconds 0.000001"));
  EXPECT_EQ(tiny.exit_code, 1) << tiny.err;
  EXPECT_NE(tiny.err.find("before any panel was found"), std::string::npos) << tiny.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/selected.csv"));
  auto roomy = run_cli(args_for(dir, "--seed 1 --max-seconds 600"));
  ASSERT_EQ(roomy.exit_code, 0) << roomy.err;
  EXPECT_NE(roomy.out.find("certified LEXIMIN: all"), std::string::npos) << roomy.out;
  std::filesystem::remove_all(dir);
}

TEST(PanelSelectCli, LegacyAndLottery) {
  std::string dir = temp_dir();
  auto legacy = run_cli(args_for(dir, "--algorithm legacy --seed 1 --json"));
  ASSERT_EQ(legacy.exit_code, 0) << legacy.err;
  auto j = nlohmann::json::parse(legacy.out);
  EXPECT_EQ(j["algorithm"], "legacy");
  EXPECT_EQ(j["selected"].size(), 30u);
  EXPECT_GT(j["legacy_runs"].get<int>(), 0);
  auto lottery = run_cli(args_for(dir, "--seed 1 --lottery 500 --json"));
  ASSERT_EQ(lottery.exit_code, 0) << lottery.err;
  auto l = nlohmann::json::parse(lottery.out);
  EXPECT_EQ(l["lottery"]["panels"], 500);
  EXPECT_GE(l["lottery"]["max_probability_change"].get<double>(), l["lottery"]["mean_probability_change"].get<double>());
  std::filesystem::remove_all(dir);
}

TEST(PanelSelectCli, BadInputExitsTwoNamingFileRowAndColumn) {
  std::string quotas = write_temp("category,feature,min,max\nsex,F,1,2\nsex,M,1,2\n", ".csv");
  std::string pool = write_temp("id,sex\na,F\nb,M\nc,Q\n", ".csv");
  std::string dir = temp_dir();
  auto r = run_cli("panel select --categories " + quotas + " --respondents " + pool +
                   " --size 2 --id-column id --output-dir " + dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(pool + ", row 3 (line 4), column 'sex'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'Q'"), std::string::npos) << r.err;

  std::string good_pool = write_temp("id,sex\na,F\nb,M\nc,M\n", ".csv");
  auto too_big = run_cli("panel select --categories " + quotas + " --respondents " + good_pool +
                         " --size 5 --id-column id --output-dir " + dir);
  EXPECT_EQ(too_big.exit_code, 2);
  EXPECT_NE(too_big.err.find("exceeds the pool"), std::string::npos) << too_big.err;

  auto missing = run_cli("panel select --categories " + quotas + " --respondents " + good_pool);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--size"), std::string::npos);

  std::string no_col = write_temp("id,gender\na,F\n", ".csv");
  auto nc = run_cli("panel select --categories " + quotas + " --respondents " + no_col + " --size 1 --id-column id");
  EXPECT_EQ(nc.exit_code, 2);
  EXPECT_NE(nc.err.find("missing column 'sex'"), std::string::npos) << nc.err;
  std::filesystem::remove_all(dir);
}

TEST(PanelSelectCli, InfeasibleQuotasSuggestARelaxation) {
  // Two women exist but the quota asks for three.
  std::string quotas = write_temp("category,feature,min,max\nsex,F,3,4\nsex,M,1,4\n", ".csv");
  std::string pool = write_temp("id,sex\na,F\nb,F\nc,M\nd,M\ne,M\n", ".csv");
  std::string dir = temp_dir();
  auto r = run_cli("panel select --categories " + quotas + " --respondents " + pool +
                   " --size 4 --id-column id --output-dir " + dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no panel of 4 meets all the quotas"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("sex = F: min 3 -> 2"), std::string::npos) << r.err;
  std::filesystem::remove_all(dir);
}

TEST(PanelSelectCli, AlreadySelectedAndExcludeFiles) {
  std::string dir = temp_dir();
  std::string already = write_temp("unique_id\n1\n2\n", ".csv");
  std::string exclude = write_temp("unique_id\n3\n", ".csv");
  auto r = run_cli(args_for(dir, "--seed 9 --json --already-selected " + already + " --exclude " + exclude));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["selected"].size(), 30u);
  EXPECT_EQ(j["selected"][0], "1");
  EXPECT_EQ(j["selected"][1], "2");
  EXPECT_EQ(j["probabilities"]["3"].get<double>(), 0.0);
  std::string unknown = write_temp("unique_id\n999\n", ".csv");
  auto bad = run_cli(args_for(dir, "--exclude " + unknown));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("'999' is not in the pool"), std::string::npos) << bad.err;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace townhall::testing
