// Parsing a Forward Plan from JSON (schemas/forward-plan.schema.json) and from CSV
// (docs/forward-plan-csv.md): the model built, and errors that name the field, row and column.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "forward_plan_test_util.h"
#include "townhall/forward_plan/forward_plan.h"
#include "townhall/forward_plan/forward_plan_rules.h"
#include "townhall/charter/policy.h"
#include "townhall/util/json_schema.h"

namespace townhall {
namespace {

using fptest::contains;
using fptest::D;
using json = nlohmann::json;

json sample_plan() {
  return json::parse(R"({
    "authority": "Example Borough Council",
    "key_decisions": [
      {
        "id": "kd-17",
        "matter": "Award of the highways maintenance contract",
        "decision_maker": {"name": "Cllr Asha Patel", "title": "Cabinet Member for Highways"},
        "decision_date": "2025-07-17",
        "value_pence": 12000000,
        "value_kind": "spend",
        "wards_affected": ["Abbey", "Castle"],
        "significant_effects": true,
        "treated_as_key": true,
        "assessment_reasons": "Spend over £100,000 and works in two wards",
        "notice": {
          "published_on": "2025-06-19",
          "states_key_decision": true,
          "matter": "Award of the highways maintenance contract",
          "decision_maker": {"name": "Cllr Asha Patel", "title": "Cabinet Member for Highways"},
          "decision_date": "2025-07-17",
          "documents": ["Cabinet report"],
          "documents_available_from": "Town Hall",
          "other_documents_statement": true,
          "how_to_request": "Email democratic.services@example.gov.uk"
        }
      },
      {
        "id": "kd-18",
        "matter": "Closure of the Dene Road depot",
        "decision_maker": {"body": "Cabinet", "members": ["Cllr Asha Patel", "Cllr Ben Okafor"]},
        "decision_period": {"from": "2025-09-01", "to": "2025-09-30"},
        "value_pence": 500000,
        "value_kind": "savings",
        "treated_as_key": true,
        "special_urgency": {"agreed_by": "chair_of_council", "name": "Cllr Dee Evans",
                            "agreed_on": "2025-08-29", "reasons_notice_published_on": "2025-08-29"},
        "decided_on": "2025-09-01"
      }
    ],
    "meetings": [
      {"id": "m-1", "body": "Cabinet", "date": "2025-07-15", "private": true,
       "intention_notice_published_on": "2025-06-16",
       "further_notice": {"published_on": "2025-07-07", "representations_received": []}},
      {"id": "m-2", "body": "Full Council", "date": "2025-06-04",
       "notice_published_on": "2025-05-27", "agenda_published_on": "2025-05-27"}
    ],
    "urgency_reports": [{"id": "ur-1", "date": "2025-11-20", "decision_ids": ["kd-18"]}],
    "scrutiny_referrals": [{"decision_id": "d-99", "requested_on": "2025-09-01", "report_due_by": "2025-09-30"}]
  })");
}

TEST(ForwardPlanJson, BuildsTheModel) {
  auto plan = parse_forward_plan(sample_plan());
  ASSERT_TRUE(plan.ok()) << plan.error().describe();
  EXPECT_EQ(plan->authority, "Example Borough Council");
  ASSERT_EQ(plan->key_decisions.size(), 2u);
  const auto& a = plan->key_decisions[0];
  EXPECT_EQ(a.id, "kd-17");
  EXPECT_EQ(a.decision_maker.describe(), "Cllr Asha Patel, Cabinet Member for Highways");
  EXPECT_EQ(*a.timing.date, D("2025-07-17"));
  EXPECT_EQ(*a.value_pence, 12000000);
  EXPECT_EQ(a.wards_affected.size(), 2u);
  ASSERT_TRUE(a.notice.has_value());
  EXPECT_EQ(*a.notice->published_on, D("2025-06-19"));
  EXPECT_EQ(a.notice->documents->size(), 1u);
  const auto& b = plan->key_decisions[1];
  EXPECT_TRUE(b.decision_maker.is_body());
  EXPECT_EQ(b.decision_maker.describe(), "Cabinet (2 members)");
  EXPECT_TRUE(b.timing.is_period());
  EXPECT_EQ(b.timing.first_day(), D("2025-09-01"));
  EXPECT_EQ(b.value_kind, ValueKind::kSavings);
  ASSERT_TRUE(b.special_urgency.has_value());
  EXPECT_EQ(b.special_urgency->agreed_by, UrgencyRole::kChairOfCouncil);
  EXPECT_EQ(*b.decided_on, D("2025-09-01"));
  ASSERT_EQ(plan->meetings.size(), 2u);
  EXPECT_TRUE(plan->meetings[0].is_private);
  EXPECT_TRUE(plan->meetings[0].further_notice->representations_received->empty());
  EXPECT_EQ(plan->urgency_reports[0].decision_ids[0], "kd-18");
  EXPECT_EQ(plan->scrutiny_referrals[0].report_due_by, D("2025-09-30"));

  // End to end: the notice of kd-17 (19 Jun for 17 Jul) is the DESIGN example's 27-day breach.
  auto findings = check_forward_plan(*plan, CharterPolicy::defaults(), D("2025-12-01"));
  int kd2_breaches = 0;
  for (const auto& f : findings) {
    if (f.rule == "KD-2" && f.severity == Severity::kBreach) {
      ++kd2_breaches;
      EXPECT_EQ(f.subject_id, "kd-17");
      EXPECT_EQ(f.figures.at("clear_days"), 27);
    }
    // kd-18 was reported to council on 20 Nov 2025, after it was taken on 1 Sep.
    if (f.rule == "KD-5") {
      EXPECT_EQ(f.severity, Severity::kInfo);
    }
    // The referral was due 30 Sep and is unreported on 1 Dec.
    if (f.rule == "KD-6") {
      EXPECT_EQ(f.severity, Severity::kBreach);
    }
  }
  EXPECT_EQ(kd2_breaches, 1);
}

void expect_error(const json& doc, const std::string& pointer, const std::string& message_part = "",
                  std::string_view prefix = "") {
  auto plan = parse_forward_plan(doc, prefix);
  ASSERT_FALSE(plan.ok()) << "expected an error at " << pointer;
  EXPECT_EQ(plan.error().field, pointer) << plan.error().describe();
  if (!message_part.empty()) {
    EXPECT_TRUE(contains(plan.error().message, message_part)) << plan.error().describe();
  }
}

TEST(ForwardPlanJson, UnknownKeyNamesItsPointer) {
  json doc = sample_plan();
  doc["key_decisions"][0]["colour"] = "red";
  expect_error(doc, "/key_decisions/0/colour", "unknown field");
  doc = sample_plan();
  doc["meetings"][0]["further_notice"]["extra"] = 1;
  expect_error(doc, "/meetings/0/further_notice/extra", "unknown field");
  doc = sample_plan();
  doc["owner"] = "x";
  expect_error(doc, "/owner", "unknown field");
}

TEST(ForwardPlanJson, WrongTypeNamesItsPointer) {
  json doc = sample_plan();
  doc["key_decisions"][0]["value_pence"] = "12000000";
  expect_error(doc, "/key_decisions/0/value_pence");
  doc = sample_plan();
  doc["key_decisions"][0]["value_pence"] = 120000.5;  // money is integer pence
  expect_error(doc, "/key_decisions/0/value_pence");
  doc = sample_plan();
  doc["meetings"][1]["private"] = "no";
  expect_error(doc, "/meetings/1/private");
  doc = sample_plan();
  doc["key_decisions"][1]["special_urgency"]["agreed_by"] = "mayor";
  expect_error(doc, "/key_decisions/1/special_urgency/agreed_by");
}

TEST(ForwardPlanJson, BadDatesNameTheirPointer) {
  json doc = sample_plan();
  doc["key_decisions"][0]["decision_date"] = "17/07/2025";  // not YYYY-MM-DD: schema
  expect_error(doc, "/key_decisions/0/decision_date");
  doc = sample_plan();
  doc["key_decisions"][0]["notice"]["published_on"] = "2025-02-30";  // right shape, no such day
  expect_error(doc, "/key_decisions/0/notice/published_on");
  doc = sample_plan();
  doc["meetings"][0]["date"] = "2025-13-01";
  expect_error(doc, "/meetings/0/date");
}

TEST(ForwardPlanJson, SemanticErrors) {
  json doc = sample_plan();
  doc["key_decisions"][1]["decision_period"]["to"] = "2025-08-31";
  expect_error(doc, "/key_decisions/1/decision_period/to", "before it starts");
  doc = sample_plan();
  doc["key_decisions"][0].erase("decision_date");
  expect_error(doc, "/key_decisions/0/decision_date", "required");
  doc = sample_plan();
  doc["key_decisions"][0]["decision_period"] = {{"from", "2025-07-17"}, {"to", "2025-07-18"}};
  expect_error(doc, "/key_decisions/0/decision_period", "not both");
  doc = sample_plan();
  doc["urgency_reports"][0]["decision_ids"].push_back("kd-404");
  expect_error(doc, "/urgency_reports/0/decision_ids/1", "kd-404");
  doc = sample_plan();
  doc["key_decisions"][1]["id"] = "kd-17";
  expect_error(doc, "/key_decisions/1/id", "duplicate");
  doc = sample_plan();
  doc["key_decisions"][0]["decision_maker"] = json::object();
  expect_error(doc, "/key_decisions/0/decision_maker/name");
  doc = sample_plan();
  doc["scrutiny_referrals"][0]["report_due_by"] = "2025-08-01";
  expect_error(doc, "/scrutiny_referrals/0/report_due_by", "before it was requested");
  doc = sample_plan();
  doc["meetings"][1]["intention_notice_published_on"] = "2025-05-01";
  expect_error(doc, "/meetings/1/intention_notice_published_on", "private");
}

TEST(ForwardPlanJson, PointerPrefixForNestedPlans) {
  json doc = sample_plan();
  doc["key_decisions"][0]["colour"] = "red";
  expect_error(doc, "/forward_plan/key_decisions/0/colour", "unknown field", "/forward_plan");
  doc = sample_plan();
  doc["meetings"][0]["date"] = "2025-02-30";
  expect_error(doc, "/forward_plan/meetings/0/date", "", "/forward_plan");
}

TEST(ForwardPlanJson, EmptyPlanIsValid) {
  auto plan = parse_forward_plan(json::object());
  ASSERT_TRUE(plan.ok()) << plan.error().describe();
  EXPECT_TRUE(check_forward_plan(*plan, CharterPolicy::defaults(), D("2025-01-01")).empty());
}

TEST(ForwardPlanMoney, FormatsPounds) {
  EXPECT_EQ(format_pounds(10'000'000), "£100,000.00");
  EXPECT_EQ(format_pounds(10'000'001), "£100,000.01");
  EXPECT_EQ(format_pounds(5), "£0.05");
  EXPECT_EQ(format_pounds(123'456'789'00), "£123,456,789.00");
  EXPECT_EQ(format_pounds(99'999), "£999.99");
}

// ---------------------------------------------------------------- CSV

const char* kHeader =
    "id,matter,decision_maker,decision_maker_title,decision_date,value_pence,wards,significant_effects,"
    "treated_as_key,assessment_reasons,notice_published_on,documents,documents_available_from,"
    "other_documents_statement,how_to_request\n";

TEST(ForwardPlanCsv, ParsesRowsWithRfc4180Quoting) {
  std::string text = std::string(kHeader) +
                     "kd-17,\"Highways contract, phase 2\",Cllr Asha Patel,Cabinet Member for Highways,2025-07-17,"
                     "12000000,Abbey;Castle,yes,yes,\"Spend over \"\"£100,000\"\"\",2025-06-19,"
                     "Cabinet report;Tender evaluation,Town Hall,yes,\"Email or write:\nDemocratic Services\"\r\n"
                     "kd-18,Depot,Cabinet,,2025-09-01,,,no,no,Small,,,,,\n";
  auto plan = parse_forward_plan_csv(text);
  ASSERT_TRUE(plan.ok()) << plan.error().describe();
  ASSERT_EQ(plan->key_decisions.size(), 2u);
  const auto& a = plan->key_decisions[0];
  EXPECT_EQ(a.matter, "Highways contract, phase 2");
  EXPECT_EQ(a.assessment_reasons, "Spend over \"£100,000\"");
  EXPECT_EQ(a.wards_affected, (std::vector<std::string>{"Abbey", "Castle"}));
  EXPECT_TRUE(a.significant_effects);
  EXPECT_EQ(*a.value_pence, 12000000);
  ASSERT_TRUE(a.notice.has_value());
  EXPECT_EQ(*a.notice->how_to_request, "Email or write:\nDemocratic Services");
  EXPECT_EQ(a.notice->documents->size(), 2u);
  EXPECT_TRUE(*a.notice->states_key_decision);  // the column is absent: a Forward Plan entry says so
  EXPECT_EQ(*a.notice->matter, a.matter);
  EXPECT_EQ(a.notice->decision_maker->describe(), "Cllr Asha Patel, Cabinet Member for Highways");
  const auto& b = plan->key_decisions[1];
  EXPECT_FALSE(b.value_pence.has_value());
  EXPECT_FALSE(b.notice.has_value());
  EXPECT_FALSE(b.treated_as_key);

  auto findings = check_forward_plan(*plan, CharterPolicy::defaults(), D("2025-07-01"));
  int kd2_breaches = 0;
  for (const auto& f : findings) kd2_breaches += (f.rule == "KD-2" && f.severity == Severity::kBreach);
  EXPECT_EQ(kd2_breaches, 1);  // 27 clear days; every reg 9 field present
}

TEST(ForwardPlanCsv, MissingRequiredColumn) {
  auto r = parse_forward_plan_csv("id,matter,decision_maker,decision_date,wards,significant_effects,treated_as_key,"
                                  "notice_published_on\nkd-1,M,X,2025-07-17,,no,no,\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidCsv);
  EXPECT_EQ(r.error().field, "value_pence");
  EXPECT_TRUE(contains(r.error().message, "required column \"value_pence\" is missing")) << r.error().message;
}

TEST(ForwardPlanCsv, BadCellsNameRowAndColumn) {
  const std::string good = "kd-1,M,X,T,2025-07-17,100,,no,no,,,,,,\n";
  struct Case {
    std::string row;
    std::string column;
    std::string message_part;
  };
  const Case cases[] = {
      {"kd-2,M,X,T,2025-07-17,\"£120,000\",,no,no,,,,,,\n", "value_pence", "row 3, column value_pence"},
      {"kd-2,M,X,T,17/07/2025,100,,no,no,,,,,,\n", "decision_date", "row 3, column decision_date"},
      {"kd-2,M,X,T,2025-07-17,100,,maybe,no,,,,,,\n", "significant_effects", "\"maybe\" is not yes or no"},
      {"kd-2,M,X,T,2025-07-17,100,,no,,,,,,,\n", "treated_as_key", "is empty"},
      {"kd-2,,X,T,2025-07-17,100,,no,no,,,,,,\n", "matter", "row 3, column matter: is empty"},
      {"kd-2,M,X,T,2025-07-17,100,,no,no,,2025-02-30,,,,\n", "notice_published_on", "not a date"},
      {"kd-1,M,X,T,2025-07-17,100,,no,no,,,,,,\n", "id", "duplicate"},
  };
  for (const auto& c : cases) {
    auto r = parse_forward_plan_csv(std::string(kHeader) + good + c.row);
    ASSERT_FALSE(r.ok()) << c.row;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidCsv);
    EXPECT_EQ(r.error().field, c.column) << r.error().describe();
    EXPECT_TRUE(contains(r.error().message, c.message_part)) << r.error().describe();
    EXPECT_TRUE(contains(r.error().message, "row 3")) << r.error().describe();
  }
}

TEST(ForwardPlanCsv, TextThatIsNotUtf8IsRefusedNamingRowAndColumn) {
  const std::string good = "kd-1,M,X,T,2025-07-17,100,,no,no,,,,,,\n";
  // A Latin-1 pound sign, a stray continuation byte, a truncated sequence, an overlong '/'.
  for (const std::string bad : {"\xa3" "120", "Highways \x80", "caf\xc3", "a\xc0\xaf" "b"}) {
    auto r = parse_forward_plan_csv(std::string(kHeader) + good + "kd-2,\"" + bad + "\",X,T,2025-07-17,100,,no,no,,,,,,\n");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidCsv);
    EXPECT_EQ(r.error().field, "matter") << r.error().describe();
    EXPECT_TRUE(contains(r.error().message, "row 3, column matter: is not valid UTF-8")) << r.error().describe();
  }
  // In the header the cell has no column name to give.
  auto r = parse_forward_plan_csv("id,m\xe9tter\nkd-1,M\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidCsv);
  EXPECT_TRUE(contains(r.error().message, "row 1, cell 2: is not valid UTF-8")) << r.error().describe();
}

TEST(ForwardPlanCsv, MirrorsTheSchemaFile) {
  auto schema = nlohmann::json::parse(embedded_schema("forward-plan.schema.json"));
  EXPECT_EQ(schema["definitions"]["id"]["maxLength"], kKeyDecisionIdMaxLength);
  EXPECT_EQ(schema["definitions"]["key_decision"]["properties"]["value_pence"]["maximum"], kMaxPence);
}

TEST(ForwardPlanCsv, RefusesWhatTheJsonSchemaRefuses) {
  const std::string good = "kd-1,M,X,T,2025-07-17,100,,no,no,,,,,,\n";
  const std::string long_id(kKeyDecisionIdMaxLength + 1, 'k');
  // 100 characters of two bytes each are still 100 characters.
  std::string id_of_100;
  for (size_t i = 0; i < kKeyDecisionIdMaxLength; ++i) id_of_100 += "\xc3\xa9";
  auto ok = parse_forward_plan_csv(std::string(kHeader) + good + id_of_100 + ",M,X,T,2025-07-17,9007199254740991,,no,no,,,,,,\n");
  ASSERT_TRUE(ok.ok()) << ok.error().describe();
  EXPECT_EQ(*ok->key_decisions[1].value_pence, kMaxPence);
  ASSERT_TRUE(validate_against_schema(forward_plan_to_json(*ok), "forward-plan.schema.json").ok());

  auto r = parse_forward_plan_csv(std::string(kHeader) + good + long_id + ",M,X,T,2025-07-17,100,,no,no,,,,,,\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "id");
  EXPECT_TRUE(contains(r.error().message, "row 3, column id: is longer than 100 characters")) << r.error().describe();
  r = parse_forward_plan_csv(std::string(kHeader) + good + "kd-2,M,X,T,2025-07-17,9007199254740992,,no,no,,,,,,\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "value_pence");
  EXPECT_TRUE(contains(r.error().message, "row 3, column value_pence: \"9007199254740992\" is more than")) << r.error().describe();
}

TEST(ForwardPlanCsv, PeriodsAndStructuralErrors) {
  const std::string header =
      "id,matter,decision_maker,decision_maker_members,decision_date,period_from,period_to,value_pence,wards,"
      "significant_effects,treated_as_key,notice_published_on\n";
  auto ok = parse_forward_plan_csv(header + "kd-1,M,Cabinet,A;B;C,,2025-09-01,2025-09-30,,,no,yes,2025-08-01\n");
  ASSERT_TRUE(ok.ok()) << ok.error().describe();
  EXPECT_TRUE(ok->key_decisions[0].decision_maker.is_body());
  EXPECT_EQ(ok->key_decisions[0].decision_maker.members.size(), 3u);
  EXPECT_EQ(ok->key_decisions[0].timing.first_day(), D("2025-09-01"));

  auto backwards = parse_forward_plan_csv(header + "kd-1,M,Cabinet,A,,2025-09-30,2025-09-01,,,no,yes,\n");
  ASSERT_FALSE(backwards.ok());
  EXPECT_EQ(backwards.error().field, "period_to");
  EXPECT_TRUE(contains(backwards.error().message, "row 2")) << backwards.error().message;

  auto neither = parse_forward_plan_csv(header + "kd-1,M,Cabinet,A,,,,,,no,yes,\n");
  ASSERT_FALSE(neither.ok());
  EXPECT_EQ(neither.error().field, "decision_date");

  auto short_row = parse_forward_plan_csv(header + "kd-1,M,Cabinet\n");
  ASSERT_FALSE(short_row.ok());
  EXPECT_TRUE(contains(short_row.error().message, "row 2 (line 2) has 3 cells but the header has 12"))
      << short_row.error().message;

  auto unknown = parse_forward_plan_csv("id,matter,colour\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().field, "colour");
  EXPECT_TRUE(contains(unknown.error().message, "unknown column")) << unknown.error().message;

  auto unclosed = parse_forward_plan_csv(header + "kd-1,\"M,Cabinet\n");
  ASSERT_FALSE(unclosed.ok());
  EXPECT_TRUE(contains(unclosed.error().message, "line 2: a quoted field is not closed")) << unclosed.error().message;

  auto stray = parse_forward_plan_csv(header + "kd-1,M\"x\",Cabinet\n");
  ASSERT_FALSE(stray.ok());
  EXPECT_TRUE(contains(stray.error().message, "double quote inside an unquoted field")) << stray.error().message;

  auto empty = parse_forward_plan_csv("");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidCsv);
}

TEST(ForwardPlanCsv, BlankLinesAndBomAndRowNumbers) {
  // BOM, a blank line after the header (row 2), a quoted cell spanning two lines in row 3; the
  // bad cell is in row 4 (line 5), as a spreadsheet numbers it.
  std::string text = "\xEF\xBB\xBF" + std::string(kHeader) + "\n" +
                     "kd-1,\"two\nlines\",X,T,2025-07-17,100,,no,no,,,,,,\n" +
                     "kd-2,M,X,T,2025-07-17,abc,,no,no,,,,,,\n";
  auto r = parse_forward_plan_csv(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "value_pence");
  EXPECT_TRUE(contains(r.error().message, "row 4, column value_pence")) << r.error().message;
}

TEST(ForwardPlanCsv, SpecialUrgencyAndGeneralExceptionColumns) {
  const std::string header =
      "id,matter,decision_maker,decision_maker_title,decision_date,value_pence,wards,significant_effects,"
      "treated_as_key,notice_published_on,ge_chair_of_scrutiny_notified_on,ge_notified,ge_made_public_on,"
      "su_agreed_by,su_name,su_agreed_on,decided_on\n";
  auto ok = parse_forward_plan_csv(header +
                                   "kd-1,M,X,T,2025-06-13,20000000,,no,yes,,2025-06-05,Cllr Ben Okafor,2025-06-05,"
                                   "vice_chair_of_council,Cllr Fay Green,2025-06-12,2025-06-13\n");
  ASSERT_TRUE(ok.ok()) << ok.error().describe();
  const auto& k = ok->key_decisions[0];
  ASSERT_TRUE(k.general_exception.has_value());
  EXPECT_EQ(*k.general_exception->made_public_on, D("2025-06-05"));
  ASSERT_TRUE(k.special_urgency.has_value());
  EXPECT_EQ(k.special_urgency->agreed_by, UrgencyRole::kViceChairOfCouncil);
  EXPECT_EQ(*k.decided_on, D("2025-06-13"));

  auto bad = parse_forward_plan_csv(header + "kd-1,M,X,T,2025-06-13,1,,no,yes,,,,,mayor,Cllr Fay Green,2025-06-12,\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "su_agreed_by");
  EXPECT_TRUE(contains(bad.error().message, "row 2")) << bad.error().message;
}

}  // namespace
}  // namespace townhall

// The documented examples parse and give the findings worked out by hand in the comments.
namespace townhall {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> non_info(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) {
    if (f.severity != Severity::kInfo) out.push_back(std::string(severity_id(f.severity)) + " " + f.rule + " " + f.subject_id);
  }
  return out;
}

TEST(ForwardPlanExamples, JsonExample) {
  auto doc = json::parse(read_text(std::string(TOWNHALL_SOURCE_DIR) + "/docs/examples/forward-plan.json"));
  auto plan = parse_forward_plan(doc);
  ASSERT_TRUE(plan.ok()) << plan.error().describe();
  // As of 1 Dec 2025:
  // kd-17: notice Wed 18 Jun for Thu 17 Jul = 28 clear days, every reg 9 particular: no breach.
  // kd-18: special urgency agreed Fri 29 Aug before the 1 Sep decision by the chair of the council
  //   with a reason recorded; reported to council 20 Nov 2025: no breach or warning.
  // kd-19: general exception made public Thu 5 Jun; decision Fri 13 Jun has 6, 9, 10, 11, 12 Jun =
  //   5 clear working days; but no reasons notice although the decision was taken: KD-3 breach.
  // Private Cabinet 15 Jul: intention 16 Jun (28 clear days), further notice 7 Jul (5 clear working
  //   days), both with reasons, with a response to the representation; the open part's notice and
  //   agenda on Mon 7 Jul (8, 9, 10, 11, 14 Jul = 5 clear working days): no breach.
  // Full Council Mon 16 Jun: notice Fri 6 Jun gives 9–13 Jun = 5; agenda Mon 9 Jun gives 4: MEET-5.
  // Referral reported 28 Oct, due 31 Oct: no breach.
  auto findings = check_forward_plan(*plan, CharterPolicy::defaults(), fptest::D("2025-12-01"));
  EXPECT_EQ(non_info(findings),
            (std::vector<std::string>{"breach KD-3 kd-19", "breach MEET-5 council-2025-06-16"}));
}

TEST(ForwardPlanExamples, CsvExample) {
  auto plan = parse_forward_plan_csv(read_text(std::string(TOWNHALL_SOURCE_DIR) + "/docs/examples/forward-plan.csv"));
  ASSERT_TRUE(plan.ok()) << plan.error().describe();
  ASSERT_EQ(plan->key_decisions.size(), 3u);
  // As of 1 Jul 2025:
  // KD-2025-017: £120,000 is key; notice Thu 19 Jun gives 27 clear days for Thu 17 Jul: KD-2 breach.
  // KD-2025-018: £30,000 of savings but significant effects in 3 wards: key; period from Mon 1 Sep,
  //   notice Thu 31 Jul gives 1–31 Aug = 31 clear days: no breach.
  // KD-2025-019: exactly £100,000 and one ward without significant effects: not key, no KD-2.
  auto findings = check_forward_plan(*plan, CharterPolicy::defaults(), fptest::D("2025-07-01"));
  EXPECT_EQ(non_info(findings), (std::vector<std::string>{"breach KD-2 KD-2025-017"}));
  EXPECT_TRUE(plan->key_decisions[1].decision_maker.is_body());
  EXPECT_FALSE(meets_key_decision_test(plan->key_decisions[2], CharterPolicy::defaults()));
  EXPECT_TRUE(fptest::of_rule(findings, "KD-2").size() == 2u);
}

}  // namespace
}  // namespace townhall

namespace townhall {
namespace {

TEST(ForwardPlanJson, RoundTripsThroughToJson) {
  for (const char* file : {"/docs/examples/forward-plan.json", "/docs/examples/forward-plan.csv"}) {
    const std::string path = std::string(TOWNHALL_SOURCE_DIR) + file;
    const std::string text = read_text(path);
    auto plan = path.ends_with(".csv") ? parse_forward_plan_csv(text) : parse_forward_plan(json::parse(text));
    ASSERT_TRUE(plan.ok()) << plan.error().describe();
    const json out = forward_plan_to_json(*plan);
    EXPECT_TRUE(validate_against_schema(out, "forward-plan.schema.json").ok()) << out.dump(2);
    auto again = parse_forward_plan(out);
    ASSERT_TRUE(again.ok()) << again.error().describe();
    // JSON has a place for urgency reports; a CSV does not, and the plan says so.
    EXPECT_EQ(plan->records_urgency_reports, !path.ends_with(".csv"));
    again->records_urgency_reports = plan->records_urgency_reports;
    EXPECT_TRUE(*again == *plan) << file;
  }
  // Optional parts that the examples do not use.
  ForwardPlan p;
  KeyDecision k = fptest::compliant_decision();
  k.general_exception = GeneralException{std::nullopt, "every member", fptest::D("2025-07-01"), std::nullopt};
  k.notice->documents = std::vector<std::string>{};
  p.key_decisions.push_back(k);
  Meeting m;
  m.id = "m";
  m.body = "Cabinet";
  m.date = fptest::D("2025-07-15");
  m.is_private = true;
  m.urgency = UrgencyAgreement{UrgencyRole::kViceChairOfCouncil, "Cllr E", std::nullopt, "", std::nullopt};
  m.further_notice = FurtherNotice{std::nullopt, std::nullopt, "", "Exempt: paragraph 3 of Schedule 12A"};
  m.intention_notice_reasons = "Exempt: paragraph 3 of Schedule 12A";
  p.meetings.push_back(m);
  Meeting open;
  open.id = "open";
  open.body = "Cabinet";
  open.date = fptest::D("2025-07-15");
  open.convened_at_shorter_notice_on = fptest::D("2025-07-10");
  p.meetings.push_back(open);
  Meeting closed = m;
  closed.id = "closed";
  closed.wholly_private = true;
  p.meetings.push_back(closed);
  auto again = parse_forward_plan(forward_plan_to_json(p));
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_TRUE(*again == p);
}

TEST(ForwardPlanJson, MeetingFieldsThatContradictEachOtherAreRefused) {
  auto parse = [](const char* meeting) { return parse_forward_plan(nlohmann::json::parse(std::string(R"({"meetings": [)") + meeting + "]}")); };
  auto r = parse(R"({"id": "m", "body": "Cabinet", "date": "2025-07-15", "wholly_private": true})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "/meetings/0/wholly_private");
  r = parse(R"({"id": "m", "body": "Cabinet", "date": "2025-07-15", "convened_at_shorter_notice_on": "2025-07-16"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "/meetings/0/convened_at_shorter_notice_on");
  r = parse(R"({"id": "m", "body": "Cabinet", "date": "2025-07-15", "intention_notice_reasons": "x"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "/meetings/0/intention_notice_reasons");
}

TEST(ForwardPlanCsv, ArbitraryInputNeverCrashesAndIsAllOrNothing) {
  // Deterministic pseudo-random text from CSV's special characters after a valid header: each
  // input either parses completely or fails with an invalid-csv error.
  const std::string header = "id,matter,decision_maker,decision_date,value_pence,wards,significant_effects,"
                             "treated_as_key,notice_published_on\n";
  const char alphabet[] = {',', '"', '\n', '\r', 'a', ';', '1', '-', ' ', 'y'};
  uint32_t state = 12345;
  int parsed = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string body;
    const int len = static_cast<int>(state % 60);
    for (int c = 0; c < len; ++c) {
      state = state * 1664525u + 1013904223u;
      body += alphabet[(state >> 16) % sizeof alphabet];
    }
    state = state * 1664525u + 1013904223u;
    auto r = parse_forward_plan_csv(header + body);
    if (r.ok()) {
      ++parsed;
    } else {
      EXPECT_EQ(r.error().code, ErrorCode::kInvalidCsv) << r.error().describe();
    }
  }
  EXPECT_GT(parsed, 0);  // blank-only bodies parse to an empty plan
}

}  // namespace
}  // namespace townhall

namespace townhall {
namespace {

// A body given a title, and an individual given members, are accepted by the reader; writing the
// plan back must keep them, or a plan changes meaning on its way through JSON (found by fuzzing).
TEST(ForwardPlanJson, DecisionMakersKeepEveryFieldThroughJson) {
  auto doc = nlohmann::json::parse(R"({"key_decisions": [
    {"id": "kd-1", "matter": "Depot", "decision_date": "2025-09-01", "decision_maker": {"body": "Cabinet", "title": "Executive", "members": ["Cllr A"]}},
    {"id": "kd-2", "matter": "Bridge", "decision_date": "2025-09-02", "decision_maker": {"name": "Cllr B", "title": "Cabinet Member", "members": ["Cllr C"]}}]})");
  auto plan = parse_forward_plan(doc);
  ASSERT_TRUE(plan.ok()) << plan.error().describe();
  nlohmann::json written = forward_plan_to_json(*plan);
  EXPECT_EQ(written["key_decisions"][0]["decision_maker"]["title"], "Executive");
  EXPECT_EQ(written["key_decisions"][1]["decision_maker"]["members"], nlohmann::json::array({"Cllr C"}));
  auto again = parse_forward_plan(written);
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_TRUE(*again == *plan);
}

// A plan kept as CSV cannot record reports to full council; written as JSON and read back it
// still says so, rather than that no report was made (found by fuzzing the CSV reader).
TEST(ForwardPlanCsv, APlanThatCannotRecordReportsSaysSoThroughJson) {
  auto plan = parse_forward_plan_csv(
      "id,matter,decision_maker,decision_date,value_pence,wards,significant_effects,treated_as_key,"
      "notice_published_on\n");
  ASSERT_TRUE(plan.ok()) << plan.error().describe();
  EXPECT_FALSE(plan->records_urgency_reports);
  nlohmann::json written = forward_plan_to_json(*plan);
  EXPECT_EQ(written.value("urgency_reports_recorded", true), false);
  EXPECT_TRUE(validate_against_schema(written, "forward-plan.schema.json").ok());
  auto again = parse_forward_plan(written);
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_FALSE(again->records_urgency_reports);
  EXPECT_TRUE(*again == *plan);
}

}  // namespace
}  // namespace townhall
