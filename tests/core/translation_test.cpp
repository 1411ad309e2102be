// Translations of consultation content (completeness, NFC, fallbacks), the LANG and READ rules, and
// the store's translations, meetings and personal-data erasure (migration 5).
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <unistd.h>

#include <filesystem>

#include "townhall/consultations/editing.h"
#include "townhall/consultations/language_rules.h"
#include "townhall/consultations/translation.h"
#include "townhall/store/sqlite_store.h"
#include "townhall/util/json_schema.h"

namespace townhall {
namespace {

// The English source: every kind of translatable field once, written for this test.
nlohmann::json source() {
  return nlohmann::json::parse(R"({
    "title": "Library opening hours",
    "summary": "We want to close the library on Sundays. Tell us what you think.",
    "proposal": "Close the library on Sundays.",
    "reasons": "It saves money.",
    "languages": ["cy", "en-GB"],
    "options_considered": [{"option": "Close on Sundays"},
                           {"option": "Close the library", "rejected": true, "reason": "Too great a loss."}],
    "documents": [{"title": "Equality impact assessment", "url": "https://example.org/eia.pdf"}],
    "questions": [{"id": "agree", "type": "yes_no", "text": "Do you agree?"},
                  {"id": "day", "type": "single_choice", "text": "Which day matters most?", "options": ["Saturday", "Sunday"]}]
  })");
}

// A complete Welsh version of source().
nlohmann::json welsh() {
  return nlohmann::json::parse(R"({
    "title": "Oriau agor y llyfrgell",
    "summary": "Rydym am gau'r llyfrgell ar ddydd Sul. Dywedwch wrthym beth yw eich barn.",
    "proposal": "Cau'r llyfrgell ar ddydd Sul.",
    "reasons": "Mae'n arbed arian.",
    "options_considered": [{"option": "Cau ar ddydd Sul"}, {"option": "Cau'r llyfrgell", "reason": "Colled rhy fawr."}],
    "documents": [{"title": "Asesiad effaith cydraddoldeb"}],
    "questions": {"agree": {"text": "Ydych chi'n cytuno?"},
                  "day": {"text": "Pa ddiwrnod sydd bwysicaf?", "options": ["Dydd Sadwrn", "Dydd Sul"]}}
  })");
}

TEST(Translation, CompleteTranslationMissesNothing) {
  EXPECT_TRUE(missing_translation_fields(source(), welsh()).empty());
}

TEST(Translation, MissingFieldsAreNamedInDocumentOrder) {
  auto t = welsh();
  t.erase("summary");
  t["options_considered"][1].erase("reason");
  t["documents"] = nlohmann::json::array();
  t["questions"].erase("agree");
  t["questions"]["day"]["options"] = {"Dydd Sadwrn", ""};  // an empty label is not a translation
  std::vector<std::string> expected = {"/summary", "/options_considered/1/reason", "/documents/0/title",
                                       "/questions/agree/text", "/questions/day/options/1"};
  EXPECT_EQ(missing_translation_fields(source(), t), expected);
  // A field the English leaves out needs no translation.
  auto s = source();
  s.erase("reasons");
  auto t2 = welsh();
  t2.erase("reasons");
  EXPECT_TRUE(missing_translation_fields(s, t2).empty());
}

TEST(Translation, LocaliseMarksEveryFallbackAndKeepsAnswerValues) {
  auto t = welsh();
  t.erase("proposal");
  t["questions"]["day"]["options"] = {"Dydd Sadwrn"};
  auto local = localise(source(), t);
  EXPECT_EQ(local.document["title"], "Oriau agor y llyfrgell");
  EXPECT_EQ(local.document["proposal"], "Close the library on Sundays.");
  EXPECT_EQ(local.document["questions"][1]["text"], "Pa ddiwrnod sydd bwysicaf?");
  // Answers are still given with the English option values; labels are shown.
  EXPECT_EQ(local.document["questions"][1]["options"], nlohmann::json({"Saturday", "Sunday"}));
  EXPECT_EQ(local.document["questions"][1]["option_labels"], nlohmann::json({"Dydd Sadwrn", "Sunday"}));
  std::map<std::string, std::string> expected = {{"/proposal", "en-GB"}, {"/questions/1/option_labels/1", "en-GB"}};
  EXPECT_EQ(local.fallbacks, expected);
  EXPECT_EQ(local.document["documents"][0]["url"], "https://example.org/eia.pdf");
}

TEST(Translation, PrepareNormalisesToNfcAndRefusesWhatTheSourceLacks) {
  auto t = welsh();
  t["title"] = "Caf\x65\xcc\x81";  // "Cafe" + combining acute: NFC makes it U+00E9
  auto ok = prepare_translation(t, source());
  ASSERT_TRUE(ok.ok()) << ok.error().describe();
  EXPECT_EQ((*ok)["title"], "Caf\xc3\xa9");

  auto unknown = welsh();
  unknown["questions"]["colour"] = {{"text", "Lliw?"}};
  auto e = prepare_translation(unknown, source());
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().field, "/questions/colour");

  auto extra = welsh();
  extra["questions"]["day"]["options"] = {"Sadwrn", "Sul", "Llun"};
  e = prepare_translation(extra, source());
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().field, "/questions/day/options/2");

  auto docs = welsh();
  docs["documents"].push_back({{"title", "Arall"}});
  e = prepare_translation(docs, source());
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().field, "/documents/1");
}

// Hint text (GOV.UK's hint under a question) is translated like the question's text: shown in
// the translation where it has one, in English (and marked) where not, and counted by LANG.
nlohmann::json source_with_hint() {
  auto s = source();
  s["questions"][1]["hint"] = "Choose the day you visit the library most.";
  return s;
}

TEST(Translation, AQuestionsHintIsTranslatableLikeItsText) {
  // The Welsh of source() has no hint: exactly the hint is missing, named like the text would be.
  EXPECT_EQ(missing_translation_fields(source_with_hint(), welsh()), std::vector<std::string>{"/questions/day/hint"});
  auto t = welsh();
  t["questions"]["day"]["hint"] = "Dewiswch y diwrnod rydych chi'n ymweld fwyaf.";
  EXPECT_TRUE(missing_translation_fields(source_with_hint(), t).empty());
  // A question without a hint needs no translated hint; an empty one is not a translation.
  t["questions"]["day"]["hint"] = "";
  EXPECT_EQ(missing_translation_fields(source_with_hint(), t), std::vector<std::string>{"/questions/day/hint"});

  // Localised: the Welsh hint in place; without it the English one, recorded as a fallback.
  t["questions"]["day"]["hint"] = "Dewiswch y diwrnod rydych chi'n ymweld fwyaf.";
  auto local = localise(source_with_hint(), t);
  EXPECT_EQ(local.document["questions"][1]["hint"], "Dewiswch y diwrnod rydych chi'n ymweld fwyaf.");
  EXPECT_TRUE(local.fallbacks.empty());
  EXPECT_FALSE(local.document["questions"][0].contains("hint"));
  local = localise(source_with_hint(), welsh(), "en-GB");
  EXPECT_EQ(local.document["questions"][1]["hint"], "Choose the day you visit the library most.");
  EXPECT_EQ(local.fallbacks, (std::map<std::string, std::string>{{"/questions/1/hint", "en-GB"}}));
  // The questions list (GET …/questions, the question pages) the same, under /items.
  auto qs = localise_questions({source_with_hint()["questions"][0], source_with_hint()["questions"][1]}, welsh());
  EXPECT_EQ(qs.document["items"][1]["hint"], "Choose the day you visit the library most.");
  EXPECT_EQ(qs.fallbacks, (std::map<std::string, std::string>{{"/items/1/hint", "en-GB"}}));

  // LANG: one field missing, the hint, named in the finding.
  auto f = check_languages("c-1", source_with_hint(), {{"cy", welsh()}}, CharterPolicy::defaults());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kBreach);
  EXPECT_EQ(f[0].figures.at("missing_fields"), 1);
  EXPECT_NE(f[0].message.find("/questions/day/hint"), std::string::npos) << f[0].message;
}

TEST(Translation, AHintIsValidatedAndNormalisedLikeText) {
  // Stored in NFC, like every translated string.
  auto t = welsh();
  t["questions"]["day"]["hint"] = "Caf\x65\xcc\x81";
  auto ok = prepare_translation(t, source_with_hint());
  ASSERT_TRUE(ok.ok()) << ok.error().describe();
  EXPECT_EQ((*ok)["questions"]["day"]["hint"], "Caf\xc3\xa9");
  // Controls are refused by pointer.
  t["questions"]["day"]["hint"] = "a\x07";
  auto bad = prepare_translation(t, source_with_hint());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "/questions/day/hint");
  // At most 1,000 characters, in the consultation and in a translation; never empty in the consultation.
  auto draft = source_with_hint();
  draft.erase("languages");
  EXPECT_TRUE(validate_against_schema(draft, "consultation-draft.schema.json").ok());
  draft["questions"][1]["hint"] = std::string(1000, 'a');
  EXPECT_TRUE(validate_against_schema(draft, "consultation-draft.schema.json").ok());
  draft["questions"][1]["hint"] = std::string(1001, 'a');
  auto e = validate_against_schema(draft, "consultation-draft.schema.json");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().field, "/questions/1/hint");
  draft["questions"][1]["hint"] = "";
  EXPECT_FALSE(validate_against_schema(draft, "consultation-draft.schema.json").ok());
  nlohmann::json tr = {{"questions", {{"day", {{"hint", std::string(1000, 'a')}}}}}};
  EXPECT_TRUE(validate_against_schema(tr, "consultation-translation.schema.json").ok());
  tr["questions"]["day"]["hint"] = std::string(1001, 'a');
  e = validate_against_schema(tr, "consultation-translation.schema.json");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().field, "/questions/day/hint");
}

TEST(LangRule, PromisedLanguageWithoutCompleteTranslationIsABreach) {
  auto policy = CharterPolicy::defaults();
  auto none = check_languages("c-1", source(), {}, policy);
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0].rule, "LANG");
  EXPECT_EQ(none[0].severity, Severity::kBreach);
  EXPECT_NE(none[0].message.find("Welsh (cy)"), std::string::npos) << none[0].message;
  // title, summary, proposal, reasons, 3 option texts/reasons, 1 document, 2 question texts, 2 labels
  EXPECT_EQ(none[0].figures.at("missing_fields"), 12);

  auto partial = welsh();
  partial.erase("reasons");
  auto one = check_languages("c-1", source(), {{"cy", partial}}, policy);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].severity, Severity::kBreach);
  EXPECT_NE(one[0].message.find("/reasons"), std::string::npos) << one[0].message;
  EXPECT_EQ(one[0].figures.at("missing_fields"), 1);

  auto done = check_languages("c-1", source(), {{"cy", welsh()}}, policy);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].severity, Severity::kInfo);

  // English promises need no translation; a non-canonical tag still finds its translation.
  auto s = source();
  s["languages"] = {"en", "CY"};
  EXPECT_FALSE(has_breach(check_languages("c-1", s, {{"cy", welsh()}}, policy)));
  s["languages"] = {"en-GB"};
  EXPECT_TRUE(check_languages("c-1", s, {}, policy).empty());

  policy.severity_overrides["LANG"] = Severity::kWarning;
  EXPECT_FALSE(has_breach(check_languages("c-1", source(), {}, policy)));
}

TEST(ReadRule, PlainTextPassesAndLongHardSentencesWarn) {
  auto policy = CharterPolicy::defaults();
  // source(): sentences of 5 to 8 words, each text under 20 words, so only sentence length applies.
  EXPECT_TRUE(check_plain_language("c-1", source(), {{"cy", welsh()}}, policy).empty());

  auto s = source();
  // One sentence of 32 words, counted by hand, most of them long.
  s["proposal"] =
      "The council proposes to consolidate administrative accommodation across the borough by relocating "
      "departmental functions into a refurbished civic centre, thereby generating significant operational "
      "efficiencies and substantial revenue savings for subsequent financial years.";
  auto f = check_plain_language("c-1", s, {}, policy);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "READ");
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_EQ(f[0].figures.at("longest_sentence_words"), 32);
  EXPECT_EQ(f[0].figures.at("sentences_over_limit"), 1);
  EXPECT_GT(f[0].figures.at("reading_age_tenths"), 95);
  EXPECT_NE(f[0].message.find("proposal"), std::string::npos);
  EXPECT_NE(f[0].message.find("reading age"), std::string::npos);

  // A policy that allows 40-word sentences no longer counts it as long (reading age still misses).
  policy.readability_max_sentence_words = 40;
  f = check_plain_language("c-1", s, {}, policy);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].figures.at("sentences_over_limit"), 0);

  // Welsh: LIX = words/sentences + 100 × long words/words = 30/1 + 100 × 30/30 = 130 > 40.
  policy = CharterPolicy::defaults();
  auto w = welsh();
  std::string sentence;
  for (int i = 0; i < 30; ++i) sentence += (i ? " " : "") + std::string("gwasanaethau");
  w["summary"] = sentence + ".";
  f = check_plain_language("c-1", source(), {{"cy", w}}, policy);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].message.find("Welsh (cy)"), std::string::npos) << f[0].message;
  EXPECT_EQ(f[0].figures.at("lix_tenths"), 1300);
  EXPECT_EQ(f[0].figures.at("sentences_over_limit"), 1);
}

TEST(PolicyReadability, KeysHaveDefaultsAndAreRead) {
  auto p = CharterPolicy::defaults();
  EXPECT_EQ(p.readability_max_sentence_words, 25);
  EXPECT_DOUBLE_EQ(p.readability_reading_age, 9.0);
  auto q = CharterPolicy::from_json(nlohmann::json::parse(R"({"readability":{"max_sentence_words":20,"max_lix":45}})"));
  ASSERT_TRUE(q.ok()) << q.error().describe();
  EXPECT_EQ(q->readability_max_sentence_words, 20);
  EXPECT_DOUBLE_EQ(q->readability_max_lix, 45);
  auto bad = CharterPolicy::from_json(nlohmann::json::parse(R"({"readability":{"max_words":20}})"));
  EXPECT_FALSE(bad.ok());
  auto round = CharterPolicy::from_json(q->to_json());
  ASSERT_TRUE(round.ok()) << round.error().describe();
  EXPECT_EQ(round->readability_max_sentence_words, 20);
}

class StoreContent : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/townhall-content-XXXXXX";
    dir = mkdtemp(tmpl);
    store = std::move(open_sqlite_store(dir + "/t.db", SqliteOptions::creating())).value();
    id = store->create_consultation(source(), AuditEvent{"test", "consultation.create", "consultation", "", {}})->id;
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  AuditEvent ev(const char* action) { return AuditEvent{"test", action, "consultation", "", {}}; }
  std::string dir, id;
  std::unique_ptr<Store> store;
};

TEST_F(StoreContent, TranslationsArePutListedReplacedAndDeleted) {
  ASSERT_TRUE(put_translation(*store, id, "pl", {{"title", "Godziny otwarcia"}}, ev("t")).ok());
  ASSERT_TRUE(put_translation(*store, id, "cy", welsh(), ev("t")).ok());
  auto list = store->list_translations(id);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].lang, "cy");  // ordered by tag
  EXPECT_EQ((*list)[1].document["title"], "Godziny otwarcia");
  ASSERT_TRUE(put_translation(*store, id, "pl", {{"title", "Godziny"}}, ev("t")).ok());
  EXPECT_EQ(store->get_translation(id, "pl")->document["title"], "Godziny");
  ASSERT_TRUE(delete_translation(*store, id, "pl", ev("t")).ok());
  EXPECT_EQ(store->get_translation(id, "pl").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(delete_translation(*store, id, "pl", ev("t")).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(put_translation(*store, "c-404", "cy", welsh(), ev("t")).error().code, ErrorCode::kNotFound);
  // Each write is in the audit log: create + 3 puts + 1 delete.
  EXPECT_EQ(store->audit_entries()->size(), 5u);
  // Deleting the consultation (a draft) takes its translations with it.
  ASSERT_TRUE(delete_consultation(*store, id, ev("d")).ok());
  SQLite::Database raw(dir + "/t.db");
  EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM consultation_translations").getInt(), 0);
}

TEST_F(StoreContent, ClosedConsultationKeepsItsTranslations) {
  ASSERT_TRUE(put_translation(*store, id, "cy", welsh(), ev("t")).ok());
  for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                          std::pair{ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
    TransitionRecord t;
    t.consultation_id = id;
    t.from = from;
    t.to = to;
    ASSERT_TRUE(store->transition_consultation(t).ok());
  }
  EXPECT_EQ(delete_translation(*store, id, "cy", ev("t")).error().code, ErrorCode::kConflict);  // open
  EXPECT_TRUE(put_translation(*store, id, "cy", welsh(), ev("t")).ok());  // typo fixes while open
  TransitionRecord close;
  close.consultation_id = id;
  close.from = ConsultationStatus::kOpen;
  close.to = ConsultationStatus::kClosed;
  ASSERT_TRUE(store->transition_consultation(close).ok());
  // Closed: the text residents responded to stays; only the outcome may be added.
  nlohmann::json retitled = welsh();
  retitled["title"] = "Teitl arall";
  auto refused = put_translation(*store, id, "cy", retitled, ev("t"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(refused.error().field, "/title");
  nlohmann::json with_outcome = welsh();
  with_outcome["outcome"] = {{"we_did", "Gwnaethom hyn."}};
  EXPECT_TRUE(put_translation(*store, id, "cy", with_outcome, ev("t")).ok());
  EXPECT_EQ(store->get_translation(id, "cy")->document["title"], welsh()["title"]);
}

TEST_F(StoreContent, MeetingsAreListedInDateOrder) {
  nlohmann::json later = {{"kind", "public_meeting"}, {"title", "Council"}, {"date", "2027-03-10"}, {"starts_at", "18:30"}};
  nlohmann::json earlier = {{"kind", "event"}, {"title", "Drop-in"}, {"date", "2027-03-02"}, {"starts_at", "10:00"}};
  auto a = store->add_meeting(id, later, ev("m"));
  auto b = store->add_meeting(id, earlier, ev("m"));
  ASSERT_TRUE(a.ok() && b.ok());
  auto list = store->list_meetings(id);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].document["title"], "Drop-in");
  later["date"] = "2027-03-01";
  ASSERT_TRUE(store->update_meeting(id, a->id, later, ev("m")).ok());
  EXPECT_EQ((*store->list_meetings(id))[0].document["title"], "Council");
  EXPECT_EQ(store->get_meeting("c-404", a->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store->update_meeting(id, 999, later, ev("m")).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store->delete_meeting(id, a->id, ev("m")).ok());
  EXPECT_EQ(store->list_meetings(id)->size(), 1u);
}

TEST_F(StoreContent, ErasingAPersonKeepsTheirResponsesUnlinked) {
  auto person = store->add_person({{"name", "Ann Example"}, {"email", "ann@example.org"}});
  ASSERT_TRUE(person.ok());
  ASSERT_TRUE(store->set_equality_data(*person, {{"age_band", "35-44"}}).ok());
  TransitionRecord t;
  t.consultation_id = id;
  t.from = ConsultationStatus::kDraft;
  t.to = ConsultationStatus::kOpen;
  ASSERT_TRUE(store->transition_consultation(t).ok());
  ResponseSubmission s;
  s.consultation_id = id;
  s.person_id = *person;
  s.answers = {{"agree", true}};
  auto stored = store->submit_responses({s, s}, responses_allowed());
  ASSERT_TRUE(stored[0].ok() && stored[1].ok());

  auto held = store->get_person(*person);
  ASSERT_TRUE(held.ok());
  EXPECT_EQ(held->personal_data["email"], "ann@example.org");
  EXPECT_EQ((*held->equality_data)["age_band"], "35-44");
  EXPECT_EQ(held->responses, 2);

  ASSERT_TRUE(store->erase_person(*person, AuditEvent{"test", "person.erase", "person", "", {}}).ok());
  EXPECT_EQ(store->get_person(*person).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store->erase_person(*person, AuditEvent{"test", "person.erase", "person", "", {}}).error().code,
            ErrorCode::kNotFound);
  auto responses = store->list_responses(id);
  ASSERT_EQ(responses->size(), 2u);
  for (const auto& r : *responses) {
    EXPECT_FALSE(r.person_id.has_value());
    EXPECT_EQ(r.answers["agree"], true);
  }
  SQLite::Database raw(dir + "/t.db");
  EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM people").getInt(), 0);
  EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM equality_data").getInt(), 0);
  // The audit entry says who erased whom, and nothing of what was held.
  auto last = store->audit_entries()->back();
  EXPECT_EQ(last.event.action, "person.erase");
  EXPECT_EQ(last.event.detail.dump().find("ann@"), std::string::npos);
}

}  // namespace
}  // namespace townhall
