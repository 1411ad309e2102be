// Citizens' Panel membership: the store (members, facts, invitations, erasure), ask-once on every
// channel, contact limits, the repeated-question check in several languages, census targets and
// the pool report with recruitment gaps. Expected figures are worked out by hand from the rules
// and from the Census 2021 tables (sums of the published rows), never taken from the code.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "townhall/analysis/census.h"
#include "townhall/consultations/editing.h"
#include "townhall/consultations/repeat_questions.h"
#include "townhall/panel/ask_once.h"
#include "townhall/panel/contact_policy.h"
#include "townhall/panel/member_data.h"
#include "townhall/panel/member_import.h"
#include "townhall/panel/recruitment.h"
#include "townhall/store/sqlite_store.h"

namespace townhall::panel {
namespace {

// "" reads the census tables built into the library; kCensusFiles is the repository's copy of them.
const std::string kCensus;
const std::string kCensusFiles = std::string(TOWNHALL_SOURCE_DIR) + "/core/data/census";

Date d(const char* iso) { return Date::parse(iso).value(); }

class TempDb {
 public:
  TempDb() {
    char tmpl[] = "/tmp/townhall-panel-XXXXXX";
    dir_ = mkdtemp(tmpl);
    store = std::move(open_sqlite_store(dir_ + "/t.db", SqliteOptions::creating())).value();
  }
  ~TempDb() {
    store.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string path() const { return dir_ + "/t.db"; }
  std::unique_ptr<Store> store;

 private:
  std::string dir_;
};

AuditEvent ev(const std::string& action) { return AuditEvent{"user:1", action, "panel_member", "", {}}; }

Fact fact(const std::string& key, nlohmann::json value, Date on, std::optional<Date> until = std::nullopt,
          bool consent = true) {
  return Fact{key, std::move(value), "online", "join", on, consent, until};
}

NewMember member(const std::string& name, std::vector<Fact> facts = {}, const std::string& external_id = "") {
  NewMember m;
  m.personal = {{"name", name}, {"email", name + "@example.org"}};
  m.facts = std::move(facts);
  m.external_id = external_id;
  m.joined_on = d("2026-01-10");
  return m;
}

// An open consultation with fact-bound questions, written straight through the store.
std::string open_consultation(Store& s, const std::string& title, nlohmann::json questions) {
  nlohmann::json doc = {{"title", title}, {"opens", "2026-02-01"}, {"closes", "2026-12-31"}, {"questions", questions}};
  auto c = s.create_consultation(doc, ev("consultation.create")).value();
  for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                          std::pair{ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
    TransitionRecord t;
    t.consultation_id = c.id;
    t.from = from;
    t.to = to;
    EXPECT_TRUE(s.transition_consultation(t).ok());
  }
  return c.id;
}

const nlohmann::json kTenureQ = {{"id", "tenure"},   {"type", "single_choice"}, {"text", "Do you own or rent your home?"},
                                 {"required", true}, {"fact_key", "tenure"},
                                 {"options", {"Owned", "Social rented", "Private rented"}}};
const nlohmann::json kWardQ = {{"id", "ward"}, {"type", "free_text"}, {"text", "Which ward do you live in?"}, {"fact_key", "ward"}};
const nlohmann::json kAgeQ = {{"id", "age"},  {"type", "single_choice"}, {"text", "Your age band"}, {"fact_key", "age_band"},
                              {"options", {"16-24", "25-44", "45-64", "65+"}}};
const nlohmann::json kViewQ = {{"id", "view"}, {"type", "scale"}, {"text", "How good is the park?"}};

// ---- store ------------------------------------------------------------------------------------

TEST(PanelStore, AddsMembersWithFactsAndFindsThemByPersonAndUser) {
  TempDb db;
  NewMember m = member("Ada", {fact("ward", "Golborne", d("2026-01-10")), fact("tenure", "Social rented", d("2026-01-10"))});
  m.user_token_hash = std::string(64, 'a');
  auto added = db.store->add_member(m, ev("panel.join"));
  ASSERT_TRUE(added.ok()) << added.error().describe();
  ASSERT_TRUE(added->user_id.has_value());
  EXPECT_EQ(db.store->member_by_person(added->person_id)->id, added->id);
  EXPECT_EQ(db.store->member_by_user(*added->user_id)->id, added->id);
  auto user = db.store->user_by_token_hash(std::string(64, 'a'));
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->role, Role::kPanelMember);
  EXPECT_EQ(user->name.find("Ada"), std::string::npos);  // no personal data in users (or the audit log)
  auto facts = db.store->member_facts(added->id).value();
  ASSERT_EQ(facts.size(), 2u);
  EXPECT_EQ(find_fact(facts, "tenure")->value, "Social rented");
  EXPECT_EQ(find_fact(facts, "ward")->source, "join");
  EXPECT_EQ(db.store->get_member(999).error().code, ErrorCode::kNotFound);
  // Facts live in their own table, not with responses or people.
  SQLite::Database raw(db.path());
  EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM panel_facts").getInt(), 2);
  EXPECT_EQ(raw.execAndGet("SELECT data FROM people").getString().find("Golborne"), std::string::npos);
}

TEST(PanelStore, ImportIsAllOrNothing) {
  TempDb db;
  ASSERT_TRUE(db.store->add_member(member("First", {}, "R-1"), ev("panel.join")).ok());
  std::vector<NewMember> batch = {member("A", {fact("ward", "Colville", d("2026-01-10"))}, "R-2"), member("B", {}, "R-3"),
                                  member("C", {}, "R-1")};
  auto r = db.store->import_members(batch, ev("panel.import"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ(r.error().field, "/2/external_id");
  EXPECT_EQ(db.store->list_members()->size(), 1u);  // nothing of the batch was kept
  SQLite::Database raw(db.path());
  EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM people").getInt(), 1);
  EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM panel_facts").getInt(), 0);
  batch.pop_back();
  ASSERT_TRUE(db.store->import_members(batch, ev("panel.import")).ok());
  EXPECT_EQ(db.store->list_members()->size(), 3u);
}

// The contact limit is enforced where invitations are written, in the same transaction, so an
// invitation run and a draw for different consultations at the same time cannot together take a
// member over it. Policy here: at most 2 invitations in any 30 days.
TEST(PanelStore, InvitationsBeyondTheContactLimitAreRefusedAndNothingIsRecorded) {
  TempDb db;
  auto m = db.store->add_member(member("Ada"), ev("panel.join")).value();
  auto other = db.store->add_member(member("Bo"), ev("panel.join")).value();
  std::vector<std::string> cids;
  for (const char* title : {"Parks", "Libraries", "Bins", "Roads"}) cids.push_back(open_consultation(*db.store, title, {kViewQ}));
  const panel::ContactPolicy limit{2, 30};
  ASSERT_TRUE(db.store->record_invitations({{m.id, cids[0], d("2026-03-01")}}, limit, ev("panel.invite")).ok());
  ASSERT_TRUE(db.store->record_invitations({{m.id, cids[1], d("2026-03-20")}}, limit, ev("panel.draw")).ok());
  // A third within 30 days of both (1 Mar + 29 days = 30 Mar is the last day that window covers).
  auto third = db.store->record_invitations({{other.id, cids[2], d("2026-03-30")}, {m.id, cids[2], d("2026-03-30")}},
                                            limit, ev("panel.invite"));
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, ErrorCode::kConflict);
  EXPECT_NE(third.error().message.find("member " + std::to_string(m.id)), std::string::npos) << third.error().message;
  EXPECT_TRUE(db.store->member_invitations(other.id)->empty());  // nothing of the batch was recorded
  // Repeating an invitation already recorded is not a new contact.
  EXPECT_TRUE(db.store->record_invitations({{m.id, cids[1], d("2026-03-30")}}, limit, ev("panel.invite")).ok());
  // On 31 March the 1 March invitation has left the window.
  EXPECT_TRUE(db.store->record_invitations({{m.id, cids[2], d("2026-03-31")}}, limit, ev("panel.invite")).ok());
  EXPECT_FALSE(db.store->record_invitations({{m.id, cids[3], d("2026-04-18")}}, limit, ev("panel.invite")).ok());
  EXPECT_EQ(db.store->member_invitations(m.id)->size(), 3u);
}

TEST(PanelStore, ErasureRemovesPersonalDataAndFactsButKeepsAnswersWithoutTheLink) {
  TempDb db;
  auto m = db.store->add_member(member("Ada", {fact("tenure", "Owned", d("2026-01-10"))}), ev("panel.join")).value();
  auto other = db.store->add_member(member("Bo"), ev("panel.join")).value();
  std::string cid = open_consultation(*db.store, "Parks", {kViewQ});
  ASSERT_TRUE(db.store->record_invitations({{m.id, cid, d("2026-02-01")}, {other.id, cid, d("2026-02-01")}}, {}, ev("panel.invite")).ok());
  ResponseSubmission s;
  s.consultation_id = cid;
  s.person_id = m.person_id;
  s.answers = {{"view", 4}};
  auto mine = db.store->submit_responses({s}, responses_allowed()).front().value();
  s.person_id = other.person_id;
  ASSERT_TRUE(db.store->submit_responses({s}, responses_allowed()).front().ok());

  auto before = member_data(*db.store, *db.store, *db.store, m.id).value();
  EXPECT_TRUE(before["equality_data"].is_null());  // none given yet
  ASSERT_TRUE(db.store->set_equality_data(m.person_id, {{"religion", "None"}, {"sexual_orientation", "Prefer not to say"}}).ok());
  auto held = member_data(*db.store, *db.store, *db.store, m.id).value();
  EXPECT_EQ(held["equality_data"], (nlohmann::json{{"religion", "None"}, {"sexual_orientation", "Prefer not to say"}}));
  EXPECT_EQ(held["member"]["personal"]["name"], "Ada");
  EXPECT_EQ(held["facts"][0]["key"], "tenure");
  EXPECT_EQ(held["facts"][0]["channel"], "online");
  EXPECT_EQ(held["invitations"].size(), 1u);
  ASSERT_EQ(held["responses"].size(), 1u);
  EXPECT_EQ(held["responses"][0]["reference"], mine.reference);

  auto erased = db.store->erase_member(m.id, ev("panel.erase"));
  ASSERT_TRUE(erased.ok()) << erased.error().describe();
  EXPECT_EQ(erased->facts_erased, 1);
  EXPECT_EQ(erased->invitations_erased, 1);
  EXPECT_EQ(erased->responses_unlinked, 1);
  EXPECT_EQ(db.store->get_member(m.id).error().code, ErrorCode::kNotFound);
  // The answer stays in the results, without the person.
  auto kept = db.store->response_by_reference(mine.reference).value();
  EXPECT_FALSE(kept.person_id.has_value());
  EXPECT_EQ(kept.answers["view"], 4);
  EXPECT_EQ(db.store->count_responses(cid).value(), 2);
  SQLite::Database raw(db.path());
  EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM people").getInt(), 1);  // only Bo
  EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM panel_facts").getInt(), 0);
  EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM equality_data").getInt(), 0);
  EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM responses WHERE person_id IS NOT NULL").getInt(), 1);
  EXPECT_TRUE(db.store->verify_audit()->ok);
}

// ---- ask once ---------------------------------------------------------------------------------

TEST(AskOnce, KnownValidFactsArePrefilledExpiredOnesAskedAgain) {
  std::vector<Fact> facts = {fact("tenure", "Owned", d("2025-01-01"), d("2026-12-31")),
                             fact("age_band", "25-44", d("2023-01-01"), d("2025-12-31")),  // expired
                             fact("ward", "Golborne", d("2025-01-01"), std::nullopt, false)};  // no consent
  auto shown = questions_for_member({kTenureQ, kAgeQ, kWardQ, kViewQ}, facts, d("2026-03-01"));
  EXPECT_TRUE(shown[0]["known"].get<bool>());
  EXPECT_EQ(shown[0]["prefill"], "Owned");
  EXPECT_EQ(shown[0]["fact"]["valid_until"], "2026-12-31");
  EXPECT_FALSE(shown[1]["known"].get<bool>());
  EXPECT_FALSE(shown[2]["known"].get<bool>());
  EXPECT_FALSE(shown[3].contains("known"));
  EXPECT_EQ(questions_to_ask({kTenureQ, kAgeQ, kWardQ, kViewQ}, facts, d("2026-03-01")),
            (std::vector<std::string>{"age", "ward", "view"}));
  // A fact the question cannot take (not one of its options) is asked, not forced in.
  std::vector<Fact> odd = {fact("tenure", "Lives rent free", d("2026-01-01"))};
  EXPECT_EQ(questions_to_ask({kTenureQ}, odd, d("2026-03-01")), (std::vector<std::string>{"tenure"}));
}

TEST(AskOnce, ResponsesAreFilledFromFactsAndGivenAnswersBecomeFacts) {
  std::vector<Fact> facts = {fact("tenure", "Owned", d("2025-01-01"), d("2026-12-31"))};
  FactValidity validity;
  validity.default_months = 12;
  auto out = apply_ask_once({kTenureQ, kAgeQ, kViewQ}, {{"age", "45-64"}, {"view", 3}}, facts, d("2026-03-31"), "paper",
                            "response to c-2", true, validity);
  EXPECT_EQ(out.answers["tenure"], "Owned");
  EXPECT_EQ(out.filled, (std::vector<std::string>{"tenure"}));
  ASSERT_EQ(out.updates.size(), 1u);
  EXPECT_EQ(out.updates[0].key, "age_band");
  EXPECT_EQ(out.updates[0].channel, "paper");
  EXPECT_EQ(out.updates[0].valid_until, d("2027-03-31"));
  // A changed answer replaces the fact, with the new provenance.
  auto moved = apply_ask_once({kTenureQ}, {{"tenure", "Private rented"}}, facts, d("2026-03-31"), "online", "r", true);
  ASSERT_EQ(moved.updates.size(), 1u);
  EXPECT_EQ(moved.updates[0].value, "Private rented");
  EXPECT_TRUE(moved.filled.empty());
  // Month arithmetic clamps to the last day: 31 Jan + 1 month = 28 Feb.
  FactValidity one;
  one.default_months = 1;
  EXPECT_EQ(one.until("x", d("2026-01-31")), d("2026-02-28"));
  one.default_months = 0;
  EXPECT_FALSE(one.until("x", d("2026-01-31")).has_value());
}

// The charter promise: across consultations and channels, a member is never asked a fact the
// council holds and may reuse; once it expires it is asked again (and then held again).
TEST(AskOnce, AMemberIsNeverAskedAKnownValidFactTwice) {
  TempDb db;
  auto m = db.store->add_member(member("Ada", {fact("ward", "Golborne", d("2026-01-10"), d("2027-01-10"))}), ev("panel.join"))
               .value();
  FactValidity validity;
  validity.default_months = 6;
  struct Round {
    const char* day;
    const char* channel;
    std::vector<std::string> expect_asked;
  };
  // The member answers whatever is asked. Facts given on 2026-02-01 are valid until 2026-08-01.
  const std::vector<Round> rounds = {
      {"2026-02-01", "online", {"tenure", "age", "view"}},  // ward known from joining
      {"2026-03-01", "paper", {"view"}},
      {"2026-07-31", "phone", {"view"}},
      {"2026-08-02", "online", {"tenure", "age", "view"}},  // the six-month facts expired
      {"2026-09-01", "face_to_face", {"view"}},
      {"2027-01-11", "online", {"ward", "view"}},  // the joining fact expired
  };
  const std::vector<nlohmann::json> questions = {kTenureQ, kAgeQ, kWardQ, kViewQ};
  std::map<std::string, std::string> last_asked;  // fact key → day it was last asked
  for (const auto& r : rounds) {
    Date today = d(r.day);
    auto facts = db.store->member_facts(m.id).value();
    auto asked = questions_to_ask(questions, facts, today);
    EXPECT_EQ(asked, r.expect_asked) << r.day;
    // Invariant, independent of the expectations: nothing asked is held valid.
    for (const auto& id : asked) {
      for (const auto& q : questions) {
        if (q["id"] != id || fact_key_of(q).empty()) continue;
        const Fact* f = find_fact(facts, fact_key_of(q));
        EXPECT_FALSE(f && f->valid_on(today)) << id << " asked on " << r.day << " though held";
      }
    }
    nlohmann::json answers = {{"view", 3}};
    for (const auto& id : asked) {
      if (id == "tenure") answers["tenure"] = "Social rented";
      if (id == "age") answers["age"] = "25-44";
      if (id == "ward") answers["ward"] = "Golborne";
    }
    auto out = apply_ask_once(questions, answers, facts, today, r.channel, std::string("round ") + r.day, true, validity);
    EXPECT_EQ(out.answers.size(), 4u) << r.day;  // every fact-bound answer is there, given or filled
    ASSERT_TRUE(db.store->record_facts(m.id, out.updates, ev("panel.facts")).ok());
  }
  auto facts = db.store->member_facts(m.id).value();
  EXPECT_EQ(find_fact(facts, "tenure")->channel, "online");  // given again on 2026-08-02
  EXPECT_EQ(find_fact(facts, "tenure")->recorded_on, d("2026-08-02"));
}

// ---- contact limits ---------------------------------------------------------------------------

TEST(ContactLimits, ExcludesMembersOverTheLimitAndSaysWhenTheyMayBeAskedAgain) {
  ContactPolicy p{3, 365};
  std::vector<Invitation> inv = {
      {1, "c-1", d("2025-06-01")}, {1, "c-2", d("2025-12-01")}, {1, "c-3", d("2026-03-01")},  // 3 in window
      {2, "c-1", d("2025-03-01")}, {2, "c-2", d("2025-12-01")}, {2, "c-3", d("2026-03-01")},  // first one outside
      {3, "c-9", d("2026-04-01")},                                                            // already invited to c-9
  };
  auto s = screen_contacts({1, 2, 3, 4}, inv, p, d("2026-04-01"), "c-9");
  EXPECT_EQ(s.eligible, (std::vector<int64_t>{2, 4}));
  ASSERT_EQ(s.excluded.size(), 2u);
  EXPECT_EQ(s.excluded[0].member_id, 1);
  EXPECT_EQ(s.excluded[0].invitations_in_window, 3);
  // Window on day D is [D−364, D]; the 2025-06-01 invitation leaves it on 2026-06-01.
  EXPECT_EQ(s.excluded[0].eligible_again, d("2026-06-01"));
  EXPECT_NE(s.excluded[0].reason.find("at most 3 invitations in 365 days"), std::string::npos);
  EXPECT_EQ(s.excluded[1].member_id, 3);
  EXPECT_NE(s.excluded[1].reason.find("already invited to c-9"), std::string::npos);
  EXPECT_EQ(s.summary()["excluded"]["count"], 2);
  // The window edge: on 2026-05-31 the 2025-06-01 invitation is day 365 of the window.
  EXPECT_EQ(screen_contacts({1}, inv, p, d("2026-05-31")).eligible.size(), 0u);
  EXPECT_EQ(screen_contacts({1}, inv, p, d("2026-06-01")).eligible.size(), 1u);
}

// ---- repeated questions -----------------------------------------------------------------------

AskedConsultation asked(const std::string& id, const char* opens, std::vector<nlohmann::json> qs,
                        std::vector<std::string> wards = {}, const std::string& lang = "en-GB") {
  return AskedConsultation{id, "Consultation " + id, "", std::move(wards), d(opens), std::move(qs), lang};
}

TEST(RepeatedQuestions, KeysIgnoreCaseWidthAndPunctuation) {
  EXPECT_EQ(question_key("How SATISFIED are you, overall?"), "how satisfied are you overall");
  EXPECT_EQ(question_key("ＨＯＷ satisfied are you overall"), "how satisfied are you overall");  // full-width
  EXPECT_EQ(question_key("Straße"), "strasse");
  EXPECT_DOUBLE_EQ(word_jaccard({"a", "b", "c"}, {"b", "c", "d"}), 0.5);
}

TEST(RepeatedQuestions, FlagsARepeatToTheSameAudienceWithTheEarlierConsultation) {
  nlohmann::json draft = {{"title", "Libraries"},
                          {"wards", {"Golborne"}},
                          {"questions",
                           {{{"id", "a"}, {"text", "How satisfied are you with your local library?"}},
                            {{"id", "b"}, {"text", "What should we do with the old depot?"}},
                            {{"id", "c"}, {"text", "Overall, how satisfied are you with the local library"}}}}};
  std::vector<AskedConsultation> earlier = {
      asked("c-1", "2026-01-15", {{{"id", "q7"}, {"text", "How SATISFIED are you with your local library?"}}}, {"Golborne", "Colville"}),
      asked("c-2", "2024-01-15", {{{"id", "q1"}, {"text", "What should we do with the old depot?"}}}),  // too long ago
      asked("c-3", "2026-02-01", {{{"id", "q1"}, {"text", "What should we do with the old depot?"}}}, {"Abingdon"}),  // other ward
  };
  auto found = find_repeated_questions(draft, "c-9", earlier, d("2026-06-01"), {12, 0.8});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].question_id, "a");
  EXPECT_EQ(found[0].earlier_consultation_id, "c-1");
  EXPECT_EQ(found[0].earlier_question_id, "q7");
  EXPECT_DOUBLE_EQ(found[0].similarity, 1.0);
  // c: words {overall how satisfied are you with the local library} vs
  //    {how satisfied are you with your local library}: 7 shared of 10 → 0.7.
  auto loose = find_repeated_questions(draft, "c-9", earlier, d("2026-06-01"), {12, 0.7});
  ASSERT_EQ(loose.size(), 2u);
  EXPECT_EQ(loose[1].question_id, "c");
  EXPECT_NEAR(loose[1].similarity, 0.7, 1e-12);
}

TEST(RepeatedQuestions, WorksInWelshAndArabic) {
  nlohmann::json draft = {{"title", "Parciau"},
                          {"languages", {"cy"}},
                          {"questions",
                           {{{"id", "cy1"}, {"text", "Pa mor fodlon ydych chi â'r parc lleol?"}},
                            {{"id", "ar1"}, {"text", "ما مدى رضاك عن الحديقة المحلية؟"}}}}};
  std::vector<AskedConsultation> earlier = {
      asked("c-4", "2026-03-01", {{{"id", "w"}, {"text", "PA MOR FODLON YDYCH CHI Â'R PARC LLEOL"}}}, {}, "cy"),
      asked("c-5", "2026-03-01", {{{"id", "a"}, {"text", "ما مدى رضاك عن الحديقة المحلية"}}}, {}, "ar"),
  };
  auto found = find_repeated_questions(draft, "", earlier, d("2026-06-01"));
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].earlier_consultation_id, "c-4");
  EXPECT_EQ(found[1].earlier_consultation_id, "c-5");
  EXPECT_EQ(question_words("ما مدى رضاك عن الحديقة المحلية؟", "ar").size(), 6u);
}

// ---- census targets and the pool report -------------------------------------------------------

TEST(CensusTargets, TenureForKensingtonAndChelseaSumsTheWardRows) {
  auto wards = analysis::borough_ward_codes("E09000020").value();
  ASSERT_EQ(wards.size(), 18u);
  auto t = analysis::census_targets(kCensus, "tenure", wards, "E09000020");
  ASSERT_TRUE(t.ok()) << t.error().describe();
  // TS054, the 18 RBKC rows summed: 66,895 households (the README's borough figure).
  ASSERT_EQ(t->values.size(), 5u);
  EXPECT_EQ(t->values[0].value, "Owned");
  EXPECT_DOUBLE_EQ(t->values[0].count, 21193);
  EXPECT_EQ(t->values[2].value, "Social rented");
  EXPECT_DOUBLE_EQ(t->values[2].count, 18433);
  EXPECT_DOUBLE_EQ(t->values[2].share, 18433.0 / 66895.0);
  EXPECT_DOUBLE_EQ(t->values[3].count, 26459);
  EXPECT_DOUBLE_EQ(t->values[4].count, 130);
  // The same figures from the files a council would give as --census-dir.
  auto files = analysis::census_targets(kCensusFiles, "tenure", wards, "E09000020");
  ASSERT_TRUE(files.ok()) << files.error().describe();
  ASSERT_EQ(files->values.size(), t->values.size());
  for (size_t i = 0; i < t->values.size(); ++i) EXPECT_DOUBLE_EQ(files->values[i].count, t->values[i].count);
  // Golborne alone (E05009396): 2,535 of 3,804 households rent socially.
  auto g = analysis::census_targets(kCensus, "tenure", {"E05009396"}, "Golborne").value();
  EXPECT_DOUBLE_EQ(g.values[2].share, 2535.0 / 3804.0);
  // Ward shares of usual residents (TS021 totals): Golborne 8,802 of 143,390.
  auto w = analysis::census_targets(kCensus, "ward", wards, "E09000020").value();
  ASSERT_EQ(w.values.size(), 18u);
  EXPECT_EQ(w.values[8].value, "Golborne");
  EXPECT_DOUBLE_EQ(w.values[8].share, 8802.0 / 143390.0);
  EXPECT_EQ(analysis::census_targets(kCensus, "ethnicity", wards, "")->values.size(), 5u);
}

TEST(CensusTargets, ErrorsNameTheMissingColumnWardOrVariable) {
  char tmpl[] = "/tmp/townhall-census-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  {
    std::ofstream f(dir + "/census2021-ts054-ward-rbkc-hounslow.csv");
    f << "date,geography,Tenure of household: Total: All households\n2021,Golborne,3804\n";
  }
  auto e = analysis::census_targets(dir, "tenure", {"E05009396"}, "");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().field, "geography code");
  std::filesystem::remove_all(dir);
  EXPECT_EQ(analysis::census_targets(kCensus, "tenure", {"E05999999"}, "").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(analysis::census_targets(kCensus, "age", {"E05009396"}, "").error().field, "variable");
  EXPECT_EQ(analysis::borough_ward_codes("E09000001").error().field, "borough");
}

TEST(CensusTargets, CouncilTargetsCsv) {
  auto t = analysis::parse_targets_csv("category,value,share\nsex,Female,0.52\nsex,Male,0.48\nage_band,16-44,0.5\nage_band,45+,0.5\n", "t.csv");
  ASSERT_TRUE(t.ok()) << t.error().describe();
  ASSERT_EQ(t->size(), 2u);
  EXPECT_DOUBLE_EQ((*t)[0].values[0].share, 0.52);
  auto bad = analysis::parse_targets_csv("category,value,share\nsex,Female,0.6\nsex,Male,0.6\n", "t.csv");
  EXPECT_NE(bad.error().message.find("sum to"), std::string::npos);
  auto missing = analysis::parse_targets_csv("category,value\nsex,Female\n", "t.csv");
  EXPECT_EQ(missing.error().field, "share");
  auto row = analysis::parse_targets_csv("category,value,share\nsex,Female,lots\n", "t.csv");
  EXPECT_NE(row.error().message.find("row 1"), std::string::npos) << row.error().message;
}

TEST(PoolReport, TenureAgainstTheCensusWithFlagsChiSquareAndGaps) {
  auto wards = analysis::borough_ward_codes("E09000020").value();
  auto tenure = analysis::census_targets(kCensus, "tenure", wards, "E09000020").value();
  std::vector<PoolRecord> pool;
  auto add = [&](const std::string& v, int n) {
    for (int i = 0; i < n; ++i) pool.push_back({{"tenure", v}});
  };
  add("Owned", 70);
  add("shared ownership", 2);  // matched without regard to case
  add("Social rented", 40);
  add("Private rented", 86);
  add("Prefer not to say", 2);
  pool.push_back({});
  auto r = pool_report(pool, {tenure});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  const auto& c = r->categories[0];
  EXPECT_EQ(r->members, 201);
  EXPECT_EQ(c.n, 198);
  EXPECT_EQ(c.missing, 1);
  EXPECT_EQ(c.unmatched.at("Prefer not to say"), 2);
  // By hand, targets 21193, 680, 18433, 26459, 130 of 66895 and counts 70, 2, 40, 86, 0 of 198.
  const double N = 66895, n = 198;
  const double tgt[] = {21193 / N, 680 / N, 18433 / N, 26459 / N, 130 / N};
  const double cnt[] = {70, 2, 40, 86, 0};
  double chi = 0, dis = 0;
  for (int i = 0; i < 5; ++i) {
    chi += (cnt[i] - n * tgt[i]) * (cnt[i] - n * tgt[i]) / (n * tgt[i]);
    dis += std::abs(cnt[i] / n - tgt[i]) / 2;
  }
  EXPECT_NEAR(c.chi_square, chi, 1e-9);
  EXPECT_NEAR(c.dissimilarity, dis, 1e-12);
  EXPECT_EQ(c.degrees_of_freedom, 4);
  // Social rented: 40/198 = 0.2020 against 0.2756, ratio 0.733 < 0.8 with 54.6 expected: flagged.
  EXPECT_NEAR(c.values[2].ratio, (40 / n) / (18433 / N), 1e-12);
  EXPECT_TRUE(c.values[2].flagged);
  EXPECT_FALSE(c.values[1].flagged);  // shared ownership: expected 2.0 < 5
  // Gap: (t·198 − 40)/(1 − t) = (3649734/66895 − 40)/(48462/66895) = 973934/48462 = 20.097 → 21.
  ASSERT_FALSE(r->gaps.empty());
  auto social = std::find_if(r->gaps.begin(), r->gaps.end(), [](const RecruitmentGap& g) { return g.value == "Social rented"; });
  ASSERT_NE(social, r->gaps.end());
  EXPECT_EQ(social->add, 21);
  EXPECT_EQ(members_to_add(40, 198, 18433 / N), 21);
  EXPECT_EQ(members_to_add(60, 198, 18433 / N), 0);
}

TEST(PoolReport, WardGapSaysHowManySocialRentersGolborneNeeds) {
  auto g = analysis::census_targets(kCensus, "tenure", {"E05009396"}, "Golborne").value();
  std::vector<PoolRecord> pool;
  for (int i = 0; i < 40; ++i) pool.push_back({{"ward", "Golborne"}, {"tenure", "Social rented"}});
  for (int i = 0; i < 40; ++i) pool.push_back({{"ward", "Golborne"}, {"tenure", "Private rented"}});
  for (int i = 0; i < 20; ++i) pool.push_back({{"ward", "Golborne"}, {"tenure", "Owned"}});
  for (int i = 0; i < 50; ++i) pool.push_back({{"ward", "Colville"}, {"tenure", "Owned"}});
  auto r = pool_report(pool, {}, {WardTargets{"Golborne", {g}}}).value();
  ASSERT_FALSE(r.gaps.empty());
  // t = 2535/3804; (100t − 40)/(1 − t) = (253500 − 152160)/1269 = 79.86 → 80.
  EXPECT_EQ(r.gaps[0].ward, "Golborne");
  EXPECT_EQ(r.gaps[0].value, "Social rented");
  EXPECT_EQ(r.gaps[0].of, 100);
  EXPECT_EQ(r.gaps[0].add, 80);
  EXPECT_EQ(r.gaps[0].text, "we need ~80 more members with tenure 'Social rented' in Golborne");
}

// ---- import -----------------------------------------------------------------------------------

TEST(MemberImport, ReadsPersonalDataAndFactsWithProvenance) {
  auto table = csv::parse_csv("id,name,email,postcode,ward,tenure,consent\n"
                         "R-1,Ada Lovelace,ada@example.org,w10 5 rp,Golborne,Social rented,yes\n"
                         "R-2,Bo,,SW3 1AA,Chelsea Riverside,Owned,no\n",
                         "members.csv")
                   .value();
  ImportOptions o;
  o.today = d("2026-04-01");
  auto members = members_from_csv(table, o);
  ASSERT_TRUE(members.ok()) << members.error().describe();
  ASSERT_EQ(members->size(), 2u);
  const auto& a = (*members)[0];
  EXPECT_EQ(a.external_id, "R-1");
  EXPECT_EQ(a.personal["email"], "ada@example.org");
  EXPECT_EQ(find_fact(a.facts, "postcode")->value, "W10 5RP");
  EXPECT_EQ(find_fact(a.facts, "ward")->source, "import members.csv line 2");
  EXPECT_EQ(find_fact(a.facts, "ward")->channel, "import");
  EXPECT_EQ(find_fact(a.facts, "ward")->valid_until, d("2028-04-01"));
  EXPECT_TRUE(a.fact_consent);
  EXPECT_FALSE((*members)[1].fact_consent);
  EXPECT_TRUE((*members)[1].facts.empty());  // no consent: facts are not kept
}

TEST(MemberImport, EveryBadRowAndColumnIsNamedAndNothingIsReturned) {
  auto table = csv::parse_csv("name,email,postcode,consent\n"
                         "Ada,ada@example.org,W10 5RP,yes\n"
                         ",bo@example.org,SW3 1AA,yes\n"
                         "Cy,not-an-email,NOPE,maybe\n",
                         "members.csv")
                   .value();
  ImportOptions o;
  o.today = d("2026-04-01");
  auto r = members_from_csv(table, o);
  ASSERT_FALSE(r.ok());
  const std::string& m = r.error().message;
  EXPECT_NE(m.find("4 problems; nothing was imported"), std::string::npos) << m;
  EXPECT_NE(m.find("row 2 (line 3), column 'name'"), std::string::npos) << m;
  EXPECT_NE(m.find("row 3 (line 4), column 'email'"), std::string::npos) << m;
  EXPECT_NE(m.find("row 3 (line 4), column 'postcode'"), std::string::npos) << m;
  EXPECT_NE(m.find("row 3 (line 4), column 'consent'"), std::string::npos) << m;
  auto unknown = members_from_csv(csv::parse_csv("name,shoe_size,consent\nAda,5,yes\n", "m.csv").value(), o);
  EXPECT_EQ(unknown.error().field, "shoe_size");
  auto no_consent = members_from_csv(csv::parse_csv("name\nAda\n", "m.csv").value(), o);
  EXPECT_EQ(no_consent.error().field, "consent");
}

}  // namespace
}  // namespace townhall::panel

namespace townhall::panel {
namespace {

// Erasure by person id (the officers' route for a request by letter) also removes panel data.
TEST(PanelStore, ErasingThePersonOfAMemberErasesTheirPanelData) {
  TempDb db;
  auto m = db.store->add_member(member("Ada", {fact("tenure", "Owned", d("2026-01-10"))}), ev("panel.join")).value();
  ASSERT_TRUE(db.store->erase_person(m.person_id, ev("person.erase")).ok());
  EXPECT_EQ(db.store->get_member(m.id).error().code, ErrorCode::kNotFound);
  SQLite::Database raw(db.path());
  EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM panel_facts").getInt(), 0);
  EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM people").getInt(), 0);
}

}  // namespace
}  // namespace townhall::panel
