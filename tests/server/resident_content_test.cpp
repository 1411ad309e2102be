// The residents' pages' content: options considered, contact details and actionable other ways to
// respond, the outcome in the page's language with the count of responses received, the
// machine-draft notice, the hub saying whether results are out, language names and bare-language
// paths, and sending a response twice. Expected texts come from the catalogs, not the renderer.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "in_process.h"
#include "townhall/consultations/editing.h"
#include "townhall/demo/demo.h"
#include "townhall/consultations/lifecycle.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"
#include "townhall/util/json_schema.h"

namespace townhall::server {
namespace {

class ResidentContentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::make_temp_dir("townhall-content");
    store = std::move(open_sqlite_store(dir + "/t.db", SqliteOptions::creating())).value();
    api = std::make_unique<Api>(*store, ApiOptions{});
    doc = {{"title", "Park opening hours"},
           {"summary", "We propose to lock the parks at dusk."},
           {"proposal", "Lock every park at dusk."},
           {"reasons", "Damage at night costs the council money."},
           {"opens", "2020-01-01"},
           {"closes", "2099-12-31"},
           {"languages", {"cy"}},
           {"options_considered",
            {{{"option", "Lock at dusk"}},
             {{"option", "Leave the parks open"}, {"rejected", true}, {"reason", "Too much damage at night."}}}},
           {"channels", {"online", "paper", "phone", "event"}},
           {"contact",
            {{"team", "Parks team"},
             {"email", "parks@example.gov.uk"},
             {"phone", "020 7946 0000"},
             {"phone_hours", "Monday to Friday, 9am to 5pm"},
             {"postal_address", "Parks team\nTown Hall\nHigh Street\nAB1 2CD"}}},
           {"events", {{{"title", "Drop-in session"}, {"date", "2027-01-09"}, {"place", "Hillside library"},
                        {"starts_at", "18:30"}}}},
           {"questions", {{{"id", "agree"}, {"type", "yes_no"}, {"text", "Do you agree?"}, {"required", true}}}}};
    auto rec = create_consultation(*store, doc, officer());
    ASSERT_TRUE(rec.ok()) << rec.error().message;
    id = rec->id;
  }
  void TearDown() override {
    api.reset();
    std::filesystem::remove_all(dir);
  }
  static Actor officer() { return Actor{"officer:1", Role::kOfficer}; }
  static AuditEvent ev() { return AuditEvent{"test", "translation.put", "consultation", "", {}}; }
  // One lifecycle step, as the API takes it; a refusal's message is printed for the failing test.
  auto move(ConsultationStatus to, std::optional<nlohmann::json> outcome = {}) {
    TransitionRequest t(to);
    t.outcome = std::move(outcome);
    // Closing is taken on the published closing day: earlier would need a recorded exception.
    const char* today = to == ConsultationStatus::kClosed || to == ConsultationStatus::kOutcomePublished ? "2099-12-31" : "2020-01-01";
    auto r = transition(*store, id, t, officer(), CharterPolicy::defaults(), Date::parse(today).value());
    if (!r) {
      std::cerr << "transition to " << to_string(to) << ": " << r.error().message << "\n";
      for (const auto& f : r.error().findings) std::cerr << "  " << f.rule << ": " << f.message << "\n";
    }
    return r;
  }
  nlohmann::json welsh() const {
    return {{"title", "Oriau agor y parciau"},
            {"summary", "Rydym yn cynnig cloi’r parciau gyda’r hwyr."},
            {"proposal", "Cloi pob parc gyda’r hwyr."},
            {"reasons", "Mae difrod yn y nos yn costio arian i’r cyngor."},
            {"options_considered", {{{"option", "Cloi gyda’r hwyr"}}, {{"option", "Gadael y parciau ar agor"}, {"reason", "Gormod o ddifrod yn y nos."}}}},
            {"questions", {{"agree", {{"text", "Ydych chi’n cytuno?"}}}}},
            {"machine_draft", true}};
  }
  // Writes here go to the store directly, not through the API that would renew its public pages,
  // so each look is through a new server on the same store.
  HttpResponse get(const std::string& target) {
    api = std::make_unique<Api>(*store, ApiOptions{});
    HttpRequest r;
    r.method = "GET";
    r.target = target;
    return testing::handle_and_wait(*api, r);
  }
  static std::string header(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }
  static bool has(const HttpResponse& r, const std::string& s) { return r.body.find(s) != std::string::npos; }

  std::string dir, id;
  nlohmann::json doc;
  std::unique_ptr<Store> store;
  std::unique_ptr<Api> api;
};

TEST_F(ResidentContentTest, OptionsConsideredAreShownWithWhetherRejectedAndWhyInTheLanguage) {
  ASSERT_TRUE(put_translation(*store, id, "cy", welsh(), ev()).ok());
  ASSERT_TRUE(move(ConsultationStatus::kScheduled).ok());
  auto en = get("/en-GB/consultations/" + id);
  ASSERT_EQ(en.status, 200);
  EXPECT_TRUE(has(en, "Options we considered"));
  EXPECT_TRUE(has(en, ">Leave the parks open</dt>"));
  EXPECT_TRUE(has(en, ">Rejected</strong>"));
  EXPECT_TRUE(has(en, ">Too much damage at night.</p>"));
  EXPECT_TRUE(has(en, ">Not rejected</strong>"));
  auto cy = get("/cy/consultations/" + id);
  EXPECT_TRUE(has(cy, "Yr opsiynau a ystyriwyd gennym"));
  EXPECT_TRUE(has(cy, R"( lang="cy" dir="ltr">Gadael y parciau ar agor</dt>)"));
  EXPECT_TRUE(has(cy, R"( lang="cy" dir="ltr">Gormod o ddifrod yn y nos.</p>)"));
  EXPECT_TRUE(has(cy, ">Wedi’i wrthod</strong>"));
  // A machine draft says so, with a way to the English page.
  EXPECT_TRUE(has(cy, "Peiriant a wnaeth y cyfieithiad hwn"));
  EXPECT_TRUE(has(cy, R"(href="/en-GB/consultations/)" + id + "\""));
  EXPECT_FALSE(has(en, "townhall-machine-draft"));
  // Arabic has no translation: the options are there, marked English, isolated in the RTL page.
  auto ar = get("/ar/consultations/" + id);
  EXPECT_TRUE(has(ar, "الخيارات التي درسناها"));
  EXPECT_TRUE(has(ar, R"( lang="en-GB" dir="ltr">Leave the parks open</dt>)"));
}

TEST_F(ResidentContentTest, ContactDetailsAndOtherWaysToRespondCanBeActedOn) {
  ASSERT_TRUE(put_translation(*store, id, "cy", welsh(), ev()).ok());
  ASSERT_TRUE(move(ConsultationStatus::kScheduled).ok());
  auto en = get("/en-GB/consultations/" + id);
  EXPECT_TRUE(has(en, "Contact us about this consultation"));
  EXPECT_TRUE(has(en, R"(href="mailto:parks@example.gov.uk")"));
  EXPECT_TRUE(has(en, R"(href="tel:02079460000" dir="ltr">020 7946 0000</a>)"));
  EXPECT_TRUE(has(en, "Monday to Friday, 9am to 5pm"));
  EXPECT_TRUE(has(en, "Town Hall<br>High Street<br>AB1 2CD<br></address>"));
  EXPECT_TRUE(has(en, R"(<a class="govuk-link" href="#events">See the dates and places of our events</a>)"));
  // English names and places inside an Arabic sentence are isolated.
  auto ar = get("/ar/consultations/" + id);
  EXPECT_TRUE(has(ar, R"(<bdi lang="en-GB" dir="ltr">Drop-in session</bdi>)"));
  EXPECT_TRUE(has(ar, R"(<bdi lang="en-GB" dir="ltr">Hillside library</bdi>)"));
  EXPECT_TRUE(has(ar, R"(<bdi dir="ltr">18:30</bdi>)"));
  // A contact that is not what it claims is refused, naming the field.
  nlohmann::json bad = doc;
  bad["contact"]["phone"] = "call me";
  auto refused = create_consultation(*store, bad, officer());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "/contact/phone");
}

TEST_F(ResidentContentTest, TheOutcomeIsTranslatedCountedByLangAndSaysHowManyResponsesCame) {
  ASSERT_TRUE(put_translation(*store, id, "cy", welsh(), ev()).ok());
  ASSERT_TRUE(move(ConsultationStatus::kScheduled).ok());
  ASSERT_TRUE(move(ConsultationStatus::kOpen).ok());
  ASSERT_TRUE(move(ConsultationStatus::kClosed).ok());
  nlohmann::json outcome = {{"we_asked", "Whether to lock the parks at dusk."},
                            {"you_said", "Most of you agreed."},
                            {"we_did", "Parks lock at dusk."}};
  // Closed: nothing but the outcome of a translation may change.
  nlohmann::json retitled = welsh();
  retitled["title"] = "Teitl newydd";
  auto changed = put_translation(*store, id, "cy", retitled, ev());
  ASSERT_FALSE(changed.ok());
  EXPECT_EQ(changed.error().field, "/title");
  // LANG: Welsh is promised, so the outcome cannot be published without its Welsh version.
  auto blocked = move(ConsultationStatus::kOutcomePublished, outcome);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().rules, std::vector<std::string>{"LANG"});
  bool names_outcome = false;
  for (const auto& f : blocked.error().findings) names_outcome |= f.message.find("/outcome/we_did") != std::string::npos;
  EXPECT_TRUE(names_outcome);
  nlohmann::json with_outcome = welsh();
  with_outcome["outcome"] = {{"we_asked", "A ddylid cloi’r parciau gyda’r hwyr."},
                             {"you_said", "Roedd y rhan fwyaf ohonoch yn cytuno."},
                             {"we_did", "Mae’r parciau’n cloi gyda’r hwyr."}};
  ASSERT_TRUE(put_translation(*store, id, "cy", with_outcome, ev()).ok());
  ASSERT_TRUE(move(ConsultationStatus::kOutcomePublished, outcome).ok());
  auto cy = get("/cy/consultations/" + id + "/results");
  ASSERT_EQ(cy.status, 200);
  EXPECT_TRUE(has(cy, R"(<p class="govuk-body" lang="cy" dir="ltr">Mae’r parciau’n cloi gyda’r hwyr.</p>)"));
  EXPECT_TRUE(has(cy, "Ni chafwyd unrhyw ymateb"));
  auto en = get("/en-GB/consultations/" + id + "/results");
  EXPECT_TRUE(has(en, "No responses were received"));
  EXPECT_FALSE(has(en, "so far"));
  // Arabic is not promised: the English outcome, marked English.
  auto ar = get("/ar/consultations/" + id + "/results");
  EXPECT_TRUE(has(ar, R"(<p class="govuk-body" lang="en-GB" dir="ltr">Parks lock at dusk.</p>)"));
  // The hub says the results are out.
  auto hub = get("/en-GB/");
  EXPECT_TRUE(has(hub, ">Results published</strong>"));
}

TEST_F(ResidentContentTest, TheHubSaysWhenResultsAreNotPublishedYet) {
  ASSERT_TRUE(put_translation(*store, id, "cy", welsh(), ev()).ok());
  ASSERT_TRUE(move(ConsultationStatus::kScheduled).ok());
  ASSERT_TRUE(move(ConsultationStatus::kOpen).ok());
  EXPECT_FALSE(has(get("/en-GB/"), "Results not yet published"));
  ASSERT_TRUE(move(ConsultationStatus::kClosed).ok());
  EXPECT_TRUE(has(get("/en-GB/"), ">Results not yet published</strong>"));
  EXPECT_TRUE(has(get("/cy/"), ">Canlyniadau heb eu cyhoeddi eto</strong>"));
}

TEST_F(ResidentContentTest, LanguagesAreNamedInThemselvesAndBareLanguagePathsRedirect) {
  auto page = get("/cy/");
  EXPECT_TRUE(has(page, R"(hreflang="en-GB" dir="ltr">English</a>)"));
  EXPECT_FALSE(has(page, "British English"));
  auto en = get("/en/");
  EXPECT_EQ(en.status, 308);
  EXPECT_EQ(header(en, "Location"), "/en-GB/");
  auto deep = get("/en/consultations/c-1?x=1");
  EXPECT_EQ(deep.status, 308);
  EXPECT_EQ(header(deep, "Location"), "/en-GB/consultations/c-1?x=1");
  EXPECT_EQ(header(get("/CY/accessibility"), "Location"), "/cy/accessibility");
  EXPECT_EQ(header(get("/pa/"), "Location"), "/pa-Guru/");
  EXPECT_EQ(get("/xx/").status, 404);
}

TEST_F(ResidentContentTest, TheDemoSeedsAConsultationFullyInWelshAndArabicFlaggedAsMachineDraft) {
  auto fresh = std::move(open_sqlite_store(dir + "/demo.db", SqliteOptions::creating())).value();
  ASSERT_TRUE(seed_demo(*fresh, Date::parse("2026-12-07").value()).ok());
  store = std::move(fresh);
  std::string library, parks;
  auto all = store->list_consultations({});
  ASSERT_TRUE(all.ok());
  for (const auto& r : all->items) {
    if (r.document.value("title", "") == "Saturday opening at Abbey Road library") library = r.id;
    if (r.document.value("title", "") == "Park opening hours") parks = r.id;
  }
  ASSERT_FALSE(library.empty());
  for (const auto& [lang, title] : {std::pair{"cy", "Agor Llyfrgell Abbey Road ar ddydd Sadwrn"},
                                    std::pair{"ar", "فتح مكتبة Abbey Road أيام السبت"}}) {
    auto page = get(std::string("/") + lang + "/consultations/" + library);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(has(page, title)) << lang;
    EXPECT_TRUE(has(page, "townhall-machine-draft")) << lang;
    // Every translatable field is in the language: nothing of the consultation's own text is
    // marked English but the event's name and place, which are not translated.
    std::regex english(R"re(<(dt|p|h1|a)[^>]* lang="en-GB")re");
    std::smatch m;
    const std::string main = page.body.substr(page.body.find("<main"));
    EXPECT_FALSE(std::regex_search(main, m, english)) << lang << ": " << m.str();
    auto q = get(std::string("/") + lang + "/consultations/" + library + "/questions/1");
    EXPECT_EQ(q.body.find(R"(<span lang="en-GB" dir="ltr">Do you agree)"), std::string::npos) << lang;
  }
  auto results = get("/ar/consultations/" + parks + "/results");
  EXPECT_TRUE(has(results, R"(lang="ar" dir="rtl">تُغلق الحدائق عند الغسق)"));
  EXPECT_TRUE(has(results, "وصل 4 ردود") || has(results, "وصلت 4 ردود"));
}

TEST_F(ResidentContentTest, TheForwardPlanPageListsKeyDecisionsByMonthWithTheirNoticeInEveryLanguage) {
  auto fresh = std::move(open_sqlite_store(dir + "/plan.db", SqliteOptions::creating())).value();
  ASSERT_TRUE(seed_demo(*fresh, Date::parse("2026-12-07").value()).ok());
  store = std::move(fresh);
  auto en = get("/en-GB/forward-plan");
  ASSERT_EQ(en.status, 200);
  // kd-2 is due 27 December 2026, kd-1 on 16 January 2027: two months, in date order.
  auto december = en.body.find(">December 2026</h2>"), january = en.body.find(">January 2027</h2>");
  ASSERT_NE(december, std::string::npos);
  ASSERT_NE(january, std::string::npos);
  EXPECT_LT(december, en.body.find("Sale of the Market Street car park"));
  EXPECT_LT(en.body.find("Sale of the Market Street car park"), january);
  EXPECT_LT(january, en.body.find("Award of the highways maintenance contract"));
  EXPECT_TRUE(has(en, "Cllr Asha Patel, Cabinet Member for Highways"));
  EXPECT_TRUE(has(en, ">4 December 2026</dd>"));  // kd-2's notice, published three days before
  EXPECT_TRUE(has(en, "Democratic Services, Town Hall"));
  EXPECT_TRUE(has(en, "Email democratic.services@example.gov.uk"));
  EXPECT_TRUE(has(en, "Other documents about the matter may be submitted"));
  EXPECT_TRUE(has(en, R"(href="/api/v1/forward-plan.atom")"));
  EXPECT_TRUE(has(en, R"(href="/api/v1/forward-plan.csv")"));
  EXPECT_TRUE(has(en, R"(href="/api/v1/forward-plan.ics")"));
  auto cy = get("/cy/forward-plan");
  EXPECT_TRUE(has(cy, "Blaengynllun o benderfyniadau allweddol"));
  EXPECT_TRUE(has(cy, ">Rhagfyr 2026</h2>"));
  EXPECT_TRUE(has(cy, R"(lang="en-GB" dir="ltr">Sale of the Market Street car park</h3>)"));
  auto ar = get("/ar/forward-plan");
  EXPECT_TRUE(has(ar, "الخطة المسبقة للقرارات الرئيسية"));
  EXPECT_TRUE(has(ar, R"(lang="en-GB" dir="ltr">Award of the highways maintenance contract</h3>)"));
  // The hub links to it.
  EXPECT_TRUE(has(get("/en-GB/"), R"(href="/en-GB/forward-plan")"));
}

TEST_F(ResidentContentTest, TheCouncilsAccessibilityStatementAndPrivacyNoticeComeFromItsConfiguration) {
  std::ifstream in(std::string(TOWNHALL_SOURCE_DIR) + "/config/council.sample.json");
  nlohmann::json council = nlohmann::json::parse(in);
  ASSERT_TRUE(validate_against_schema(council, "council-config.schema.json").ok());  // the shipped sample
  // Without a configuration: the catalogs' generic text.
  EXPECT_FALSE(has(get("/en-GB/accessibility"), "Royal Borough of Exampleshire"));
  ApiOptions options;
  options.council = council;
  api = std::make_unique<Api>(*store, options);
  HttpRequest r;
  r.method = "GET";
  r.target = "/en-GB/accessibility";
  auto a = testing::handle_and_wait(*api, r);
  ASSERT_EQ(a.status, 200);
  EXPECT_TRUE(has(a, "This accessibility statement applies to the Have your say website of \u2068Royal Borough of Exampleshire\u2069."));
  EXPECT_TRUE(has(a, "This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard"));
  EXPECT_TRUE(has(a, "Non-accessible content"));
  EXPECT_TRUE(has(a, "Some documents published with consultations are PDF files"));
  EXPECT_TRUE(has(a, "Equality and Human Rights Commission (EHRC)"));
  EXPECT_TRUE(has(a, "This statement was prepared on 1 December 2026."));
  EXPECT_TRUE(has(a, R"(href="mailto:accessibility@example.gov.uk")"));
  r.target = "/cy/privacy";
  auto p = testing::handle_and_wait(*api, r);
  ASSERT_EQ(p.status, 200);
  EXPECT_TRUE(has(p, "\u2068Royal Borough of Exampleshire\u2069 yw’r rheolydd data"));
  EXPECT_TRUE(has(p, "Z1234567"));
  EXPECT_TRUE(has(p, R"(lang="en-GB" dir="ltr">We process your answers because consulting residents)"));
  EXPECT_TRUE(has(p, R"(href="mailto:dpo@example.gov.uk")"));
  EXPECT_TRUE(has(p, "Swyddfa’r Comisiynydd Gwybodaeth (ICO)"));
  r.target = "/ar/privacy";
  auto ar = testing::handle_and_wait(*api, r);
  EXPECT_TRUE(has(ar, "مكتب مفوض المعلومات (ICO)"));
}

}  // namespace
}  // namespace townhall::server
