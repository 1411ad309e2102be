// The plain-body path of response submission (responses/submission_body.h, flat_answers.h)
// against the general path it stands in for: nlohmann parse + the JSON Schema + validate_answers
// over the JSON tree + nlohmann's dump. The plain path may decline any body, but whatever it
// accepts the general path must accept with the very same stored text, channel and language;
// and on the answers it parsed, both validators must give the same verdict and the same error.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "townhall/responses/answers.h"
#include "townhall/responses/flat_answers.h"
#include "townhall/responses/submission_body.h"
#include "townhall/util/json_schema.h"

namespace townhall {
namespace {

const std::vector<nlohmann::json>& questions() {
  static const std::vector<nlohmann::json> qs = {
      {{"id", "agree"}, {"type", "yes_no"}, {"text", "Do you agree?"}, {"required", true}},
      {{"id", "days"},
       {"type", "multiple_choice"},
       {"text", "Which days?"},
       {"options", {"mon", "tue", "wed", {{"value", "sat"}, {"label", "Saturday"}}}}},
      {{"id", "why"}, {"type", "free_text"}, {"text", "Why?"}, {"max_length", 12}},
      {{"id", "rating"}, {"type", "scale"}, {"text", "How good?"}, {"min", 1}, {"max", 5}},
      {{"id", "pick"}, {"type", "single_choice"}, {"text", "Pick one"}, {"options", {"a", "b"}}},
      {{"id", "rank"}, {"type", "ranking"}, {"text", "Rank them"}, {"options", {"x", "y", "z"}}},
      {{"id", "essay"}, {"type", "essay"}, {"text", "A type this version does not know"}},
  };
  return qs;
}

struct Outcome {
  bool ok = false;
  std::string answers_text, channel, language;
};

Outcome general_path(const std::string& body) {
  auto parsed = parse_json(body, "body");
  if (!parsed) return {};
  if (!validate_against_schema(*parsed, "response-submission.schema.json")) return {};
  if (!validate_answers(questions(), (*parsed)["answers"])) return {};
  return {true, (*parsed)["answers"].dump(), parsed->value("channel", "online"), parsed->value("language", "en-GB")};
}

Outcome plain_path(const std::string& body) {
  static const QuestionRules rules = compile_questions(questions());
  PlainSubmission p;
  if (!read_plain_submission(body, p)) return {};
  if (!validate_answers(rules, p.answers)) return {};
  Outcome o{true, "", std::string(p.channel), std::string(p.language)};
  p.answers.append_json(o.answers_text);
  return o;
}

void expect_same_or_declined(const std::string& body) {
  Outcome plain = plain_path(body);
  if (!plain.ok) return;
  Outcome general = general_path(body);
  ASSERT_TRUE(general.ok) << "the plain path accepted a body the general path refuses: " << body;
  EXPECT_EQ(plain.answers_text, general.answers_text) << body;
  EXPECT_EQ(plain.channel, general.channel) << body;
  EXPECT_EQ(plain.language, general.language) << body;
}

TEST(PlainSubmission, MirrorsTheSchemaFile) {
  auto schema = nlohmann::json::parse(embedded_schema("response-submission.schema.json"));
  EXPECT_EQ(schema["additionalProperties"], false);
  EXPECT_EQ(schema["required"], nlohmann::json({"answers"}));
  std::set<std::string> members;
  for (auto it = schema["properties"].begin(); it != schema["properties"].end(); ++it) members.insert(it.key());
  // answers, channel and language are read here; person_id sends the body down the general path.
  EXPECT_EQ(members, (std::set<std::string>{"answers", "channel", "language", "person_id"}));
  const auto& p = schema["properties"];
  EXPECT_EQ(p["answers"]["type"], "object");
  EXPECT_EQ(p["answers"]["maxProperties"], kSubmissionMaxAnswers);
  // Each answer is flat — exactly the values FlatAnswers reads: text, a whole number, true/false,
  // null, or a list of text.
  EXPECT_EQ(p["answers"]["additionalProperties"],
            nlohmann::json({{"type", {"string", "integer", "boolean", "null", "array"}}, {"items", {{"type", "string"}}}}));
  std::vector<std::string> channels(std::begin(kSubmissionChannels), std::end(kSubmissionChannels));
  EXPECT_EQ(p["channel"]["enum"].get<std::vector<std::string>>(), channels);
  EXPECT_EQ(p["language"]["type"], "string");
  EXPECT_EQ(p["language"]["pattern"], std::string(kSubmissionLanguagePattern));
  EXPECT_EQ(p["language"]["maxLength"], kSubmissionLanguageMaxLength);
}

TEST(PlainSubmission, ReadsTheCommonBodiesLikeTheGeneralPath) {
  const std::vector<std::string> plain = {
      R"({"answers":{"agree":true,"days":["mon","sat"],"why":"Open later"}})",
      R"({"answers":{"agree":false}})",
      R"( { "language" : "cy" , "answers" : { "why" : null , "agree" : true } } )",
      R"({"answers":{"agree":true,"rating":5,"pick":"b","rank":["z","x"]},"channel":"online","language":"pa-Guru"})",
      R"({"channel":"paper","answers":{"agree":true,"why":"caf\u00e9 \"x\"\n"}})",
      "{\"answers\":{\"agree\":true,\"why\":\"bore da \xe2\x9c\x93\"}}",
      R"({"answers":{"agree":true,"days":[]},"language":"en-GB"})",  // refused: at least one day
      R"({"\u0061nswers":{"agree":true}})",                         // an escaped member name
  };
  size_t accepted = 0;
  for (const auto& body : plain) {
    expect_same_or_declined(body);
    accepted += plain_path(body).ok;
  }
  EXPECT_EQ(accepted, plain.size() - 1);  // all but the empty multiple choice
  Outcome o = plain_path(R"({"answers":{"why":"Open later","agree":true,"days":["sat","mon"]}})");
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.answers_text, R"({"agree":true,"days":["sat","mon"],"why":"Open later"})");  // nlohmann's key order
  EXPECT_EQ(o.channel, "online");
  EXPECT_EQ(o.language, "en-GB");
}

TEST(PlainSubmission, DeclinesWhatItDoesNotHandle) {
  const std::vector<std::string> declined = {
      R"({"answers":{"agree":true},"person_id":3})",                    // ask once: the general path
      R"({"answers":{"agree":true,"agree":false}})",                    // nlohmann keeps the last
      R"({"answers":{"agree":true},"answers":{"agree":false}})",
      R"({"answers":{"agree":true},"extra":1})",                        // additionalProperties
      R"({"answers":{"agree":true},"channel":"carrier pigeon"})",       // not in the enum
      R"({"answers":{"agree":true},"language":"english"})",             // not the pattern
      R"({"answers":{"agree":true},"language":"en-abcdefghi"})",        // subtag too long
      R"({"answers":{"agree":true},"language":"aa-bb-cc-dd-ee-ff-gg-hh-ii-jj-kk-ll-mm"})",  // over 35 characters
      R"({"answers":{"agree":true,"rating":4.0}})",                     // nlohmann: a float
      R"({"answers":{"agree":true,"rating":1234567890123456789}})",     // 19 digits
      R"({"answers":{"agree":true,"why":{"nested":1}}})",
      R"({"answers":{"agree":true,"days":["mon",1]}})",
      R"({"answers":{"agree":true,"why":"a\u0000bbbbbbbbbbbbbbbbbbbb"}})",  // NUL: refused on the general path
      R"({"answers":{"agree":true,"why":"\b"}})",
      R"({"answers":{"agree":true,"days":["mon\u001b"]}})",
      R"({"\u0000answers":{"agree":true}})",
      R"({"answers":[]})",
      R"({"answers":{"agree":true}} x)",
      R"({"answers":{"agree":true})",
      R"({"channel":"online"})",
      R"({})",
      R"([])",
      "",
  };
  for (const auto& body : declined) EXPECT_FALSE(plain_path(body).ok) << body;
}

// A large seeded corpus of bodies built from pieces that are right, wrong and odd in every way
// the two paths could differ.
TEST(PlainSubmission, NeverAcceptsWhatTheGeneralPathRefusesOrStoresItDifferently) {
  std::mt19937_64 rng(20261206);
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  const std::vector<std::string> ws = {"", "", " ", "\n", "\t ", "\r\n  "};
  const std::vector<std::string> ids = {"agree", "days", "why", "rating", "pick", "rank", "essay", "nope",
                                        "a\\u0067ree", "r\\u00e9"};
  const std::vector<std::string> values = {
      "true", "false", "null", "0", "3", "5", "6", "-1", "-0", "1.5", "2e1", "007", "18446744073709551615",
      "\"mon\"", "\"sat\"", "\"a\"", "\"b\"", "\"zzz\"", "\"\"", "\"twelve chars\"", "\"thirteen char\"",
      "\"caf\\u00e9\"", "\"tab\\there\"", "\"\\ud83d\\ude00\"", "\"\\ud83d\"", "\"bad \\q escape\"",
      "\"ctl \\u0001\"", "\"\xc3\xa9t\xc3\xa9\"", "[]", "[\"mon\"]", "[\"mon\",\"sat\"]", "[\"mon\",\"mon\"]",
      "[\"x\",\"y\",\"z\"]", "[\"z\"]", "[\"w\"]", "[1]", "[\"mon\",]", "{}", "{\"a\":1}", "tru", "nul"};
  const std::vector<std::string> channels = {"\"online\"", "\"paper\"", "\"phone\"", "\"pigeon\"", "\"\"", "1",
                                             "null"};
  const std::vector<std::string> languages = {"\"en-GB\"", "\"cy\"", "\"ar\"", "\"pa-Guru\"", "\"e\"", "\"en_GB\"",
                                              "\"zh-Hant-TW\"", "\"\\u0063y\"", "3", "null"};
  // Values each question accepts, so that many bodies are valid and reach the comparison.
  const std::map<std::string, std::vector<std::string>> valid = {
      {"agree", {"true", "false"}},
      {"days", {"[\"mon\"]", "[\"sat\",\"tue\"]", "null"}},
      {"why", {"\"Open later\"", "\"caf\\u00e9 \\\"x\\\"\"", "\"\xe2\x9c\x93 \xd8\xb3\"", "\"\"", "null"}},
      {"rating", {"1", "5", "3"}},
      {"pick", {"\"a\"", "\"b\""}},
      {"rank", {"[\"z\",\"x\"]", "[\"y\"]"}},
  };
  auto answers = [&] {
    std::string a = "{" + pick(ws);
    bool mostly_valid = rng() % 10 < 7;
    size_t n = rng() % 6;
    for (size_t i = 0; i <= n; ++i) {
      std::string id = (i == 0 && mostly_valid) ? "agree" : pick(ids);
      std::string v = pick(values);
      if (auto it = valid.find(id); mostly_valid && it != valid.end() && rng() % 10 < 8) v = pick(it->second);
      if (i > 0) a += "," + pick(ws);
      a += "\"" + id + "\"" + pick(ws) + ":" + pick(ws) + v + pick(ws);
    }
    return a + "}";
  };
  size_t plain_accepted = 0, general_accepted = 0;
  for (int n = 0; n < 20000; ++n) {
    std::vector<std::string> members;
    if (rng() % 20 != 0) members.push_back("\"answers\":" + pick(ws) + (rng() % 25 == 0 ? pick(values) : answers()));
    if (rng() % 3 == 0) members.push_back("\"channel\":" + pick(channels));
    if (rng() % 3 == 0) members.push_back("\"language\":" + pick(languages));
    if (rng() % 30 == 0) members.push_back("\"person_id\":" + pick({"1", "0", "\"1\""}));
    if (rng() % 30 == 0) members.push_back("\"answers\":" + answers());
    if (rng() % 40 == 0) members.push_back("\"x\":1");
    std::shuffle(members.begin(), members.end(), rng);
    std::string body = pick(ws) + "{";
    for (size_t i = 0; i < members.size(); ++i) body += (i ? "," : "") + pick(ws) + members[i] + pick(ws);
    body += "}" + pick(ws);
    if (rng() % 50 == 0) body.resize(rng() % (body.size() + 1));  // truncated
    expect_same_or_declined(body);
    if (::testing::Test::HasFatalFailure()) return;
    plain_accepted += plain_path(body).ok;
    general_accepted += general_path(body).ok;
  }
  // The corpus exercises the plain path, not only its refusals.
  EXPECT_GT(plain_accepted, 1000u);
  EXPECT_GE(general_accepted, plain_accepted);
}

// On the answers the flat parser reads, the two validators agree on the verdict and the error.
TEST(PlainSubmission, FlatAndJsonValidatorsGiveTheSameErrors) {
  const QuestionRules rules = compile_questions(questions());
  const std::vector<std::string> cases = {
      R"({})",
      R"({"agree":null})",
      R"({"agree":"yes"})",
      R"({"agree":true,"days":"mon"})",
      R"({"agree":true,"days":["mon","fri"]})",
      R"({"agree":true,"days":["sat","sat"]})",
      R"({"agree":true,"days":[]})",
      R"({"agree":true,"why":"this is far too long"})",
      R"({"agree":true,"why":"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"})",
      R"({"agree":true,"why":3})",
      R"({"agree":true,"rating":0})",
      R"({"agree":true,"rating":"5"})",
      R"({"agree":true,"pick":"c"})",
      R"({"agree":true,"pick":["a"]})",
      R"({"agree":true,"rank":["x","x"]})",
      R"({"agree":true,"essay":"words"})",
      R"({"agree":true,"nope":1})",
      R"({"agree":true,"a/b~c":1})",
      // Two unknown questions: both name the first in byte order, not the first in the body.
      R"({"agree":true,"wagree":true,"dayshy":"this is far too long"})",
      R"({"zz":1,"agree":true,"\u00e9":2,"Z":3})",
  };
  for (const auto& text : cases) {
    FlatAnswers flat;
    ASSERT_TRUE(flat.parse(text)) << text;
    Status a = validate_answers(rules, flat);
    Status b = validate_answers(questions(), nlohmann::json::parse(text));
    ASSERT_EQ(a.ok(), b.ok()) << text;
    if (!a.ok()) {
      EXPECT_EQ(a.error().field, b.error().field) << text;
      EXPECT_EQ(a.error().message, b.error().message) << text;
    }
  }
  // Only the flat form can hold a key twice; it is named rather than silently resolved.
  FlatAnswers twice;
  ASSERT_TRUE(twice.parse(R"({"agree":true,"agree":false})"));
  Status st = validate_answers(rules, twice);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "/answers/agree");
}

TEST(FlatAnswers, WritesTheTextNlohmannWrites) {
  const std::vector<std::string> cases = {
      R"({})",
      R"({"b":1,"a":-2,"c":null,"B":true,"aa":false})",
      R"({"s":"quote \" backslash \\ slash \/ tab \t nl \n cr \r"})",
      R"({"s":"tab \u0009 nl \u000a cr \u000D del \u007f"})",
      R"({"s":"\u00e9 \u4e2d \ud83d\ude00 done","\u00e9":"key"})",
      "{\"raw\":\"\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85 \xe2\x80\x8f\"}",
      R"({"l":["x","y\"",""],"e":[],"n":-0,"z":123456789012345678})",
  };
  for (const auto& text : cases) {
    FlatAnswers flat;
    ASSERT_TRUE(flat.parse(text)) << text;
    std::string out;
    flat.append_json(out);
    EXPECT_EQ(out, nlohmann::json::parse(text).dump()) << text;
  }
  // Other control characters are declined (parse_json refuses them, naming the field).
  for (const std::string text : {R"({"s":"bs \b"})", R"({"s":"ff \f"})", R"({"s":"\u0001"})", R"({"s":"\u001f"})",
                                 R"({"\u0000":"key"})", R"({"l":["\u0000"]})"}) {
    FlatAnswers flat;
    EXPECT_FALSE(flat.parse(text)) << text;
  }
}

}  // namespace
}  // namespace townhall
