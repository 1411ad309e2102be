// The console's consultation builder, preview, translation editor and outcome editor, in process:
// what an officer types survives every round trip, a stale save is refused and keeps the input,
// the LANG gaps shrink as fields are translated, a bad translation file imports nothing, and the
// preview is the residents' page marked as not published.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>

#include "../core/exception_test_util.h"
#include "in_process.h"
#include "townhall/access/staff.h"
#include "townhall/access/token.h"
#include "townhall/consultations/editing.h"
#include "townhall/consultations/lifecycle.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"

namespace townhall::server {
namespace {

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// A five-week consultation on a big decision, as an officer would type it.
std::vector<std::pair<std::string, std::string>> five_week_form() {
  return {{"title", "Library opening hours"},
          {"summary", "We want to change when libraries open. Tell us what you think."},
          {"proposal", "Open on Saturday afternoons and close on Monday mornings."},
          {"reasons", "More people can visit at weekends."},
          {"opens", "2026-03-02"},
          {"closes", "2026-04-06"},
          {"big_decision", "yes"},
          {"channel-online", "yes"},
          {"channel-paper", "yes"},
          {"contact-email", "libraries@example.gov.uk"},
          {"languages", "cy"},
          {"option-0-option", "Keep the hours"},
          {"option-0-rejected", "yes"},
          {"option-0-reason", "Fewer people could visit."},
          {"question-0-id", ""},
          {"question-0-type", "single_choice"},
          {"question-0-text", "Do you agree?"},
          {"question-0-options", "Yes\nNo"}};
}

class ConsultationBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::make_temp_dir("townhall-builder");
    store = std::move(open_sqlite_store(dir + "/t.db", SqliteOptions::creating())).value();
    ApiOptions o;
    o.now_seconds = [this] { return clock; };
    o.today = [] { return Date::from_ymd(2026, 1, 5); };
    api = std::make_unique<Api>(*store, o);
    for (auto [role, username] : {std::pair{Role::kOfficer, "olivia"}, std::pair{Role::kGovernance, "gwen"}}) {
      NewStaffAccount n;
      n.role = role;
      n.username = username;
      n.name = std::string(username) + " (test)";
      n.email = std::string(username) + "@example.gov.uk";
      auto a = add_staff_account(*store, n, "a long staff password", hash_token(new_bearer_token()), Actor::system("test"));
      ASSERT_TRUE(a.ok()) << a.error().describe();
      users[role_id(role)] = a->user;
    }
  }
  void TearDown() override {
    api.reset();
    std::filesystem::remove_all(dir);
  }

  std::string session(const std::string& role) {
    std::string secret = new_bearer_token();
    StaffSession s;
    s.hash = staff_session_hash(secret);
    s.user_id = users.at(role).id;
    s.client = "192.0.2.10";
    s.created_at = s.last_seen_at = clock;
    s.expires_at = clock + 3600;
    EXPECT_TRUE(store->put_staff_session(s).ok());
    return secret;
  }

  HttpResponse call(const std::string& method, const std::string& target, const std::string& body = "",
                    const std::string& role = "officer") {
    if (!secrets.count(role)) secrets[role] = role == "signed_out" ? "" : session(role);
    HttpRequest r;
    r.method = method;
    r.target = target;
    if (!secrets[role].empty()) r.cookie = "th_staff=" + secrets[role];
    r.client_address = "192.0.2.10";
    r.body = body;
    if (method == "POST") r.content_type = "application/x-www-form-urlencoded";
    return testing::handle_and_wait(*api, r);
  }

  // A form's POST with the page's CSRF token and `action`.
  HttpResponse post(const std::string& target, std::vector<std::pair<std::string, std::string>> fields,
                    const std::string& action = "save") {
    const std::string page = target.find("/translations/") != std::string::npos || target.find("/outcome") != std::string::npos
                                 ? target
                                 : "/staff/consultations/new";
    const std::string token = testing::csrf_of(call("GET", page).body);
    EXPECT_EQ(token.size(), 64u);
    fields.insert(fields.begin(), {"csrf", token});
    if (!action.empty()) fields.emplace_back("action", action);
    return call("POST", target, testing::form_body(fields));
  }

  std::string create_from_form(const std::vector<std::pair<std::string, std::string>>& form) {
    auto r = post("/staff/consultations/new", form);
    EXPECT_EQ(r.status, 303) << r.body;
    std::smatch m;
    const std::string location = testing::header_value(r, "Location");
    static const std::regex re("^/staff/consultations/([^/]+)/edit\\?saved=1$");
    EXPECT_TRUE(std::regex_match(location, m, re)) << location;
    return m.size() > 1 ? m[1].str() : "";
  }

  std::string dir;
  int64_t clock = 1'800'000'000;
  std::unique_ptr<Store> store;
  std::unique_ptr<Api> api;
  std::map<std::string, User> users;
  std::map<std::string, std::string> secrets;
};

TEST_F(ConsultationBuilderTest, AddAnotherAndRemoveKeepEverythingTyped) {
  auto form = five_week_form();
  form.emplace_back("option-1-option", "Close on Mondays");
  form.emplace_back("option-1-reason", "Mondays are quiet.");
  auto added = post("/staff/consultations/new", form, "add-option");
  ASSERT_EQ(added.status, 200) << added.body;
  // A third, empty row, and every value typed so far, including the ticked boxes.
  EXPECT_NE(added.body.find("name=\"option-2-option\""), std::string::npos);
  EXPECT_NE(added.body.find("value=\"Close on Mondays\""), std::string::npos);
  EXPECT_NE(added.body.find(">Mondays are quiet.</textarea>"), std::string::npos);
  EXPECT_NE(added.body.find(">We want to change when libraries open. Tell us what you think.</textarea>"), std::string::npos);
  EXPECT_NE(added.body.find("id=\"big_decision\" name=\"big_decision\" type=\"checkbox\" value=\"yes\" checked"), std::string::npos);
  EXPECT_NE(added.body.find("id=\"option-0-rejected\" name=\"option-0-rejected\" type=\"checkbox\" value=\"yes\" checked"),
            std::string::npos);
  // Nothing is stored by a round trip.
  EXPECT_EQ(store->list_consultations({})->total, 0);

  // Removing the first option moves the second up into its place.
  auto removed = post("/staff/consultations/new", form, "remove-option-0");
  ASSERT_EQ(removed.status, 200);
  EXPECT_EQ(removed.body.find("name=\"option-1-option\""), std::string::npos);
  EXPECT_NE(removed.body.find("id=\"option-0-option\" name=\"option-0-option\" type=\"text\" value=\"Close on Mondays\""),
            std::string::npos);
  EXPECT_EQ(removed.body.find("Keep the hours"), std::string::npos);
}

TEST_F(ConsultationBuilderTest, ARefusedSaveNamesTheFieldAndKeepsTheInput) {
  auto form = five_week_form();
  form.emplace_back("event-0-title", "Drop-in at the library");
  form.emplace_back("event-0-date", "2026-02-30");
  auto r = post("/staff/consultations/new", form);
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("govuk-error-summary"), std::string::npos);
  EXPECT_NE(r.body.find("href=\"#event-0-date\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("id=\"event-0-date-error\""), std::string::npos);
  EXPECT_NE(r.body.find("value=\"Drop-in at the library\""), std::string::npos);
  EXPECT_NE(r.body.find("value=\"Library opening hours\""), std::string::npos);

  // A schema error from the core: the contact email, linked to its field.
  form = five_week_form();
  for (auto& [k, v] : form)
    if (k == "contact-email") v = "not an email";
  r = post("/staff/consultations/new", form);
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("href=\"#contact-email\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("value=\"not an email\""), std::string::npos);
  EXPECT_EQ(store->list_consultations({})->total, 0);
}

TEST_F(ConsultationBuilderTest, EveryFieldTheSchemaRefusesIsInTheErrorSummary) {
  // Three bad fields at once: each linked from the summary and marked at its field, in form order.
  auto form = five_week_form();
  for (auto& [k, v] : form) {
    if (k == "contact-email") v = "not an email";
    if (k == "question-0-type") v = "maybe";
  }
  form.emplace_back("contact-phone", "call us");
  form.emplace_back("question-0-hint", std::string(1001, 'h'));
  auto check = [&](const HttpResponse& r) {
    ASSERT_EQ(r.status, 422) << r.body;
    size_t last = 0;
    for (const char* field : {"contact-email", "contact-phone", "question-0-type", "question-0-hint"}) {
      const size_t link = r.body.find(std::string("<a href=\"#") + field + "\"");
      EXPECT_NE(link, std::string::npos) << field << "\n" << r.body;
      EXPECT_GT(link, last) << field;  // the summary in the form's order
      last = link == std::string::npos ? last : link;
      EXPECT_NE(r.body.find(std::string("id=\"") + field + "-error\""), std::string::npos) << field;
    }
    EXPECT_NE(r.body.find("value=\"call us\""), std::string::npos);
  };
  check(post("/staff/consultations/new", form));
  EXPECT_EQ(store->list_consultations({})->total, 0);
  // Editing a saved draft the same way.
  const std::string id = create_from_form(five_week_form());
  form.emplace_back("version", std::to_string(store->get_consultation(id)->version));
  check(post("/staff/consultations/" + id + "/edit", form));
  EXPECT_EQ(store->get_consultation(id)->document["contact"]["email"], "libraries@example.gov.uk");
}

TEST_F(ConsultationBuilderTest, SavingCreatesThroughTheCoreAndShowsTheFindingsAndScores) {
  const std::string id = create_from_form(five_week_form());
  ASSERT_FALSE(id.empty());
  auto rec = store->get_consultation(id);
  ASSERT_TRUE(rec.ok());
  const auto& doc = rec->document;
  EXPECT_EQ(doc["title"], "Library opening hours");
  EXPECT_EQ(doc["channels"], nlohmann::json({"online", "paper"}));
  EXPECT_EQ(doc["contact"]["email"], "libraries@example.gov.uk");
  EXPECT_EQ(doc["languages"], nlohmann::json({"cy"}));
  EXPECT_EQ(doc["options_considered"][0], nlohmann::json({{"option", "Keep the hours"}, {"rejected", true},
                                                          {"reason", "Fewer people could visit."}}));
  EXPECT_EQ(doc["questions"][0]["id"], "q1");
  EXPECT_EQ(doc["questions"][0]["options"], nlohmann::json({"Yes", "No"}));
  auto log = store->audit_entries();
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->back().event.action, "consultation.create");
  EXPECT_EQ(log->back().event.actor, Actor::of(users.at("officer")).who);

  auto page = call("GET", "/staff/consultations/" + id + "/edit?saved=1");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Saved."), std::string::npos);
  EXPECT_NE(page.body.find(">C-MIN<"), std::string::npos);  // five weeks on a big decision
  EXPECT_NE(page.body.find(">LANG<"), std::string::npos);   // Welsh promised, not translated
  EXPECT_NE(page.body.find("Readability"), std::string::npos);
  EXPECT_NE(page.body.find("Summary (en-GB)"), std::string::npos);

  // Six weeks: C-MIN goes.
  auto form = five_week_form();
  for (auto& [k, v] : form)
    if (k == "closes") v = "2026-04-13";
  form.emplace_back("version", std::to_string(rec->version));
  auto saved = post("/staff/consultations/" + id + "/edit", form);
  ASSERT_EQ(saved.status, 303) << saved.body;
  page = call("GET", "/staff/consultations/" + id + "/edit");
  EXPECT_EQ(page.body.find(">C-MIN<"), std::string::npos);
  EXPECT_EQ(store->get_consultation(id)->document["closes"], "2026-04-13");
}

TEST_F(ConsultationBuilderTest, AStaleSaveIsRefusedAndKeepsTheOfficersInput) {
  const std::string id = create_from_form(five_week_form());
  auto rec = store->get_consultation(id);
  ASSERT_TRUE(rec.ok());
  // Someone else saves first.
  nlohmann::json theirs = rec->document;
  theirs["title"] = "Their title";
  ASSERT_TRUE(update_consultation(*store, id, theirs, rec->version, AuditEvent{"test", "consultation.update", "consultation", "", {}}).ok());
  auto form = five_week_form();
  for (auto& [k, v] : form)
    if (k == "title") v = "My title";
  form.emplace_back("version", std::to_string(rec->version));
  auto r = post("/staff/consultations/" + id + "/edit", form);
  ASSERT_EQ(r.status, 409) << r.body;
  EXPECT_NE(r.body.find("Someone else changed this consultation"), std::string::npos);
  EXPECT_NE(r.body.find("value=\"My title\""), std::string::npos);
  EXPECT_EQ(store->get_consultation(id)->document["title"], "Their title");
  // The form now carries the current version: saving again is a deliberate overwrite.
  EXPECT_NE(r.body.find("name=\"version\" value=\"" + std::to_string(rec->version + 1) + "\""), std::string::npos);
}

TEST_F(ConsultationBuilderTest, OnlyADraftIsEdited) {
  auto form = five_week_form();
  for (auto& [k, v] : form)
    if (k == "languages") v = "";
  const std::string id = create_from_form(form);
  auto rec = store->get_consultation(id);
  const User asker = townhall::testing::add_staff_officer(*store, "asker");
  const User director = townhall::testing::add_staff_officer(*store, "director");
  TransitionRequest step(ConsultationStatus::kScheduled);
  step.exception_request = townhall::testing::approved_exception(*store, id, ConsultationStatus::kScheduled,
                                                       "Urgent: the budget is set in April.", asker, director);
  ASSERT_TRUE(transition(*store, id, step, asker, CharterPolicy::defaults(), Date::from_ymd(2026, 1, 5), std::time(nullptr)).ok());
  EXPECT_EQ(call("GET", "/staff/consultations/" + id + "/edit").status, 409);
  form.emplace_back("version", "2");
  auto r = post("/staff/consultations/" + id + "/edit", form);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(store->get_consultation(id)->status, ConsultationStatus::kScheduled);
}

TEST_F(ConsultationBuilderTest, TheLangGapsShrinkAsFieldsAreTranslated) {
  const std::string id = create_from_form(five_week_form());
  const std::string editor = "/staff/consultations/" + id + "/translations/cy";
  auto page = call("GET", editor);
  ASSERT_EQ(page.status, 200) << page.body;
  // title, summary, proposal, reasons, one option and its reason, the question and its 2 options.
  const size_t before = count_of(page.body, ">Missing</strong>");
  EXPECT_EQ(before, 9u) << page.body;
  EXPECT_NE(page.body.find("Welsh"), std::string::npos);  // the LANG finding names the language
  auto saved = post(editor, {{"t/title", "Oriau agor llyfrgelloedd"}, {"t/summary", "Rydym eisiau newid yr oriau."}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  page = call("GET", editor);
  EXPECT_EQ(count_of(page.body, ">Missing</strong>"), before - 2);
  EXPECT_EQ(store->get_translation(id, "cy")->document["title"], "Oriau agor llyfrgelloedd");
  // Everything: nothing missing, and LANG has nothing against Welsh.
  saved = post(editor, {{"t/title", "Oriau agor llyfrgelloedd"},
                        {"t/summary", "Rydym eisiau newid yr oriau."},
                        {"t/proposal", "Agor ar brynhawn Sadwrn."},
                        {"t/reasons", "Gall mwy o bobl ymweld."},
                        {"t/options_considered/0/option", "Cadw'r oriau"},
                        {"t/options_considered/0/reason", "Gallai llai o bobl ymweld."},
                        {"t/questions/q1/text", "Ydych chi'n cytuno?"},
                        {"t/questions/q1/options/0", "Ydw"},
                        {"t/questions/q1/options/1", "Nac ydw"}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  page = call("GET", editor);
  EXPECT_EQ(count_of(page.body, ">Missing</strong>"), 0u);
  EXPECT_NE(page.body.find("Nothing: every field"), std::string::npos);
  auto edit = call("GET", "/staff/consultations/" + id + "/edit");
  EXPECT_EQ(edit.body.find(">LANG</td>\n      <td class=\"govuk-table__cell\"><strong class=\"govuk-tag govuk-tag--red\">"),
            std::string::npos);
}

TEST_F(ConsultationBuilderTest, ATranslationFileWithABadUnitImportsNothing) {
  const std::string id = create_from_form(five_week_form());
  const std::string editor = "/staff/consultations/" + id + "/translations/cy";
  ASSERT_EQ(post(editor, {{"t/title", "Teitl"}}).status, 303);
  const nlohmann::json bad = {{"title", "Teitl newydd"}, {"questions", {{"no-such-question", {{"text", "Beth?"}}}}}};
  auto r = post(editor, {{"translation_file", bad.dump()}}, "import");
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("Nothing imported"), std::string::npos);
  EXPECT_NE(r.body.find("/questions/no-such-question"), std::string::npos) << r.body;
  EXPECT_EQ(store->get_translation(id, "cy")->document["title"], "Teitl");
  // Not JSON at all: refused the same way, the pasted text kept.
  r = post(editor, {{"translation_file", "{\"title\": "}}, "import");
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("{&quot;title&quot;: </textarea>"), std::string::npos);
  // A good file: stored whole, and downloadable again.
  const nlohmann::json good = {{"title", "Teitl newydd"}, {"summary", "Crynodeb."}};
  ASSERT_EQ(post(editor, {{"translation_file", good.dump()}}, "import").status, 303);
  auto file = call("GET", editor + "?download=json");
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(nlohmann::json::parse(file.body), good);
}

TEST_F(ConsultationBuilderTest, ThePreviewIsTheResidentsPageMarkedNotPublished) {
  const std::string id = create_from_form(five_week_form());
  ASSERT_EQ(post("/staff/consultations/" + id + "/translations/cy", {{"t/title", "Oriau agor llyfrgelloedd"}}).status, 303);
  auto r = call("GET", "/staff/consultations/" + id + "/preview");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("Preview — not published"), std::string::npos);
  EXPECT_NE(r.body.find("<meta name=\"robots\" content=\"noindex, nofollow\">"), std::string::npos);
  EXPECT_EQ(testing::header_value(r, "X-Robots-Tag"), "noindex, nofollow");
  EXPECT_EQ(testing::header_value(r, "Cache-Control"), "private, no-store");
  EXPECT_NE(r.body.find("Open on Saturday afternoons"), std::string::npos);
  // A draft reads as it will be published: scheduled, opening on its date.
  EXPECT_EQ(r.body.find("consultation.status_"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("2 March 2026"), std::string::npos) << r.body;
  auto welsh = call("GET", "/staff/consultations/" + id + "/preview?lang=cy");
  ASSERT_EQ(welsh.status, 200);
  EXPECT_NE(welsh.body.find("Oriau agor llyfrgelloedd"), std::string::npos);
  EXPECT_EQ(call("GET", "/staff/consultations/" + id + "/preview?lang=pl").status, 404);  // not promised
  // Residents cannot see the draft, and the preview needs a console session.
  EXPECT_EQ(call("GET", "/en-GB/consultations/" + id, "", "signed_out").status, 404);
  EXPECT_EQ(call("GET", "/staff/consultations/" + id + "/preview", "", "signed_out").status, 303);
  // The public page itself carries no preview marks.
  EXPECT_EQ(call("GET", "/en-GB/", "", "signed_out").body.find("noindex"), std::string::npos);
}

TEST_F(ConsultationBuilderTest, TheOutcomeEditorPublishesTheOutcomeOfAClosedConsultation) {
  nlohmann::json doc = {{"title", "Park benches"}, {"opens", "2025-10-01"}, {"closes", "2025-11-30"},
                        {"summary", "Where should benches go?"}, {"proposal", "More benches."}, {"reasons", "People asked."},
                        {"options_considered", {{{"option", "No benches"}, {"rejected", true}, {"reason", "People asked."}}}},
                        {"channels", {"online"}}};
  auto rec = add_consultation(*store, doc, ConsultationStatus::kOpen, Actor::system("test"), CharterPolicy::defaults(),
                              Date::from_ymd(2025, 10, 1));
  ASSERT_TRUE(rec.ok()) << rec.error().describe();
  TransitionRequest close(ConsultationStatus::kClosed);
  auto closed = transition(*store, rec->id, close, Actor::system("test"), CharterPolicy::defaults(), Date::from_ymd(2025, 12, 1));
  ASSERT_TRUE(closed.ok()) << closed.error().describe();
  const std::string target = "/staff/consultations/" + rec->id + "/outcome";
  const std::string version = std::to_string(closed->consultation.version);
  auto r = post(target, {{"version", version}, {"we_asked", "Where benches should go."}, {"you_said", "By the pond."}, {"we_did", ""}}, "");
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("href=\"#outcome-we_did\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(">By the pond.</textarea>"), std::string::npos);
  EXPECT_EQ(store->get_consultation(rec->id)->status, ConsultationStatus::kClosed);
  r = post(target, {{"version", version}, {"we_asked", "Where benches should go."}, {"you_said", "By the pond."},
                    {"we_did", "We put four benches by the pond."}}, "");
  ASSERT_EQ(r.status, 303) << r.body;
  auto after = store->get_consultation(rec->id);
  EXPECT_EQ(after->status, ConsultationStatus::kOutcomePublished);
  EXPECT_EQ(after->document["outcome"]["we_did"], "We put four benches by the pond.");
  // The outcome is then translatable in the translation editor.
  auto editor = call("GET", "/staff/consultations/" + rec->id + "/translations/cy");
  EXPECT_NE(editor.body.find("name=\"t/outcome/we_did\""), std::string::npos);
}

TEST_F(ConsultationBuilderTest, TheLifecycleButtonSaysWhichFindingsBlockIt) {
  const std::string id = create_from_form(five_week_form());
  auto page = call("GET", "/staff/consultations/" + id);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Schedule: Blocked by the charter findings C-MIN, LANG below"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("href=\"/staff/consultations/" + id + "/edit\""), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/staff/consultations/" + id + "/translations/cy\""), std::string::npos);
  EXPECT_NE(call("GET", "/staff").body.find("href=\"/staff/consultations/new\""), std::string::npos);
  // Governance staff read it: no builder link, no button, no new consultation.
  page = call("GET", "/staff/consultations/" + id, "", "governance");
  EXPECT_EQ(page.body.find("/edit\""), std::string::npos);
  EXPECT_EQ(page.body.find("Blocked by"), std::string::npos);
  EXPECT_EQ(call("GET", "/staff", "", "governance").body.find("/staff/consultations/new"), std::string::npos);
  // Six weeks and no language promised: nothing blocks it.
  auto form = five_week_form();
  for (auto& [k, v] : form)
    if (k == "closes" || k == "languages") v = k == "closes" ? "2026-04-13" : "";
  form.emplace_back("version", std::to_string(store->get_consultation(id)->version));
  ASSERT_EQ(post("/staff/consultations/" + id + "/edit", form).status, 303);
  page = call("GET", "/staff/consultations/" + id);
  EXPECT_EQ(page.body.find("Blocked by"), std::string::npos) << page.body;
}

TEST_F(ConsultationBuilderTest, AnXliffFileImportsWholeOrNotAtAll) {
  const std::string id = create_from_form(five_week_form());
  const std::string editor = "/staff/consultations/" + id + "/translations/cy";
  ASSERT_EQ(post(editor, {{"t/title", "Teitl"}}).status, 303);
  auto unit = [](const std::string& n, const std::string& name, const std::string& target) {
    return "<unit id=\"u" + n + "\" name=\"" + name + "\"><segment><source>x</source><target>" + target +
           "</target></segment></unit>";
  };
  auto file = [](const std::string& units) {
    return "<?xml version=\"1.0\"?><xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" "
           "srcLang=\"en-GB\" trgLang=\"cy\"><file id=\"f1\">" + units + "</file></xliff>";
  };
  auto r = post(editor, {{"translation_file", file(unit("1", "/title", "Teitl newydd") + unit("2", "/questions/q7/text", "Beth?") +
                                                  unit("3", "/reasons", "a <pc id=\"1\">b</pc>"))}},
                "import");
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("Nothing imported: 2 units are wrong"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("/questions/q7/text: no such field"), std::string::npos);
  EXPECT_NE(r.body.find("/reasons: its target holds markup"), std::string::npos);
  EXPECT_EQ(store->get_translation(id, "cy")->document["title"], "Teitl");
  ASSERT_EQ(post(editor, {{"translation_file", file(unit("1", "/title", "Teitl newydd") + unit("2", "/questions/q1/options/1", "Na"))}},
                 "import").status,
            303);
  auto stored = store->get_translation(id, "cy")->document;
  EXPECT_EQ(stored["title"], "Teitl newydd");
  EXPECT_EQ(stored["questions"]["q1"]["options"][1], "Na");
  auto download = call("GET", editor + "?download=xliff");
  ASSERT_EQ(download.status, 200);
  EXPECT_EQ(download.content_type, "application/xliff+xml");
  EXPECT_NE(download.body.find("<file id=\"f1\" original=\"" + id + "\">"), std::string::npos) << download.body;
  EXPECT_NE(download.body.find("name=\"/title\">\n   <segment>\n    <source>Library opening hours</source>\n"
                               "    <target>Teitl newydd</target>"),
            std::string::npos) << download.body;
}

TEST_F(ConsultationBuilderTest, AQuestionsHintTextIsKeptSavedPreviewedAndTranslated) {
  auto form = five_week_form();
  form.emplace_back("question-0-hint", "Think about the whole borough.");
  // Each question has a "Hint text (optional)" box; what is typed in it survives "Add another".
  auto added = post("/staff/consultations/new", form, "add-question");
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_NE(added.body.find(">Hint text (optional)</label>"), std::string::npos) << added.body;
  EXPECT_NE(added.body.find("name=\"question-0-hint\""), std::string::npos);
  EXPECT_NE(added.body.find("name=\"question-1-hint\""), std::string::npos);
  EXPECT_NE(added.body.find(">Think about the whole borough.</textarea>"), std::string::npos);
  // And "Remove" of the question before it moves it up with its question.
  form.emplace_back("question-1-type", "free_text");
  form.emplace_back("question-1-text", "Anything else?");
  form.emplace_back("question-1-hint", "Tell us in your own words.");
  auto removed = post("/staff/consultations/new", form, "remove-question-0");
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_NE(removed.body.find("id=\"question-0-hint\" name=\"question-0-hint\""), std::string::npos) << removed.body;
  EXPECT_NE(removed.body.find(">Tell us in your own words.</textarea>"), std::string::npos);
  EXPECT_EQ(removed.body.find("Think about the whole borough."), std::string::npos);
  // A refused save keeps it too.
  auto bad = form;
  bad.emplace_back("event-0-title", "Drop-in");
  bad.emplace_back("event-0-date", "2026-02-30");
  auto refused = post("/staff/consultations/new", bad);
  ASSERT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find(">Think about the whole borough.</textarea>"), std::string::npos);

  // Saved in the document, on its question; a question without one has none.
  const std::string id = create_from_form(form);
  auto doc = store->get_consultation(id)->document;
  EXPECT_EQ(doc["questions"][0]["hint"], "Think about the whole borough.");
  EXPECT_EQ(doc["questions"][1]["hint"], "Tell us in your own words.");
  // Read back into the builder.
  auto edit = call("GET", "/staff/consultations/" + id + "/edit");
  EXPECT_NE(edit.body.find(">Think about the whole borough.</textarea>"), std::string::npos);

  // The preview lists the questions; each is the residents' question page with its hint.
  auto preview = call("GET", "/staff/consultations/" + id + "/preview");
  EXPECT_NE(preview.body.find("href=\"/staff/consultations/" + id + "/preview?question=1\""), std::string::npos) << preview.body;
  auto q1 = call("GET", "/staff/consultations/" + id + "/preview?question=1");
  ASSERT_EQ(q1.status, 200) << q1.body;
  EXPECT_NE(q1.body.find("Preview — not published"), std::string::npos);
  EXPECT_NE(q1.body.find(R"(<div id="answer-hint" class="govuk-hint" lang="en-GB" dir="ltr">Think about the whole borough.</div>)"),
            std::string::npos)
      << q1.body;
  EXPECT_NE(q1.body.find(R"(aria-describedby="answer-hint")"), std::string::npos);
  EXPECT_EQ(q1.body.find("<form method=\"post\" action=\"/en-GB/consultations/"), std::string::npos);  // nothing to send
  EXPECT_NE(q1.body.find("href=\"/staff/consultations/" + id + "/preview?question=2\""), std::string::npos);
  EXPECT_EQ(call("GET", "/staff/consultations/" + id + "/preview?question=3").status, 404);
  EXPECT_EQ(call("GET", "/staff/consultations/" + id + "/preview?question=x").status, 404);

  // The translation editor shows the hint beside its translation box; the translation is saved,
  // counted by LANG like the question's text, and previewed in Welsh.
  const std::string editor = "/staff/consultations/" + id + "/translations/cy";
  auto page = call("GET", editor);
  EXPECT_NE(page.body.find("name=\"t/questions/q1/hint\""), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("Think about the whole borough."), std::string::npos);
  EXPECT_NE(page.body.find("href=\"#t-questions-q1-hint\""), std::string::npos);  // listed as missing
  ASSERT_EQ(post(editor, {{"t/questions/q1/hint", "Meddyliwch am y fwrdeistref gyfan."}}).status, 303);
  EXPECT_EQ(store->get_translation(id, "cy")->document["questions"]["q1"]["hint"], "Meddyliwch am y fwrdeistref gyfan.");
  page = call("GET", editor);
  EXPECT_EQ(page.body.find("href=\"#t-questions-q1-hint\""), std::string::npos);
  EXPECT_NE(page.body.find("href=\"#t-questions-q2-hint\""), std::string::npos);
  auto welsh = call("GET", "/staff/consultations/" + id + "/preview?lang=cy&question=1");
  ASSERT_EQ(welsh.status, 200) << welsh.body;
  EXPECT_NE(welsh.body.find(R"(<div id="answer-hint" class="govuk-hint" lang="cy" dir="ltr">Meddyliwch am y fwrdeistref gyfan.</div>)"),
            std::string::npos)
      << welsh.body;
  EXPECT_NE(welsh.body.find("href=\"/staff/consultations/" + id + "/preview?lang=cy&amp;question=2\""), std::string::npos);
}

TEST_F(ConsultationBuilderTest, TheBuilderShowsCExtWithTheComputedCloseDate) {
  // The design notes' example: six weeks from Mon 1 Dec 2025 would close Sun 11 Jan 2026; nine
  // holiday days inside, so it closes no earlier than Sun 25 Jan 2026 (56 days).
  auto form = five_week_form();
  for (auto& [k, v] : form) {
    if (k == "opens") v = "2025-12-01";
    if (k == "closes") v = "2026-01-11";
    if (k == "languages") v = "";
  }
  const std::string id = create_from_form(form);
  auto page = call("GET", "/staff/consultations/" + id + "/edit");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find(">C-EXT<"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("9 holiday days"), std::string::npos);
  EXPECT_NE(page.body.find("25 January 2026 (56 days)"), std::string::npos);
}

}  // namespace
}  // namespace townhall::server
