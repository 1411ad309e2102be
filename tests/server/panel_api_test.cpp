// The Citizens' Panel over the API in process: join, ask once on every channel (member online,
// officer-entered by person id), import all-or-nothing, invitations within the contact limit,
// "what do you hold about me" and erasure, the pool report (census and the council's own targets), the
// repeated-question check, and draws from the members database within the contact limits.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "in_process.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"
#include "townhall/access/token.h"

namespace townhall::server {
namespace {

class PanelApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::make_temp_dir("townhall-panel-api");
    store = std::move(open_sqlite_store(dir + "/t.db", SqliteOptions::creating())).value();
    ApiOptions o;
    o.today = [] { return Date::parse("2026-03-02").value(); };
    o.policy.panel_max_invitations = 1;  // one invitation per 365 days, to see the limit bite
    api = std::make_unique<Api>(*store, o);
    officer = new_bearer_token();
    ASSERT_TRUE(store->add_user(Role::kOfficer, "Olu", hash_token(officer)).ok());
  }
  void TearDown() override {
    api.reset();
    store.reset();
    std::filesystem::remove_all(dir);
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
  nlohmann::json json_of(const HttpResponse& r) { return nlohmann::json::parse(r.body); }

  std::string open_consultation(const std::string& title, nlohmann::json questions, nlohmann::json wards = nlohmann::json::array()) {
    nlohmann::json doc = {{"title", title}, {"opens", "2026-02-01"}, {"closes", "2026-12-31"}, {"questions", questions}, {"wards", wards}};
    auto c = store->create_consultation(doc, AuditEvent{"test", "consultation.create", "consultation", "", {}}).value();
    for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                            std::pair{ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
      TransitionRecord t;
      t.consultation_id = c.id;
      t.from = from;
      t.to = to;
      EXPECT_TRUE(store->transition_consultation(t).ok());
    }
    return c.id;
  }

  std::string dir, officer;
  std::unique_ptr<Store> store;
  std::unique_ptr<Api> api;
};

const nlohmann::json kQuestions = {
    {{"id", "tenure"}, {"type", "single_choice"}, {"text", "Do you own or rent?"}, {"required", true}, {"fact_key", "tenure"},
     {"options", {"Owned", "Social rented", "Private rented"}}},
    {{"id", "age"}, {"type", "single_choice"}, {"text", "Your age band"}, {"fact_key", "age_band"},
     {"options", {"16-24", "25-44", "45-64", "65+"}}},
    {{"id", "view"}, {"type", "scale"}, {"text", "How good is the park?"}}};

TEST_F(PanelApiTest, AMemberJoinsAndIsNotAskedWhatTheCouncilAlreadyHolds) {
  std::string c1 = open_consultation("Parks", kQuestions);
  std::string c2 = open_consultation("Libraries", kQuestions);
  auto joined = call("POST", "/api/v1/panel/join", "",
                     {{"name", "Ada"}, {"email", "ada@example.org"}, {"consent", true},
                      {"facts", {{"ward", "Golborne"}, {"tenure", "Social rented"}, {"postcode", "w10 5rp"}}}});
  ASSERT_EQ(joined.status, 201) << joined.body;
  const std::string token = json_of(joined)["token"];
  const int64_t person = json_of(joined)["person_id"];

  auto qs = json_of(call("GET", "/api/v1/consultations/" + c1 + "/my-questions", token));
  EXPECT_TRUE(qs["items"][0]["known"].get<bool>());
  EXPECT_EQ(qs["items"][0]["prefill"], "Social rented");
  EXPECT_FALSE(qs["items"][1]["known"].get<bool>());
  EXPECT_EQ(qs["known"], 1);

  // The required tenure question is not answered again: it comes from the fact.
  auto r = call("POST", "/api/v1/consultations/" + c1 + "/responses", token, {{"answers", {{"age", "25-44"}, {"view", 4}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto stored = store->response_by_reference(json_of(r)["reference"]).value();
  EXPECT_EQ(stored.answers["tenure"], "Social rented");
  EXPECT_EQ(stored.person_id, person);
  // The age band given in that response is now held, with the response as its provenance.
  qs = json_of(call("GET", "/api/v1/consultations/" + c2 + "/my-questions", token));
  EXPECT_EQ(qs["known"], 2);
  EXPECT_EQ(qs["items"][1]["fact"]["source"], "response " + stored.reference);

  // Officer-entered (paper) for the same person: filled the same way.
  r = call("POST", "/api/v1/consultations/" + c2 + "/responses", officer,
           {{"answers", {{"view", 2}}}, {"channel", "paper"}, {"person_id", person}});
  ASSERT_EQ(r.status, 201) << r.body;
  stored = store->response_by_reference(json_of(r)["reference"]).value();
  EXPECT_EQ(stored.answers["tenure"], "Social rented");
  EXPECT_EQ(stored.answers["age"], "25-44");
  // Officers see the member's questions by person id.
  auto officer_view = call("GET", "/api/v1/consultations/" + c2 + "/my-questions?person_id=" + std::to_string(person), officer);
  EXPECT_EQ(json_of(officer_view)["known"], 2);
  EXPECT_EQ(call("GET", "/api/v1/consultations/" + c2 + "/my-questions", officer).status, 400);

  // A member cannot answer for somebody else.
  r = call("POST", "/api/v1/consultations/" + c2 + "/responses", token, {{"answers", {{"view", 2}}}, {"person_id", person + 1}});
  EXPECT_EQ(r.status, 403);
}

TEST_F(PanelApiTest, MembersSeeEverythingHeldAndErasureKeepsTheirAnswersWithoutTheLink) {
  std::string c1 = open_consultation("Parks", kQuestions);
  auto joined = json_of(call("POST", "/api/v1/panel/join", "",
                             {{"name", "Bo"}, {"consent", true}, {"facts", {{"tenure", "Owned"}}}}));
  const std::string token = joined["token"];
  auto r = call("POST", "/api/v1/consultations/" + c1 + "/responses", token, {{"answers", {{"view", 5}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string reference = json_of(r)["reference"];
  ASSERT_EQ(call("POST", "/api/v1/panel/invitations", officer, {{"consultation_id", c1}, {"member_ids", {joined["member_id"]}}}).status, 201);

  ASSERT_TRUE(store->set_equality_data(joined["person_id"].get<int64_t>(), {{"religion", "Buddhist"}}).ok());
  auto held = call("GET", "/api/v1/me/panel", token);
  ASSERT_EQ(held.status, 200) << held.body;
  auto h = json_of(held);
  EXPECT_EQ(h["equality_data"]["religion"], "Buddhist");
  EXPECT_EQ(h["member"]["personal"]["name"], "Bo");
  EXPECT_EQ(h["facts"][0]["key"], "tenure");
  EXPECT_EQ(h["facts"][0]["source"], "join");
  EXPECT_EQ(h["invitations"][0]["consultation_id"], c1);
  EXPECT_EQ(h["responses"][0]["reference"], reference);

  auto erased = call("DELETE", "/api/v1/me/panel", token);
  ASSERT_EQ(erased.status, 200) << erased.body;
  EXPECT_EQ(json_of(erased)["responses_unlinked"], 1);
  EXPECT_EQ(call("GET", "/api/v1/me/panel", token).status, 401);  // the sign-in went with the data
  auto kept = store->response_by_reference(reference).value();
  EXPECT_FALSE(kept.person_id.has_value());
  EXPECT_FALSE(kept.submitted_by.has_value());
  EXPECT_EQ(kept.answers["view"], 5);
  EXPECT_EQ(kept.answers["tenure"], "Owned");
  EXPECT_TRUE(store->list_members()->empty());
}

TEST_F(PanelApiTest, ImportNamesBadRowsAndKeepsNothingThenInvitationsRespectTheLimit) {
  auto bad = call("POST", "/api/v1/panel/import", officer,
                  {{"csv", "id,name,ward,consent\nR-1,Ada,Golborne,yes\nR-2,,Colville,yes\n"}, {"source", "list.csv"}});
  ASSERT_EQ(bad.status, 422);
  EXPECT_NE(json_of(bad)["detail"].get<std::string>().find("list.csv, row 2 (line 3), column 'name'"), std::string::npos) << bad.body;
  EXPECT_TRUE(store->list_members()->empty());
  auto ok = call("POST", "/api/v1/panel/import", officer,
                 {{"csv", "id,name,ward,tenure,consent\nR-1,Ada,Golborne,Social rented,yes\nR-2,Bo,Golborne,Owned,yes\n"
                          "R-3,Cy,Colville,Owned,yes\n"}});
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(json_of(ok)["imported"], 3);
  auto again = call("POST", "/api/v1/panel/import", officer, {{"csv", "id,name,consent\nR-9,Di,yes\nR-2,Bo,yes\n"}});
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(json_of(again)["detail"].get<std::string>().find("row 2"), std::string::npos) << again.body;
  EXPECT_EQ(store->list_members()->size(), 3u);

  std::string c1 = open_consultation("Parks", kQuestions);
  std::string c2 = open_consultation("Roads", kQuestions);
  auto first = json_of(call("POST", "/api/v1/panel/invitations", officer, {{"consultation_id", c1}, {"sample", 2}, {"seed", 7}}));
  ASSERT_EQ(first["invited"].size(), 2u);
  EXPECT_EQ(first["excluded"]["count"], 0);
  // Policy: 1 invitation in 365 days. The two invited are left out of the next draw, with reasons.
  auto second = json_of(call("POST", "/api/v1/panel/invitations", officer, {{"consultation_id", c2}, {"sample", 3}, {"seed", 7}}));
  EXPECT_EQ(second["invited"].size(), 1u);
  EXPECT_EQ(second["excluded"]["count"], 2);
  EXPECT_NE(second["excluded"]["members"][0]["reason"].get<std::string>().find("at most 1 invitation in 365 days"), std::string::npos);
  EXPECT_EQ(second["excluded"]["members"][0]["eligible_again"], "2027-03-02");
}

// A panel whose members have not given a fact yet still has a report: the targets and the counts,
// with no fit (there is nothing to fit) rather than an error.
TEST_F(PanelApiTest, PoolReportBeforeAnyMemberHasTheFact) {
  auto empty = call("GET", "/api/v1/panel/report?census=tenure&by_ward=false", officer);
  ASSERT_EQ(empty.status, 200) << empty.body;
  auto j = json_of(empty);
  EXPECT_EQ(j["members"], 0);
  ASSERT_EQ(j["categories"].size(), 1u);
  const auto& tenure = j["categories"][0];
  EXPECT_EQ(tenure["n"], 0);
  EXPECT_TRUE(tenure["chi_square"].is_null());
  EXPECT_TRUE(tenure["p_value"].is_null());
  double shares = 0;
  for (const auto& v : tenure["values"]) {
    EXPECT_EQ(v["count"], 0);
    shares += v["target_share"].get<double>();
  }
  EXPECT_NEAR(shares, 1.0, 1e-9);
  // Members without the fact are counted as missing; still no fit.
  ASSERT_EQ(call("POST", "/api/v1/panel/import", officer, {{"csv", "name,ward,consent\nAda,Golborne,yes\n"}}).status, 201);
  auto missing = json_of(call("GET", "/api/v1/panel/report?census=tenure&by_ward=false", officer));
  EXPECT_EQ(missing["categories"][0]["missing"], 1);
  EXPECT_TRUE(missing["categories"][0]["chi_square"].is_null());
}

TEST_F(PanelApiTest, PoolReportAndRepeatedQuestions) {
  std::string csv = "name,ward,tenure,consent\n";
  for (int i = 0; i < 10; ++i) csv += "M" + std::to_string(i) + ",Golborne," + (i < 2 ? "Social rented" : "Owned") + ",yes\n";
  ASSERT_EQ(call("POST", "/api/v1/panel/import", officer, {{"csv", csv}}).status, 201);
  auto rep = call("GET", "/api/v1/panel/report?census=tenure", officer);
  ASSERT_EQ(rep.status, 200) << rep.body;
  auto j = json_of(rep);
  EXPECT_EQ(j["members"], 10);
  EXPECT_EQ(j["categories"][0]["category"], "tenure");
  // Golborne: t = 2535/3804; (10t − 2)/(1 − t) = (25350 − 7608)/1269 = 13.98 → 14.
  bool found = false;
  for (const auto& g : j["gaps"]) {
    if (g.value("ward", "") == "Golborne" && g["value"] == "Social rented") {
      EXPECT_EQ(g["add"], 14);
      found = true;
    }
  }
  EXPECT_TRUE(found) << rep.body;
  EXPECT_EQ(call("GET", "/api/v1/panel/report?census=shoe_size", officer).status, 400);

  open_consultation("Parks", {{{"id", "q1"}, {"type", "free_text"}, {"text", "How could we improve the park?"}}}, {"Golborne"});
  auto draft = store->create_consultation(
      {{"title", "Parks again"}, {"wards", {"Golborne"}},
       {"questions", {{{"id", "x"}, {"type", "free_text"}, {"text", "How could we improve the PARK"}}}}},
      AuditEvent{"test", "consultation.create", "consultation", "", {}});
  auto rq = call("GET", "/api/v1/consultations/" + draft->id + "/repeated-questions", officer);
  ASSERT_EQ(rq.status, 200) << rq.body;
  ASSERT_EQ(json_of(rq)["items"].size(), 1u);
  EXPECT_EQ(json_of(rq)["items"][0]["earlier"]["consultation_id"], "c-1");
}

// 12 members: six women and six men, age bands 16-34 and 35+ alternating; member 13 has no age band.
std::string draw_pool_csv() {
  std::string csv = "name,sex,age_band,consent\n";
  for (int i = 1; i <= 12; ++i) {
    csv += "M" + std::to_string(i) + "," + (i <= 6 ? "Female" : "Male") + "," + (i % 2 ? "16-34" : "35+") + ",yes\n";
  }
  return csv + "M13,Female,,yes\n";
}

nlohmann::json draw_quotas(int women, int men) {
  return {{{"category", "sex"}, {"value", "Female"}, {"min", women}, {"max", women}},
          {{"category", "sex"}, {"value", "Male"}, {"min", men}, {"max", men}},
          {{"category", "age_band"}, {"value", "16-34"}, {"min", 0}, {"max", 10}},
          {{"category", "age_band"}, {"value", "35+"}, {"min", 0}, {"max", 10}}};
}

TEST_F(PanelApiTest, DrawsLeaveOutMembersOverTheLimitAndSayWhyThenInviteThePanel) {
  ASSERT_EQ(call("POST", "/api/v1/panel/import", officer, {{"csv", draw_pool_csv()}}).status, 201);
  std::string earlier = open_consultation("Earlier", kQuestions), c = open_consultation("Libraries", kQuestions);
  // The limit here is 1 invitation in 365 days: members 1 and 7 have had theirs.
  ASSERT_EQ(call("POST", "/api/v1/panel/invitations", officer, {{"consultation_id", earlier}, {"member_ids", {1, 7}}}).status, 201);

  auto res = call("POST", "/api/v1/panel/draws", officer,
                  {{"consultation_id", c}, {"size", 4}, {"quotas", draw_quotas(2, 2)}, {"seed", 11}});
  ASSERT_EQ(res.status, 201) << res.body;
  auto j = json_of(res);
  EXPECT_EQ(j["eligible"], 10);
  EXPECT_EQ(j["excluded"]["count"], 3);
  EXPECT_EQ(j["excluded"]["summary"],
            "3 excluded: 2 invited 1 time in the last 365 days (at most 1 invitation in 365 days); 1 no valid age_band");
  ASSERT_EQ(j["selected"].size(), 4u);
  int women = 0;
  for (const auto& id : j["selected"]) {
    int64_t m = id.get<int64_t>();
    EXPECT_NE(m, 1);
    EXPECT_NE(m, 7);
    EXPECT_NE(m, 13);
    women += m <= 6 ? 1 : 0;
    // The invitation is recorded against the member.
    auto held = json_of(call("GET", "/api/v1/panel/members/" + std::to_string(m), officer));
    ASSERT_EQ(held["invitations"].size(), 1u) << held.dump();
    EXPECT_EQ(held["invitations"][0]["consultation_id"], c);
  }
  EXPECT_EQ(women, 2);
  // 5 eligible women for 2 seats and 5 eligible men for 2: everyone 2/5.
  EXPECT_NEAR(j["min_probability"].get<double>(), 0.4, 1e-6);
  EXPECT_EQ(j["probabilities"].size(), 10u);
  // What is proven about it, and how long each phase took.
  EXPECT_TRUE(j["certificate"]["certified"].get<bool>()) << j["certificate"].dump();
  EXPECT_FALSE(j["certificate"]["stopped_early"].get<bool>());
  EXPECT_NEAR(j["certificate"]["dual_bound"].get<double>(), 0.4, 1e-6);
  EXPECT_EQ(j["certificate"]["tolerance"].get<double>(), 1e-6);
  ASSERT_FALSE(j["phases"].empty());
  EXPECT_EQ(j["phases"][0]["phase"], "relaxation");
  // Audited with the seed and the commitment, and no personal data.
  auto audit = store->audit_entries().value();
  ASSERT_FALSE(audit.empty());
  const auto& last = audit.back().event;
  EXPECT_EQ(last.action, "panel.draw");
  EXPECT_EQ(last.subject_id, c);
  EXPECT_EQ(last.detail["invited"], 4);
  EXPECT_EQ(last.detail["excluded"], 3);
  EXPECT_EQ(last.detail["seed"], 11);
  EXPECT_EQ(last.detail["commitment"], j["commitment"]);

  // The same day, the same consultation: everyone invited is left out as already invited.
  auto again = json_of(call("POST", "/api/v1/panel/draws", officer,
                            {{"consultation_id", c}, {"size", 2}, {"quotas", draw_quotas(1, 1)}, {"seed", 11}}));
  EXPECT_EQ(again["excluded"]["by_reason"][0]["reason"], "already invited to " + c);
  EXPECT_EQ(again["excluded"]["by_reason"][0]["count"], 4);
  for (const auto& id : again["selected"]) {
    EXPECT_EQ(std::count(j["selected"].begin(), j["selected"].end(), id), 0) << id;
  }
}

TEST_F(PanelApiTest, ADrawIsAnsweredFromTheBackgroundThreadNotTheCallersThread) {
  ASSERT_EQ(call("POST", "/api/v1/panel/import", officer, {{"csv", draw_pool_csv()}}).status, 201);
  std::string c = open_consultation("Libraries", kQuestions);
  HttpRequest r;
  r.method = "POST";
  r.target = "/api/v1/panel/draws";
  r.authorization = "Bearer " + officer;
  r.content_type = "application/json";
  r.body = nlohmann::json{{"consultation_id", c}, {"size", 2}, {"quotas", draw_quotas(1, 1)}}.dump();
  std::atomic<bool> called{false};
  std::thread::id answered_on;
  int status = 0;
  api->handle(r, [&](HttpResponse res) {
    answered_on = std::this_thread::get_id();
    status = res.status;
    called = true;
  });
  for (int i = 0; i < 2500 && !called; ++i) usleep(2000);
  ASSERT_TRUE(called);
  EXPECT_EQ(status, 201);
  EXPECT_NE(answered_on, std::this_thread::get_id());
}

TEST_F(PanelApiTest, DrawErrorsNameTheFieldAndInfeasibleQuotasSuggestARelaxation) {
  ASSERT_EQ(call("POST", "/api/v1/panel/import", officer, {{"csv", draw_pool_csv()}}).status, 201);
  std::string c = open_consultation("Libraries", kQuestions);
  auto seven_women = draw_quotas(7, 0);
  seven_women[0]["max"] = 8;
  seven_women[1]["max"] = 8;
  auto infeasible = call("POST", "/api/v1/panel/draws", officer, {{"consultation_id", c}, {"size", 8}, {"quotas", seven_women}});
  ASSERT_EQ(infeasible.status, 409) << infeasible.body;
  auto p = json_of(infeasible);
  EXPECT_EQ(p["pointer"], "/quotas");
  // Six eligible women (member 13 has no age band): the smallest change is at least 6 women, not 7.
  ASSERT_EQ(p["relaxation"].size(), 1u) << p.dump();
  EXPECT_EQ(p["relaxation"][0]["value"], "Female");
  EXPECT_EQ(p["relaxation"][0]["suggested_min"], 6);

  auto q = draw_quotas(1, 1);
  q[1]["min"] = 3;
  auto bad = call("POST", "/api/v1/panel/draws", officer, {{"consultation_id", c}, {"size", 2}, {"quotas", q}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(json_of(bad)["pointer"], "/quotas/1/min");
  auto unknown = call("POST", "/api/v1/panel/draws", officer, {{"consultation_id", "c-404"}, {"size", 2}, {"quotas", draw_quotas(1, 1)}});
  EXPECT_EQ(unknown.status, 404);
  for (double seconds : {0.0, -1.0, 301.0}) {
    auto limit = call("POST", "/api/v1/panel/draws", officer,
                      {{"consultation_id", c}, {"size", 2}, {"quotas", draw_quotas(1, 1)}, {"max_seconds", seconds}});
    EXPECT_EQ(limit.status, 422) << seconds;
    EXPECT_EQ(json_of(limit)["pointer"], "/max_seconds") << seconds;
  }
  auto big = call("POST", "/api/v1/panel/draws", officer, {{"consultation_id", c}, {"size", 13}, {"quotas", draw_quotas(6, 7)}});
  EXPECT_EQ(big.status, 409);
  EXPECT_EQ(json_of(big)["type"], "urn:townhall:problem:pool-too-small");
  // Nothing was invited by the failed draws.
  EXPECT_EQ(json_of(call("GET", "/api/v1/panel/members/1", officer))["invitations"].size(), 0u);
}

TEST_F(PanelApiTest, PoolReportTakesTheCouncilsOwnTargets) {
  ASSERT_EQ(call("POST", "/api/v1/panel/import", officer, {{"csv", draw_pool_csv()}}).status, 201);
  // 7 women of 13 against a target of 0.2: ratio (7/13)/0.2 = 2.69; 6 men of 13 against 0.8:
  // ratio (6/13)/0.8 = 0.577 with 10.4 expected, so men are flagged.
  nlohmann::json rows = {{{"category", "sex"}, {"value", "Female"}, {"share", 0.2}},
                         {{"category", "sex"}, {"value", "Male"}, {"share", 0.8}}};
  for (const nlohmann::json& body : {nlohmann::json{{"targets", rows}},
                                     nlohmann::json{{"targets_csv", "category,value,share\nsex,Female,0.2\nsex,Male,0.8\n"}}}) {
    auto res = call("POST", "/api/v1/panel/report", officer, body);
    ASSERT_EQ(res.status, 200) << res.body;
    auto j = json_of(res);
    ASSERT_EQ(j["categories"].size(), 1u);
    const auto& values = j["categories"][0]["values"];
    ASSERT_EQ(values.size(), 2u);
    for (const auto& v : values) {
      if (v["value"] == "Male") {
        EXPECT_NEAR(v["ratio"].get<double>(), (6.0 / 13) / 0.8, 1e-9);
        EXPECT_TRUE(v["flagged"].get<bool>());
      } else {
        EXPECT_NEAR(v["ratio"].get<double>(), (7.0 / 13) / 0.2, 1e-9);
        EXPECT_FALSE(v["flagged"].get<bool>());
      }
    }
  }
  rows[1]["share"] = 0.7;  // shares sum to 0.9
  auto sum = call("POST", "/api/v1/panel/report", officer, {{"targets", rows}});
  EXPECT_EQ(sum.status, 422);
  EXPECT_EQ(json_of(sum)["pointer"], "/targets/0/share");
  auto csv = call("POST", "/api/v1/panel/report", officer, {{"targets_csv", "category,value,share\nsex,Female,half\n"}});
  EXPECT_EQ(csv.status, 422);
  EXPECT_NE(json_of(csv)["detail"].get<std::string>().find("row 1"), std::string::npos) << csv.body;
  EXPECT_NE(json_of(csv)["detail"].get<std::string>().find("share"), std::string::npos) << csv.body;
  EXPECT_EQ(call("POST", "/api/v1/panel/report", officer, nlohmann::json::object()).status, 422);
}

}  // namespace
}  // namespace townhall::server
