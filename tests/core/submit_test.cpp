// A response submission, as the API and the web pages both make it (responses/submit.h): the
// rules refuse with the refusal each front end maps and store nothing; ask once fills what a panel
// member's facts already answer; the facts they give are recorded with one audit record shape,
// whoever the respondent is.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include <SQLiteCpp/SQLiteCpp.h>

#include "townhall/consultations/editing.h"
#include "townhall/submissions/submit.h"
#include "townhall/store/sqlite_store.h"

namespace townhall {
namespace {

Date d(const char* iso) { return Date::parse(iso).value(); }

class SubmitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/townhall-submit-XXXXXX";
    dir_ = mkdtemp(tmpl);
    store = std::move(open_sqlite_store(dir_ + "/t.db", SqliteOptions::creating())).value();
  }
  std::string db_path() const { return dir_ + "/t.db"; }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir_);
  }

  AuditEvent ev(const std::string& action) { return AuditEvent{"test", action, "consultation", "", {}}; }

  // A consultation moved through `steps` (from draft), with a tenure question bound to a fact.
  using S = ConsultationStatus;
  std::string consultation(std::vector<std::pair<S, S>> steps, nlohmann::json channels = nullptr) {
    nlohmann::json doc = {
        {"title", "Parks"},
        {"opens", "2026-02-01"},
        {"closes", "2026-12-31"},
        {"questions",
         {{{"id", "tenure"}, {"type", "single_choice"}, {"text", "Do you own or rent?"}, {"required", true},
           {"fact_key", "tenure"}, {"options", {"Owned", "Rented"}}},
          {{"id", "view"}, {"type", "scale"}, {"text", "How good is the park?"}, {"required", true}}}}};
    if (!channels.is_null()) doc["channels"] = channels;
    auto c = store->create_consultation(doc, ev("consultation.create")).value();
    for (auto [from, to] : steps) {
      TransitionRecord t;
      t.consultation_id = c.id;
      t.from = from;
      t.to = to;
      EXPECT_TRUE(store->transition_consultation(t).ok());
    }
    return c.id;
  }
  std::string open_consultation(nlohmann::json channels = nullptr) {
    return consultation({{S::kDraft, S::kScheduled}, {S::kScheduled, S::kOpen}}, std::move(channels));
  }

  panel::Member member_knowing_tenure(const std::string& name, const std::string& token_hash = "") {
    panel::NewMember m;
    m.personal = {{"name", name}, {"email", name + "@example.org"}};
    m.facts = {panel::Fact{"tenure", "Rented", "online", "join", d("2026-01-10"), true, std::nullopt}};
    m.joined_on = d("2026-01-10");
    m.fact_consent = true;
    m.user_token_hash = token_hash;
    return store->add_member(m, AuditEvent{"test", "panel.join", "panel_member", "", {}}).value();
  }

  Result<StoredResponse, SubmitError> submit(const std::string& id, const Respondent& who, ResponseRequest r) {
    return submit_response(*store, *store, *store, id, who, std::move(r), policy, d("2026-03-01"));
  }

  std::vector<AuditEntry> facts_audit() {
    std::vector<AuditEntry> out;
    auto all = store->audit_entries().value();
    for (auto& e : all) {
      if (e.event.action == "panel.facts") out.push_back(e);
    }
    return out;
  }

  std::unique_ptr<Store> store;
  CharterPolicy policy;

 private:
  std::string dir_;
};

ResponseRequest answers(nlohmann::json a, const std::string& channel = "online") {
  ResponseRequest r;
  r.answers = std::move(a);
  r.channel = channel;
  return r;
}

User user(int64_t id, Role role) { return User{id, "U" + std::to_string(id), role}; }

TEST_F(SubmitTest, EveryRuleRefusesWithItsOwnRefusalAndStoresNothing) {
  const std::string open = open_consultation({"online", "paper"});
  const std::string draft = consultation({});
  const std::string closed = consultation({{S::kDraft, S::kScheduled}, {S::kScheduled, S::kOpen}, {S::kOpen, S::kClosed}});
  const nlohmann::json good = {{"tenure", "Owned"}, {"view", 4}};
  const Respondent anyone{User{}, std::nullopt};
  const User olu = store->add_user(Role::kOfficer, "Olu", std::string(64, 'o')).value();
  struct Case {
    std::string id;
    Respondent who;
    ResponseRequest request;
    SubmitRefusal refusal;
    std::string field;
  };
  ResponseRequest long_key = answers(good);
  long_key.idempotency_key = std::string(kIdempotencyKeyMaxLength + 1, 'k');
  ResponseRequest someone = answers(good);
  someone.person_id = 1;
  const std::vector<Case> cases = {
      {draft, anyone, answers(good), SubmitRefusal::kNotFound, ""},
      {"c-999", anyone, answers(good), SubmitRefusal::kNotFound, ""},
      {closed, anyone, answers(good), SubmitRefusal::kNotOpen, "/status"},
      {open, anyone, long_key, SubmitRefusal::kInvalidIdempotencyKey, ""},
      {open, anyone, answers(good, "paper"), SubmitRefusal::kChannelNotAllowed, "/channel"},
      {open, {olu, std::nullopt}, answers(good, "phone"), SubmitRefusal::kChannelNotOffered, "/channel"},
      {open, anyone, someone, SubmitRefusal::kPersonNotAllowed, "/person_id"},
      {open, anyone, answers({{"view", 4}}), SubmitRefusal::kInvalidAnswer, "/answers/tenure"},
      {open, anyone, answers({{"tenure", "Owned"}, {"view", 9}}), SubmitRefusal::kInvalidAnswer, "/answers/view"},
  };
  for (const auto& c : cases) {
    auto r = submit(c.id, c.who, c.request);
    ASSERT_FALSE(r.ok()) << c.id << " " << c.field;
    EXPECT_EQ(r.error().refusal, c.refusal) << c.id << " " << r.error().describe();
    EXPECT_EQ(r.error().field, c.field) << r.error().describe();
  }
  // An officer sees drafts, so a draft is "not open" to them rather than "not found".
  auto officer = submit(draft, {olu, std::nullopt}, answers(good));
  EXPECT_EQ(officer.error().refusal, SubmitRefusal::kNotOpen);
  EXPECT_EQ(store->count_responses(open).value(), 0);
  // And the same submission that passes every rule is stored.
  auto stored = submit(open, {olu, std::nullopt}, answers(good, "paper"));
  ASSERT_TRUE(stored.ok()) << stored.error().describe();
  EXPECT_EQ(stored->entered_by, olu.id);
  EXPECT_EQ(store->count_responses(open).value(), 1);
}

TEST_F(SubmitTest, AskOnceAndOneAuditShapeForAMemberOnThePagesAndOverTheApi) {
  const std::string id = open_consultation();
  // On the web pages: a member signed in by their member session, no bearer token.
  auto ada = member_knowing_tenure("Ada");
  auto on_pages = submit(id, {User{}, ada}, answers({{"view", 5}}));
  ASSERT_TRUE(on_pages.ok()) << on_pages.error().describe();
  EXPECT_EQ(on_pages->person_id, ada.person_id);
  EXPECT_EQ(on_pages->answers, (nlohmann::json{{"tenure", "Rented"}, {"view", 5}}));  // not asked again

  // Over the API: a panel member's bearer token; they answer tenure anew, which becomes their fact.
  auto bo = member_knowing_tenure("Bo", std::string(64, 'b'));
  User bo_user = store->user_by_token_hash(std::string(64, 'b')).value();
  auto over_api = submit(id, {bo_user, std::nullopt}, answers({{"tenure", "Owned"}, {"view", 2}}));
  ASSERT_TRUE(over_api.ok()) << over_api.error().describe();
  EXPECT_EQ(over_api->person_id, bo.person_id);
  auto bo_facts = store->member_facts(bo.id).value();
  EXPECT_EQ(panel::find_fact(bo_facts, "tenure")->value, "Owned");
  EXPECT_EQ(panel::find_fact(bo_facts, "tenure")->source, "response " + over_api->reference);

  // Ada gave no new fact, so only Bo's is recorded; the record names the member, the response and
  // the keys, and its actor is the respondent's Actor.
  auto audit = facts_audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].event.actor, Actor::of(bo_user).who);
  EXPECT_EQ(audit[0].event.subject_kind, "panel_member");
  EXPECT_EQ(audit[0].event.subject_id, std::to_string(bo.id));
  EXPECT_EQ(audit[0].event.detail["response"], over_api->reference);
  EXPECT_EQ(audit[0].event.detail["keys"], nlohmann::json({"tenure"}));

  // Ada changes her answer on the pages: the same shape, with her as the actor.
  ASSERT_TRUE(submit(id, {User{}, ada}, answers({{"tenure", "Owned"}, {"view", 5}})).ok());
  audit = facts_audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].event.actor, "panel member " + std::to_string(ada.id));
  EXPECT_EQ(audit[1].event.subject_id, std::to_string(ada.id));
  EXPECT_EQ(audit[1].event.detail["keys"], nlohmann::json({"tenure"}));
}

// A response and the facts it gives are one transaction: when keeping the facts fails, the
// response is not stored either (and the respondent is told), and when it succeeds both are there
// together — never a stored response whose facts were lost, nor facts naming no response.
TEST_F(SubmitTest, AResponseAndTheFactsItGivesAreStoredTogetherOrNotAtAll) {
  const std::string id = open_consultation();
  auto bo = member_knowing_tenure("Bo", std::string(64, 'b'));
  User bo_user = store->user_by_token_hash(std::string(64, 'b')).value();
  const auto responses_before = store->count_responses(id).value();
  const auto audit_before = store->audit_entries().value().size();
  {
    // A second connection makes every write of a fact fail, as a full disk or a broken table would.
    SQLite::Database raw(db_path(), SQLite::OPEN_READWRITE);
    raw.exec("CREATE TRIGGER no_facts BEFORE INSERT ON panel_facts BEGIN SELECT RAISE(ABORT, 'no facts'); END");
    raw.exec("CREATE TRIGGER no_fact_changes BEFORE UPDATE ON panel_facts BEGIN SELECT RAISE(ABORT, 'no facts'); END");
  }
  auto refused = submit(id, {bo_user, std::nullopt}, answers({{"tenure", "Owned"}, {"view", 2}}));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(store->count_responses(id).value(), responses_before);  // the response went with its facts
  EXPECT_EQ(store->audit_entries().value().size(), audit_before);
  EXPECT_EQ(panel::find_fact(store->member_facts(bo.id).value(), "tenure")->value, "Rented");

  {
    SQLite::Database raw(db_path(), SQLite::OPEN_READWRITE);
    raw.exec("DROP TRIGGER no_facts");
    raw.exec("DROP TRIGGER no_fact_changes");
  }
  auto stored = submit(id, {bo_user, std::nullopt}, answers({{"tenure", "Owned"}, {"view", 2}}));
  ASSERT_TRUE(stored.ok()) << stored.error().describe();
  EXPECT_EQ(store->count_responses(id).value(), responses_before + 1);
  const auto facts = store->member_facts(bo.id).value();
  const auto* fact = panel::find_fact(facts, "tenure");
  ASSERT_NE(fact, nullptr);
  EXPECT_EQ(fact->value, "Owned");
  EXPECT_EQ(fact->source, "response " + stored->reference);
  // A member erased while their response was on its way: their response is refused (the person it
  // names is gone) and nothing of theirs is kept, while the rest of its batch is stored.
  auto cy = member_knowing_tenure("Cy", std::string(64, 'c'));
  User cy_user = store->user_by_token_hash(std::string(64, 'c')).value();
  auto target = load_response_target(*store, id).value();
  auto checked = check_response(*store, target, {cy_user, std::nullopt}, answers({{"tenure", "Owned"}, {"view", 3}}),
                                policy, d("2026-03-01"));
  ASSERT_TRUE(checked.ok());
  ASSERT_FALSE(checked->given.empty());
  auto anonymous = check_response(*store, target, {User{}, std::nullopt}, answers({{"tenure", "Owned"}, {"view", 1}}),
                                  policy, d("2026-03-01"));
  ASSERT_TRUE(anonymous.ok());
  ASSERT_TRUE(store->erase_member(cy.id, AuditEvent{"test", "panel.erase", "panel_member", "", {}}).ok());
  std::vector<Submission> batch;
  batch.push_back(std::move(checked).value());
  batch.push_back(std::move(anonymous).value());
  auto results = store->submit_in_place(batch, responses_allowed());
  ASSERT_EQ(results.size(), 2u);
  ASSERT_FALSE(results[0].ok());
  EXPECT_EQ(results[0].error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(results[1].ok()) << results[1].error().describe();
  EXPECT_EQ(store->count_responses(id).value(), responses_before + 2);
  SQLite::Database raw(db_path());
  EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM panel_facts WHERE member_id=" + std::to_string(cy.id)).getInt(), 0);
}

TEST_F(SubmitTest, ThePlainPathAcceptsExactlyWhatCheckResponseAccepts) {
  const std::string id = open_consultation({"online"});
  auto target = load_response_target(*store, id).value();
  FlatAnswers flat;
  ASSERT_TRUE(flat.parse(R"({"tenure":"Owned","view":3})"));
  auto plain = check_plain_response(target, User{}, "online", "cy", flat, "", "");
  ASSERT_TRUE(plain.has_value());
  auto general = check_response(*store, target, {User{}, std::nullopt}, answers({{"tenure", "Owned"}, {"view", 3}}),
                                policy, d("2026-03-01"));
  ASSERT_TRUE(general.ok());
  EXPECT_EQ(nlohmann::json::parse(plain->answers_text), general->response.answers);
  EXPECT_EQ(plain->channel, general->response.channel);
  // What check_response refuses, the plain path leaves to it.
  EXPECT_FALSE(check_plain_response(target, User{}, "paper", "cy", flat, "", "").has_value());
  EXPECT_FALSE(check_plain_response(target, user(3, Role::kPanelMember), "online", "cy", flat, "", "").has_value());
}

}  // namespace
}  // namespace townhall
