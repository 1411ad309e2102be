// The response table builder: the flat answers parser (JSON text, as the store keeps answers)
// must read every row exactly as the nlohmann path does, and report the same errors; and the
// analysis reader over a real SQLite store.
#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <filesystem>
#include <limits>

#include <SQLiteCpp/SQLiteCpp.h>

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

namespace {

void expect_same_table(const ResponseTable& a, const ResponseTable& b) {
  EXPECT_EQ(a.rows, b.rows);
  expect_same(a, b);
  for (size_t i = 0; i < a.columns.size() && i < b.columns.size(); ++i) {
    EXPECT_EQ(a.columns[i].name, b.columns[i].name);
    EXPECT_EQ(a.columns[i].categories, b.columns[i].categories);
  }
  EXPECT_EQ(a.channel_codes, b.channel_codes);
  EXPECT_EQ(a.language_codes, b.language_codes);
  EXPECT_EQ(a.language_categories, b.language_categories);
  EXPECT_EQ(a.submitted_at_ns, b.submitted_at_ns);
  EXPECT_EQ(a.references.data, b.references.data);
  EXPECT_EQ(a.references.offsets, b.references.offsets);
}

}  // namespace

TEST(AnalysisReader, ReadingOnSeveralThreadsGivesTheSameTable) {
  char tmpl[] = "/tmp/townhall-reader-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  std::string path = dir + "/t.db";
  // Two consultations whose responses interleave (so c-1's ids have gaps), with languages that
  // first appear in different parts: en-GB, then cy from row 20, then fr only near the end.
  const char* const kLanguages[] = {"en-GB", "cy", "fr"};
  std::vector<std::string> languages;  // c-1's, in order
  {
    auto store = open_sqlite_store(path, SqliteOptions::creating());
    ASSERT_TRUE(store);
    std::vector<std::string> ids;
    for (int k = 0; k < 2; ++k) {
      nlohmann::json doc = {{"title", "T"}, {"questions", kQuestions}};
      auto c = (*store)->create_consultation(doc, AuditEvent{"t", "create", "consultation", "", {}});
      ASSERT_TRUE(c);
      ids.push_back(c->id);
      for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                              {ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
        TransitionRecord t{c->id, from, to, 0, nlohmann::json::object(), {}};
        ASSERT_TRUE((*store)->transition_consultation(t));
      }
    }
    for (int i = 0; i < 61; ++i) {
      std::vector<ResponseSubmission> subs(i % 3 == 0 ? 2 : 1);
      subs[0].consultation_id = ids[0];
      subs[0].answers = {{"q1", i % 4 == 0 ? "é" : "A"}, {"q2", i % 11}, {"q4", i % 2 == 0},
                         {"q3", i % 5 == 0 ? nlohmann::json::array({"y"}) : nlohmann::json::array({"x", "y"})},
                         {"q5", {"t", "r", "s"}}};
      if (i % 7 == 0) subs[0].answers["q6"] = "Ateb " + std::to_string(i);
      subs[0].language = kLanguages[i < 20 ? 0 : i < 55 ? 1 + (i % 2) * (i > 50) : 2];
      subs[0].channel = i % 6 == 0 ? "paper" : "online";
      languages.push_back(subs[0].language);
      if (subs.size() == 2) {
        subs[1].consultation_id = ids[1];
        subs[1].answers = {{"q1", "B"}};
      }
      for (auto& r : (*store)->submit_responses(subs, responses_allowed())) ASSERT_TRUE(r);
    }
  }
  auto reader = AnalysisReader::open(path);
  ASSERT_TRUE(reader) << reader.error().message;
  auto one = (*reader)->responses("c-1", 1);
  ASSERT_TRUE(one) << one.error().message;
  ASSERT_EQ(one->rows, 61u);
  EXPECT_EQ(one->language_categories, (std::vector<std::string>{"en-GB", "cy", "fr"}));
  for (size_t r = 0; r < languages.size(); ++r)
    EXPECT_EQ(one->language_categories[static_cast<size_t>(one->language_codes[r])], languages[r]) << r;
  for (unsigned threads : {2u, 3u, 7u, 61u, 200u, 0u}) {
    SCOPED_TRACE(threads);
    auto many = (*reader)->responses("c-1", threads);
    ASSERT_TRUE(many) << many.error().message;
    expect_same_table(*one, *many);
  }
  // The other consultation (the index path) too.
  auto other = (*reader)->responses("c-2", 1);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->rows, 21u);
  expect_same_table(*other, *(*reader)->responses("c-2", 4));
  reader->reset();
  // A stored row that does not fit its question: the error names its row in the whole table,
  // whichever part read it.
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("UPDATE responses SET answers = '{\"q1\": \"Z\"}' WHERE id = (SELECT id FROM responses "
            "WHERE consultation_id = 'c-1' ORDER BY id LIMIT 1 OFFSET 47)");
  }
  reader = AnalysisReader::open(path);
  ASSERT_TRUE(reader);
  for (unsigned threads : {1u, 3u, 5u}) {
    auto bad = (*reader)->responses("c-1", threads);
    ASSERT_FALSE(bad) << threads;
    EXPECT_EQ(bad.error().field, "/responses/47/answers/q1") << threads;
  }
  reader->reset();
  std::filesystem::remove_all(dir);
}

TEST(ResponseTable, ConcatJoinsPartsInOrder) {
  auto part = [](std::vector<std::array<std::string, 3>> rows) {  // answers, language, reference
    auto b = ResponseTableBuilder::create(kQuestions);
    for (auto& [answers, lang, ref] : rows)
      EXPECT_TRUE(b->add_json_text(answers, "online", lang, "2025-03-04T10:15:00Z", ref));
    return std::move(*b).finish();
  };
  std::vector<ResponseTable> parts;
  parts.push_back(part({{R"({"q1":"A","q6":"x"})", "cy", "R-1"}}));
  parts.push_back(part({}));
  parts.push_back(part({{R"({"q1":"B"})", "fr", "R-22"}, {R"({"q1":"é","q6":"yz"})", "cy", "R-333"}}));
  auto t = concat_response_tables(std::move(parts));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->rows, 3u);
  EXPECT_EQ(col(*t, "q1").codes, (std::vector<int32_t>{0, 1, 2}));
  EXPECT_EQ(t->language_categories, (std::vector<std::string>{"cy", "fr"}));
  EXPECT_EQ(t->language_codes, (std::vector<int32_t>{0, 1, 0}));
  EXPECT_EQ(col(*t, "q6").text.offsets, (std::vector<int64_t>{0, 1, 1, 3}));
  EXPECT_EQ(col(*t, "q6").text.data, "xyz");
  EXPECT_EQ(col(*t, "q6").missing, (std::vector<uint8_t>{0, 1, 0}));
  EXPECT_EQ(t->references.data, "R-1R-22R-333");
  EXPECT_EQ(t->references.offsets, (std::vector<int64_t>{0, 3, 7, 12}));
  std::vector<ResponseTable> mixed;
  mixed.push_back(part({}));
  auto other = ResponseTableBuilder::create(nlohmann::json::parse(R"([{"id": "z", "type": "yes_no"}])"));
  mixed.push_back(std::move(*other).finish());
  EXPECT_EQ(concat_response_tables(std::move(mixed)).error().code, ErrorCode::kInvalidArgument);
}
