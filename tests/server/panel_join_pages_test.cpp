// Joining the Citizens' Panel on the residents' pages, in process: the form in every catalog
// language with the equality questions apart and "Prefer not to say"; an error summary naming
// every field with a problem and nothing stored; a join kept as the API's join keeps it (facts only
// with consent, the address unproven until the emailed link is pressed); the rate limit on joins;
// the schedule removing emails the outbox is done with after the retention period.
#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <regex>

#include "in_process.h"
#include "townhall/i18n/catalog.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"

namespace townhall::server {
namespace {

class PanelJoinPages : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::make_temp_dir("townhall-join");
    store = std::move(open_sqlite_store(dir + "/t.db", SqliteOptions::creating())).value();
    make_api(ApiOptions{});
  }
  void make_api(ApiOptions options) {
    options.now_seconds = [this] { return clock; };
    options.public_url = "https://haveyoursay.example.gov.uk";
    api = std::make_unique<Api>(*store, options);
  }
  void TearDown() override {
    api.reset();
    std::filesystem::remove_all(dir);
  }

  HttpResponse call(const std::string& method, const std::string& target, const std::string& body = "") {
    return testing::browser_request(*api, method, target, body, cookie);
  }
  static std::string header(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }
  static std::string csrf_of(const std::string& html) {
    std::smatch m;
    static const std::regex re(R"re(name="csrf" value="([0-9a-f]{64})")re");
    return std::regex_search(html, m, re) ? m[1].str() : "";
  }
  static std::string text(const std::string& lang, const std::string& key) {
    auto t = i18n::CatalogSet::builtin().format(lang, key, {});
    EXPECT_TRUE(t.ok()) << lang << " " << key;
    if (!t) return "";
    EXPECT_FALSE(t->fell_back) << lang << " has no " << key;
    return t->text;
  }
  // The form sent from /{lang}/panel/join with the given fields (already encoded).
  HttpResponse join(const std::string& lang, const std::string& fields) {
    std::string token = csrf_of(call("GET", "/" + lang + "/panel/join").body);
    return call("POST", "/" + lang + "/panel/join", fields + "&csrf=" + token);
  }
  size_t members() { return store->list_members().value().size(); }
  size_t emails() { return store->outbox().value().size(); }

  std::string dir, cookie;
  int64_t clock = static_cast<int64_t>(std::time(nullptr));
  std::unique_ptr<Store> store;
  std::unique_ptr<Api> api;
};

TEST_F(PanelJoinPages, TheFormIsInEveryCatalogLanguageWithEqualityQuestionsApartAndOptional) {
  for (const auto& lang : i18n::CatalogSet::builtin().locales()) {
    auto page = call("GET", "/" + lang + "/panel/join");
    ASSERT_EQ(page.status, 200) << lang;
    EXPECT_NE(page.body.find("lang=\"" + lang + "\""), std::string::npos) << lang;
    EXPECT_NE(page.body.find(text(lang, "panel.join_title")), std::string::npos) << lang;
    EXPECT_NE(page.body.find(text(lang, "panel.join_consent_legend")), std::string::npos) << lang;
    // Equality monitoring is its own fieldset, after the consent, each question offering
    // "Prefer not to say"; none is chosen for the resident.
    const size_t equality = page.body.find(text(lang, "panel.join_equality"));
    ASSERT_NE(equality, std::string::npos) << lang;
    EXPECT_LT(page.body.find("name=\"consent\""), equality) << lang;
    EXPECT_GT(page.body.find("name=\"ethnicity\""), equality) << lang;
    EXPECT_GT(page.body.rfind("<fieldset", equality), page.body.find("name=\"consent\"")) << lang;
    const std::string prefer = "value=\"Prefer not to say\"";
    size_t n = 0;
    for (size_t at = page.body.find(prefer); at != std::string::npos; at = page.body.find(prefer, at + 1)) ++n;
    EXPECT_EQ(n, 4u) << lang;
    EXPECT_EQ(page.body.find(" checked"), std::string::npos) << lang;
    // The hub and every page's footer lead here.
    EXPECT_NE(call("GET", "/" + lang + "/").body.find("href=\"/" + lang + "/panel/join\""), std::string::npos) << lang;
    EXPECT_NE(page.body.find("govuk-footer__link\" href=\"/" + lang + "/panel/join\""), std::string::npos) << lang;
  }
}

TEST_F(PanelJoinPages, TheErrorSummaryNamesEveryFieldWithAProblemAndNothingIsStored) {
  auto empty = join("cy", "phone=");
  ASSERT_EQ(empty.status, 422);
  EXPECT_NE(empty.body.find("govuk-error-summary"), std::string::npos);
  for (const std::string field : {"name", "email", "consent"}) {
    EXPECT_NE(empty.body.find("href=\"#" + field + "\""), std::string::npos) << field;
    EXPECT_NE(empty.body.find("id=\"" + field + "-error\""), std::string::npos) << field;
  }
  EXPECT_NE(empty.body.find(text("cy", "panel.join_error_consent")), std::string::npos);
  EXPECT_NE(empty.body.find("<title>"), std::string::npos);
  // A bad address, a bad postcode, an answer the form never offered and an over-long phone number.
  auto bad = join("en-GB", "name=Nia&email=nia%40nowhere&postcode=not+a+postcode&consent=yes&ethnicity=Martian&phone=" +
                               std::string(41, '1'));
  ASSERT_EQ(bad.status, 422);
  for (const std::string field : {"email", "postcode", "ethnicity", "phone"}) {
    EXPECT_NE(bad.body.find("href=\"#" + field + "\""), std::string::npos) << field;
  }
  EXPECT_EQ(bad.body.find("href=\"#name\""), std::string::npos);
  EXPECT_NE(bad.body.find(text("en-GB", "error.email_invalid")), std::string::npos);
  EXPECT_NE(bad.body.find("40 characters or fewer"), std::string::npos);
  // What was typed is kept in the form.
  EXPECT_NE(bad.body.find("value=\"Nia\""), std::string::npos);
  EXPECT_EQ(members(), 0u);
  EXPECT_EQ(emails(), 0u);
  // Without the form's CSRF token nothing happens either.
  EXPECT_EQ(call("POST", "/en-GB/panel/join", "name=Nia&email=nia%40example.org&consent=yes&csrf=x").status, 403);
  EXPECT_EQ(members(), 0u);
}

TEST_F(PanelJoinPages, AJoinIsKeptAsTheApiKeepsItAndTheEmailedLinkConfirmsTheAddress) {
  auto r = join("cy", "name=Nia+Newydd&email=Nia%40Example.org&postcode=sw1a1aa&consent=yes&sex=Prefer+not+to+say"
                      "&ethnicity=White&age_band=25-34");
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(header(r, "Location"), "/cy/panel/joined");
  auto joined = call("GET", "/cy/panel/joined");
  EXPECT_EQ(joined.status, 200);
  EXPECT_NE(joined.body.find(text("cy", "panel.joined_check_email")), std::string::npos);

  auto all = store->list_members().value();
  ASSERT_EQ(all.size(), 1u);
  const auto& m = all[0];
  EXPECT_EQ(m.personal["name"], "Nia Newydd");
  EXPECT_FALSE(m.email_verified);
  auto facts = store->member_facts(m.id).value();
  std::map<std::string, nlohmann::json> by_key;
  for (const auto& f : facts) {
    by_key[f.key] = f.value;
    EXPECT_EQ(f.channel, "online");
    EXPECT_TRUE(f.consent);
  }
  EXPECT_EQ(by_key["postcode"], "SW1A 1AA");  // the join's own spelling rule
  EXPECT_EQ(by_key["sex"], "Prefer not to say");
  EXPECT_EQ(by_key["ethnicity"], "White");
  EXPECT_EQ(by_key["age_band"], "25-34");
  EXPECT_EQ(by_key.count("disability"), 0u);  // not answered, not kept

  // The email is in Welsh, with an absolute link whose button proves the address.
  auto mails = store->outbox().value();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].subject, text("cy", "email.confirm_subject"));
  std::smatch link;
  ASSERT_TRUE(std::regex_search(mails[0].body, link,
                                std::regex("https://haveyoursay\\.example\\.gov\\.uk(/cy/panel/confirm-email/[A-Za-z0-9_-]+)")))
      << mails[0].body;
  auto page = call("GET", link[1].str());
  ASSERT_EQ(page.status, 200);
  auto pressed = call("POST", link[1].str(), "csrf=" + csrf_of(page.body));
  EXPECT_EQ(pressed.status, 303);
  EXPECT_TRUE(store->list_members().value()[0].email_verified);
}

TEST_F(PanelJoinPages, WithoutConsentTheMemberJoinsButNoAnswerIsKept) {
  auto r = join("en-GB", "name=Bo&email=bo%40example.org&postcode=SW1A+1AA&consent=no&ethnicity=White");
  ASSERT_EQ(r.status, 303) << r.body;
  auto all = store->list_members().value();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_TRUE(store->member_facts(all[0].id).value().empty());
}

TEST_F(PanelJoinPages, JoinsAreRateLimitedPerClientLikeTheApiRoute) {
  ApiOptions options;
  options.rate_limits.join_per_client.limit = 2;
  make_api(options);
  for (int i = 0; i < 2; ++i) {
    auto r = join("en-GB", "name=N&email=n" + std::to_string(i) + "%40example.org&consent=no");
    ASSERT_EQ(r.status, 303) << r.body;
  }
  auto refused = join("en-GB", "name=N&email=n9%40example.org&consent=no");
  EXPECT_EQ(refused.status, 429);
  EXPECT_FALSE(header(refused, "Retry-After").empty());
  EXPECT_EQ(members(), 2u);
  EXPECT_EQ(emails(), 2u);
  // The API's joins count against the same limit.
  HttpRequest api_join;
  api_join.method = "POST";
  api_join.target = "/api/v1/panel/join";
  api_join.content_type = "application/json";
  api_join.body = R"({"name":"N","consent":false})";
  EXPECT_EQ(testing::handle_and_wait(*api, api_join).status, 429);
}

// The outbox keeps an email it is done with for the retention period, then the schedule removes
// it; one still queued stays.
TEST_F(PanelJoinPages, TheScheduleRemovesEmailsDeliveredOrFailedLongerAgoThanTheRetentionPeriod) {
  ApiOptions options;
  options.outbox_retention_days = 7;
  make_api(options);
  OutboxEmail e;
  e.to = "ada@example.org";
  e.subject = "Your link";
  e.body = "https://haveyoursay.example.gov.uk/en-GB/panel/sign-in/secret\n";
  const int64_t delivered = store->add_outbox_email(e).value();
  const int64_t queued = store->add_outbox_email(e).value();
  ASSERT_TRUE(store->record_delivered(delivered, "ref").ok());
  const Date today = *Date::parse("2026-12-07");
  clock += 6 * 86400;
  api->run_schedule(today);
  EXPECT_EQ(emails(), 2u);
  clock += 2 * 86400;
  auto lines = api->run_schedule(today);
  auto left = store->outbox().value();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].id, queued);
  bool said = false;
  for (const auto& l : lines) said = said || l.find("outbox: 1 email") != std::string::npos;
  EXPECT_TRUE(said);
}

}  // namespace
}  // namespace townhall::server
