// The store conformance suite, part 4: reading a consultation's responses through a filter (the
// staff console's table and exports) — each test run on every backend (store_backends.h).
#include <gtest/gtest.h>

#include "store_backends.h"
#include "townhall/consultations/editing.h"

namespace townhall {
namespace {

using testing_store::StoreConformance;

class ResponseFilters : public StoreConformance {
 protected:
  static AuditEvent ev(const std::string& action) { return AuditEvent{"user:2", action, "consultation", "", {}}; }
  static ResponseSubmission response(const std::string& channel, const std::string& language, nlohmann::json answers) {
    ResponseSubmission r;
    r.consultation_id = "c-1";
    r.channel = channel;
    r.language = language;
    r.answers = std::move(answers);
    return r;
  }
  static std::vector<std::string> references(const ResponsePage& page) {
    std::vector<std::string> out;
    for (const auto& r : page.items) out.push_back(r.reference);
    return out;
  }
};

TEST_P(ResponseFilters, EachConditionNarrowsTheListAndTheTotal) {
  store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->create_consultation({{"title", "Parks"}, {"questions", nlohmann::json::array()}}, ev("c")).ok());
  for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                          std::pair{ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
    ASSERT_TRUE(store->transition_consultation(TransitionRecord{"c-1", from, to, 0, {}, {}}).ok());
  }
  std::vector<ResponseSubmission> batch = {
      response("online", "en-GB", {{"q1", "More Swings please"}}),
      response("paper", "cy", {{"q1", "Mwy o siglenni"}}),
      response("paper", "en-GB", {{"q1", "no swings"}}),
      response("phone", "en-GB", {{"q1", "Benches"}}),
  };
  std::vector<std::string> refs;
  for (auto& r : store->submit_responses(std::move(batch), responses_allowed())) {
    ASSERT_TRUE(r.ok()) << r.error().describe();
    refs.push_back(r->reference);
  }
  auto all = store->find_responses("c-1", ResponseFilter{});
  ASSERT_TRUE(all.ok()) << all.error().describe();
  EXPECT_EQ(all->total, 4);
  EXPECT_EQ(references(*all), refs);

  ResponseFilter paper;
  paper.channel = "paper";
  EXPECT_EQ(references(*store->find_responses("c-1", paper)), (std::vector<std::string>{refs[1], refs[2]}));
  paper.language = "en-GB";
  auto english_paper = store->find_responses("c-1", paper);
  EXPECT_EQ(references(*english_paper), (std::vector<std::string>{refs[2]}));
  EXPECT_EQ(english_paper->total, 1);

  // Text in the answers, in any case.
  ResponseFilter swings;
  swings.text = "SWINGS";
  EXPECT_EQ(references(*store->find_responses("c-1", swings)), (std::vector<std::string>{refs[0], refs[2]}));

  // Dates: the day they arrived matches from both ends; the day before and after match nothing.
  const Date received = *Date::parse(all->items[0].created_at.substr(0, 10));
  ResponseFilter that_day;
  that_day.received_from = received;
  that_day.received_to = received;
  EXPECT_EQ(store->find_responses("c-1", that_day)->total, 4);
  ResponseFilter before;
  before.received_to = received.plus_days(-1);
  EXPECT_EQ(store->find_responses("c-1", before)->total, 0);
  ResponseFilter after;
  after.received_from = received.plus_days(1);
  EXPECT_EQ(store->find_responses("c-1", after)->total, 0);

  // Pages: limit and offset, or after_id; the total counts every match.
  ResponseFilter page;
  page.limit = 2;
  page.offset = 1;
  auto second = store->find_responses("c-1", page);
  EXPECT_EQ(references(*second), (std::vector<std::string>{refs[1], refs[2]}));
  EXPECT_EQ(second->total, 4);
  ResponseFilter next;
  next.after_id = all->items[2].id;
  EXPECT_EQ(references(*store->find_responses("c-1", next)), (std::vector<std::string>{refs[3]}));

  // Bad pages name their field; an unknown consultation is not found.
  ResponseFilter bad;
  bad.limit = 0;
  EXPECT_EQ(store->find_responses("c-1", bad).error().field, "limit");
  bad.limit = 10;
  bad.offset = -1;
  EXPECT_EQ(store->find_responses("c-1", bad).error().field, "offset");
  EXPECT_EQ(store->find_responses("c-404", ResponseFilter{}).error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, ResponseFilters, ::testing::Values("sqlite", "postgresql"),
                         testing_store::backend_name);

}  // namespace
}  // namespace townhall
