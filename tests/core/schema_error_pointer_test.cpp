// The field a schema error names (validate_against_schema): a JSON pointer to what is wrong, in the
// document that was checked.
#include <gtest/gtest.h>

#include <map>

#include "townhall/util/json_schema.h"

namespace townhall {
namespace {

Error refusal(const std::string& text, const std::string& schema) {
  auto doc = parse_json(text);
  EXPECT_TRUE(doc.ok()) << text;
  Status st = validate_against_schema(*doc, schema);
  EXPECT_FALSE(st.ok()) << text;
  return st.ok() ? Error{} : st.error();
}

// Governance staff read these in `townhall check`: say what the value must be, not which schema
// keyword failed ("Value type not permitted by 'type' constraint").
TEST(SchemaErrorWording, SaysWhatTheValueMustBe) {
  const std::string kd = R"({"key_decisions":[{"id":"kd-1","matter":"Depot","decision_maker":{"body":"Cabinet"},)";
  Error e = refusal(kd + R"("decision_date":5}]})", "forward-plan.schema.json");
  EXPECT_EQ(e.field, "/key_decisions/0/decision_date");
  EXPECT_EQ(e.message, "must be a date like 2026-03-01");
  e = refusal(kd + R"("decision_date":"5 May 2026"}]})", "forward-plan.schema.json");
  EXPECT_EQ(e.message, "must be a date like 2026-03-01");
  e = refusal(R"({"title":"Parks","big_decision":"yes"})", "consultation-draft.schema.json");
  EXPECT_EQ(e.field, "/big_decision");
  EXPECT_EQ(e.message, "must be true or false");
  e = refusal(R"({"title":"Parks","opens":"2026-02-30"})", "consultation-draft.schema.json");
  EXPECT_EQ(e.message, "must be a date like 2026-03-01");
  e = refusal(R"({"to":"opened"})", "transition.schema.json");
  EXPECT_EQ(e.field, "/to");
  EXPECT_EQ(e.message, R"(must be one of "scheduled", "open", "closed", "outcome_published")");
  e = refusal(R"({"title":""})", "consultation-draft.schema.json");
  EXPECT_EQ(e.message, "must not be empty");
  e = refusal(R"({"big_decision":true})", "consultation-draft.schema.json");
  EXPECT_EQ(e.message, "needs the field \"title\"");
  for (const auto& m : {e.message}) EXPECT_EQ(m.find("constraint"), std::string::npos);
}

TEST(SchemaErrorPointer, NamesAnUnknownMemberWhateverItsName) {
  Error e = refusal(R"({"title":"Parks","colour":"red"})", "consultation-draft.schema.json");
  EXPECT_EQ(e.field, "/colour");
  EXPECT_EQ(e.message, "unknown field \"colour\"");
  // Quotes inside the name (the message quotes names with the same character).
  e = refusal(R"({"tit'e":"Parks"})", "meeting.schema.json");
  EXPECT_EQ(e.field, "/tit'e");
  EXPECT_EQ(e.message, "unknown field \"tit'e\"");
  e = refusal(R"({"title":"Parks","it's 'quoted'":1})", "consultation-draft.schema.json");
  EXPECT_EQ(e.field, "/it's 'quoted'");
  // Characters a JSON pointer escapes, and the empty name.
  e = refusal(R"({"title":"Parks","a/b~c'":1})", "consultation-draft.schema.json");
  EXPECT_EQ(e.field, "/a~1b~0c'");
  e = refusal(R"({"to":"open","exception":{"request_id":1,"":1}})", "transition.schema.json");
  EXPECT_EQ(e.field, "/exception/");
  EXPECT_EQ(e.message, "unknown field \"\"");
}

// schema_errors: every bad field at once (for a form's error summary), one error a field, in the
// order the document has them, with the same pointers and words as validate_against_schema.
TEST(SchemaErrors, NamesEveryBadFieldOnceAndIsBounded) {
  auto doc = parse_json(R"({"big_decision":"yes","opens":"2026-02-30","colour":"red",
                           "questions":[{"id":"q1","type":"yes_no","text":""},{"id":"q2","type":"maybe","text":"Why?"}]})");
  ASSERT_TRUE(doc.ok());
  auto errors = schema_errors(*doc, "consultation-draft.schema.json");
  std::map<std::string, std::string> by_field;
  for (const auto& e : errors) EXPECT_TRUE(by_field.emplace(e.field, e.message).second) << "twice: " << e.field;
  const std::map<std::string, std::string> expected = {
      {"/", "needs the field \"title\""},
      {"/big_decision", "must be true or false"},
      {"/opens", "must be a date like 2026-03-01"},
      {"/colour", "unknown field \"colour\""},
      {"/questions/0/text", "must not be empty"},
      {"/questions/1/type", R"(must be one of "single_choice", "multiple_choice", "scale", "free_text", "ranking", "yes_no")"}};
  EXPECT_EQ(by_field, expected);
  for (const auto& e : errors) EXPECT_EQ(e.code, ErrorCode::kSchemaViolation);
  // Bounded; nothing for a valid document; one field's error is what validate_against_schema says.
  EXPECT_EQ(schema_errors(*doc, "consultation-draft.schema.json", 2).size(), 2u);
  EXPECT_TRUE(schema_errors(nlohmann::json{{"title", "Parks"}}, "consultation-draft.schema.json").empty());
  auto one = schema_errors(nlohmann::json{{"title", "Parks"}, {"big_decision", "yes"}}, "consultation-draft.schema.json");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].field, refusal(R"({"title":"Parks","big_decision":"yes"})", "consultation-draft.schema.json").field);
  EXPECT_EQ(one[0].message, "must be true or false");
  // A prefix goes before every pointer, as for validate_against_schema.
  auto prefixed = schema_errors(nlohmann::json{{"title", "Parks"}, {"big_decision", "yes"}}, "consultation-draft.schema.json", 20, "/body");
  ASSERT_EQ(prefixed.size(), 1u);
  EXPECT_EQ(prefixed[0].field, "/body/big_decision");
}

}  // namespace
}  // namespace townhall
