// Counting a consultation's answers for the charts (analysis/response_counts.h) and comparing its
// respondents' panel facts with targets (panel/respondents.h).
#include <gtest/gtest.h>

#include "store_test_util.h"
#include "townhall/analysis/response_counts.h"
#include "townhall/consultations/editing.h"
#include "townhall/panel/respondents.h"

namespace townhall {
namespace {

const nlohmann::json kCountedQuestions = nlohmann::json::parse(R"([
  {"id": "q1", "type": "single_choice", "text": "Which option?", "options": ["A", "B"]},
  {"id": "q2", "type": "multiple_choice", "text": "Which do you use?", "options": ["library", "park"]},
  {"id": "q3", "type": "yes_no", "text": "Do you live here?"},
  {"id": "q4", "type": "ranking", "text": "Rank these", "options": ["x", "y"]},
  {"id": "q5", "type": "free_text", "text": "Anything else?"}
])");

class ResponseCountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store = testing_store::open_ok(db.path());
    nlohmann::json doc = {{"title", "Parks"}, {"questions", kCountedQuestions}};
    ASSERT_TRUE(store->create_consultation(doc, AuditEvent{"user:1", "c", "consultation", "", {}}).ok());
    for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                            std::pair{ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
      ASSERT_TRUE(store->transition_consultation(TransitionRecord{"c-1", from, to, 0, {}, {}}).ok());
    }
  }
  void submit(const std::string& channel, const std::string& language, nlohmann::json answers,
              std::optional<int64_t> person = std::nullopt) {
    ResponseSubmission s;
    s.consultation_id = "c-1";
    s.channel = channel;
    s.language = language;
    s.person_id = person;
    s.answers = std::move(answers);
    auto r = store->submit_responses({s}, responses_allowed());
    ASSERT_TRUE(r[0].ok()) << r[0].error().describe();
  }
  testing_store::TempDb db;
  std::unique_ptr<Store> store;
};

TEST_F(ResponseCountsTest, EachOptionChannelAndLanguageIsCounted) {
  submit("online", "en-GB", {{"q1", "B"}, {"q2", {"library", "park"}}, {"q3", true}, {"q4", {"y", "x"}}, {"q5", "hi"}});
  submit("paper", "cy", {{"q1", "B"}, {"q2", {"park"}}, {"q3", false}});
  submit("online", "en-GB", nlohmann::json::object());
  auto c = analysis::count_answers(*store, "c-1", kCountedQuestions);
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c->responses, 3);
  auto counts = [](const analysis::QuestionCounts& q) {
    std::vector<std::pair<std::string, int64_t>> out;
    for (const auto& o : q.options) out.emplace_back(o.label, o.count);
    return out;
  };
  using V = std::vector<std::pair<std::string, int64_t>>;
  EXPECT_EQ(counts(c->questions[0]), (V{{"A", 0}, {"B", 2}}));
  EXPECT_EQ(c->questions[0].answered, 2);
  EXPECT_EQ(counts(c->questions[1]), (V{{"library", 1}, {"park", 2}}));
  EXPECT_EQ(c->questions[1].answered, 2);
  EXPECT_EQ(counts(c->questions[2]), (V{{"Yes", 1}, {"No", 1}}));
  EXPECT_EQ(counts(c->questions[3]), (V{{"x", 0}, {"y", 1}}));  // first choices
  EXPECT_EQ(c->questions[3].answered, 1);
  EXPECT_TRUE(c->questions[4].options.empty());
  EXPECT_EQ(c->questions[4].answered, 1);
  EXPECT_EQ(c->channels[0].label, "online");
  EXPECT_EQ(c->channels[0].count, 2);
  EXPECT_EQ(c->channels[1].count, 1);
  ASSERT_EQ(c->languages.size(), 2u);
  EXPECT_EQ(c->languages[0].label, "en-GB");
  EXPECT_EQ(c->languages[0].count, 2);
  EXPECT_EQ(c->languages[1].label, "cy");
}

TEST_F(ResponseCountsTest, OnlyPanelMembersWithFactsAreComparedEachOnce) {
  panel::NewMember m;
  m.personal = {{"name", "A Resident"}, {"email", "ann@example.org"}};
  m.joined_on = Date::from_ymd(2026, 1, 2);
  m.fact_consent = true;
  m.facts.push_back(panel::Fact{"tenure", "Social rented", "import", "members.csv row 2", Date::from_ymd(2026, 1, 2), true, {}});
  auto member = store->add_member(m, AuditEvent{"user:1", "panel.add", "panel_member", "", {}});
  ASSERT_TRUE(member.ok()) << member.error().describe();
  auto other = store->add_person({{"name", "Not a member"}});
  ASSERT_TRUE(other.ok());
  submit("online", "en-GB", {{"q1", "A"}}, member->person_id);
  submit("paper", "en-GB", {{"q1", "B"}}, member->person_id);  // the same person again
  submit("online", "en-GB", {{"q1", "B"}}, *other);
  submit("online", "en-GB", {{"q1", "B"}});
  analysis::CategoryTargets tenure{"tenure", "test targets", {{"Social rented", 0, 0.25}, {"Owned", 0, 0.75}}};
  auto r = panel::respondents_report(*store, *store, "c-1", {tenure}, Date::from_ymd(2026, 3, 1));
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->responses, 4);
  EXPECT_EQ(r->people, 2);
  EXPECT_EQ(r->with_facts, 1);
  ASSERT_EQ(r->fit.categories.size(), 1u);
  EXPECT_EQ(r->fit.categories[0].n, 1);
  EXPECT_EQ(r->fit.categories[0].values[0].count, 1);
  EXPECT_DOUBLE_EQ(r->fit.categories[0].values[0].pool_share, 1.0);
  EXPECT_DOUBLE_EQ(r->fit.categories[0].values[1].target_share, 0.75);
}

}  // namespace
}  // namespace townhall
