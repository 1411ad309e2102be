#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_test_util.h"

namespace townhall::testing {
namespace {

const char* kCompliant = R"({
  "as_of": "2025-02-01",
  "consultations": [{
    "id": "parks-2025", "title": "Parks strategy", "big_decision": true,
    "opens": "2025-03-03", "closes": "2025-04-13",
    "proposal": "A new parks strategy.", "reasons": "The old one has expired.",
    "options_considered": [{"option": "Keep the old strategy", "rejected": true, "reason": "Out of date"}],
    "channels": ["online", "paper", "event"], "decision_date": "2025-06-01"
  }]
})";

TEST(CheckCli, CompliantFileExitsZero) {
  const std::string f = write_temp(kCompliant, ".json");
  auto r = run_cli("check " + f + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["summary"]["breach"], 0);
  EXPECT_EQ(j["checked"]["consultations"], 1);
  EXPECT_EQ(j["as_of"], "2025-02-01");
}

TEST(CheckCli, BreachExitsOneWithRuleAndDates) {
  // Five weeks: 35 days, C-MIN breach with the required close Sun 13 Apr 2025.
  std::string doc = kCompliant;
  doc.replace(doc.find("2025-04-13"), 10, "2025-04-06");
  const std::string f = write_temp(doc, ".json");
  auto r = run_cli("check " + f + " --json");
  ASSERT_EQ(r.exit_code, 1) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_GE(j["findings"].size(), 1u);
  const auto& f0 = j["findings"][0];
  EXPECT_EQ(f0["rule"], "C-MIN");
  EXPECT_EQ(f0["severity"], "breach");
  EXPECT_EQ(f0["dates"]["required_close"], "2025-04-13");
  EXPECT_EQ(f0["figures"]["length_days"], 35);
  EXPECT_FALSE(f0["citation"].get<std::string>().empty());
  // The text report has one line per finding and a summary.
  auto t = run_cli("check " + f);
  EXPECT_EQ(t.exit_code, 1);
  EXPECT_NE(t.out.find("BREACH C-MIN consultation parks-2025"), std::string::npos);
}

TEST(CheckCli, BadInputExitsTwoAndNamesTheField) {
  auto missing = run_cli("check /nonexistent/file.json");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("/nonexistent/file.json"), std::string::npos);
  auto syntax = run_cli("check -", "{\"consultations\": [");
  EXPECT_EQ(syntax.exit_code, 2);
  EXPECT_NE(syntax.err.find("not valid JSON"), std::string::npos);
  auto field = run_cli("check -", R"({"consultations": [{"id": "a", "title": "t", "opens": "2025-13-01"}]})");
  EXPECT_EQ(field.exit_code, 2);
  EXPECT_NE(field.err.find("/consultations/0/opens"), std::string::npos);
  auto unknown = run_cli("check -", R"({"consultation": []})");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("consultation"), std::string::npos);
  auto utf8 = run_cli("check -", std::string("{\"consultations\": [{\"id\": \"a\", \"title\": \"\xff\xfe\"}]}"));
  EXPECT_EQ(utf8.exit_code, 2);
}

// Governance staff read `townhall check`'s errors: what the value must be, not which schema
// keyword failed ("Value type not permitted by 'type' constraint").
TEST(CheckCli, SchemaErrorsArePhrasedForPeople) {
  auto date = run_cli("check -", R"({"consultations": [{"id": "a", "title": "t", "opens": 20250301}]})");
  EXPECT_EQ(date.exit_code, 2);
  EXPECT_NE(date.err.find("/consultations/0/opens"), std::string::npos) << date.err;
  EXPECT_NE(date.err.find("must be a date like 2026-03-01"), std::string::npos) << date.err;
  auto flag = run_cli("check -", R"({"consultations": [{"id": "a", "title": "t", "big_decision": "yes"}]})");
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_NE(flag.err.find("must be true or false"), std::string::npos) << flag.err;
  for (const auto& r : {date, flag}) EXPECT_EQ(r.err.find("constraint"), std::string::npos) << r.err;
}

TEST(CheckCli, AsOfOptionOverridesTheFile) {
  std::string doc = kCompliant;
  doc.replace(doc.find("\"decision_date\": \"2025-06-01\""), 29,
              "\"decision_date\": \"2025-06-01\", \"decision_report_date\": \"2025-05-20\"");
  const std::string f = write_temp(doc, ".json");
  // Summary due by Fri 9 May (10 clear days before 20 May): a note before, a warning after.
  auto before = run_cli("check " + f + " --json --as-of 2025-05-01");
  auto after = run_cli("check " + f + " --json --as-of 2025-05-12");
  EXPECT_EQ(nlohmann::json::parse(before.out)["summary"]["warning"], 0);
  EXPECT_EQ(nlohmann::json::parse(after.out)["summary"]["warning"], 1);
  EXPECT_EQ(after.exit_code, 0);  // warnings do not fail the check
}

}  // namespace
}  // namespace townhall::testing

namespace townhall::testing {
namespace {

// The example in docs/governance-guide.md behaves as the guide says.
TEST(CheckCli, GovernanceGuideExample) {
  auto r = run_cli(std::string("check ") + TOWNHALL_SOURCE_DIR + "/docs/examples/check-example.json --json");
  ASSERT_EQ(r.exit_code, 1) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["summary"]["breach"], 1);
  EXPECT_EQ(j["findings"][0]["rule"], "C-EXT");
  EXPECT_EQ(j["findings"][0]["dates"]["required_close"], "2026-01-25");
}

}  // namespace
}  // namespace townhall::testing

namespace townhall::testing {
namespace {

const std::string kExamples = std::string(TOWNHALL_SOURCE_DIR) + "/docs/examples/";

TEST(CheckCli, ForwardPlanJsonAloneOrInsideACheckFile) {
  // docs/examples/forward-plan.json: the agenda for the meeting on Mon 16 Jun 2025 came out on
  // Mon 9 Jun, 4 clear working days (Tue–Fri); it was due by Sun 8 Jun, in practice Fri 6 Jun, as
  // the governance guide's MEET-5 example works out.
  auto bare = run_cli("check " + kExamples + "forward-plan.json --as-of 2025-07-01 --json");
  ASSERT_EQ(bare.exit_code, 1) << bare.err;
  auto j = nlohmann::json::parse(bare.out);
  EXPECT_EQ(j["checked"]["key_decisions"], 3);
  EXPECT_EQ(j["checked"]["meetings"], 2);
  bool meet5 = false;
  for (const auto& f : j["findings"]) {
    if (f["rule"] == "MEET-5" && f["severity"] == "breach") {
      meet5 = true;
      EXPECT_EQ(f["dates"]["required_by"], "2025-06-08");
      EXPECT_EQ(f["figures"]["clear_days"], 4);
    }
  }
  EXPECT_TRUE(meet5);
  // The same plan under "forward_plan" with a consultation beside it gives the same findings and more.
  std::ifstream in(kExamples + "forward-plan.json");
  nlohmann::json plan = nlohmann::json::parse(in);
  plan.erase("$schema");
  nlohmann::json wrapped = {{"as_of", "2025-07-01"}, {"forward_plan", plan}};
  auto w = run_cli("check - --json", wrapped.dump());
  ASSERT_EQ(w.exit_code, 1) << w.err;
  EXPECT_EQ(nlohmann::json::parse(w.out)["findings"], j["findings"]);
}

TEST(CheckCli, ForwardPlanCsv) {
  auto r = run_cli("check " + kExamples + "forward-plan.csv --as-of 2025-07-01 --json");
  ASSERT_EQ(r.exit_code, 1) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["checked"]["key_decisions"], 3);
  EXPECT_EQ(j["summary"]["breach"], 1);
  // A CSV piped on stdin needs --format csv.
  auto missing_col = run_cli("check - --format csv", "id,matter\nKD-1,Roads\n");
  EXPECT_EQ(missing_col.exit_code, 2);
  EXPECT_NE(missing_col.err.find("decision_maker"), std::string::npos) << missing_col.err;
  auto bad_format = run_cli("check - --format xml", "x");
  EXPECT_EQ(bad_format.exit_code, 2);
  EXPECT_NE(bad_format.err.find("--format"), std::string::npos);
}

TEST(CheckCli, ForwardPlanErrorsNameTheField) {
  auto r = run_cli("check -", R"({"forward_plan": {"key_decisions": [{"id": "kd-1", "colour": "red"}]}})");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/forward_plan/key_decisions/0"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace townhall::testing

namespace townhall::testing {
namespace {

// Every JSON file the CLI reads goes through the same strict reader as request bodies: nesting
// past 64 levels, a number past a double's range, a byte-order mark or a NUL byte, and control
// characters in text are refused with exit 2 and a message naming the problem (never a crash).
TEST(CheckCli, HostileJsonFilesAreRefusedNamingTheProblem) {
  const std::string deep = R"({"consultations": [{"id": "a", "title": )" + std::string(50000, '[') +
                           std::string(50000, ']') + "}]}";
  std::string path = write_temp(deep, ".json");
  auto r = run_cli("check " + path);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("more than 64 levels deep"), std::string::npos) << r.err.substr(0, 500);
  std::remove(path.c_str());

  auto policy = write_temp(R"({"holiday_windows": )" + std::string(50000, '[') + std::string(50000, ']') + "}", ".json");
  auto p = run_cli("consultation close-date --opens 2025-12-01 --policy " + policy);
  EXPECT_EQ(p.exit_code, 2) << p.err;
  EXPECT_NE(p.err.find("more than 64 levels deep"), std::string::npos) << p.err.substr(0, 500);
  std::remove(policy.c_str());

  auto number = run_cli("check -", R"({"consultations": [{"id": "a", "weeks": 1e400}]})");
  EXPECT_EQ(number.exit_code, 2);
  EXPECT_NE(number.err.find("/consultations/0/weeks"), std::string::npos) << number.err;
  EXPECT_NE(number.err.find("1e400"), std::string::npos) << number.err;

  auto bom = run_cli("check -", "\xEF\xBB\xBF{\"consultations\": []}");
  EXPECT_EQ(bom.exit_code, 2);
  EXPECT_NE(bom.err.find("byte-order mark"), std::string::npos) << bom.err;

  auto control = run_cli("check -", R"({"consultations": [{"id": "a", "title": "x\u0000y"}]})");
  EXPECT_EQ(control.exit_code, 2);
  EXPECT_NE(control.err.find("/consultations/0/title"), std::string::npos) << control.err;
  EXPECT_NE(control.err.find("U+0000"), std::string::npos) << control.err;
}

// A consultation exactly as GET /api/v1/consultations/{id} returns it (status, version, times,
// meetings), promising Welsh with no Welsh translation: LANG, a breach by default (docs/design.md §2.3:
// every promised language complete before it opens), and READ for a 36-word sentence (the
// policy's target is 25 words), a warning. Six weeks for a big decision meets C-MIN.
TEST(CheckCli, AConsultationAsTheApiReturnsItGetsLangAndRead) {
  const char* kAsReturned = R"({
    "id": "c-1", "status": "draft", "version": 1,
    "created_at": "2026-01-05T10:00:00Z", "updated_at": "2026-01-05T10:00:00Z",
    "title": "Library opening hours", "big_decision": true,
    "opens": "2026-03-02", "closes": "2026-04-12", "languages": ["cy"],
    "summary": "We want to change library opening hours.",
    "proposal": "We propose that the library opens on Saturday afternoons and closes on Monday mornings so that the staff who work there can cover the busiest hours of the week without any extra cost to the council.",
    "reasons": "Money is short.",
    "options_considered": [{"option": "Keep the hours"},
                           {"option": "Close on Mondays", "rejected": true, "reason": "Fewer people could visit."}],
    "channels": ["online", "paper"],
    "meetings": []
  })";
  const std::string f = write_temp(kAsReturned, ".json");
  auto r = run_cli("check " + f + " --json --as-of 2026-02-01");
  ASSERT_EQ(r.exit_code, 1) << r.err << r.out;
  auto j = nlohmann::json::parse(r.out);
  std::vector<std::string> breaches, warnings;
  for (const auto& x : j["findings"]) {
    if (x["severity"] == "breach") breaches.push_back(x["rule"]);
    if (x["severity"] == "warning") warnings.push_back(x["rule"]);
    if (x["rule"] == "LANG") {
      EXPECT_NE(x["message"].get<std::string>().find("Welsh (cy)"), std::string::npos);
    }
  }
  EXPECT_EQ(breaches, std::vector<std::string>{"LANG"});
  EXPECT_EQ(warnings, std::vector<std::string>{"READ"});
  EXPECT_EQ(j["checked"]["consultations"], 1);
  // Inside a check file, with the Welsh translation beside it, LANG is met.
  auto doc = nlohmann::json::parse(kAsReturned);
  doc["translations"]["cy"] = {
      {"lang", "cy"}, {"title", "Oriau agor y llyfrgell"}, {"summary", "Rydym eisiau newid oriau agor y llyfrgell."},
      {"proposal", "Agor ar brynhawniau Sadwrn."}, {"reasons", "Mae arian yn brin."},
      {"options_considered", {{{"option", "Cadw'r oriau"}}, {{"option", "Cau ar ddydd Llun"}, {"reason", "Llai o ymwelwyr."}}}}};
  const std::string g = write_temp(nlohmann::json({{"consultations", {doc}}}).dump(), ".json");
  auto ok = run_cli("check " + g + " --json --as-of 2026-02-01");
  EXPECT_EQ(ok.exit_code, 0) << ok.err << ok.out;
  // A field the API never returns is still refused, named by its place.
  doc["colour"] = "red";
  auto bad = run_cli("check -", nlohmann::json({{"consultations", {doc}}}).dump());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("/consultations/0"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace townhall::testing

namespace townhall::testing {
namespace {

// SI 2012/2089 sets floors for English councils: a policy may be stricter, never laxer.
TEST(CheckCli, APolicyLaxerThanTheLawIsRefusedNamingTheSetting) {
  const std::string f = write_temp(kCompliant, ".json");
  const std::pair<const char*, const char*> cases[] = {
      {R"({"key_decisions": {"notice": {"days": 0}}})", "/key_decisions/notice"},
      {R"({"severities": {"KD-2": "info"}})", "/severities/KD-2"},
      {R"({"severities": {"MEET-5": "warning"}})", "/severities/MEET-5"},
  };
  for (const auto& [text, field] : cases) {
    const std::string policy = write_temp(text, ".json");
    auto r = run_cli("check " + f + " --policy " + policy);
    EXPECT_EQ(r.exit_code, 2) << text << r.out;
    EXPECT_NE(r.err.find(field), std::string::npos) << r.err;
    auto s = run_cli("policy show --policy " + policy);
    EXPECT_EQ(s.exit_code, 2) << text;
  }
  // A charter-only setting, and the same statutory setting for a Scottish council, are the
  // council's to choose.
  for (const char* text : {R"({"severities": {"VAR": "info"}})",
                           R"({"nation": "scotland", "key_decisions": {"notice": {"days": 14}}})"}) {
    auto r = run_cli("check " + f + " --policy " + write_temp(text, ".json"));
    EXPECT_EQ(r.exit_code, 0) << text << r.err;
  }
}

}  // namespace
}  // namespace townhall::testing
