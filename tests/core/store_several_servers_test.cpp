// Several servers over one database, each with its own store handle (its own connections): the
// schedule's opening and closing taken once across them, and each server's group-commit writer
// answering a retry that first reached another server with the first response. Run on every
// backend (store_backends.h); what only a shared database promises is skipped on SQLite, saying so.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "store_backends.h"
#include "townhall/consultations/editing.h"
#include "townhall/consultations/lifecycle.h"
#include "townhall/submissions/response_committer.h"
#include "townhall/util/sha256.h"

namespace townhall {
namespace {

using testing_store::StoreConformance;

class SeveralServers : public StoreConformance {
 protected:
  // Opens Mon 2 Mar 2026 and closes Sun 12 Apr 2026: six weeks, every charter rule met.
  static nlohmann::json six_weeks(int n) {
    return {{"title", "Library opening hours " + std::to_string(n)},
            {"big_decision", true},
            {"opens", "2026-03-02"},
            {"closes", "2026-04-12"},
            {"summary", "We want to change library opening hours."},
            {"proposal", "Open on Saturday afternoons."},
            {"reasons", "Money is short."},
            {"options_considered",
             {{{"option", "Keep the hours"}},
              {{"option", "Close on Mondays"}, {"rejected", true}, {"reason", "Fewer people could visit."}}}},
            {"channels", {"online", "paper"}},
            {"questions", {{{"id", "q1"}, {"type", "yes_no"}, {"text", "Do you agree?"}}}}};
  }
  static ResponseSubmission submission(const std::string& consultation, const std::string& key,
                                       const nlohmann::json& answers = {{"q1", true}}) {
    ResponseSubmission s;
    s.consultation_id = consultation;
    s.answers = answers;
    s.idempotency_key = key;
    s.idempotency_scope = "public";
    s.request_hash = sha256_hex(answers.dump());
    return s;
  }
  const CharterPolicy policy = CharterPolicy::defaults();
  const Actor schedule = Actor::system("system (schedule)");
};

// Two servers wake for the schedule at the same moment: every due consultation opens once, by one
// of them, and neither reports a step refused because the other had taken it first.
TEST_P(SeveralServers, ScheduleTakesEachDueStepOnceAcrossServers) {
  if (!postgres()) GTEST_SKIP() << "SQLite: one server owns its database, so no other runs its schedule";
  store = open();
  ASSERT_TRUE(store);
  auto other = open();
  ASSERT_TRUE(other);
  constexpr int kConsultations = 24;
  for (int i = 0; i < kConsultations; ++i) {
    auto c = add_consultation(*store, six_weeks(i), ConsultationStatus::kScheduled, Actor::system("test"), policy,
                              *Date::parse("2026-02-01"));
    ASSERT_TRUE(c.ok()) << c.error().describe();
  }
  for (int round = 0; round < 2; ++round) {
    const Date today = *Date::parse(round == 0 ? "2026-03-02" : "2026-04-13");
    std::atomic<int> ready{0};
    std::vector<ScheduledStep> steps;
    std::mutex mu;
    std::vector<std::thread> servers;
    for (Store* s : {store.get(), other.get()}) {
      servers.emplace_back([&, s] {
        ++ready;
        while (ready.load() < 2) std::this_thread::yield();
        auto done = run_schedule(*s, schedule, policy, today);
        ASSERT_TRUE(done.ok()) << done.error().describe();
        std::lock_guard lock(mu);
        steps.insert(steps.end(), done->begin(), done->end());
      });
    }
    for (auto& t : servers) t.join();
    std::set<std::string> moved;
    for (const auto& s : steps) {
      EXPECT_FALSE(s.refused.has_value()) << s.consultation_id << ": " << s.refused->describe();
      EXPECT_TRUE(moved.insert(s.consultation_id).second) << s.consultation_id << " moved twice";
    }
    EXPECT_EQ(moved.size(), static_cast<size_t>(kConsultations));
    const ConsultationStatus expected = round == 0 ? ConsultationStatus::kOpen : ConsultationStatus::kClosed;
    for (int i = 1; i <= kConsultations; ++i) {
      EXPECT_EQ(store->get_consultation("c-" + std::to_string(i))->status, expected);
    }
  }
  // One audited step per consultation and direction, whichever server took it.
  std::map<std::string, int> transitions;
  auto entries = store->audit_entries();
  ASSERT_TRUE(entries.ok()) << entries.error().describe();
  for (const auto& e : entries.value()) {
    if (e.event.action == "consultation.transition" && e.event.actor == "system (schedule)") {
      ++transitions[e.event.subject_id + " " + e.event.detail.value("to", "")];
    }
  }
  EXPECT_EQ(transitions.size(), static_cast<size_t>(2 * kConsultations));
  for (const auto& [step, n] : transitions) EXPECT_EQ(n, 1) << step;
}

// While one server runs a job, another server's pass of the same job does not run; a different
// job does, and once the first pass ends the job is free again.
TEST_P(SeveralServers, AJobRunsOnOneServerAtATime) {
  store = open();
  ASSERT_TRUE(store);
  auto other = open();
  ASSERT_TRUE(other);
  int inner_runs = 0;
  auto outer = store->run_exclusively("schedule", [&]() -> Status {
    auto same = other->run_exclusively("schedule", [&]() -> Status {
      ++inner_runs;
      return Status::Ok();
    });
    EXPECT_TRUE(same.ok());
    auto different = other->run_exclusively("outbox", [&]() -> Status {
      ++inner_runs;
      return Status::Ok();
    });
    EXPECT_TRUE(different.ok());
    EXPECT_TRUE(*different);
    // Only a database that several servers share keeps the second server out.
    EXPECT_EQ(*same, !postgres());
    return Status::Ok();
  });
  ASSERT_TRUE(outer.ok()) << outer.error().describe();
  EXPECT_TRUE(*outer);
  EXPECT_EQ(inner_runs, postgres() ? 1 : 2);
  auto after = other->run_exclusively("schedule", [] { return Status::Ok(); });
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(*after);
  // The pass's own refusal comes back as it is.
  auto failed = other->run_exclusively("schedule", [] { return Status(Error{ErrorCode::kConflict, "/x", "no"}); });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().field, "/x");
}

// Each server's writer (group commit, one transaction per batch) takes retries of the same keys at
// once: one response per key, and every acknowledgement of a key carries the same reference.
TEST_P(SeveralServers, RetriesReachingAnotherServersWriterAreAnsweredWithTheFirstResponse) {
  store = open();
  ASSERT_TRUE(store);
  auto other = open();
  ASSERT_TRUE(other);
  ASSERT_TRUE(store->create_consultation(six_weeks(0), AuditEvent{"test", "create", "consultation", "", {}}).ok());
  for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                          std::pair{ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
    ASSERT_TRUE(store->transition_consultation(TransitionRecord{"c-1", from, to, 0, {}, {}}).ok());
  }
  constexpr int kKeys = 150;
  std::mutex mu;
  std::map<std::string, std::set<std::string>> refs_by_key;
  int acknowledged = 0;
  {
    ResponseCommitter first(*store, 32), second(*other, 32);
    std::vector<std::thread> clients;
    for (int t = 0; t < 4; ++t) {
      clients.emplace_back([&, t] {
        ResponseCommitter& writer = t % 2 ? second : first;
        for (int k = 0; k < kKeys; ++k) {
          const std::string key = "retry-" + std::to_string((k * 7 + t * 13) % kKeys);
          writer.submit(submission("c-1", key), [&, key](Result<StoredResponse> r) {
            std::lock_guard lock(mu);
            ASSERT_TRUE(r.ok()) << r.error().describe();
            refs_by_key[key].insert(r->reference);
            ++acknowledged;
          });
        }
      });
    }
    for (auto& c : clients) c.join();
    first.stop();
    second.stop();
  }
  EXPECT_EQ(acknowledged, 4 * kKeys);
  ASSERT_EQ(refs_by_key.size(), static_cast<size_t>(kKeys));
  for (const auto& [key, refs] : refs_by_key) EXPECT_EQ(refs.size(), 1u) << key;
  EXPECT_EQ(db->scalar("SELECT COUNT(*) FROM responses"), std::to_string(kKeys));
  // The same key with another body, on the other server: refused, nothing stored.
  auto reused = other->submit_responses({submission("c-1", "retry-0", {{"q1", false}})}, responses_allowed());
  ASSERT_FALSE(reused[0].ok());
  EXPECT_EQ(reused[0].error().code, ErrorCode::kConflict);
  EXPECT_EQ(*store->count_responses("c-1"), kKeys);
}

INSTANTIATE_TEST_SUITE_P(Backends, SeveralServers, ::testing::Values("sqlite", "postgresql"), testing_store::backend_name);

}  // namespace
}  // namespace townhall
