// Every front end gives the same charter answer: a consultation as GET /api/v1/consultations/{id}
// returns it, handed to the compliance check `townhall check` runs, gets the findings of GET
// …/findings (LANG and READ included); and a transition the charter refuses over HTTP is the
// refusal Python's add_consultation raises (tests/python/test_lifecycle.py). Expected values come
// from the charter rules (docs/design.md §2.3).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "in_process.h"
#include "townhall/compliance/compliance.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"
#include "townhall/access/token.h"

namespace townhall::server {
namespace {

class OneRulebookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::make_temp_dir("townhall-rulebook");
    store = std::move(open_sqlite_store(dir + "/t.db", SqliteOptions::creating())).value();
    ApiOptions o;
    o.today = [] { return *Date::parse("2026-02-01"); };
    api = std::make_unique<Api>(*store, o);
    token = new_bearer_token();
    ASSERT_TRUE(store->add_user(Role::kOfficer, "officer", hash_token(token)).ok());
  }
  void TearDown() override {
    api.reset();
    std::filesystem::remove_all(dir);
  }
  HttpResponse call(const std::string& method, const std::string& target, const std::string& body = "") {
    HttpRequest r;
    r.method = method;
    r.target = target;
    r.authorization = "Bearer " + token;
    r.body = body;
    if (!body.empty()) r.content_type = "application/json";
    return testing::handle_and_wait(*api, r);
  }

  std::string dir, token;
  std::unique_ptr<Store> store;
  std::unique_ptr<Api> api;
};

// Opens Mon 2 Mar 2026 for a big decision; proposal, reasons, a rejected alternative (G2) and a
// paper channel (VAR).
nlohmann::json library_hours(const std::string& closes) {
  return {{"title", "Library opening hours"},
          {"big_decision", true},
          {"opens", "2026-03-02"},
          {"closes", closes},
          {"summary", "We want to change library opening hours."},
          {"proposal", "Open on Saturday afternoons."},
          {"reasons", "Money is short."},
          {"options_considered",
           {{{"option", "Keep the hours"}},
            {{"option", "Close on Mondays"}, {"rejected", true}, {"reason", "Fewer people could visit."}}}},
          {"channels", {"online", "paper"}}};
}

std::vector<std::string> rules_of(const nlohmann::json& findings, const std::string& severity) {
  std::vector<std::string> out;
  for (const auto& f : findings) {
    if (f["severity"] == severity) out.push_back(f["rule"]);
  }
  return out;
}

// Six weeks (2 Mar – 12 Apr 2026, 42 days) meets C-MIN; Welsh is promised with no Welsh
// translation, so LANG (a breach by default: every promised language complete before opening)
// is reported; a 36-word sentence in the proposal misses READ's 25-word target (a warning).
TEST_F(OneRulebookTest, CheckOfAConsultationAsTheApiReturnsItReportsLangAndRead) {
  auto doc = library_hours("2026-04-12");
  doc["languages"] = {"cy"};
  doc["proposal"] =
      "We propose that the library opens on Saturday afternoons and closes on Monday mornings so that the "
      "staff who work there can cover the busiest hours of the week without any extra cost to the council.";
  ASSERT_EQ(call("POST", "/api/v1/consultations", doc.dump()).status, 201);
  auto got = call("GET", "/api/v1/consultations/c-1");
  ASSERT_EQ(got.status, 200);
  const auto as_returned = nlohmann::json::parse(got.body);
  ASSERT_TRUE(as_returned.contains("status") && as_returned.contains("meetings"));

  auto report = check_document(as_returned, CharterPolicy::defaults(), *Date::parse("2026-02-01"));
  ASSERT_TRUE(report.ok()) << report.error().describe();
  const auto checked = report->to_json()["findings"];
  EXPECT_EQ(rules_of(checked, "breach"), (std::vector<std::string>{"LANG"}));
  EXPECT_EQ(rules_of(checked, "warning"), (std::vector<std::string>{"READ"}));
  EXPECT_TRUE(report->has_breach());

  // The same findings as the server's own report of the stored consultation.
  auto served = call("GET", "/api/v1/consultations/c-1/findings");
  ASSERT_EQ(served.status, 200);
  EXPECT_EQ(nlohmann::json::parse(served.body)["findings"], checked);

  // With a complete Welsh translation in the check file, LANG is satisfied (an info finding).
  nlohmann::json with_welsh = as_returned;
  with_welsh["translations"]["cy"] = {
      {"title", "Oriau agor y llyfrgell"},
      {"summary", "Rydym eisiau newid oriau agor y llyfrgell."},
      {"proposal", "Agor ar brynhawniau Sadwrn."},
      {"reasons", "Mae arian yn brin."},
      {"options_considered",
       {{{"option", "Cadw'r oriau"}}, {{"option", "Cau ar ddydd Llun"}, {"reason", "Byddai llai o bobl yn gallu ymweld."}}}}};
  auto complete = check_document(with_welsh, CharterPolicy::defaults(), *Date::parse("2026-02-01"));
  ASSERT_TRUE(complete.ok()) << complete.error().describe();
  EXPECT_TRUE(rules_of(complete->to_json()["findings"], "breach").empty());
  auto infos = rules_of(complete->to_json()["findings"], "info");
  EXPECT_EQ(std::count(infos.begin(), infos.end(), "LANG"), 1);
}

// Five weeks (2 Mar – 5 Apr 2026, 35 days) for a big decision breaches C-MIN (six weeks).
TEST_F(OneRulebookTest, PythonAndApiRefuseTheSameFiveWeekConsultation) {
  ASSERT_EQ(call("POST", "/api/v1/consultations", library_hours("2026-04-05").dump()).status, 201);
  auto refused = call("POST", "/api/v1/consultations/c-1/transitions", R"({"to":"scheduled"})");
  ASSERT_EQ(refused.status, 409);
  auto p = nlohmann::json::parse(refused.body);
  EXPECT_EQ(p["type"], "urn:townhall:problem:charter-breach");
  EXPECT_EQ(p["rules"], nlohmann::json({"C-MIN"}));
  // The message tests/python/test_lifecycle.py expects from Database.add_consultation.
  EXPECT_EQ(p["detail"], "Breaches: [\"C-MIN\"]. Fix them, or ask another officer to approve an exception.");
  EXPECT_EQ(rules_of(p["findings"], "breach"), (std::vector<std::string>{"C-MIN"}));
}

}  // namespace
}  // namespace townhall::server
