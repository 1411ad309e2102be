// The response table builder: the flat answers parser (JSON text, as the store keeps answers)
// must read every row exactly as the nlohmann path does, and report the same errors; and the
// analysis reader over a real SQLite store.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <limits>

#include "townhall/analysis/response_table.h"
#include "townhall/consultations/editing.h"
#include "townhall/store/analysis_reader.h"
#include "townhall/store/sqlite_store.h"

using namespace townhall;
using namespace townhall::analysis;

namespace {

const nlohmann::json kQuestions = nlohmann::json::parse(R"([
  {"id": "q1", "type": "single_choice", "text": "?", "options": ["A", "B", "é"]},
  {"id": "q2", "type": "scale", "text": "?", "min": 0, "max": 10},
  {"id": "q3", "type": "multiple_choice", "text": "?", "options": ["x", "y"]},
  {"id": "q4", "type": "yes_no", "text": "?"},
  {"id": "q5", "type": "ranking", "text": "?", "options": ["r", "s", "t"]},
  {"id": "q6", "type": "free_text", "text": "?"}])");

// Builds one-row tables from text (fast path) and from parsed JSON (reference path).
struct Both {
  Result<ResponseTable> fast = Error{}, slow = Error{};
};

Both build(const std::string& answers) {
  Both b;
  auto f = ResponseTableBuilder::create(kQuestions);
  auto s = ResponseTableBuilder::create(kQuestions);
  auto st = f->add_json_text(answers, "online", "cy", "2025-03-04T10:15:00Z");
  b.fast = st ? Result<ResponseTable>(std::move(*f).finish()) : Result<ResponseTable>(st.error());
  auto parsed = nlohmann::json::parse(answers, nullptr, false);
  if (parsed.is_discarded()) {
    b.slow = invalid_argument("", "invalid json");
  } else {
    auto st2 = s->add(&parsed, "online", "cy", "2025-03-04T10:15:00Z");
    b.slow = st2 ? Result<ResponseTable>(std::move(*s).finish()) : Result<ResponseTable>(st2.error());
  }
  return b;
}

void expect_same(const ResponseTable& a, const ResponseTable& b) {
  ASSERT_EQ(a.columns.size(), b.columns.size());
  for (size_t i = 0; i < a.columns.size(); ++i) {
    SCOPED_TRACE(a.columns[i].name);
    EXPECT_EQ(a.columns[i].codes, b.columns[i].codes);
    EXPECT_EQ(a.columns[i].values, b.columns[i].values);
    EXPECT_EQ(a.columns[i].integers, b.columns[i].integers);
    EXPECT_EQ(a.columns[i].missing, b.columns[i].missing);
    EXPECT_EQ(a.columns[i].text.data, b.columns[i].text.data);
    EXPECT_EQ(a.columns[i].text.offsets, b.columns[i].text.offsets);
  }
}

const ResponseColumn& col(const ResponseTable& t, const std::string& name) {
  for (const auto& c : t.columns)
    if (c.name == name) return c;
  throw std::runtime_error("no column " + name);
}

}  // namespace

TEST(ResponseTable, FlatParserReadsEveryTypeAsJsonDoes) {
  const std::string text =
      " { \"q1\" : \"\\u00e9\", \"q2\":10,\"q3\":[\"y\"], \"q4\":false,\n\"q5\":[\"t\",\"r\"],"
      "\"q6\":\"tab\\there \\\"quoted\\\" \\ud83d\\ude00 \\/ caf\\u00E9\", \"gone\": null } ";
  Both b = build(text);
  ASSERT_TRUE(b.fast) << b.fast.error().message;
  ASSERT_TRUE(b.slow);
  expect_same(*b.fast, *b.slow);
  // By hand: é is option 2; 10 on a 0..10 scale is code 10; y only; no; t first, r second.
  EXPECT_EQ(col(*b.fast, "q1").codes, std::vector<int32_t>{2});
  EXPECT_EQ(col(*b.fast, "q2").codes, std::vector<int32_t>{10});
  EXPECT_EQ(col(*b.fast, "q3[x]").values, std::vector<uint8_t>{0});
  EXPECT_EQ(col(*b.fast, "q3[y]").values, std::vector<uint8_t>{1});
  EXPECT_EQ(col(*b.fast, "q4").values, std::vector<uint8_t>{0});
  EXPECT_EQ(col(*b.fast, "q4").missing, std::vector<uint8_t>{0});
  EXPECT_EQ(col(*b.fast, "q5[t]").integers, std::vector<int64_t>{1});
  EXPECT_EQ(col(*b.fast, "q5[r]").integers, std::vector<int64_t>{2});
  EXPECT_EQ(col(*b.fast, "q5[s]").missing, std::vector<uint8_t>{1});
  EXPECT_EQ(col(*b.fast, "q6").text.at(0), "tab\there \"quoted\" \xF0\x9F\x98\x80 / caf\xC3\xA9");
}

TEST(ResponseTable, AnythingUnusualFallsBackToTheJsonPath) {
  // Unknown keys with nested values are ignored; a float scale, a duplicate key, a huge number.
  for (const char* text : {R"({"q1":"A","extra":{"a":[1,{"b":2}]},"q2":3})", R"({"q2":-0})",
                           R"({"q1":"A","q1":"B"})", R"({})", R"({"q3":[]})"}) {
    SCOPED_TRACE(text);
    Both b = build(text);
    ASSERT_TRUE(b.fast) << b.fast.error().message;
    ASSERT_TRUE(b.slow);
    expect_same(*b.fast, *b.slow);
  }
  EXPECT_EQ(col(*build(R"({"q1":"A","q1":"B"})").fast, "q1").codes, std::vector<int32_t>{1});  // last wins
}

TEST(ResponseTable, ErrorsAreTheJsonPathsErrors) {
  struct Case {
    const char* text;
    const char* field;
  } cases[] = {{R"({"q1":"D"})", "/responses/0/answers/q1"},
               {R"({"q2":3.5})", "/responses/0/answers/q2"},
               {R"({"q2":11})", "/responses/0/answers/q2"},
               {R"({"q2":99999999999999999999999})", "/responses/0/answers/q2"},
               {R"({"q3":["x","z"]})", "/responses/0/answers/q3/1"},
               {R"({"q4":"yes"})", "/responses/0/answers/q4"},
               {R"({"q5":["r","r"]})", "/responses/0/answers/q5/1"},
               {R"({"q6":7})", "/responses/0/answers/q6"},
               {R"([1,2])", "/responses/0/answers"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    Both b = build(c.text);
    ASSERT_FALSE(b.fast);
    ASSERT_FALSE(b.slow);
    EXPECT_EQ(b.fast.error().field, c.field);
    EXPECT_EQ(b.fast.error().message, b.slow.error().message);
  }
  // Malformed JSON and invalid UTF-8 are refused too (nlohmann's verdict).
  auto f = ResponseTableBuilder::create(kQuestions);
  EXPECT_FALSE(f->add_json_text(R"({"q1":"A")", "online", "", ""));
  auto g = ResponseTableBuilder::create(kQuestions);
  EXPECT_FALSE(g->add_json_text("{\"q6\":\"\xC3\x28\"}", "online", "", ""));
}

TEST(ResponseTable, RowsAppendWithMetadata) {
  auto b = ResponseTableBuilder::create(kQuestions);
  ASSERT_TRUE(b->add_json_text(R"({"q6":"one"})", "paper", "cy", "2025-03-04T10:15:00Z", "TH-1"));
  ASSERT_TRUE(b->add_json_text(R"({"q1":"B"})", "online", "en-GB", "2025-03-04T10:15:00Z", "TH-2"));
  ASSERT_TRUE(b->add_json_text(R"({"q6":"three"})", "", "cy", "", "TH-3"));
  ResponseTable t = std::move(*b).finish();
  EXPECT_EQ(t.rows, 3u);
  EXPECT_EQ(col(t, "q6").text.offsets, (std::vector<int64_t>{0, 3, 3, 8}));
  EXPECT_EQ(col(t, "q6").missing, (std::vector<uint8_t>{0, 1, 0}));
  EXPECT_EQ(t.channel_codes, (std::vector<int32_t>{1, 0, -1}));
  EXPECT_EQ(t.language_categories, (std::vector<std::string>{"cy", "en-GB"}));
  EXPECT_EQ(t.language_codes, (std::vector<int32_t>{0, 1, 0}));
  // 2025-03-04 is day 20151 since 1970-01-01; 10:15 is 36900 s.
  EXPECT_EQ(t.submitted_at_ns[1], (int64_t{20151} * 86400 + 36900) * 1'000'000'000);
  EXPECT_EQ(t.submitted_at_ns[2], std::numeric_limits<int64_t>::min());
  EXPECT_EQ(t.references.at(2), "TH-3");
}

TEST(AnalysisReader, ReadsAStoreAndRefusesWhatIsNotOne) {
  char tmpl[] = "/tmp/townhall-reader-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  std::string path = dir + "/t.db";
  EXPECT_EQ(AnalysisReader::open(path).error().code, ErrorCode::kNotFound);
  {
    auto store = open_sqlite_store(path, SqliteOptions::creating());
    ASSERT_TRUE(store);
    nlohmann::json doc = {{"title", "T"}, {"questions", kQuestions}};
    auto c = (*store)->create_consultation(doc, AuditEvent{"t", "create", "consultation", "", {}});
    ASSERT_TRUE(c);
    for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                            std::pair{ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
      TransitionRecord t{c->id, from, to, 0, nlohmann::json::object(), {}};
      ASSERT_TRUE((*store)->transition_consultation(t));
    }
    std::vector<ResponseSubmission> subs(2);
    subs[0].consultation_id = subs[1].consultation_id = c->id;
    subs[0].answers = {{"q1", "B"}, {"q6", "Dim diolch"}};
    subs[0].language = "cy";
    subs[1].answers = {{"q2", 7}};
    subs[1].channel = "phone";
    for (auto& r : (*store)->submit_responses(subs, responses_allowed())) ASSERT_TRUE(r);
  }
  auto reader = AnalysisReader::open(path);
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ((*reader)->schema_version(), sqlite_latest_schema_version());
  auto list = (*reader)->consultations();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].responses, 2);
  EXPECT_EQ((*list)[0].status, "open");
  auto t = (*reader)->responses("c-1");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->rows, 2u);
  EXPECT_EQ(col(*t, "q1").codes, (std::vector<int32_t>{1, -1}));
  EXPECT_EQ(col(*t, "q2").codes, (std::vector<int32_t>{-1, 7}));
  EXPECT_EQ(col(*t, "q6").text.at(0), "Dim diolch");
  EXPECT_EQ(t->channel_codes, (std::vector<int32_t>{0, 2}));
  EXPECT_EQ(t->language_categories, (std::vector<std::string>{"cy", "en-GB"}));
  EXPECT_EQ((*reader)->responses("c-9").error().code, ErrorCode::kNotFound);
  // Not a database, or a database that is not Townhall's.
  std::string junk = dir + "/junk.db";
  FILE* f = std::fopen(junk.c_str(), "w");
  for (int i = 0; i < 200; ++i) std::fputs("not sqlite at all ", f);
  std::fclose(f);
  auto bad = AnalysisReader::open(junk);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(sqlite_read_only_uri("/a b/c?d#e%.db"), "file:/a%20b/c%3Fd%23e%25.db?mode=ro");
  reader->reset();
  std::filesystem::remove_all(dir);
}
