// The store conformance suite, part 2: the audit hash chain (also under concurrent writers),
// erasure, panel facts and contact limits, web sessions, the outbox, staff accounts, and the
// schema versions a store refuses — each test run on every backend (store_backends.h).
#include <gtest/gtest.h>

#include <thread>

#include "store_backends.h"
#include "townhall/access/staff.h"
#include "townhall/access/token.h"
#include "townhall/consultations/editing.h"
#include "townhall/util/sha256.h"

namespace townhall {
namespace {

using testing_store::StoreConformance;

// Part 2 of the suite: the same fixture under its own name, so each part is instantiated once.
class Conformance : public StoreConformance {};

AuditEvent ev(const std::string& action, const std::string& kind = "test") {
  return AuditEvent{"user:1", action, kind, "", {{"n", 1}}};
}

Date day(const char* text) { return *Date::parse(text); }

panel::NewMember member(const std::string& email, const std::string& external_id = "") {
  panel::NewMember m;
  m.personal = {{"name", "A Resident"}, {"email", email}};
  m.channel = "import";
  m.external_id = external_id;
  m.joined_on = day("2026-01-02");
  m.fact_consent = true;
  m.email_verified = true;
  m.facts.push_back(panel::Fact{"tenure", "Social rented", "import", "members.csv row 2", day("2026-01-02"), true, {}});
  return m;
}

TEST_P(Conformance, AuditChainIsLinearUnderConcurrentWritersAndVerifies) {
  auto s = open();
  ASSERT_TRUE(s);
  auto other = open();  // a second server on the same database
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto e = (t % 2 ? *other : *s).append_audit(ev("test.write"));
        ASSERT_TRUE(e.ok()) << e.error().describe();
      }
    });
  }
  for (auto& w : writers) w.join();
  auto entries = s->audit_entries();
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 100u);
  for (size_t i = 0; i < entries->size(); ++i) {
    EXPECT_EQ((*entries)[i].seq, static_cast<int64_t>(i + 1));
    if (i > 0) {
      EXPECT_EQ((*entries)[i].prev_hash, (*entries)[i - 1].hash);
    }
  }
  auto v = s->verify_audit();
  ASSERT_TRUE(v.ok()) << v.error().describe();
  EXPECT_EQ(v->state, AuditState::kIntact) << v->problem;
  EXPECT_EQ(v->head_seq, 100);
  EXPECT_FALSE(v->public_key.empty());  // sealed with the test's audit key
  // The log is append-only in the database itself.
  EXPECT_THROW(db->exec("UPDATE audit_log SET actor = 'someone else' WHERE seq = 3"), std::exception);
  EXPECT_THROW(db->exec("DELETE FROM audit_log WHERE seq = 100"), std::exception);
  EXPECT_EQ(s->audit_entries()->size(), 100u);
}

TEST_P(Conformance, ErasingAMemberKeepsTheirAnswersButNothingThatNamesThem) {
  auto s = open();
  ASSERT_TRUE(s->create_consultation({{"title", "Parks"}, {"questions", nlohmann::json::array()}}, ev("c")).ok());
  for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                          std::pair{ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
    ASSERT_TRUE(s->transition_consultation(TransitionRecord{"c-1", from, to, 0, {}, {}}).ok());
  }
  auto m = s->add_member(member("Ann@Example.org", "R-1"), ev("panel.add"));
  ASSERT_TRUE(m.ok()) << m.error().describe();
  ASSERT_TRUE(s->set_equality_data(m->person_id, {{"sex", "female"}}).ok());
  ResponseSubmission r;
  r.consultation_id = "c-1";
  r.person_id = m->person_id;
  r.answers = {{"q1", "yes"}};
  ASSERT_TRUE(s->submit_responses({r}, responses_allowed())[0].ok());
  ASSERT_TRUE(s->record_invitations({{m->id, "c-1", day("2026-02-01")}}, panel::ContactPolicy{}, ev("invite")).ok());
  EXPECT_EQ(s->get_person(m->person_id)->responses, 1);
  EXPECT_EQ(s->member_by_email("ann@example.org")->id, m->id);

  auto e = s->erase_member(m->id, ev("panel.erase"));
  ASSERT_TRUE(e.ok()) << e.error().describe();
  EXPECT_EQ(e->facts_erased, 1);
  EXPECT_EQ(e->invitations_erased, 1);
  EXPECT_EQ(e->responses_unlinked, 1);
  EXPECT_EQ(s->get_member(m->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(s->get_person(m->person_id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(s->member_by_email("ann@example.org").error().code, ErrorCode::kNotFound);
  auto kept = s->list_responses("c-1");
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_FALSE((*kept)[0].person_id.has_value());
  EXPECT_EQ((*kept)[0].answers, (nlohmann::json{{"q1", "yes"}}));
  EXPECT_EQ(s->erase_member(m->id, ev("panel.erase")).error().code, ErrorCode::kNotFound);
  // A person who is not a member.
  auto p = s->add_person({{"name", "B"}});
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(s->erase_person(*p, ev("person.erase")).ok());
  EXPECT_EQ(s->erase_person(*p, ev("person.erase")).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(s->set_equality_data(*p, {{"sex", "male"}}).error().code, ErrorCode::kNotFound);
}

TEST_P(Conformance, PanelFactsAskOnceAndContactLimitsRefuseWholeBatches) {
  auto s = open();
  for (const char* t : {"One", "Two", "Three"}) {
    ASSERT_TRUE(s->create_consultation({{"title", t}, {"questions", nlohmann::json::array()}}, ev("c")).ok());
  }
  auto a = s->add_member(member("a@example.org", "R-1"), ev("panel.add"));
  ASSERT_TRUE(a.ok());
  // One sign-in address per member, one external id per member.
  EXPECT_EQ(s->add_member(member("A@example.org"), ev("panel.add")).error().field, "/email");
  EXPECT_EQ(s->add_member(member("c@example.org", "R-1"), ev("panel.add")).error().field, "/external_id");
  auto imported = s->import_members({member("d@example.org"), member("d@example.org")}, ev("panel.import"));
  EXPECT_EQ(imported.error().field, "/1/email");
  EXPECT_EQ(s->list_members()->size(), 1u);  // nothing of the refused import was kept

  ASSERT_TRUE(s->record_facts(a->id, {panel::Fact{"ward", "Abbey", "online", "response TH-1", day("2026-02-01"), true, {}},
                                      panel::Fact{"tenure", "Owner", "online", "response TH-1", day("2026-02-01"), true,
                                                  day("2027-02-01")}},
                              ev("facts"))
                  .ok());
  auto facts = s->member_facts(a->id);
  ASSERT_EQ(facts->size(), 2u);
  EXPECT_EQ((*facts)[0].key, "tenure");
  EXPECT_EQ((*facts)[0].value, "Owner");
  ASSERT_TRUE((*facts)[0].valid_until.has_value());
  EXPECT_EQ((*facts)[0].valid_until->iso(), "2027-02-01");
  EXPECT_EQ(s->all_member_facts()->size(), 1u);
  EXPECT_EQ(s->record_facts(999, {}, ev("facts")).error().code, ErrorCode::kNotFound);

  panel::ContactPolicy two_a_month{2, 30};
  ASSERT_TRUE(s->record_invitations({{a->id, "c-1", day("2026-03-01")}, {a->id, "c-2", day("2026-03-05")}}, two_a_month,
                                    ev("invite"))
                  .ok());
  // A repeat of an invitation is not a new contact; a third within the window is refused whole.
  ASSERT_TRUE(s->record_invitations({{a->id, "c-2", day("2026-03-06")}}, two_a_month, ev("invite")).ok());
  auto over = s->record_invitations({{a->id, "c-3", day("2026-03-20")}}, two_a_month, ev("invite"));
  EXPECT_EQ(over.error().code, ErrorCode::kConflict);
  EXPECT_EQ(s->member_invitations(a->id)->size(), 2u);
  ASSERT_TRUE(s->record_invitations({{a->id, "c-3", day("2026-04-20")}}, two_a_month, ev("invite")).ok());
  EXPECT_EQ(s->invitations_since(day("2026-03-02"))->size(), 2u);
  EXPECT_EQ(s->record_invitations({{a->id, "c-9", day("2026-05-20")}}, two_a_month, ev("invite")).error().code,
            ErrorCode::kNotFound);
}

TEST_P(Conformance, WebSessionsDraftsTokensConfirmationsAndSecrets) {
  auto s = open();
  ASSERT_TRUE(s->create_consultation({{"title", "Parks"}, {"questions", nlohmann::json::array()}}, ev("c")).ok());
  ASSERT_TRUE(s->save_draft({"d1", "c-1", "cy", {{"q1", "ie"}}, "", ""}).ok());
  EXPECT_EQ(s->get_draft("d1")->language, "cy");
  EXPECT_EQ(s->save_draft({"d2", "c-9", "en-GB", {}, "", ""}).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(s->delete_draft("d1").ok());
  EXPECT_EQ(s->get_draft("d1").error().code, ErrorCode::kNotFound);

  auto m = s->add_member(member("a@example.org"), ev("panel.add"));
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE(s->put_member_token({"sign_in", "h1", m->id, 2000}).ok());
  ASSERT_TRUE(s->put_member_token({"sign_in", "h2", m->id, 1000}).ok());
  EXPECT_EQ(*s->live_member_tokens("sign_in", m->id, 1500), 1);
  EXPECT_EQ(*s->member_token("sign_in", "h1", 1500, true), m->id);
  EXPECT_EQ(s->member_token("sign_in", "h1", 1500, true).error().code, ErrorCode::kNotFound);  // used once
  EXPECT_EQ(s->member_token("sign_in", "h2", 1500, false).error().code, ErrorCode::kNotFound);  // expired
  EXPECT_EQ(s->put_member_token({"session", "h3", 999, 2000}).error().code, ErrorCode::kNotFound);

  auto b = s->add_member(member("b@example.org"), ev("panel.add"));
  ASSERT_TRUE(s->put_email_confirmation({"c1", m->id, "New@Example.org", 2000}).ok());
  ASSERT_TRUE(s->put_email_confirmation({"c2", b->id, "new@example.org", 2000}).ok());
  EXPECT_EQ(*s->live_email_confirmations(m->id, 1500), 1);
  auto confirmed = s->confirm_email("c1", 1500, ev("panel.email"));
  ASSERT_TRUE(confirmed.ok()) << confirmed.error().describe();
  EXPECT_EQ(confirmed->personal["email"], "New@Example.org");
  EXPECT_EQ(s->member_by_email("new@EXAMPLE.org")->id, m->id);
  EXPECT_EQ(s->confirm_email("c2", 1500, ev("panel.email")).error().code, ErrorCode::kConflict);  // taken
  EXPECT_EQ(s->email_confirmation("c2", 1500).error().code, ErrorCode::kNotFound);  // used up

  auto secret = s->site_secret("cookies");
  ASSERT_TRUE(secret.ok());
  EXPECT_EQ(*open()->site_secret("cookies"), *secret);  // one secret for every server
  EXPECT_NE(*s->site_secret("other"), *secret);
}

TEST_P(Conformance, OutboxLeasesEachEmailToOneWorker) {
  auto s = open();
  auto other = open();
  for (int i = 0; i < 3; ++i) {
    OutboxEmail e;
    e.to = "a@example.org";
    e.subject = "Hi " + std::to_string(i);
    e.body = "Body";
    ASSERT_TRUE(s->add_outbox_email(e).ok());
  }
  auto first = s->claim_due_emails(100, 2, 60);
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].attempts, 1);
  auto second = other->claim_due_emails(100, 5, 60);
  ASSERT_EQ(second->size(), 1u);  // the other two are leased
  EXPECT_EQ((*second)[0].subject, "Hi 2");
  ASSERT_TRUE(s->record_delivered((*first)[0].id, "ref-1").ok());
  ASSERT_TRUE(s->record_failed_attempt((*first)[1].id, "mailbox full", 500).ok());
  ASSERT_TRUE(s->record_failed_attempt((*second)[0].id, "no such address", std::nullopt).ok());
  EXPECT_TRUE(s->claim_due_emails(400, 5, 60)->empty());
  auto retry = s->claim_due_emails(500, 5, 60);
  ASSERT_EQ(retry->size(), 1u);
  EXPECT_EQ((*retry)[0].attempts, 2);
  auto all = s->outbox();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].state, DeliveryState::kDelivered);
  EXPECT_EQ((*all)[0].reference, "ref-1");
  EXPECT_EQ((*all)[2].state, DeliveryState::kFailed);
  EXPECT_EQ((*all)[2].last_error, "no such address");
  EXPECT_EQ(s->record_delivered(99, "").error().code, ErrorCode::kNotFound);
}

TEST_P(Conformance, StaffAccountsSessionsAndSignInFailures) {
  auto s = open();
  NewStaffAccount acc{Role::kOfficer, "Olive Officer", "olive", "olive@example.org"};
  auto a = add_staff_account(*s, acc, "a long enough passphrase 1", sha256_hex(new_bearer_token()), Actor::system("test"));
  ASSERT_TRUE(a.ok()) << a.error().describe();
  NewStaffAccount same_name{Role::kAdmin, "", "OLIVE", ""};
  EXPECT_EQ(add_staff_account(*s, same_name, "another long passphrase 2", sha256_hex(new_bearer_token()),
                              Actor::system("test"))
                .error()
                .field,
            "username");
  EXPECT_EQ(s->staff_account_by_key("olive@example.org")->user.id, a->user.id);
  auto in = sign_in_staff(*s, "Olive", "a long enough passphrase 1", "192.0.2.1", 10000);
  ASSERT_TRUE(in.ok()) << in.error().describe();
  ASSERT_EQ(in->outcome, SignInOutcome::kSignedIn);
  // Any server over the database knows the session.
  auto other = open();
  auto who = staff_of_session(*other, in->session_secret, 10010);
  ASSERT_TRUE(who.ok()) << who.error().describe();
  EXPECT_EQ(who->user.id, a->user.id);
  EXPECT_EQ(other->staff_sessions(a->user.id, 10010, 1800)->size(), 1u);
  auto wrong = sign_in_staff(*s, "olive", "not the passphrase", "192.0.2.1", 10020);
  EXPECT_EQ(wrong->outcome, SignInOutcome::kRefused);
  auto failures = other->sign_in_failures(std::vector<std::string>{"account:" + std::to_string(a->user.id), "client:192.0.2.1"}, 0);
  ASSERT_EQ(failures->size(), 2u);
  EXPECT_EQ((*failures)[0].failures, 1);
  ASSERT_TRUE(s->clear_sign_in_failures({"client:192.0.2.1"}).ok());
  EXPECT_EQ(other->sign_in_failures({"client:192.0.2.1"}, 0)->size(), 0u);
  ASSERT_TRUE(s->delete_staff_session(a->user.id, in->session.id).ok());
  EXPECT_EQ(staff_of_session(*other, in->session_secret, 10030).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(s->put_staff_session({0, "h", 999, "c", 1, 1, 2}).error().code, ErrorCode::kNotFound);
  auto u = s->add_user(Role::kGovernance, "Gina", sha256_hex("token-g"));
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(other->user_by_token_hash(sha256_hex("token-g"))->id, u->id);
  EXPECT_FALSE(other->user_by_token_hash(sha256_hex("token-x")).has_value());
  ASSERT_TRUE(s->put_key_decision("KD-1", {{"id", "KD-1"}, {"title", "Budget"}}, ev("kd")).ok());
  EXPECT_EQ(other->list_key_decisions()->size(), 1u);
  EXPECT_EQ(s->get_key_decision("KD-2").error().code, ErrorCode::kNotFound);
}

// A database written by a newer Townhall is refused, and left as it was.
TEST_P(Conformance, NewerSchemaIsRefusedAndLeftUntouched) {
  ASSERT_TRUE(open());
  const int latest = postgres() ? postgres_latest_schema_version() : sqlite_latest_schema_version();
  ASSERT_EQ(db->exec("UPDATE schema_version SET version = ?1", {std::to_string(latest + 1)}), 1);
  SqliteOptions o;
  o.audit_key_file = db->audit_key();
  auto refused = open_store(db->url(), o);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find("newer than this Townhall"), std::string::npos) << refused.error().message;
  EXPECT_EQ(db->scalar("SELECT version FROM schema_version"), std::to_string(latest + 1));
  EXPECT_EQ(db->scalar("SELECT COUNT(*) FROM audit_log"), "0");
}

TEST_P(Conformance, AnotherProgramsDatabaseIsRefusedUntouched) {
  db->exec("CREATE TABLE invoices(id INTEGER PRIMARY KEY, total INTEGER)");
  SqliteOptions o;
  o.create = true;
  o.audit_key_file = db->audit_key();
  auto refused = open_store(db->url(), o);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(db->scalar("SELECT COUNT(*) FROM invoices"), "0");
  if (postgres()) {
    EXPECT_EQ(db->scalar("SELECT to_regclass('audit_log') IS NULL"), "t");
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, Conformance, ::testing::Values("sqlite", "postgresql"),
                         testing_store::backend_name);

}  // namespace
}  // namespace townhall
