// The staff console's Citizens' Panel pages in process: search over names, addresses, postcodes
// and wards; a draw previewed (nothing recorded) and then invited (the same panel, recorded and
// audited as the officer); the quotas' errors named; the outbox's states.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <thread>

#include "in_process.h"
#include "townhall/access/staff.h"
#include "townhall/access/token.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"

namespace townhall::server {
namespace {

class StaffPanelPages : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::make_temp_dir("townhall-staff-panel");
    store = std::move(open_sqlite_store(dir + "/t.db", SqliteOptions::creating())).value();
    ApiOptions o;
    o.now_seconds = [this] { return clock; };
    o.today = [] { return Date::from_ymd(2026, 1, 5); };
    api = std::make_unique<Api>(*store, o);
    NewStaffAccount n;
    n.role = Role::kOfficer;
    n.username = "olivia";
    n.name = "Olivia Officer";
    n.email = "olivia@example.gov.uk";
    auto a = add_staff_account(*store, n, "a long staff password", hash_token(new_bearer_token()), Actor::system("test"));
    ASSERT_TRUE(a.ok()) << a.error().describe();
    // A console session stored as the sign-in would store it.
    staff_secret = new_bearer_token();
    StaffSession s;
    s.hash = staff_session_hash(staff_secret);
    s.user_id = a->user.id;
    s.created_at = s.last_seen_at = clock;
    s.expires_at = clock + 3600;
    ASSERT_TRUE(store->put_staff_session(s).ok());
    add_member("Zoë Straße", "zoe@example.org", "W10 5BA", "Golborne", "Social rented");
    add_member("Ade Brown", "ade@example.org", "SW3 4LZ", "Chelsea Riverside", "Owned");
    add_member("Carys Jones", "carys@example.org", "W11 1AA", "Golborne", "Social rented");
    nlohmann::json doc = {{"title", "Library opening hours"}, {"opens", "2026-01-01"}, {"closes", "2026-03-31"}};
    auto c = store->create_consultation(doc, AuditEvent{"test", "consultation.create", "consultation", "", {}});
    ASSERT_TRUE(c.ok());
    consultation = c->id;
    ASSERT_TRUE(store->transition_consultation(
                          TransitionRecord{consultation, ConsultationStatus::kDraft, ConsultationStatus::kScheduled, 0, {}, {}})
                    .ok());
  }
  void TearDown() override {
    api.reset();
    std::filesystem::remove_all(dir);
  }
  void add_member(const std::string& name, const std::string& email, const std::string& postcode, const std::string& ward,
                  const std::string& tenure) {
    panel::NewMember m;
    m.personal = {{"name", name}, {"email", email}};
    m.channel = "paper";
    m.email_verified = true;
    m.joined_on = *Date::parse("2025-11-05");
    m.fact_consent = true;
    for (auto [k, v] : {std::pair{"postcode", postcode}, std::pair{"ward", ward}, std::pair{"tenure", tenure}}) {
      panel::Fact f;
      f.key = k;
      f.value = v;
      f.channel = "paper";
      f.source = "join";
      f.recorded_on = *Date::parse("2025-11-05");
      f.consent = true;
      m.facts.push_back(f);
    }
    ASSERT_TRUE(store->add_member(m, AuditEvent{"test", "panel.join", "panel_member", "", {}}).ok());
  }
  HttpResponse call(const std::string& method, const std::string& target, const std::string& body = "") {
    HttpRequest r;
    r.method = method;
    r.target = target;
    r.cookie = "th_staff=" + staff_secret;
    r.body = body;
    if (method == "POST") r.content_type = "application/x-www-form-urlencoded";
    return testing::handle_and_wait(*api, r);
  }
  static std::string csrf_of(const std::string& html) {
    std::smatch m;
    static const std::regex re(R"re(name="csrf" value="([0-9a-f]{64})")re");
    return std::regex_search(html, m, re) ? m[1].str() : "";
  }
  static std::string location(const HttpResponse& r) {
    for (const auto& [k, v] : r.headers) {
      if (k == "Location") return v;
    }
    return "";
  }
  // The draw's page once it has finished.
  HttpResponse finished(const std::string& path) {
    for (int i = 0; i < 300; ++i) {
      auto page = call("GET", path);
      if (page.body.find("The draw is running") == std::string::npos) return page;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "the draw did not finish";
    return {};
  }
  size_t invitations() { return store->invitations_since(*Date::parse("2000-01-01")).value().size(); }

  std::string dir, staff_secret, consultation;
  int64_t clock = 1'800'000'000;
  std::unique_ptr<Store> store;
  std::unique_ptr<Api> api;
};

TEST_F(StaffPanelPages, MembersAreFoundByAnyPartOfNameAddressPostcodeOrWardWhateverTheCase) {
  auto all = call("GET", "/staff/panel");
  ASSERT_EQ(all.status, 200) << all.body;
  for (const char* name : {"Zoë Straße", "Ade Brown", "Carys Jones"}) EXPECT_NE(all.body.find(name), std::string::npos);
  auto count = [&](const std::string& q) {
    auto page = call("GET", "/staff/panel?q=" + q);
    EXPECT_EQ(page.status, 200);
    int n = 0;
    for (const char* name : {"Zoë Straße", "Ade Brown", "Carys Jones"}) n += page.body.find(name) != std::string::npos;
    return n;
  };
  EXPECT_EQ(count("golborne"), 2);
  EXPECT_EQ(count("w10%205ba"), 1);
  EXPECT_EQ(count("STRASSE"), 1);  // full case folding: ß is ss
  EXPECT_EQ(count("ADE%40EXAMPLE"), 1);
  EXPECT_EQ(count("nobody"), 0);
}

TEST_F(StaffPanelPages, ADrawIsPreviewedWithoutRecordingThenTheSamePanelIsInvitedAndAudited) {
  const std::string token = csrf_of(call("GET", "/staff/panel/draws").body);
  ASSERT_EQ(token.size(), 64u);
  // Every field with a problem is named, and nothing is drawn.
  auto bad = call("POST", "/staff/panel/draws", "csrf=" + token + "&size=none&seed=-1&quotas=category%2Cfeature%0Atenure%2COwned");
  ASSERT_EQ(bad.status, 422);
  for (const std::string field : {"consultation", "size", "seed", "quotas"}) {
    EXPECT_NE(bad.body.find("href=\"#" + field + "\""), std::string::npos) << field;
  }
  const std::string quotas = "category%2Cfeature%2Cmin%2Cmax%0Atenure%2CSocial+rented%2C1%2C1%0Atenure%2COwned%2C1%2C1";
  auto started = call("POST", "/staff/panel/draws",
                      "csrf=" + token + "&consultation=" + consultation + "&size=2&seed=42&quotas=" + quotas);
  ASSERT_EQ(started.status, 303) << started.body;
  const std::string preview_path = location(started);
  ASSERT_EQ(preview_path.rfind("/staff/panel/draws/", 0), 0u);
  auto preview = finished(preview_path);
  ASSERT_EQ(preview.status, 200) << preview.body;
  std::smatch commitment;
  ASSERT_TRUE(std::regex_search(preview.body, commitment, std::regex("townhall-commitment\">([0-9a-f]{64})<")));
  EXPECT_NE(preview.body.find("Ade Brown"), std::string::npos);  // the only owner is drawn for sure
  EXPECT_NE(preview.body.find("1.0000"), std::string::npos);     // with probability 1
  EXPECT_NE(preview.body.find("0.5000"), std::string::npos);     // each social renter with 1/2
  EXPECT_EQ(invitations(), 0u);                                   // a preview records nothing

  // A browser without the officer's session is sent to sign in.
  HttpRequest peek;
  peek.method = "GET";
  peek.target = preview_path;
  EXPECT_EQ(testing::handle_and_wait(*api, peek).status, 303);  // no session: sign in first

  auto invite = call("POST", preview_path + "/invite", "csrf=" + csrf_of(preview.body));
  ASSERT_EQ(invite.status, 303) << invite.body;
  auto invited = finished(location(invite));
  ASSERT_EQ(invited.status, 200);
  EXPECT_NE(invited.body.find("Invitations recorded: 2"), std::string::npos) << invited.body;
  EXPECT_EQ(invited.body.find("not the one previewed"), std::string::npos);  // same seed, same panel
  EXPECT_NE(invited.body.find(commitment[1].str()), std::string::npos);
  EXPECT_EQ(invitations(), 2u);
  auto audit = store->audit_entries();
  ASSERT_TRUE(audit.ok());
  bool drawn = false;
  for (const auto& e : *audit) {
    drawn = drawn || (e.event.action == "panel.draw" && e.event.actor.find("Olivia Officer") != std::string::npos);
  }
  EXPECT_TRUE(drawn);
  // The contact limits page counts them against the consultation.
  auto limits = call("GET", "/staff/panel/contact-limits");
  EXPECT_EQ(limits.status, 200);
  EXPECT_NE(limits.body.find(consultation + "</a>: 2"), std::string::npos) << limits.body;
}

TEST_F(StaffPanelPages, QuotasThatCannotBeMetSayWhatWouldWork) {
  const std::string token = csrf_of(call("GET", "/staff/panel/draws").body);
  // Two owners wanted; there is one.
  const std::string quotas = "category%2Cfeature%2Cmin%2Cmax%0Atenure%2CSocial+rented%2C0%2C2%0Atenure%2COwned%2C2%2C2";
  auto started = call("POST", "/staff/panel/draws",
                      "csrf=" + token + "&consultation=" + consultation + "&size=2&quotas=" + quotas);
  ASSERT_EQ(started.status, 303) << started.body;
  auto page = finished(location(started));
  EXPECT_NE(page.body.find("The panel could not be drawn"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("/invite\""), std::string::npos);
  EXPECT_EQ(invitations(), 0u);
}

TEST_F(StaffPanelPages, TheOutboxShowsEachEmailsStateNewestFirst) {
  OutboxEmail e;
  e.to = "first@example.org";
  e.subject = "First";
  e.body = "x\n";
  const int64_t first = store->add_outbox_email(e).value();
  e.to = "second@example.org";
  e.subject = "Second";
  const int64_t second = store->add_outbox_email(e).value();
  ASSERT_TRUE(store->record_failed_attempt(second, "550 no such mailbox", std::nullopt).ok());
  ASSERT_TRUE(store->record_delivered(first, "ref-1").ok());
  auto page = call("GET", "/staff/panel/outbox");
  ASSERT_EQ(page.status, 200);
  EXPECT_LT(page.body.find("second@example.org"), page.body.find("first@example.org"));
  EXPECT_NE(page.body.find("550 no such mailbox"), std::string::npos);
  auto failed = call("GET", "/staff/panel/outbox?state=failed");
  EXPECT_NE(failed.body.find("second@example.org"), std::string::npos);
  EXPECT_EQ(failed.body.find("first@example.org"), std::string::npos);
  EXPECT_EQ(call("GET", "/staff/panel/outbox?state=lost").status, 404);
}

}  // namespace
}  // namespace townhall::server
