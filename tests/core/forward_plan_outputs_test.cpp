// The Forward Plan's public outputs (forward_plan/outputs.h): CSV quoted as RFC 4180 asks, an Atom
// feed with its text escaped, and an iCalendar file with RFC 5545 line folding. The
// expected texts follow the RFCs and docs/forward-plan-csv.md, not the writers.
#include <gtest/gtest.h>

#include "townhall/forward_plan/forward_plan.h"
#include "townhall/forward_plan/outputs.h"

namespace townhall {
namespace {

ForwardPlan sample() {
  auto plan = parse_forward_plan(nlohmann::json::parse(R"({
    "key_decisions": [
      {"id": "kd-1", "matter": "Award of the highways maintenance contract, phase 2",
       "decision_maker": {"name": "Cllr Asha Patel", "title": "Cabinet Member for Highways"},
       "decision_date": "2025-07-17", "value_pence": 12000000, "value_kind": "spend",
       "wards_affected": ["Abbey", "Castle"], "treated_as_key": true},
      {"id": "kd-2", "matter": "Closure of the Dene Road depot <and> \"yard\"",
       "decision_maker": {"body": "Cabinet", "members": ["Cllr Asha Patel"]},
       "decision_period": {"from": "2025-09-01", "to": "2025-09-30"}, "treated_as_key": true}
    ]})"));
  EXPECT_TRUE(plan.ok()) << plan.error().describe();
  return std::move(plan).value();
}

TEST(ForwardPlanOutputs, CsvQuotesAsRfc4180) {
  std::string csv = forward_plan_csv(sample());
  EXPECT_EQ(csv.rfind("id,matter,decision_maker,date_or_period", 0), 0u) << csv;
  // A header and one record per decision, each ended by CRLF.
  size_t lines = 0;
  for (size_t at = csv.find("\r\n"); at != std::string::npos; at = csv.find("\r\n", at + 2)) ++lines;
  EXPECT_EQ(lines, 3u) << csv;
  EXPECT_EQ(csv.substr(csv.size() - 2), "\r\n");
  // A field with a comma is quoted; quotes inside are doubled; other fields are left bare.
  EXPECT_NE(csv.find("\r\nkd-1,\"Award of the highways maintenance contract, phase 2\","), std::string::npos) << csv;
  EXPECT_NE(csv.find("\r\nkd-2,\"Closure of the Dene Road depot <and> \"\"yard\"\"\","), std::string::npos) << csv;
}

TEST(ForwardPlanOutputs, AtomEscapesAndIcalendarFoldsLines) {
  std::string atom = forward_plan_atom(sample(), "2025-06-19T09:00:00Z");
  EXPECT_NE(atom.find("<updated>2025-06-19T09:00:00Z</updated>"), std::string::npos) << atom;
  EXPECT_NE(atom.find("<id>urn:townhall:key-decision:kd-2</id>"), std::string::npos) << atom;
  EXPECT_NE(atom.find("&lt;and&gt; &quot;yard&quot;"), std::string::npos) << atom;
  EXPECT_EQ(atom.find("<and>"), std::string::npos);

  std::string ics = forward_plan_ics(sample(), "2025-06-19T09:00:00Z");
  EXPECT_EQ(ics.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
  EXPECT_NE(ics.find("DTSTART;VALUE=DATE:20250717\r\n"), std::string::npos) << ics;
  EXPECT_NE(ics.find("DTEND;VALUE=DATE:20250718\r\n"), std::string::npos) << ics;
  EXPECT_NE(ics.find("DTSTART;VALUE=DATE:20250901\r\n"), std::string::npos) << ics;
  for (size_t start = 0, end; (end = ics.find("\r\n", start)) != std::string::npos; start = end + 2) {
    EXPECT_LE(end - start, 75u) << "unfolded line: " << ics.substr(start, end - start);
  }
  EXPECT_EQ(ics.substr(ics.size() - 15), "END:VCALENDAR\r\n");
}

}  // namespace
}  // namespace townhall
