// The store conformance suite, part 3: the imported bank holidays feed, the instants a
// consultation actually opened and closed, and the live Forward Plan register changed and checked
// as a whole — each test run on every backend (store_backends.h).
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "store_backends.h"

namespace townhall {
namespace {

using testing_store::StoreConformance;

class DatesAndRegister : public StoreConformance {
 protected:
  static HolidayFeed govuk_feed(const std::string& source, const std::string& imported_on) {
    std::ifstream in(std::string(TOWNHALL_SOURCE_DIR) + "/tests/data/bank-holidays/govuk-2026-2027.json");
    std::stringstream text;
    text << in.rdbuf();
    auto feed = parse_holiday_feed(text.str());
    EXPECT_TRUE(feed.ok()) << (feed.ok() ? "" : feed.error().describe());
    HolidayFeed out = feed.ok() ? *feed : HolidayFeed{};
    out.source = source;
    out.imported_on = *Date::parse(imported_on);
    return out;
  }
  static AuditEvent ev(const std::string& action) { return AuditEvent{"user:2", action, "register", "", {}}; }
  static RegisterChange put(RecordKind kind, const std::string& id) {
    return RegisterChange{kind, id, nlohmann::json{{"id", id}, {"n", 1}}};
  }
};

TEST_P(DatesAndRegister, TheLatestImportedHolidayFeedIsTheOneInUse) {
  store = open();
  ASSERT_TRUE(store);
  auto none = store->holiday_feed();
  ASSERT_TRUE(none.ok()) << none.error().describe();
  EXPECT_FALSE(none->has_value());
  const size_t audited = store->audit_entries()->size();
  ASSERT_TRUE(store->put_holiday_feed(govuk_feed("first.json", "2026-11-02"), ev("calendar.import")).ok());
  ASSERT_TRUE(store->put_holiday_feed(govuk_feed("bank-holidays.json", "2026-12-07"), ev("calendar.import")).ok());
  auto latest = store->holiday_feed();
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->source, "bank-holidays.json");
  EXPECT_EQ((*latest)->imported_on.iso(), "2026-12-07");
  EXPECT_EQ(holiday_feed_json(**latest), holiday_feed_json(govuk_feed("x", "2026-12-07")));
  EXPECT_EQ(store->audit_entries()->size(), audited + 2);
  EXPECT_EQ(db->scalar("SELECT COUNT(*) FROM bank_holiday_feeds"), "2");
  // Read through another connection (another server) too.
  auto other = open();
  EXPECT_EQ((*other->holiday_feed())->source, "bank-holidays.json");
}

TEST_P(DatesAndRegister, TransitionsKeepTheInstantsAConsultationOpenedAndClosed) {
  store = open();
  ASSERT_TRUE(store);
  nlohmann::json d = {{"title", "Parks"}, {"opens", "2026-03-02"}, {"closes", "2026-04-12"}};
  ASSERT_TRUE(store->create_consultation(d, ev("create")).ok());
  using S = ConsultationStatus;
  ASSERT_TRUE(store->transition_consultation(TransitionRecord{"c-1", S::kDraft, S::kScheduled, 0, {}, {}}).ok());
  EXPECT_EQ(db->scalar("SELECT COALESCE(opened_at, 'none') FROM consultations"), "none");
  ASSERT_TRUE(store->transition_consultation(
                       TransitionRecord{"c-1", S::kScheduled, S::kOpen, 0, {{"opened_at", "2026-03-02T07:00:01Z"}}, {}})
                  .ok());
  ASSERT_TRUE(store->transition_consultation(
                       TransitionRecord{"c-1", S::kOpen, S::kClosed, 0, {{"closed_at", "2026-04-13T00:00:05Z"}}, {}})
                  .ok());
  EXPECT_EQ(db->scalar("SELECT opened_at || ' ' || closed_at FROM consultations"),
            "2026-03-02T07:00:01Z 2026-04-13T00:00:05Z");
  auto c = store->get_consultation("c-1");
  EXPECT_EQ(c->document["opened_at"], "2026-03-02T07:00:01Z");
  EXPECT_EQ(c->document["closed_at"], "2026-04-13T00:00:05Z");
}

TEST_P(DatesAndRegister, RegisterChangesAreCheckedAsAWholeAndKeptAllOrNone) {
  store = open();
  ASSERT_TRUE(store);
  auto accept = [](const std::vector<RegisterRecord>&) { return Status::Ok(); };
  ASSERT_TRUE(store
                  ->change_register({put(RecordKind::kScrutinyReferral, "KD-2"), put(RecordKind::kMeeting, "cab-2"),
                                     put(RecordKind::kKeyDecision, "KD-2"), put(RecordKind::kMeeting, "cab-1"),
                                     put(RecordKind::kKeyDecision, "KD-1")},
                                    accept, ev("register.change"))
                  .ok());
  auto all = store->register_records();
  ASSERT_TRUE(all.ok()) << all.error().describe();
  std::vector<std::string> order;
  for (const auto& r : *all) order.push_back(std::string(record_kind_id(r.kind)) + ":" + r.id);
  EXPECT_EQ(order, (std::vector<std::string>{"key_decision:KD-1", "key_decision:KD-2", "meeting:cab-1", "meeting:cab-2",
                                             "scrutiny_referral:KD-2"}));
  // The check sees the register as it would be; its refusal keeps nothing.
  size_t seen = 0;
  auto refused = store->change_register({put(RecordKind::kUrgencyReport, "u-1"), {RecordKind::kMeeting, "cab-1", {}}},
                                        [&](const std::vector<RegisterRecord>& after) {
                                          seen = after.size();
                                          return Status(Error{ErrorCode::kConflict, "/date", "refused by the check"});
                                        },
                                        ev("register.change"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "/date");
  EXPECT_EQ(seen, 5u);  // one added, one removed
  EXPECT_EQ(store->register_records()->size(), 5u);
  // Removing what is not there: kNotFound, and the changes before it in the same call are undone.
  auto missing = store->change_register({{RecordKind::kMeeting, "cab-1", {}}, {RecordKind::kMeeting, "cab-9", {}}},
                                        accept, ev("register.change"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store->register_records()->size(), 5u);
  // One audit entry per change kept.
  size_t changes = 0;
  auto entries = store->audit_entries();
  ASSERT_TRUE(entries.ok()) << entries.error().describe();
  for (const auto& e : entries.value()) changes += e.event.action == "register.change";
  EXPECT_EQ(changes, 1u);
}

// Changes from several servers at once are judged one after another: a check that allows at most
// eight records lets exactly eight in, however the changes interleave.
TEST_P(DatesAndRegister, ConcurrentRegisterChangesFromSeveralServersAreJudgedInTurn) {
  store = open();
  ASSERT_TRUE(store);
  auto other = open();
  ASSERT_TRUE(other);
  auto at_most_eight = [](const std::vector<RegisterRecord>& after) {
    if (after.size() > 8) return Status(Error{ErrorCode::kConflict, "", "the register is full"});
    return Status::Ok();
  };
  std::atomic<int> kept{0}, full{0};
  std::vector<std::thread> servers;
  for (int t = 0; t < 4; ++t) {
    servers.emplace_back([&, t] {
      Store& s = t % 2 ? *other : *store;
      for (int i = 0; i < 5; ++i) {
        auto st = s.change_register({put(RecordKind::kMeeting, "m-" + std::to_string(t) + "-" + std::to_string(i))},
                                    at_most_eight, ev("register.change"));
        if (st.ok()) ++kept;
        else if (st.error().code == ErrorCode::kConflict) ++full;
        else ADD_FAILURE() << st.error().describe();
      }
    });
  }
  for (auto& th : servers) th.join();
  EXPECT_EQ(kept.load(), 8);
  EXPECT_EQ(full.load(), 12);
  EXPECT_EQ(store->register_records()->size(), 8u);
}

INSTANTIATE_TEST_SUITE_P(Backends, DatesAndRegister, ::testing::Values("sqlite", "postgresql"),
                         testing_store::backend_name);

}  // namespace
}  // namespace townhall
