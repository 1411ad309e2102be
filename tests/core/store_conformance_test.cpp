// The store conformance suite, part 1: consultations and their lifecycle, the hub listing,
// translations and meetings, responses with reference numbers, idempotency with its retention
// window, and the group commit — each test run on every backend (store_backends.h).
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "store_backends.h"
#include "townhall/access/token.h"
#include "townhall/consultations/editing.h"
#include "townhall/submissions/response_committer.h"
#include "townhall/util/sha256.h"

namespace townhall {
namespace {

using testing_store::StoreConformance;

AuditEvent ev(const std::string& action) { return AuditEvent{"user:1", action, "consultation", "", {}}; }

nlohmann::json doc(const std::string& title, const std::string& opens, std::vector<std::string> wards,
                   std::vector<std::string> topics) {
  return {{"title", title},
          {"summary", "About " + title},
          {"opens", opens},
          {"closes", "2026-12-31"},
          {"wards", wards},
          {"topics", topics},
          {"questions",
           {{{"id", "q1"}, {"type", "yes_no"}, {"text", "Do you agree?"}, {"required", true}},
            {{"id", "q2"}, {"type", "free_text"}, {"text", "Why?"}}}}};
}

TEST_P(StoreConformance, ConsultationDraftEditsAndVersionConflicts) {
  auto s = open();
  ASSERT_TRUE(s);
  auto c = s->create_consultation(doc("Parks", "2026-01-05", {"Abbey"}, {"parks"}), ev("create"));
  ASSERT_TRUE(c.ok()) << c.error().describe();
  EXPECT_EQ(c->id, "c-1");
  EXPECT_EQ(c->version, 1);
  auto u = update_consultation(*s, "c-1", doc("Parks and trees", "2026-01-05", {"Abbey"}, {"parks"}), 1, ev("update"));
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->version, 2);
  auto stale = update_consultation(*s, "c-1", doc("Stale", "2026-01-05", {}, {}), 1, ev("update"));
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(s->get_consultation("c-1")->document["title"], "Parks and trees");
  auto qs = s->questions("c-1");
  ASSERT_TRUE(qs.ok());
  ASSERT_EQ(qs->size(), 2u);
  EXPECT_EQ((*qs)[0]["id"], "q1");
  EXPECT_EQ(s->get_consultation("c-9").error().code, ErrorCode::kNotFound);

  TransitionRecord tr{"c-1", ConsultationStatus::kDraft, ConsultationStatus::kScheduled, 0, {}, {ev("transition")}};
  ASSERT_TRUE(s->transition_consultation(tr).ok());
  auto edit = update_consultation(*s, "c-1", doc("Late", "2026-01-05", {}, {}), 0, ev("update"));
  ASSERT_FALSE(edit.ok());
  EXPECT_EQ(edit.error().code, ErrorCode::kConflict);
  EXPECT_FALSE(delete_consultation(*s, "c-1", ev("delete")).ok());
  TransitionRecord wrong{"c-1", ConsultationStatus::kDraft, ConsultationStatus::kScheduled, 0, {}, {}};
  EXPECT_EQ(s->transition_consultation(wrong).error().code, ErrorCode::kConflict);
  // A draft can be deleted; its id is gone.
  ASSERT_TRUE(s->create_consultation(doc("Trees", "2026-01-05", {}, {}), ev("create")).ok());
  ASSERT_TRUE(delete_consultation(*s, "c-2", ev("delete")).ok());
  EXPECT_EQ(s->get_consultation("c-2").error().code, ErrorCode::kNotFound);
}

// The store decides nothing about states: it checks the guard its caller gives, inside the write's
// transaction, and the refusal names the state the consultation is in.
TEST_P(StoreConformance, StateDependentWritesFollowTheCallersGuard) {
  auto s = open();
  ASSERT_TRUE(s->create_consultation(doc("Parks", "2026-01-05", {}, {}), ev("create")).ok());
  const StatusGuard scheduled_only{{ConsultationStatus::kScheduled}, "; refused by the test"};
  auto refused = s->update_consultation("c-1", doc("Early", "2026-01-05", {}, {}), 0, scheduled_only, ev("update"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(refused.error().field, "/status");
  EXPECT_EQ(refused.error().message, "consultation c-1 is draft; refused by the test");
  EXPECT_EQ(s->get_consultation("c-1")->version, 1);
  EXPECT_FALSE(s->put_translation("c-1", "cy", {{"title", "Parciau"}}, scheduled_only, ev("t")).ok());
  EXPECT_TRUE(s->list_translations("c-1")->empty());
  ResponseSubmission r;
  r.consultation_id = "c-1";
  r.answers = {{"q1", true}};
  auto early = s->submit_responses({r}, StatusGuard{{ConsultationStatus::kDraft}, ", refused by the test"});
  ASSERT_TRUE(early[0].ok()) << early[0].error().describe();
  EXPECT_EQ(s->submit_responses({r}, responses_allowed())[0].error().message,
            "consultation c-1 is draft, not open for responses");
  ASSERT_TRUE(s->transition_consultation(
                  TransitionRecord{"c-1", ConsultationStatus::kDraft, ConsultationStatus::kScheduled, 0, {}, {}})
                  .ok());
  auto allowed = s->update_consultation("c-1", doc("Later", "2026-01-05", {}, {}), 0, scheduled_only, ev("update"));
  ASSERT_TRUE(allowed.ok());
  EXPECT_EQ(allowed->status, ConsultationStatus::kScheduled);
  EXPECT_EQ(s->get_consultation("c-1")->document["title"], "Later");
}

TEST_P(StoreConformance, HubListingFiltersSearchesSortsAndPaginates) {
  auto s = open();
  ASSERT_TRUE(s->create_consultation(doc("Library hours", "2026-02-01", {"Abbey", "Castle"}, {"libraries"}), ev("c")).ok());
  ASSERT_TRUE(s->create_consultation(doc("Bin collections", "2026-01-01", {"Castle"}, {"waste"}), ev("c")).ok());
  ASSERT_TRUE(s->create_consultation(doc("Park 100% green", "2026-03-01", {"Abbey"}, {"parks", "waste"}), ev("c")).ok());
  nlohmann::json undated = doc("allotments", "", {}, {});
  undated.erase("opens");
  ASSERT_TRUE(s->create_consultation(undated, ev("c")).ok());

  ConsultationQuery q;
  q.sort = "opens";
  auto all = s->list_consultations(q);
  ASSERT_TRUE(all.ok()) << all.error().describe();
  ASSERT_EQ(all->total, 4);
  EXPECT_EQ(all->items[0].document["title"], "allotments");  // no date sorts first going up
  EXPECT_EQ(all->items[1].document["title"], "Bin collections");
  EXPECT_EQ(all->items[3].document["title"], "Park 100% green");
  q.sort = "title";  // case-insensitive, as the hub shows it
  auto by_title = s->list_consultations(q);
  EXPECT_EQ(by_title->items[0].document["title"], "allotments");
  EXPECT_EQ(by_title->items[1].document["title"], "Bin collections");

  q.sort = "opens";
  q.ward = "Castle";
  EXPECT_EQ(s->list_consultations(q)->total, 2);
  q.ward.clear();
  q.topic = "waste";
  q.sort = "title";
  auto waste = s->list_consultations(q);
  ASSERT_EQ(waste->total, 2);
  EXPECT_EQ(waste->items[0].document["title"], "Bin collections");
  q.topic.clear();
  q.search = "100%";
  EXPECT_EQ(s->list_consultations(q)->total, 1);
  q.search = "LIBRARY";
  EXPECT_EQ(s->list_consultations(q)->total, 1);
  q.search = "_";
  EXPECT_EQ(s->list_consultations(q)->total, 0);  // a wildcard in the search is a character
  q.search.clear();
  q.sort = "-opens";
  q.limit = 1;
  q.offset = 1;
  auto page = s->list_consultations(q);
  EXPECT_EQ(page->total, 4);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].document["title"], "Library hours");
  q.statuses = std::vector{ConsultationStatus::kOpen};
  EXPECT_EQ(s->list_consultations(q)->total, 0);
  q.statuses = std::vector<ConsultationStatus>{};
  EXPECT_EQ(s->list_consultations(q)->total, 0);
  q.statuses.reset();
  q.sort = "colour";
  EXPECT_EQ(s->list_consultations(q).error().field, "sort");
}

TEST_P(StoreConformance, TranslationsAndMeetingsAreKeptInOrderAndAudited) {
  auto s = open();
  ASSERT_TRUE(s->create_consultation(doc("Parks", "2026-01-05", {}, {}), ev("create")).ok());
  const StatusGuard any{{ConsultationStatus::kDraft, ConsultationStatus::kScheduled}, ""};
  ASSERT_TRUE(s->put_translation("c-1", "pl", {{"title", "Parki"}}, any, ev("t")).ok());
  ASSERT_TRUE(s->put_translation("c-1", "cy", {{"title", "Parc"}}, any, ev("t")).ok());
  ASSERT_TRUE(s->put_translation("c-1", "cy", {{"title", "Parciau"}}, any, ev("t")).ok());
  auto list = s->list_translations("c-1");
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].lang, "cy");
  EXPECT_EQ((*list)[0].document["title"], "Parciau");
  EXPECT_EQ(s->get_translation("c-1", "ar").error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(s->delete_translation("c-1", "pl", any, ev("t")).ok());
  EXPECT_EQ(s->delete_translation("c-1", "pl", any, ev("t")).error().code, ErrorCode::kNotFound);

  auto late = s->add_meeting("c-1", {{"date", "2026-02-10"}, {"starts_at", "18:00"}}, ev("m"));
  auto early = s->add_meeting("c-1", {{"date", "2026-02-01"}, {"starts_at", "10:00"}}, ev("m"));
  ASSERT_TRUE(late.ok() && early.ok());
  auto meetings = s->list_meetings("c-1");
  ASSERT_EQ(meetings->size(), 2u);
  EXPECT_EQ((*meetings)[0].id, early->id);
  ASSERT_TRUE(s->update_meeting("c-1", early->id, {{"date", "2026-03-01"}, {"starts_at", "10:00"}}, ev("m")).ok());
  EXPECT_EQ((*s->list_meetings("c-1"))[0].id, late->id);
  ASSERT_TRUE(s->delete_meeting("c-1", late->id, ev("m")).ok());
  EXPECT_EQ(s->get_meeting("c-1", late->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(s->add_meeting("c-9", {{"date", "2026-02-10"}}, ev("m")).error().code, ErrorCode::kNotFound);
  // create, 3 puts, 1 delete, 2 adds, 1 update, 1 delete.
  EXPECT_EQ(s->audit_entries()->size(), 9u);
}

class Responses : public StoreConformance {
 protected:
  void SetUp() override {
    StoreConformance::SetUp();
    if (IsSkipped()) return;
    store = open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->create_consultation(doc("Parks", "2026-01-05", {"Abbey"}, {"parks"}), ev("c")).ok());
    for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                            std::pair{ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
      ASSERT_TRUE(store->transition_consultation(TransitionRecord{"c-1", from, to, 0, {}, {}}).ok());
    }
  }
  ResponseSubmission sub(const std::string& key = "", const nlohmann::json& answers = {{"q1", true}}) {
    ResponseSubmission s;
    s.consultation_id = "c-1";
    s.answers = answers;
    s.idempotency_key = key;
    s.idempotency_scope = "public";
    s.request_hash = sha256_hex(answers.dump());
    return s;
  }
  // Dates the responses with `key` `seconds` ago, as if they had been given then.
  void age(const std::string& key, int64_t seconds) {
    ASSERT_EQ(db->exec("UPDATE responses SET created_at = ?1 WHERE idempotency_key = ?2",
                       {testing_store::created_seconds_ago(seconds), key}),
              1);
  }
};

TEST_P(Responses, GetDistinctQuotableReferencesCarryingTheirSerial) {
  auto r = store->submit_responses({sub(), sub(), sub()}, responses_allowed());
  ASSERT_EQ(r.size(), 3u);
  std::set<std::string> refs;
  for (size_t i = 0; i < r.size(); ++i) {
    ASSERT_TRUE(r[i].ok()) << r[i].error().describe();
    EXPECT_EQ(r[i]->reference.size(), 12u);
    EXPECT_EQ(r[i]->reference.substr(0, 8), "TH-000" + std::to_string(i + 1) + "-");
    EXPECT_EQ(r[i]->id, static_cast<int64_t>(i + 1));
    refs.insert(r[i]->reference);
  }
  EXPECT_EQ(refs.size(), 3u);
  EXPECT_EQ(*store->count_responses("c-1"), 3);
  auto found = store->response_by_reference(r[2]->reference);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, 3);
  EXPECT_EQ(found->answers, (nlohmann::json{{"q1", true}}));
  EXPECT_EQ(store->response_by_reference("TH-ZZZZ-ZZZZ").error().code, ErrorCode::kNotFound);
  auto listed = store->list_responses("c-1", 2, 1);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, 2);
  EXPECT_EQ(store->list_responses("c-1", 0, 0).error().field, "limit");
  // Answers serialised by the caller are stored as given.
  ResponseSubmission pre = sub("", {{"q1", false}});
  pre.answers_text = pre.answers.dump();
  auto stored = store->submit_responses({pre}, responses_allowed());
  ASSERT_TRUE(stored[0].ok());
  EXPECT_EQ(store->response_by_reference(stored[0]->reference)->answers, (nlohmann::json{{"q1", false}}));
  // The reference column is unique in the database itself.
  EXPECT_THROW(db->exec("UPDATE responses SET reference = ?1 WHERE id = 2", {r[0]->reference}), std::exception);
}

TEST_P(Responses, RetryWithSameIdempotencyKeyNeverCreatesASecondResponse) {
  auto first = store->submit_responses({sub("key-1")}, responses_allowed());
  ASSERT_TRUE(first[0].ok()) << first[0].error().describe();
  EXPECT_FALSE(first[0]->replayed);
  auto again = store->submit_responses({sub("key-1"), sub("key-2"), sub("key-2")}, responses_allowed());
  ASSERT_TRUE(again[0].ok());
  EXPECT_TRUE(again[0]->replayed);
  EXPECT_EQ(again[0]->reference, first[0]->reference);
  EXPECT_TRUE(again[2]->replayed);
  EXPECT_EQ(again[2]->reference, again[1]->reference);
  EXPECT_EQ(*store->count_responses("c-1"), 2);
  auto other = store->submit_responses({sub("key-1", {{"q1", false}})}, responses_allowed());
  ASSERT_FALSE(other[0].ok());
  EXPECT_EQ(other[0].error().code, ErrorCode::kConflict);
  EXPECT_EQ(other[0].error().field, "Idempotency-Key");
  auto other_scope = sub("key-1");
  other_scope.idempotency_scope = "user:7";
  auto r = store->submit_responses({other_scope}, responses_allowed());
  ASSERT_TRUE(r[0].ok());
  EXPECT_FALSE(r[0]->replayed);
  EXPECT_EQ(*store->count_responses("c-1"), 3);
}

// Reopened, or through another connection (a second server or process): the first response answers.
TEST_P(Responses, IdempotencyKeysSurviveReopeningAndAnotherConnection) {
  auto first = store->submit_responses({sub("key-1"), sub("key-2", {{"q1", false}})}, responses_allowed());
  ASSERT_TRUE(first[0].ok() && first[1].ok());
  store.reset();
  store = open();
  auto again = store->submit_responses({sub("key-2", {{"q1", false}}), sub("key-1")}, responses_allowed());
  ASSERT_TRUE(again[0].ok() && again[1].ok());
  EXPECT_TRUE(again[0]->replayed);
  EXPECT_EQ(again[0]->reference, first[1]->reference);
  EXPECT_EQ(again[0]->answers, nlohmann::json({{"q1", false}}));
  auto other = open();
  auto x = other->submit_responses({sub("key-x")}, responses_allowed());
  ASSERT_TRUE(x[0].ok());
  auto retry = store->submit_responses({sub("key-x")}, responses_allowed());
  ASSERT_TRUE(retry[0].ok());
  EXPECT_TRUE(retry[0]->replayed);
  EXPECT_EQ(retry[0]->reference, x[0]->reference);
  EXPECT_EQ(*store->count_responses("c-1"), 3);
}

// Keys older than the retention window are cleared when the database is opened; 0 keeps them.
TEST_P(Responses, IdempotencyKeysExpireAfterTheRetentionWindow) {
  ASSERT_TRUE(store->submit_responses({sub("ancient"), sub("old"), sub("recent")}, responses_allowed())[0].ok());
  store.reset();
  age("ancient", 30 * 86400);
  age("old", 180 * 3600);
  age("recent", 6 * 86400);
  store = open(0);
  auto kept = store->submit_responses({sub("ancient"), sub("old")}, responses_allowed());
  EXPECT_TRUE(kept[0]->replayed);
  EXPECT_TRUE(kept[1]->replayed);
  store.reset();
  store = open(7);
  // Indexed at open and past the window: its key is cleared from the row; "recent" keeps its.
  EXPECT_EQ(db->scalar("SELECT COUNT(*) FROM responses WHERE idempotency_key = 'old'"), "0");
  EXPECT_EQ(db->scalar("SELECT COUNT(*) FROM responses WHERE idempotency_key = 'recent'"), "1");
  auto r = store->submit_responses({sub("ancient"), sub("old"), sub("recent")}, responses_allowed());
  ASSERT_TRUE(r[0].ok() && r[1].ok() && r[2].ok());
  EXPECT_FALSE(r[0]->replayed);
  EXPECT_FALSE(r[1]->replayed);
  EXPECT_TRUE(r[2]->replayed);
  EXPECT_EQ(*store->count_responses("c-1"), 5);
}

TEST_P(Responses, ClosedConsultationRefusesResponsesButBatchMatesCommit) {
  ASSERT_TRUE(store->create_consultation(doc("Roads", "2026-01-05", {}, {}), ev("c")).ok());
  auto draft = sub();
  draft.consultation_id = "c-2";
  auto unknown = sub();
  unknown.consultation_id = "c-9";
  auto ghost = sub();
  ghost.person_id = 424242;  // no such person: this submission alone is refused
  auto r = store->submit_responses({sub(), draft, unknown, ghost, sub()}, responses_allowed());
  EXPECT_TRUE(r[0].ok());
  EXPECT_EQ(r[1].error().code, ErrorCode::kConflict);
  EXPECT_EQ(r[2].error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(r[3].ok());
  EXPECT_TRUE(r[4].ok());
  EXPECT_EQ(*store->count_responses("c-1"), 2);
}

TEST_P(Responses, CommitterAcknowledgesOnlyCommittedResponses) {
  std::atomic<int> ok{0};
  {
    ResponseCommitter committer(*store, 16);
    for (int i = 0; i < 200; ++i) {
      committer.submit(sub("k" + std::to_string(i % 150)), [&](Result<StoredResponse> r) {
        if (r.ok()) ++ok;
      });
    }
    committer.stop();  // drains the queue
    EXPECT_EQ(committer.submissions(), 200u);
    EXPECT_GE(committer.batches(), 200u / 16);
    bool refused = false;
    committer.submit(sub(), [&](Result<StoredResponse> r) { refused = !r.ok(); });
    EXPECT_TRUE(refused);
  }
  EXPECT_EQ(ok.load(), 200);
  // Every acknowledged submission is in the database, seen through a fresh connection.
  EXPECT_EQ(db->scalar("SELECT COUNT(*) FROM responses"), "150");
}

// Many writers on several connections at once, all retrying the same keys: one response per key,
// every acknowledged reference stored, and the closing of the consultation orders with them.
TEST_P(Responses, ConcurrentRetriesOnSeveralConnectionsStoreEachKeyOnce) {
  auto other = open();
  ASSERT_TRUE(other);
  std::vector<std::thread> threads;
  std::mutex mu;
  std::map<std::string, std::set<std::string>> refs_by_key;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      Store& s = t % 2 ? *other : *store;
      for (int round = 0; round < 10; ++round) {
        std::vector<ResponseSubmission> batch;
        for (int k = 0; k < 5; ++k) batch.push_back(sub("shared-" + std::to_string((round * 5 + k) % 20)));
        auto r = s.submit_responses(batch, responses_allowed());
        std::lock_guard lock(mu);
        for (size_t i = 0; i < r.size(); ++i) {
          ASSERT_TRUE(r[i].ok()) << r[i].error().describe();
          refs_by_key[batch[i].idempotency_key].insert(r[i]->reference);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(refs_by_key.size(), 20u);
  for (const auto& [key, refs] : refs_by_key) EXPECT_EQ(refs.size(), 1u) << key;
  EXPECT_EQ(*store->count_responses("c-1"), 20);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance, ::testing::Values("sqlite", "postgresql"),
                         testing_store::backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, Responses, ::testing::Values("sqlite", "postgresql"), testing_store::backend_name);

}  // namespace
}  // namespace townhall
