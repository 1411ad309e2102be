// A consultation's responses as spreadsheet rows (analysis/response_export.h) and CSV fields
// written so a spreadsheet shows, never runs, them (util/csv_write.h).
#include <gtest/gtest.h>

#include "store_test_util.h"
#include "townhall/analysis/response_export.h"
#include "townhall/consultations/editing.h"
#include "townhall/util/csv.h"
#include "townhall/util/csv_write.h"

namespace townhall {
namespace {

const nlohmann::json kQuestions = nlohmann::json::parse(R"([
  {"id": "q1", "type": "single_choice", "text": "Which option?", "options": ["A", "B", "C"]},
  {"id": "q2", "type": "scale", "text": "How much do you agree?", "min": -2, "max": 2},
  {"id": "q3", "type": "multiple_choice", "text": "Which do you use?", "options": ["library", "park", "pool"]},
  {"id": "q4", "type": "yes_no", "text": "Do you live here?"},
  {"id": "q5", "type": "ranking", "text": "Rank these", "options": ["x", "y", "z"]},
  {"id": "q6", "type": "free_text"}
])");

std::vector<std::string> texts(const std::vector<analysis::ExportCell>& row) {
  std::vector<std::string> out;
  for (const auto& c : row) out.push_back(c.text);
  return out;
}

TEST(ResponseExport, OneColumnPerQuestionChoicesJoinedRankingInOrder) {
  auto sheet = analysis::ResponseSheet::create(kQuestions);
  ASSERT_TRUE(sheet.ok()) << sheet.error().describe();
  EXPECT_EQ(sheet->header(), (std::vector<std::string>{"Reference", "Received", "Channel", "Language", "Which option?",
                                                       "How much do you agree?", "Which do you use?",
                                                       "Do you live here?", "Rank these", "q6"}));
  StoredResponse full;
  full.reference = "TH-0001-AAAA";
  full.created_at = "2026-03-04T10:15:00Z";
  full.channel = "paper";
  full.language = "cy";
  full.answers = {{"q1", "B"}, {"q2", -1}, {"q3", {"pool", "library"}}, {"q4", false},
                  {"q5", {"z", "x", "y"}}, {"q6", "=HYPERLINK(\"x\")"}};
  StoredResponse empty;
  empty.reference = "TH-0002-BBBB";
  empty.created_at = "2026-03-05T09:00:00Z";
  empty.channel = "online";
  empty.language = "en-GB";
  empty.answers = nlohmann::json::object();
  std::vector<StoredResponse> both = {full, empty};
  auto rows = sheet->rows(both);
  ASSERT_TRUE(rows.ok()) << rows.error().describe();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(texts((*rows)[0]), (std::vector<std::string>{"TH-0001-AAAA", "2026-03-04T10:15:00Z", "paper", "cy", "B",
                                                         "-1", "library; pool", "No", "z; x; y",
                                                         "=HYPERLINK(\"x\")"}));
  EXPECT_TRUE((*rows)[0][5].is_number);
  EXPECT_EQ((*rows)[0][5].number, -1);
  EXPECT_FALSE((*rows)[0][4].is_number);
  EXPECT_EQ(texts((*rows)[1]), (std::vector<std::string>{"TH-0002-BBBB", "2026-03-05T09:00:00Z", "online", "en-GB",
                                                         "", "", "", "", "", ""}));
  // An answer that does not fit is named by the response's reference and the question.
  StoredResponse bad = full;
  bad.answers = {{"q1", "D"}};
  std::vector<StoredResponse> one = {bad};
  auto refused = sheet->rows(one);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "/responses/TH-0001-AAAA/answers/q1");
  EXPECT_FALSE(analysis::ResponseSheet::create(nlohmann::json::parse(R"([{"id":"q1","type":"essay"}])")).ok());
}

TEST(ResponseExport, WalksEveryMatchingResponseAcrossPages) {
  testing_store::TempDb db;
  auto store = testing_store::open_ok(db.path());
  nlohmann::json doc = {{"title", "Parks"}, {"questions", kQuestions}};
  ASSERT_TRUE(store->create_consultation(doc, AuditEvent{"user:1", "c", "consultation", "", {}}).ok());
  for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                          std::pair{ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
    ASSERT_TRUE(store->transition_consultation(TransitionRecord{"c-1", from, to, 0, {}, {}}).ok());
  }
  // More than two pages, every third on paper.
  const int n = static_cast<int>(analysis::kExportPage) * 2 + 7;
  std::vector<ResponseSubmission> batch;
  for (int i = 0; i < n; ++i) {
    ResponseSubmission s;
    s.consultation_id = "c-1";
    s.channel = i % 3 == 0 ? "paper" : "online";
    s.answers = {{"q6", "answer " + std::to_string(i)}};
    batch.push_back(std::move(s));
  }
  for (auto& r : store->submit_responses(std::move(batch), responses_allowed())) ASSERT_TRUE(r.ok());
  auto sheet = analysis::ResponseSheet::create(kQuestions);
  ASSERT_TRUE(sheet.ok());
  std::vector<std::string> seen;
  auto st = analysis::export_responses(*store, "c-1", *sheet, {}, [&](const std::vector<analysis::ExportCell>& row) {
    seen.push_back(row.back().text);
    return Status{};
  });
  ASSERT_TRUE(st.ok()) << st.error().describe();
  ASSERT_EQ(seen.size(), static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) EXPECT_EQ(seen[static_cast<size_t>(i)], "answer " + std::to_string(i));
  ResponseFilter paper;
  paper.channel = "paper";
  int papers = 0;
  ASSERT_TRUE(analysis::export_responses(*store, "c-1", *sheet, paper, [&](const std::vector<analysis::ExportCell>& row) {
                EXPECT_EQ(row[2].text, "paper");
                ++papers;
                return Status{};
              }).ok());
  EXPECT_EQ(papers, (n + 2) / 3);
  // The sink's error stops the walk.
  int calls = 0;
  auto stopped = analysis::export_responses(*store, "c-1", *sheet, {}, [&](const std::vector<analysis::ExportCell>&) {
    ++calls;
    return Status(Error{ErrorCode::kIo, "", "disk full"});
  });
  EXPECT_FALSE(stopped.ok());
  EXPECT_EQ(calls, 1);
}

TEST(CsvWrite, QuotesWhatNeedsItAndNeutralisesFormulas) {
  auto field = [](std::string_view s, bool number = false) {
    std::string out;
    csv::append_field(out, s, number);
    return out;
  };
  EXPECT_EQ(field("plain"), "plain");
  EXPECT_EQ(field("a,b"), "\"a,b\"");
  EXPECT_EQ(field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(field("two\nlines"), "\"two\nlines\"");
  for (std::string danger : {"=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"}) {
    std::string out = field(danger);
    ASSERT_GE(out.size(), 3u) << danger;
    EXPECT_EQ(out.substr(0, 2), "\"'") << danger;
    // Read back by the project's own reader, the value is the text behind an apostrophe.
    auto records = csv::read_records(out + "\r\n");
    ASSERT_TRUE(records.ok());
    EXPECT_EQ((*records)[0].fields[0], "'" + danger);
  }
  // A number the export made (a scale's -2) is a number, not a formula.
  EXPECT_EQ(field("-2", true), "-2");
  EXPECT_EQ(field(""), "");
}

}  // namespace
}  // namespace townhall
