// `townhall readability FILE --lang L [--json]` as an officer runs it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_test_util.h"

namespace townhall::testing {
namespace {

// 3 sentences; the second has 30 words. Counted by hand.
const char* kText =
    "We want your views. "
    "The consultation on neighbourhood participation arrangements considers representative "
    "democratic mechanisms, accessibility requirements, community infrastructure investment, "
    "environmental sustainability commitments and intergenerational equality considerations "
    "across every administrative ward in the borough today. Thank you.";

TEST(ReadabilityCli, JsonReportForEnglish) {
  const std::string path = write_temp(kText, ".txt");
  auto r = run_cli("readability " + shell_quote(path) + " --lang en-GB --json");
  std::remove(path.c_str());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["lang"], "en-GB");
  EXPECT_EQ(j["sentences"], 3);
  EXPECT_EQ(j["words"], 36);  // 4 + 30 + 2
  EXPECT_TRUE(j["flesch_reading_ease"].is_number());
  EXPECT_TRUE(j["flesch_kincaid_grade"].is_number());
  EXPECT_EQ(j["longest_sentences"][0]["words"], 30);
  EXPECT_EQ(j["longest_sentences"][0]["index"], 2);
  EXPECT_EQ(j["sentences_over_limit"].size(), 1u);
  EXPECT_EQ(j["guidance_missed"][0]["id"], "sentence-length");
  EXPECT_EQ(j["limits"]["max_sentence_words"], 25);
}

TEST(ReadabilityCli, TextReportAndStdin) {
  auto r = run_cli("readability - --lang cy", "Mae’r ymgynghoriad ar agor. Dywedwch wrthym am eich gwasanaethau lleol.");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Sentences: 2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Words: 10"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("LIX: 35"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Flesch scores: English only"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Meets the plain-language guidance"), std::string::npos) << r.out;
}

TEST(ReadabilityCli, BadInputIsExitTwoNamingTheProblem) {
  const std::string path = write_temp("ok", ".txt");
  auto no_lang = run_cli("readability " + shell_quote(path));
  EXPECT_EQ(no_lang.exit_code, 2);
  EXPECT_NE(no_lang.err.find("--lang"), std::string::npos) << no_lang.err;
  auto bad_lang = run_cli("readability " + shell_quote(path) + " --lang 'not a tag'");
  EXPECT_EQ(bad_lang.exit_code, 2);
  EXPECT_NE(bad_lang.err.find("--lang"), std::string::npos) << bad_lang.err;
  std::remove(path.c_str());
  const std::string bad_utf8 = write_temp("Caf\xC3\x28 ok.", ".txt");
  auto r = run_cli("readability " + shell_quote(bad_utf8) + " --lang en-GB");
  std::remove(bad_utf8.c_str());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("FILE"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("UTF-8"), std::string::npos) << r.err;
  auto missing = run_cli("readability /nonexistent/file.txt --lang en-GB");
  EXPECT_EQ(missing.exit_code, 2);
}

}  // namespace
}  // namespace townhall::testing
