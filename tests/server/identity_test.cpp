// Who is who, in process: the attacks of a security test against the Citizens' Panel sign-in,
// response attribution, the browser session and the endpoints that send email, each replayed and
// shown to fail. Sign-in addresses are unique once case-folded and proven by an emailed link
// before use; an unproven claim never takes sign-ins from (or blocks) a council-imported member or
// a proven address; only a member (for themselves) or an officer entering a response names a
// person; the session cookie is the server's own and the CSRF token is bound to the member session;
// joins and emails are rate limited; the save-and-resume link is used up only by its button.
#include <gtest/gtest.h>

#include <map>
#include <regex>

#include <SQLiteCpp/SQLiteCpp.h>

#include "http_client.h"
#include "in_process.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"
#include "townhall/access/token.h"

namespace townhall::server {
namespace {

// A browser: keeps the cookies the server sets, sends them back.
struct Browser {
  std::map<std::string, std::string> cookies;
  std::string header() const {
    std::string out;
    for (const auto& [k, v] : cookies) out += (out.empty() ? "" : "; ") + k + "=" + v;
    return out;
  }
};

class IdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::make_temp_dir("townhall-identity");
    store = std::move(open_sqlite_store(dir + "/t.db", SqliteOptions::creating())).value();
    make_api(ApiOptions{});
    officer = new_bearer_token();
    ASSERT_TRUE(store->add_user(Role::kOfficer, "Olu", hash_token(officer)).ok());
    nlohmann::json doc = {{"title", "Library hours"},
                          {"opens", "2020-01-01"},
                          {"closes", "2099-12-31"},
                          {"questions",
                           {{{"id", "agree"}, {"type", "yes_no"}, {"text", "Do you agree?"}, {"required", true}},
                            {{"id", "why"}, {"type", "free_text"}, {"text", "Why?"}}}}};
    auto rec = store->create_consultation(doc, AuditEvent{"test", "consultation.create", "consultation", "", {}}).value();
    for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                            std::pair{ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
      ASSERT_TRUE(store->transition_consultation(TransitionRecord{rec.id, from, to, 0, {}, {}}).ok());
    }
    consultation = rec.id;
  }
  void TearDown() override {
    api.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  void make_api(ApiOptions o) {
    api.reset();
    o.now_seconds = [this] { return clock; };
    o.today = [] { return Date::parse("2026-03-02").value(); };
    api = std::make_unique<Api>(*store, o);
  }

  HttpResponse call(const std::string& method, const std::string& target, const std::string& token = "",
                    const nlohmann::json& body = nullptr) {
    HttpRequest r;
    r.method = method;
    r.target = target;
    if (!token.empty()) r.authorization = "Bearer " + token;
    if (!body.is_null()) {
      r.body = body.dump();
      r.content_type = "application/json";
    }
    return testing::handle_and_wait(*api, r);
  }
  HttpResponse page(Browser& b, const std::string& method, const std::string& target, const std::string& form = "") {
    HttpRequest r;
    r.method = method;
    r.target = target;
    r.cookie = b.header();
    r.body = form;
    if (method == "POST") r.content_type = "application/x-www-form-urlencoded";
    HttpResponse out = testing::handle_and_wait(*api, r);
    for (const auto& [k, v] : out.headers) {
      if (k != "Set-Cookie") continue;
      std::string pair = v.substr(0, v.find(';'));
      std::string name = pair.substr(0, pair.find('='));
      if (v.find("Max-Age=0") != std::string::npos) {
        b.cookies.erase(name);
      } else {
        b.cookies[name] = pair.substr(pair.find('=') + 1);
      }
    }
    return out;
  }
  static std::string header(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }
  static std::vector<std::string> set_cookies(const HttpResponse& r) {
    std::vector<std::string> out;
    for (const auto& [k, v] : r.headers) {
      if (k == "Set-Cookie") out.push_back(v);
    }
    return out;
  }
  static std::string csrf_of(const std::string& html) {
    std::smatch m;
    static const std::regex re(R"re(name="csrf" value="([0-9a-f]{64})")re");
    return std::regex_search(html, m, re) ? m[1].str() : "";
  }
  nlohmann::json json_of(const HttpResponse& r) { return nlohmann::json::parse(r.body); }

  // The path matching `pattern` in the newest outbox email to `to` ("" when there is none).
  std::string link_in_mail(const std::string& to, const std::string& pattern) {
    auto mails = store->outbox().value();
    for (auto it = mails.rbegin(); it != mails.rend(); ++it) {
      if (it->to != to) continue;
      std::smatch m;
      if (std::regex_search(it->body, m, std::regex("(" + pattern + ")"))) return m[1].str();
    }
    return "";
  }
  size_t mails_to(const std::string& to) {
    size_t n = 0;
    const auto mails = store->outbox().value();
    for (const auto& m : mails) n += m.to == to;
    return n;
  }
  // Asks for a sign-in link for `email` (form-encoded) in browser `b`; the page always says "check your email".
  void ask_sign_in(Browser& b, const std::string& email) {
    std::string token = csrf_of(page(b, "GET", "/en-GB/panel/sign-in").body);
    auto r = page(b, "POST", "/en-GB/panel/sign-in", "email=" + email + "&csrf=" + token);
    EXPECT_EQ(r.status, 303) << r.body;
  }
  // Opens a link and presses its button; the response of the press.
  HttpResponse press(Browser& b, const std::string& link) {
    auto opened = page(b, "GET", link);
    if (opened.status != 200) return opened;
    return page(b, "POST", link, "csrf=" + csrf_of(opened.body));
  }
  // Signs `b` in by the link emailed to `to`; the "what we hold" page, or the failure.
  HttpResponse sign_in(Browser& b, const std::string& form_email, const std::string& to) {
    const size_t before = mails_to(to);
    ask_sign_in(b, form_email);
    if (mails_to(to) == before) return HttpResponse{0, "", "no sign-in email", {}};
    std::string link = link_in_mail(to, "/en-GB/panel/sign-in/[0-9a-f]+");
    auto r = press(b, link);
    if (r.status != 303 || header(r, "Location") != "/en-GB/panel/me") return r;
    return page(b, "GET", "/en-GB/panel/me");
  }
  void import_csv(const std::string& csv) {
    auto r = call("POST", "/api/v1/panel/import", officer, {{"csv", csv}});
    ASSERT_EQ(r.status, 201) << r.body;
  }

  std::string dir, officer, consultation;
  int64_t clock = 1'800'000'000;
  std::unique_ptr<Store> store;
  std::unique_ptr<Api> api;
};

// ---- sign-in addresses ---------------------------------------------------------------------------

// The issue's attack: an attacker joins with Victim@Example.org before the council imports
// victim@example.org. The import goes through, and the victim's sign-ins open the victim's record.
TEST_F(IdentityTest, AJoinWithSomeoneElsesAddressNeverReceivesTheirSignIns) {
  auto joined = call("POST", "/api/v1/panel/join", "", {{"name", "Mallory Attacker"}, {"email", "Victim@Example.org"}, {"consent", false}});
  ASSERT_EQ(joined.status, 201) << joined.body;
  import_csv("name,email,consent\nVictoria Vale,victim@example.org,yes\n");
  // Joining again now that the address is the victim's: the same answer as any join, no link, and
  // the victim (at the address they proved) is told someone tried.
  auto again = call("POST", "/api/v1/panel/join", "", {{"name", "Mallory Again"}, {"email", "VICTIM@example.org"}, {"consent", false}});
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(json_of(again)["email_confirmation"], json_of(joined)["email_confirmation"]);
  EXPECT_EQ(mails_to("VICTIM@example.org"), 0u);
  EXPECT_EQ(mails_to("victim@example.org"), 1u);
  EXPECT_TRUE(link_in_mail("victim@example.org", "/confirm-email/[0-9a-f]+").empty());
  Browser victim;
  auto me = sign_in(victim, "victim%40example.org", "victim@example.org");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_NE(me.body.find("Victoria Vale"), std::string::npos);
  EXPECT_EQ(me.body.find("Mallory"), std::string::npos);
}

// A joined address is a claim until its emailed link is pressed: no sign-in before that.
TEST_F(IdentityTest, AJoinedAddressSignsInOnlyAfterItsEmailedLinkIsPressed) {
  auto joined = call("POST", "/api/v1/panel/join", "", {{"name", "Nia Newcomer"}, {"email", "nia@example.org"}, {"consent", false}});
  ASSERT_EQ(joined.status, 201) << joined.body;
  std::string confirm = link_in_mail("nia@example.org", "/[A-Za-z-]+/panel/confirm-email/[0-9a-f]+");
  ASSERT_FALSE(confirm.empty()) << "no confirmation link was emailed";
  Browser nia;
  EXPECT_EQ(sign_in(nia, "nia%40example.org", "nia@example.org").status, 0);  // no sign-in email yet
  // Opening the link (a mail scanner) proves nothing; only its button does.
  for (int i = 0; i < 2; ++i) EXPECT_EQ(page(nia, "GET", confirm).status, 200);
  EXPECT_EQ(sign_in(nia, "nia%40example.org", "nia@example.org").status, 0);
  auto pressed = press(nia, confirm);
  EXPECT_EQ(pressed.status, 303) << pressed.body;
  EXPECT_EQ(press(nia, confirm).status, 410);  // used up
  auto me = sign_in(nia, "nia%40example.org", "nia@example.org");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_NE(me.body.find("Nia Newcomer"), std::string::npos);
}

// An attacker's earlier unconfirmed claim on an address does not stop its owner joining and
// confirming it; the attacker's link (which went to the owner's mailbox anyway) then fails.
TEST_F(IdentityTest, AnUnconfirmedClaimNeverBlocksTheAddressesOwner) {
  ASSERT_EQ(call("POST", "/api/v1/panel/join", "", {{"name", "Mallory Attacker"}, {"email", "OWEN@example.org"}, {"consent", false}}).status, 201);
  std::string mallorys = link_in_mail("OWEN@example.org", "/[A-Za-z-]+/panel/confirm-email/[0-9a-f]+");
  ASSERT_EQ(call("POST", "/api/v1/panel/join", "", {{"name", "Owen Owner"}, {"email", "owen@example.org"}, {"consent", false}}).status, 201);
  std::string owens = link_in_mail("owen@example.org", "/[A-Za-z-]+/panel/confirm-email/[0-9a-f]+");
  ASSERT_FALSE(owens.empty());
  Browser owen;
  ASSERT_EQ(press(owen, owens).status, 303);
  EXPECT_EQ(press(owen, mallorys).status, 409);  // the address is Owen's now
  auto me = sign_in(owen, "Owen%40Example.org", "owen@example.org");  // sent to the proven address
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_NE(me.body.find("Owen Owner"), std::string::npos);
}

// The second half of the attack: a signed-in member moves their email onto someone else's. The
// change is refused without saying so (the same page as a change that will go through), the
// owner is told by email, and the new address counts only once its link is pressed.
TEST_F(IdentityTest, AMemberCannotMoveTheirEmailOntoAnotherMembersAndLearnsNothing) {
  import_csv("name,email,consent\nAda Lovelace,ada@example.org,yes\nBo Brummell,bo@example.org,yes\n");
  Browser ada;
  ASSERT_EQ(sign_in(ada, "ada%40example.org", "ada@example.org").status, 200);
  std::string token = csrf_of(page(ada, "GET", "/en-GB/panel/me/details/email").body);
  auto taken = page(ada, "POST", "/en-GB/panel/me/details/email", "value=BO%40Example.org&csrf=" + token);
  auto fresh = page(ada, "POST", "/en-GB/panel/me/details/email", "value=ada.new%40example.org&csrf=" + token);
  EXPECT_EQ(taken.status, fresh.status);
  EXPECT_EQ(header(taken, "Location"), header(fresh, "Location"));
  EXPECT_NE(header(fresh, "Location"), "/en-GB/panel/me");  // "check your email", not done yet
  EXPECT_EQ(taken.body, fresh.body);
  // Bo's mailbox (the address he proved, not the spelling Ada typed) was told someone tried,
  // with no link to press.
  EXPECT_EQ(mails_to("BO@Example.org"), 0u);
  EXPECT_EQ(mails_to("bo@example.org"), 1u);
  EXPECT_TRUE(link_in_mail("bo@example.org", "/confirm-email/[0-9a-f]+").empty());
  // Nothing changed yet; Bo's sign-in still opens Bo's record.
  auto members = store->list_members().value();
  EXPECT_EQ(members[0].personal["email"], "ada@example.org");
  Browser bo;
  auto bos = sign_in(bo, "bo%40example.org", "bo@example.org");
  ASSERT_EQ(bos.status, 200);
  EXPECT_NE(bos.body.find("Bo Brummell"), std::string::npos);
  EXPECT_EQ(bos.body.find("Ada Lovelace"), std::string::npos);
  // The fresh address becomes Ada's once she presses its link.
  std::string link = link_in_mail("ada.new@example.org", "/en-GB/panel/confirm-email/[0-9a-f]+");
  ASSERT_FALSE(link.empty());
  EXPECT_EQ(press(ada, link).status, 303);
  EXPECT_EQ(store->get_member(members[0].id)->personal["email"], "ada.new@example.org");
  Browser again;
  EXPECT_EQ(sign_in(again, "ada%40example.org", "ada@example.org").status, 0);  // the old address no longer signs in
  EXPECT_EQ(sign_in(again, "ada.new%40example.org", "ada.new@example.org").status, 200);
}

// The same through the API: a member's new address is proven by the emailed link; a clash looks
// exactly like a change that will go through.
TEST_F(IdentityTest, TheApiChangeOfEmailIsProvenByLinkAndAClashRevealsNothing) {
  import_csv("name,email,consent\nBo Brummell,bo@example.org,yes\n");
  auto joined = json_of(call("POST", "/api/v1/panel/join", "", {{"name", "Cy Member"}, {"consent", false}}));
  const std::string token = joined["token"];
  auto taken = call("PUT", "/api/v1/me/panel/email", token, {{"email", "Bo@example.org"}});
  auto fresh = call("PUT", "/api/v1/me/panel/email", token, {{"email", "cy@example.org"}});
  EXPECT_EQ(taken.status, 202) << taken.body;
  EXPECT_EQ(taken.status, fresh.status);
  EXPECT_EQ(taken.body, fresh.body);
  EXPECT_EQ(call("PUT", "/api/v1/me/panel/email", token, {{"email", "not an address"}}).status, 422);
  EXPECT_EQ(call("PUT", "/api/v1/me/panel/email", "", {{"email", "cy@example.org"}}).status, 401);
  auto me = json_of(call("GET", "/api/v1/me/panel", token));
  EXPECT_FALSE(me["member"]["personal"].contains("email"));
  Browser cy;
  ASSERT_EQ(press(cy, link_in_mail("cy@example.org", "/[A-Za-z-]+/panel/confirm-email/[0-9a-f]+")).status, 303);
  me = json_of(call("GET", "/api/v1/me/panel", token));
  EXPECT_EQ(me["member"]["personal"]["email"], "cy@example.org");
}

// Addresses are compared trimmed and case-folded (ICU full case folding, so non-ASCII addresses too).
TEST_F(IdentityTest, SignInAddressesAreComparedTrimmedAndCaseFolded) {
  import_csv("name,email,consent\nGreta Groß,straße@example.de,yes\nAnna Ανναπολίτου,αννα@example.gr,yes\n");
  Browser b;
  auto greta = sign_in(b, "STRASSE%40EXAMPLE.DE", "straße@example.de");
  ASSERT_EQ(greta.status, 200) << greta.body;
  EXPECT_NE(greta.body.find("Greta"), std::string::npos);
  Browser c;
  auto anna = sign_in(c, "+%CE%91%CE%9D%CE%9D%CE%91%40Example.gr+", "αννα@example.gr");  // " ΑΝΝΑ@Example.gr "
  ASSERT_EQ(anna.status, 200) << anna.body;
  EXPECT_NE(anna.body.find("Anna"), std::string::npos);
  // Two members with one sign-in address: the import is refused, naming the row; nothing is added.
  auto clash = call("POST", "/api/v1/panel/import", officer, {{"csv", "name,email,consent\nDi,di@example.org,yes\nDee,DI@example.org,yes\n"}});
  EXPECT_EQ(clash.status, 409) << clash.body;
  EXPECT_NE(json_of(clash)["detail"].get<std::string>().find("row 2"), std::string::npos) << clash.body;
  EXPECT_EQ(store->list_members()->size(), 2u);
}

// ---- who a response is attributed to -------------------------------------------------------------

TEST_F(IdentityTest, OnlyTheMemberThemselvesOrAnOfficerEnteringAResponseNamesAPerson) {
  import_csv("name,email,consent\nAda Lovelace,ada@example.org,yes\n");
  const int64_t person = store->list_members()->front().person_id;
  const std::string path = "/api/v1/consultations/" + consultation + "/responses";
  auto body = [](int64_t p) { return nlohmann::json{{"answers", {{"agree", true}}}, {"person_id", p}}; };
  // Anonymous: the same refusal for a person who exists and one who does not.
  auto real = call("POST", path, "", body(person));
  auto unknown = call("POST", path, "", body(person + 1000));
  EXPECT_EQ(real.status, 403) << real.body;
  EXPECT_EQ(real.status, unknown.status);
  EXPECT_EQ(real.body, unknown.body);
  // An officer answering online is not entering a response for someone.
  EXPECT_EQ(call("POST", path, officer, body(person)).status, 403);
  // A panel_member user with no membership names nobody either.
  std::string stray = new_bearer_token();
  ASSERT_TRUE(store->add_user(Role::kPanelMember, "stray", hash_token(stray)).ok());
  auto strays = call("POST", path, stray, body(person));
  EXPECT_EQ(strays.status, 403);
  EXPECT_EQ(strays.body, real.body);
  EXPECT_TRUE(store->responses_of_person(person)->empty());
  EXPECT_EQ(store->count_responses(consultation).value(), 0);
  // An officer entering a paper response names the person.
  auto entered = call("POST", path, officer, {{"answers", {{"agree", true}}}, {"person_id", person}, {"channel", "paper"}});
  EXPECT_EQ(entered.status, 201) << entered.body;
  EXPECT_EQ(store->responses_of_person(person)->size(), 1u);
}

// ---- the browser session -----------------------------------------------------------------------

TEST_F(IdentityTest, AClientChosenSessionCookieIsReplacedByTheServersOwn) {
  const std::string chosen(64, 'a');
  Browser b;
  b.cookies["th_session"] = chosen;
  auto r = page(b, "GET", "/en-GB/panel/sign-in");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(b.cookies["th_session"], chosen);
  bool set = false;
  for (const auto& c : set_cookies(r)) set = set || c.rfind("th_session=", 0) == 0;
  EXPECT_TRUE(set);
  // A value the server issued is kept.
  auto again = page(b, "GET", "/en-GB/panel/sign-in");
  EXPECT_TRUE(set_cookies(again).empty());
  EXPECT_EQ(csrf_of(again.body), csrf_of(r.body));
}

// Session A's CSRF token with member B's cookie must not change B's phone.
TEST_F(IdentityTest, ACsrfTokenWorksOnlyWithTheMemberSessionItWasIssuedFor) {
  import_csv("name,email,consent\nAda Lovelace,ada@example.org,yes\nBo Brummell,bo@example.org,yes\n");
  Browser attacker, bo;
  ASSERT_EQ(sign_in(attacker, "ada%40example.org", "ada@example.org").status, 200);
  ASSERT_EQ(sign_in(bo, "bo%40example.org", "bo@example.org").status, 200);
  const std::string token = csrf_of(page(attacker, "GET", "/en-GB/panel/me/details/phone").body);
  ASSERT_FALSE(token.empty());
  // Bo's browser, carrying the attacker's session cookie (fixed in it beforehand) and Bo's sign-in.
  Browser forged = bo;
  forged.cookies["th_session"] = attacker.cookies["th_session"];
  auto r = page(forged, "POST", "/en-GB/panel/me/details/phone", "value=0666&csrf=" + token);
  EXPECT_EQ(r.status, 403) << r.body;
  auto members = store->list_members().value();
  EXPECT_FALSE(members[1].personal.contains("phone"));
  // An anonymous session's token does not work once someone signs in on it either.
  Browser anonymous;
  const std::string anon_token = csrf_of(page(anonymous, "GET", "/en-GB/panel/sign-in").body);
  Browser fixed = bo;
  fixed.cookies["th_session"] = anonymous.cookies["th_session"];
  EXPECT_EQ(page(fixed, "POST", "/en-GB/panel/me/details/phone", "value=0666&csrf=" + anon_token).status, 403);
  EXPECT_FALSE(store->list_members().value()[1].personal.contains("phone"));
  // Bo's own page and token do work.
  const std::string bos = csrf_of(page(bo, "GET", "/en-GB/panel/me/details/phone").body);
  EXPECT_EQ(page(bo, "POST", "/en-GB/panel/me/details/phone", "value=020+7946+0000&csrf=" + bos).status, 303);
}

TEST_F(IdentityTest, CookiesAreSecureWhenTheSiteIsServedOverHttps) {
  import_csv("name,email,consent\nAda Lovelace,ada@example.org,yes\n");
  Browser plain;
  for (const auto& c : set_cookies(page(plain, "GET", "/en-GB/panel/sign-in"))) {
    EXPECT_EQ(c.find("; Secure"), std::string::npos) << c;
  }
  ApiOptions o;
  o.public_url = "https://haveyoursay.example.gov.uk";
  make_api(o);
  Browser b;
  auto first = page(b, "GET", "/en-GB/panel/sign-in");
  ASSERT_FALSE(set_cookies(first).empty());
  for (const auto& c : set_cookies(first)) EXPECT_NE(c.find("; Secure"), std::string::npos) << c;
  ask_sign_in(b, "ada%40example.org");
  std::string link = link_in_mail("ada@example.org", "/en-GB/panel/sign-in/[0-9a-f]+");
  ASSERT_FALSE(link.empty());
  auto signed_in = press(b, link);
  ASSERT_EQ(signed_in.status, 303);
  bool member_cookie = false;
  for (const auto& c : set_cookies(signed_in)) {
    EXPECT_NE(c.find("; Secure"), std::string::npos) << c;
    member_cookie = member_cookie || c.rfind("th_member=", 0) == 0;
  }
  EXPECT_TRUE(member_cookie);
}

// ---- rate limits ----------------------------------------------------------------------------------

// 2,000 fake members were created in one second.
TEST_F(IdentityTest, JoiningIsRateLimitedPerClient) {
  int created = 0, limited = 0;
  HttpResponse last;
  for (int i = 0; i < 300; ++i) {
    auto r = call("POST", "/api/v1/panel/join", "", {{"name", "Fake " + std::to_string(i)}, {"consent", false}});
    if (r.status == 201) ++created;
    if (r.status == 429) {
      ++limited;
      last = r;
    }
  }
  EXPECT_LE(created, 20);
  EXPECT_GE(created, 1);
  EXPECT_EQ(created + limited, 300);
  EXPECT_EQ(store->list_members()->size(), static_cast<size_t>(created));
  ASSERT_EQ(last.status, 429);
  EXPECT_EQ(last.content_type, "application/problem+json");
  EXPECT_EQ(json_of(last)["type"], "urn:townhall:problem:too-many-requests");
  const std::string retry = header(last, "Retry-After");
  ASSERT_FALSE(retry.empty());
  EXPECT_GT(std::stoll(retry), 0);
}

// Save-and-come-back links to one address, again and again.
TEST_F(IdentityTest, EmailsToOneAddressAreRateLimited) {
  Browser b;
  std::string base = "/en-GB/consultations/" + consultation;
  std::string token = csrf_of(page(b, "GET", base + "/questions/1").body);
  ASSERT_EQ(page(b, "POST", base + "/questions/1", "answer=yes&csrf=" + token).status, 303);
  int sent = 0;
  HttpResponse last;
  for (int i = 0; i < 12; ++i) {
    last = page(b, "POST", base + "/save", "email=victim%40example.org&csrf=" + token);
    if (last.status == 303) ++sent;
  }
  EXPECT_LE(mails_to("victim@example.org"), 5u);
  EXPECT_EQ(mails_to("victim@example.org"), static_cast<size_t>(sent));
  EXPECT_EQ(last.status, 429);
  EXPECT_EQ(last.content_type, "text/html; charset=utf-8");
  EXPECT_FALSE(header(last, "Retry-After").empty());
}

// ---- save and come back later -------------------------------------------------------------------

TEST_F(IdentityTest, AResumeLinkIsUsedUpOnlyByItsButton) {
  Browser b;
  std::string base = "/en-GB/consultations/" + consultation;
  std::string token = csrf_of(page(b, "GET", base + "/questions/1").body);
  ASSERT_EQ(page(b, "POST", base + "/questions/1", "answer=yes&csrf=" + token).status, 303);
  ASSERT_EQ(page(b, "POST", base + "/save", "email=me%40example.org&csrf=" + token).status, 303);
  std::string link = link_in_mail("me@example.org", base + "/resume/[0-9a-f]+");
  ASSERT_FALSE(link.empty());
  Browser other;
  // A mail scanner fetches the link twice: a page with a button, nothing used up.
  for (int i = 0; i < 2; ++i) {
    auto opened = page(other, "GET", link);
    EXPECT_EQ(opened.status, 200) << opened.body;
    EXPECT_NE(opened.body.find("action=\"" + link + "\""), std::string::npos);
  }
  auto resumed = press(other, link);
  EXPECT_EQ(resumed.status, 303);
  EXPECT_EQ(header(resumed, "Location"), base + "/questions/2");
  EXPECT_EQ(page(other, "GET", link).status, 410);  // once only
}

// ---- behind a reverse proxy, over real HTTP ----------------------------------------------------

// The real server fills in the peer's address: X-Forwarded-Proto and X-Forwarded-For count only
// from a --trusted-proxy, and then each forwarded client has its own limit.
TEST(IdentityOverHttp, ForwardedHeadersCountOnlyFromATrustedProxy) {
  const std::string dir = testing::make_temp_dir("townhall-identity-http");
  const nlohmann::json join = {{"name", "Pat"}, {"consent", false}};
  {
    ::townhall::testing::ServerProcess server(dir + "/a.db", {"--trusted-proxy", "127.0.0.1", "--join-limit", "2"});
    ::townhall::testing::HttpClient proxy(server.port);
    auto page = proxy.request("GET", "/en-GB/panel/sign-in", "", {{"X-Forwarded-Proto", "https"}});
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.header("set-cookie").find("; Secure"), std::string::npos) << page.header("set-cookie");
    auto plain = proxy.request("GET", "/en-GB/panel/sign-in", "", {{"X-Forwarded-Proto", "http"}});
    EXPECT_EQ(plain.header("set-cookie").find("; Secure"), std::string::npos) << plain.header("set-cookie");
    for (int i = 0; i < 2; ++i) EXPECT_EQ(proxy.post("/api/v1/panel/join", join, {{"X-Forwarded-For", "198.51.100.1"}}).status, 201);
    auto limited = proxy.post("/api/v1/panel/join", join, {{"X-Forwarded-For", "203.0.113.50, 198.51.100.1"}});
    EXPECT_EQ(limited.status, 429);
    EXPECT_FALSE(limited.header("retry-after").empty());
    EXPECT_EQ(proxy.post("/api/v1/panel/join", join, {{"X-Forwarded-For", "198.51.100.2"}}).status, 201);
  }
  {
    ::townhall::testing::ServerProcess server(dir + "/b.db", {"--join-limit", "2"});
    ::townhall::testing::HttpClient client(server.port);
    auto page = client.request("GET", "/en-GB/panel/sign-in", "", {{"X-Forwarded-Proto", "https"}});
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(page.header("set-cookie").find("; Secure"), std::string::npos) << page.header("set-cookie");
    // A made-up X-Forwarded-For does not buy a fresh limit.
    EXPECT_EQ(client.post("/api/v1/panel/join", join, {{"X-Forwarded-For", "198.51.100.1"}}).status, 201);
    EXPECT_EQ(client.post("/api/v1/panel/join", join, {{"X-Forwarded-For", "198.51.100.2"}}).status, 201);
    EXPECT_EQ(client.post("/api/v1/panel/join", join, {{"X-Forwarded-For", "198.51.100.3"}}).status, 429);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace townhall::server
