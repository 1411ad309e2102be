// The server and the bank holidays: dates outside the years whose holidays are known are refused
// naming the field, and a council's imported GOV.UK feed is what its compliance report counts with.
// Expected figures are worked by hand from SI 2012/2089 reg 10 (five clear days after the general
// exception notice is made public) and the holidays of June 2027.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api_test_fixture.h"
#include "townhall/calendar/holiday_feed.h"

namespace townhall::server {
namespace {

using LegalDatesTest = ApiTest;

TEST_F(LegalDatesTest, RoutesThatTakeRuleDatesRefuseDaysOutsideTheSupportedYears) {
  const nlohmann::json kd = {{"id", "kd-1"}, {"matter", "Depot"}, {"decision_maker", {{"body", "Cabinet"}}},
                             {"decision_date", "1950-07-17"}, {"value_pence", 20000000}};
  auto r = call("PUT", "/api/v1/key-decisions/kd-1", Role::kGovernance, kd.dump());
  EXPECT_EQ(r.status, 422) << r.body;
  auto p = problem_of(r);
  EXPECT_EQ(p["pointer"], "/decision_date");
  EXPECT_NE(p["detail"].get<std::string>().find("outside the supported range"), std::string::npos) << r.body;
  EXPECT_EQ(call("GET", "/api/v1/key-decisions/kd-1").status, 404);  // nothing stored

  auto c = call("POST", "/api/v1/consultations", Role::kOfficer,
                R"({"title":"Parks","opens":"2101-01-04","closes":"2101-02-15"})");
  EXPECT_EQ(c.status, 422) << c.body;
  EXPECT_EQ(problem_of(c)["pointer"], "/opens");
}

TEST_F(LegalDatesTest, TheComplianceReportCountsWithTheImportedFeedAndSaysSo) {
  // General exception: the chair told and the notice made public on Wed 2 June 2027 for a decision
  // on Thu 10 June 2027. By the built-in table, 3, 4, 7, 8 and 9 June are five clear working days.
  const nlohmann::json kd = {{"id", "kd-2"},
                             {"matter", "Depot"},
                             {"decision_maker", {{"body", "Cabinet"}, {"members", {"Leader"}}}},
                             {"decision_date", "2027-06-10"},
                             {"value_pence", 20000000},
                             {"treated_as_key", true},
                             {"general_exception",
                              {{"chair_of_scrutiny_notified_on", "2027-06-02"},
                               {"notified", "Cllr Chair"},
                               {"made_public_on", "2027-06-02"}}}};
  ASSERT_EQ(call("PUT", "/api/v1/key-decisions/kd-2", Role::kGovernance, kd.dump()).status, 200);
  auto kd3 = [&](const HttpResponse& report) {
    EXPECT_EQ(report.status, 200) << report.body;
    const nlohmann::json body = nlohmann::json::parse(report.body);
    for (const auto& f : body["findings"]) {
      if (f["rule"] == "KD-3" && f["figures"].contains("clear_days")) return f;
    }
    return nlohmann::json();
  };
  auto before = kd3(call("GET", "/api/v1/forward-plan/compliance", Role::kGovernance));
  ASSERT_FALSE(before.is_null());
  EXPECT_EQ(before["figures"]["clear_days"], 5);
  EXPECT_EQ(before["severity"], "info");
  EXPECT_EQ(before["bank_holidays"], "built-in table (confirmed through 2026)");

  // The council imports a feed in which Mon 7 June 2027 has since been proclaimed a bank holiday.
  HolidayFeed feed;
  for (Region r : {Region::kEnglandAndWales, Region::kScotland, Region::kNorthernIreland}) {
    feed.divisions[r] = {{*Date::parse("2027-01-01"), "New Year's Day", "", true}};
  }
  feed.divisions[Region::kEnglandAndWales].push_back({*Date::parse("2027-06-07"), "A proclaimed day", "", true});
  feed.imported_on = *Date::parse("2026-12-07");
  feed.source = "bank-holidays.json";
  ASSERT_TRUE(store->put_holiday_feed(feed, AuditEvent{"test", "calendar.import", "calendar", "bank-holidays", {}}).ok());
  // The server counts with it from its next start.
  api = std::make_unique<Api>(*store, ApiOptions{});
  auto after = kd3(call("GET", "/api/v1/forward-plan/compliance", Role::kGovernance));
  ASSERT_FALSE(after.is_null());
  EXPECT_EQ(after["figures"]["clear_days"], 4);
  EXPECT_EQ(after["severity"], "breach");
  EXPECT_EQ(after["bank_holidays"], "GOV.UK feed imported 2026-12-07");
}

// A scheduled six-week consultation (Mon 2 March to Sun 12 April 2026, charter §2.3) cannot be
// opened early and closed seconds later without a word: each early step needs an exception, C-MIN
// is then judged on the days it was really open, and the public page says when it really closed.
TEST_F(LegalDatesTest, OpeningEarlyAndClosingEarlyNeedAnExceptionAndThePageShowsTheRealDates) {
  Date today = *Date::parse("2026-02-01");
  ApiOptions o;
  o.today = [&today] { return today; };
  api = std::make_unique<Api>(*store, o);
  const nlohmann::json doc = {
      {"title", "Library opening hours"}, {"big_decision", true}, {"opens", "2026-03-02"}, {"closes", "2026-04-12"},
      {"summary", "We want to change library opening hours."}, {"proposal", "Open on Saturday afternoons."},
      {"reasons", "Money is short."},
      {"options_considered", {{{"option", "Keep the hours"}}, {{"option", "Close on Mondays"}, {"rejected", true}}}},
      {"channels", {"online", "paper"}}};
  auto created = call("POST", "/api/v1/consultations", Role::kOfficer, doc.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = nlohmann::json::parse(created.body)["id"];
  const std::string path = "/api/v1/consultations/" + id + "/transitions";
  ASSERT_EQ(call("POST", path, Role::kOfficer, R"({"to":"scheduled"})").status, 200);

  today = *Date::parse("2026-02-27");  // three days before the published opening date
  auto early = call("POST", path, Role::kOfficer, R"({"to":"open"})");
  EXPECT_EQ(early.status, 409) << early.body;
  auto p = problem_of(early);
  EXPECT_EQ(p["type"], "urn:townhall:problem:before-published-date");
  EXPECT_EQ(p["pointer"], "/to");
  EXPECT_NE(p["detail"].get<std::string>().find("before the published opening date"), std::string::npos);
  ASSERT_EQ(call("POST", path, Role::kOfficer,
                 R"({"to":"open",)" + approved_exception_member(id, ConsultationStatus::kOpen, "The library roof failed") + "}")
                .status,
            200);

  auto closing = call("POST", path, Role::kOfficer, R"({"to":"closed"})");  // seconds later
  EXPECT_EQ(closing.status, 409) << closing.body;
  EXPECT_NE(problem_of(closing)["detail"].get<std::string>().find("before the published closing date"),
            std::string::npos);
  auto closed = call("POST", path, Role::kOfficer,
                     R"({"to":"closed",)" + approved_exception_member(id, ConsultationStatus::kClosed, "The library roof failed") + "}");
  ASSERT_EQ(closed.status, 200) << closed.body;
  auto body = nlohmann::json::parse(closed.body);
  EXPECT_EQ(body["consultation"]["opened_on"], "2026-02-27");
  EXPECT_EQ(body["consultation"]["closed_on"], "2026-02-27");
  bool judged = false;
  for (const auto& f : body["findings"]) {
    if (f["rule"] == "C-MIN") {
      judged = true;
      EXPECT_EQ(f["severity"], "breach");
      EXPECT_EQ(f["figures"]["length_days"], 1);
    }
  }
  EXPECT_TRUE(judged) << closed.body;

  // The public page says when it really closed, never the closing date still to come.
  auto page = call("GET", "/en-GB/consultations/" + id);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("Closed on 27 February 2026"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("Closed on 12 April 2026"), std::string::npos);
}

}  // namespace
}  // namespace townhall::server
