// End to end: the real `townhall serve` binary on a free loopback port with a temporary database,
// driven over HTTP as officers, residents and governance staff would.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <array>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "http_client.h"

namespace townhall::testing {
namespace {

std::string run(const std::string& cmd, int* exit_code = nullptr) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = pclose(p);
  if (exit_code) *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

class E2E : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/townhall-e2e-XXXXXX";
    dir = mkdtemp(tmpl);
    db = dir + "/townhall.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir); }

  std::string add_user(const std::string& role) {
    int code = 0;
    std::string out = run(std::string(TOWNHALL_CLI) + " users add --db " + db + " --create --role " + role + " 2>/dev/null", &code);
    EXPECT_EQ(code, 0);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }

  // A console officer (who can approve exceptions) with its bearer token.
  std::string add_console(const std::string& username) { return add_console_officer(TOWNHALL_CLI, db, username); }

  std::string dir, db;
};

nlohmann::json five_week_big_consultation() {
  return {{"title", "Closing the Abbey Road library on Saturdays"},
          {"summary", "We propose to close the library on Saturdays to save money."},
          {"big_decision", true},
          {"opens", "2027-03-01"},   // Monday
          {"closes", "2027-04-04"},  // Sunday: 35 days, five weeks
          {"proposal", "Close the library on Saturdays from June 2027."},
          {"reasons", "The library budget falls by £120,000."},
          {"options_considered",
           {{{"option", "Close on Saturdays"}},
            {{"option", "Close the library"}, {"rejected", true}, {"reason", "Too great a loss to the ward."}}}},
          {"channels", {"online", "paper"}},
          {"wards", {"Abbey", "Castle"}},
          {"topics", {"libraries"}},
          {"questions",
           {{{"id", "agree"}, {"type", "yes_no"}, {"text", "Do you agree?"}, {"required", true}},
            {{"id", "day"}, {"type", "single_choice"}, {"text", "Which day matters most?"}, {"options", {"Saturday", "Sunday"}}},
            {{"id", "why"}, {"type", "free_text"}, {"text", "Tell us why."}}}}};
}

const nlohmann::json* finding(const nlohmann::json& findings, const std::string& rule) {
  for (const auto& f : findings) {
    if (f["rule"] == rule) return &f;
  }
  return nullptr;
}

TEST_F(E2E, ConsultationJourneyFromDraftToOutcome) {
  std::string officer_token = add_user("officer");
  std::string governance_token = add_user("governance");
  std::string approver_token = add_console("approver");
  ServerProcess server(db);
  HttpClient officer(server.port), resident(server.port), governance(server.port), approver(server.port);
  officer.token = officer_token;
  governance.token = governance_token;
  approver.token = approver_token;

  ASSERT_EQ(resident.get("/health").status, 200);
  auto me = officer.get("/api/v1/me");
  ASSERT_EQ(me.status, 200);
  int64_t officer_id = me.json()["id"];

  // An officer drafts a five-week consultation on a big decision...
  auto created = officer.post("/api/v1/consultations", five_week_big_consultation());
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = created.json()["id"];
  EXPECT_EQ(created.header("location"), "/api/v1/consultations/" + id);
  EXPECT_EQ(resident.get("/api/v1/consultations/" + id).status, 404);  // drafts are not public

  // ...and scheduling it is refused under C-MIN: six weeks from Mon 1 Mar 2027 is Sun 11 Apr 2027.
  auto refused = officer.post("/api/v1/consultations/" + id + "/transitions", {{"to", "scheduled"}});
  ASSERT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.header("content-type"), "application/problem+json");
  auto p = refused.json();
  EXPECT_EQ(p["type"], "urn:townhall:problem:charter-breach");
  EXPECT_NE(std::find(p["rules"].begin(), p["rules"].end(), "C-MIN"), p["rules"].end()) << p.dump();
  const auto* cmin = finding(p["findings"], "C-MIN");
  ASSERT_NE(cmin, nullptr);
  EXPECT_EQ((*cmin)["dates"]["required_close"], "2027-04-11");
  EXPECT_EQ(officer.get("/api/v1/consultations/" + id).json()["status"], "draft");

  // It is moved to run six weeks over Christmas: C-EXT asks for a later close. The window is
  // Thu 24 Dec 2026 to the New Year bank holiday Fri 1 Jan 2027 (9 days), so the length must reach
  // 42 + 14 = 56 days with 42 outside the window: from Mon 7 Dec 2026 that is Sun 31 Jan 2027.
  auto doc = five_week_big_consultation();
  doc["opens"] = "2026-12-07";
  doc["closes"] = "2027-01-17";
  ASSERT_EQ(officer.put("/api/v1/consultations/" + id, doc).status, 200);
  auto christmas = officer.post("/api/v1/consultations/" + id + "/transitions", {{"to", "scheduled"}});
  ASSERT_EQ(christmas.status, 409) << christmas.body;
  auto cp = christmas.json();
  EXPECT_EQ(finding(cp["findings"], "C-MIN"), nullptr);
  const auto* cext = finding(cp["findings"], "C-EXT");
  ASSERT_NE(cext, nullptr) << cp.dump();
  EXPECT_EQ((*cext)["severity"], "breach");
  EXPECT_EQ((*cext)["dates"]["required_close"], "2027-01-31");

  doc["closes"] = "2027-01-31";
  ASSERT_EQ(officer.put("/api/v1/consultations/" + id, doc).status, 200);
  auto scheduled = officer.post("/api/v1/consultations/" + id + "/transitions", {{"to", "scheduled"}});
  ASSERT_EQ(scheduled.status, 200) << scheduled.body;
  EXPECT_EQ(scheduled.json()["consultation"]["status"], "scheduled");
  EXPECT_FALSE(scheduled.json()["exception_recorded"].get<bool>());
  EXPECT_EQ(officer.put("/api/v1/consultations/" + id, doc).status, 409);  // no edits after scheduling

  auto opened = step_with_exception(officer, approver, id, "open");
  ASSERT_EQ(opened.status, 200) << opened.body;

  // The public hub lists it.
  auto hub = resident.get("/api/v1/consultations?status=open&ward=Castle&q=library");
  ASSERT_EQ(hub.status, 200);
  ASSERT_EQ(hub.json()["total"], 1);
  EXPECT_EQ(hub.json()["items"][0]["id"], id);
  EXPECT_EQ(resident.get("/api/v1/consultations?ward=Nowhere").json()["total"], 0);
  EXPECT_EQ(resident.get("/api/v1/consultations/" + id + "/questions").json()["items"].size(), 3u);

  // Residents respond; a retry with the same Idempotency-Key gets the same reference.
  nlohmann::json answer = {{"answers", {{"agree", false}, {"day", "Saturday"}, {"why", "Children's reading group."}}}};
  auto first = resident.post("/api/v1/consultations/" + id + "/responses", answer, {{"Idempotency-Key", "r-1"}});
  ASSERT_EQ(first.status, 201) << first.body;
  std::string reference = first.json()["reference"];
  EXPECT_TRUE(std::regex_match(reference, std::regex("TH-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}"))) << reference;
  resident.disconnect();  // as if the connection dropped before the answer arrived
  auto retry = resident.post("/api/v1/consultations/" + id + "/responses", answer, {{"Idempotency-Key", "r-1"}});
  ASSERT_EQ(retry.status, 201);
  EXPECT_EQ(retry.json()["reference"], reference);
  EXPECT_EQ(retry.header("idempotent-replayed"), "true");
  auto reused = resident.post("/api/v1/consultations/" + id + "/responses",
                              {{"answers", {{"agree", true}}}}, {{"Idempotency-Key", "r-1"}});
  EXPECT_EQ(reused.status, 409);
  auto second = resident.post("/api/v1/consultations/" + id + "/responses", {{"answers", {{"agree", true}}}});
  ASSERT_EQ(second.status, 201);
  EXPECT_NE(second.json()["reference"], reference);
  auto bad = resident.post("/api/v1/consultations/" + id + "/responses", {{"answers", {{"day", "Monday"}, {"agree", true}}}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.json()["pointer"], "/answers/day");
  auto missing = resident.post("/api/v1/consultations/" + id + "/responses", {{"answers", {{"why", "x"}}}});
  EXPECT_EQ(missing.json()["pointer"], "/answers/agree");
  auto not_officer = resident.post("/api/v1/consultations/" + id + "/responses",
                                   {{"answers", {{"agree", true}}}, {"channel", "paper"}});
  EXPECT_EQ(not_officer.status, 403);

  // An officer keys in a paper response; phone is not offered by this consultation.
  auto paper = officer.post("/api/v1/consultations/" + id + "/responses",
                            {{"answers", {{"agree", true}, {"why", "Posted to the council."}}}, {"channel", "paper"}});
  ASSERT_EQ(paper.status, 201) << paper.body;
  auto phone = officer.post("/api/v1/consultations/" + id + "/responses",
                            {{"answers", {{"agree", true}}}, {"channel", "phone"}});
  EXPECT_EQ(phone.status, 422);
  EXPECT_EQ(phone.json()["pointer"], "/channel");

  auto listed = officer.get("/api/v1/consultations/" + id + "/responses");
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.json()["total"], 3);  // the retry did not create a second response
  int paper_count = 0;
  const auto listed_json = listed.json();
  for (const auto& r : listed_json["items"]) {
    if (r["channel"] == "paper") {
      ++paper_count;
      EXPECT_EQ(r["entered_by"], officer_id);
    } else {
      EXPECT_FALSE(r.contains("entered_by"));
    }
  }
  EXPECT_EQ(paper_count, 1);
  // A resident quoting the reference on the phone: the officer finds that one response.
  auto quoted = officer.get("/api/v1/responses/" + reference);
  ASSERT_EQ(quoted.status, 200);
  EXPECT_EQ(quoted.json()["answers"]["why"], "Children's reading group.");
  EXPECT_EQ(officer.get("/api/v1/responses/TH-0000-0000").status, 404);
  auto page = officer.get("/api/v1/consultations/" + id + "/responses?limit=2&offset=2").json();
  EXPECT_EQ(page["total"], 3);
  EXPECT_EQ(page["items"].size(), 1u);
  EXPECT_EQ(resident.get("/api/v1/consultations/" + id + "/responses").status, 401);

  // It closes; late responses are refused.
  ASSERT_EQ(step_with_exception(officer, approver, id, "closed").status, 200);
  EXPECT_EQ(resident.post("/api/v1/consultations/" + id + "/responses", {{"answers", {{"agree", true}}}}).status, 409);

  // The outcome is published: "We asked, you said, we did".
  auto no_outcome = officer.post("/api/v1/consultations/" + id + "/transitions", {{"to", "outcome_published"}});
  EXPECT_EQ(no_outcome.status, 422);
  auto published = officer.post("/api/v1/consultations/" + id + "/transitions",
                                {{"to", "outcome_published"},
                                 {"outcome",
                                  {{"we_asked", "Whether to close on Saturdays."},
                                   {"you_said", "Two in three of you disagreed."},
                                   {"we_did", "The library stays open on Saturday mornings."}}}});
  ASSERT_EQ(published.status, 200) << published.body;
  auto final_doc = resident.get("/api/v1/consultations/" + id).json();
  EXPECT_EQ(final_doc["status"], "outcome_published");
  EXPECT_EQ(final_doc["outcome"]["we_did"], "The library stays open on Saturday mornings.");
  EXPECT_EQ(officer.post("/api/v1/consultations/" + id + "/transitions", {{"to", "closed"}}).status, 409);

  // Governance sees an intact audit log with every lifecycle change.
  auto verify = governance.get("/api/v1/audit/verify");
  ASSERT_EQ(verify.status, 200);
  EXPECT_TRUE(verify.json()["ok"].get<bool>()) << verify.body;
  int transitions = 0, publications = 0;
  const auto audit = governance.get("/api/v1/audit").json();
  for (const auto& e : audit["items"]) {
    if (e["action"] == "consultation.transition" && e["subject_id"] == id) ++transitions;
    if (e["action"] == "consultation.publish_outcome") ++publications;
  }
  EXPECT_EQ(transitions, 4);
  EXPECT_EQ(publications, 1);
  EXPECT_EQ(officer.get("/api/v1/audit").status, 403);

  EXPECT_EQ(server.stop(), 0);
  int code = -1;
  std::string out = run(std::string(TOWNHALL_CLI) + " audit verify --db " + db, &code);
  EXPECT_EQ(code, 0) << out;
}

TEST_F(E2E, BreachCanBeOverriddenOnlyWithAnExceptionASecondOfficerApproved) {
  std::string officer_token = add_user("officer");
  std::string admin_token = add_user("admin");
  std::string director_token = add_console("director");
  ServerProcess server(db);
  HttpClient officer(server.port), admin(server.port), director(server.port);
  officer.token = officer_token;
  admin.token = admin_token;
  director.token = director_token;
  auto created = officer.post("/api/v1/consultations", five_week_big_consultation());
  ASSERT_EQ(created.status, 201);
  std::string id = created.json()["id"];
  const std::string step = "/api/v1/consultations/" + id + "/transitions";
  // A name typed as free text is no approval: the step must name an approved request.
  auto typed = officer.post(step, {{"to", "scheduled"}, {"exception", {{"reason", "Budget deadline"}, {"approved_by", "J. Smith"}}}});
  EXPECT_EQ(typed.status, 422) << typed.body;
  auto incomplete = officer.post(step, {{"to", "scheduled"}, {"exception", nlohmann::json::object()}});
  EXPECT_EQ(incomplete.status, 422);
  EXPECT_EQ(incomplete.json()["pointer"], "/exception");
  // Asked for, not yet approved: still blocked.
  const auto me = director.get("/api/v1/me").json();
  auto asked = officer.post("/api/v1/consultations/" + id + "/exception-requests",
                            {{"to", "scheduled"}, {"reason", "The budget must be set by 1 April."}, {"approver", me["id"]}});
  ASSERT_EQ(asked.status, 201) << asked.body;
  EXPECT_EQ(asked.json()["state"], "pending");
  EXPECT_EQ(asked.json()["approver"]["name"], "director");
  const int64_t request = asked.json()["id"];
  auto pending = officer.post(step, {{"to", "scheduled"}, {"exception", {{"request_id", request}}}});
  EXPECT_EQ(pending.status, 409) << pending.body;
  // The director sees it waiting and approves it; the officer then takes the step.
  auto waiting = director.get("/api/v1/exception-requests").json();
  ASSERT_EQ(waiting["items"].size(), 1u);
  EXPECT_EQ(waiting["items"][0]["id"], request);
  EXPECT_EQ(officer.post("/api/v1/exception-requests/" + std::to_string(request) + "/decision", {{"decision", "approve"}}).status,
            409);  // only the officer named decides
  ASSERT_EQ(director.post("/api/v1/exception-requests/" + std::to_string(request) + "/decision", {{"decision", "approve"}}).status,
            200);
  auto excepted = officer.post(step, {{"to", "scheduled"}, {"exception", {{"request_id", request}}}});
  ASSERT_EQ(excepted.status, 200) << excepted.body;
  EXPECT_TRUE(excepted.json()["exception_recorded"].get<bool>());
  EXPECT_NE(finding(excepted.json()["findings"], "C-MIN"), nullptr);  // the breach is still reported
  bool recorded = false;
  const auto audit = admin.get("/api/v1/audit").json();
  const std::string director_who = "user:" + std::to_string(me["id"].get<int64_t>()) + " (director, officer)";
  for (const auto& e : audit["items"]) {
    if (e["action"] == "consultation.exception") {
      recorded = true;
      EXPECT_EQ(e["detail"]["approved_by"], director_who);
      EXPECT_EQ(e["detail"]["request_id"], request);
      EXPECT_EQ(e["detail"]["reason"], "The budget must be set by 1 April.");
      EXPECT_NE(std::find(e["detail"]["rules"].begin(), e["detail"]["rules"].end(), "C-MIN"), e["detail"]["rules"].end());
    }
  }
  EXPECT_TRUE(recorded);
  auto listed = officer.get("/api/v1/consultations/" + id + "/exception-requests").json();
  ASSERT_EQ(listed["items"].size(), 1u);
  EXPECT_EQ(listed["items"][0]["state"], "approved");
}

TEST_F(E2E, HostileRequestsGet4xxAndTheServerKeepsServing) {
  ServerProcess server(db);
  std::string officer_token = add_user("officer");
  HttpClient c(server.port);
  c.token = officer_token;
  // Keep-alive: several requests on one connection.
  for (int i = 0; i < 3; ++i) ASSERT_EQ(c.get("/health").status, 200);
  EXPECT_EQ(c.connections_opened(), 1);

  auto big = c.request("POST", "/api/v1/consultations", std::string(2 << 20, ' '));
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.header("content-type"), "application/problem+json");
  auto utf8 = c.request("POST", "/api/v1/consultations", "{\"title\":\"\xff\xfe\"}");
  EXPECT_EQ(utf8.status, 400);
  EXPECT_EQ(utf8.json()["type"], "urn:townhall:problem:invalid-utf8");
  auto malformed = c.request("POST", "/api/v1/consultations", "{\"title\":");
  EXPECT_EQ(malformed.status, 400);
  auto wrong_type = c.request("POST", "/api/v1/consultations", "title=x", {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(wrong_type.status, 415);
  EXPECT_EQ(c.request("DELETE", "/health").status, 405);
  EXPECT_EQ(c.get("/nowhere").status, 404);

  // Garbage that is not HTTP at all.
  int fd = connect_loopback(server.port);
  send_all(fd, "NOT HTTP AT ALL\r\n\r\n");
  std::string buf;
  auto garbage = read_response(fd, buf);
  EXPECT_EQ(garbage.status, 400);
  close(fd);

  EXPECT_EQ(c.get("/health").status, 200);
  EXPECT_EQ(c.get("/api/v1/consultations?status=draft").json()["total"], 0);  // nothing was written
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(E2E, SigtermFinishesRequestsInFlightAndLosesNothingAcknowledged) {
  std::string officer_token = add_user("officer");
  std::string approver_token = add_console("approver");
  ServerProcess server(db);
  HttpClient officer(server.port), approver(server.port);
  officer.token = officer_token;
  approver.token = approver_token;
  nlohmann::json doc = {{"title", "Bus stop shelters"},
                        {"opens", "2027-03-01"},
                        {"closes", "2027-04-11"},
                        {"proposal", "p"},
                        {"reasons", "r"},
                        {"options_considered", {{{"option", "a"}}, {{"option", "b"}, {"rejected", true}}}},
                        {"questions", {{{"id", "ok"}, {"type", "yes_no"}, {"text", "OK?"}}}}};
  auto created = officer.post("/api/v1/consultations", doc);
  ASSERT_EQ(created.status, 201);
  std::string id = created.json()["id"];
  for (const char* to : {"scheduled", "open"}) {
    ASSERT_EQ(step_with_exception(officer, approver, id, to).status, 200);
  }
  officer.disconnect();

  // 32 connections each send a response, then the server is told to stop at once.
  const int n = 32;
  std::vector<int> fds;
  std::string body = R"({"answers":{"ok":true}})";
  std::string req = "POST /api/v1/consultations/" + id + "/responses HTTP/1.1\r\nHost: x\r\nContent-Type: "
                    "application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  for (int i = 0; i < n; ++i) fds.push_back(connect_loopback(server.port));
  for (int fd : fds) send_all(fd, req);
  server.terminate_async();
  int acknowledged = 0;
  for (int fd : fds) {
    std::string buf;
    auto r = read_response(fd, buf);
    // Either a whole 201 or the connection closed unanswered: never an error, never half a response.
    EXPECT_TRUE(r.status == 201 || (r.status == 0 && buf.empty())) << r.status << " " << buf;
    if (r.status == 201) ++acknowledged;
    close(fd);
  }
  EXPECT_EQ(server.stop(), 0);
  SQLite::Database raw(db);
  int stored = raw.execAndGet("SELECT COUNT(*) FROM responses").getInt();
  EXPECT_GE(stored, acknowledged);
  EXPECT_EQ(stored, acknowledged);  // requests read before the signal were finished and answered
  std::printf("acknowledged %d of %d before shutdown; %d stored\n", acknowledged, n, stored);
}

}  // namespace
}  // namespace townhall::testing

namespace townhall::testing {
namespace {

nlohmann::json key_decision(const std::string& notice_published_on) {
  return {{"id", "kd-1"},
          {"matter", "Award of the highways maintenance contract"},
          {"decision_maker", {{"name", "Cllr Asha Patel"}, {"title", "Cabinet Member for Highways"}}},
          {"decision_date", "2025-07-17"},
          {"value_pence", 12000000},
          {"treated_as_key", true},
          {"assessment_reasons", "Spend over £100,000"},
          {"notice",
           {{"published_on", notice_published_on},
            {"states_key_decision", true},
            {"matter", "Award of the highways maintenance contract"},
            {"decision_maker", {{"name", "Cllr Asha Patel"}, {"title", "Cabinet Member for Highways"}}},
            {"decision_date", "2025-07-17"},
            {"documents", {"Cabinet report: highways contract award"}},
            {"documents_available_from", "Democratic Services, Town Hall, High Street"},
            {"other_documents_statement", true},
            {"how_to_request", "Email democratic.services@example.gov.uk"}}}};
}

std::vector<nlohmann::json> with_rule(const nlohmann::json& findings, const std::string& rule) {
  std::vector<nlohmann::json> out;
  for (const auto& f : findings) {
    if (f["rule"] == rule) out.push_back(f);
  }
  return out;
}

TEST_F(E2E, GovernanceRecordsAKeyDecisionSeesKd2ThenAGeneralException) {
  std::string governance_token = add_user("governance");
  std::string officer_token = add_user("officer");
  ServerProcess server(db);
  HttpClient governance(server.port), officer(server.port), resident(server.port);
  governance.token = governance_token;
  officer.token = officer_token;

  // Decision Thu 17 Jul 2025; notice Thu 19 Jun 2025 leaves 27 clear days (18 Jun was the latest
  // publication date for 28 clear days: docs/design.md §2.1).
  auto late = governance.put("/api/v1/key-decisions/kd-1", key_decision("2025-06-19"));
  ASSERT_EQ(late.status, 200) << late.body;
  auto kd2 = with_rule(late.json()["findings"], "KD-2");
  ASSERT_FALSE(kd2.empty()) << late.body;
  EXPECT_EQ(kd2[0]["severity"], "breach");
  EXPECT_EQ(kd2[0]["figures"]["clear_days"], 27);
  EXPECT_EQ(officer.put("/api/v1/key-decisions/kd-1", key_decision("2025-06-19")).status, 403);

  // A general exception: the chair of scrutiny told and the notice made public on Wed 9 Jul 2025,
  // five clear working days before Thu 17 Jul (10, 11, 14, 15, 16 July), reasons published 10 Jul.
  auto doc = key_decision("2025-06-19");
  doc["general_exception"] = {{"chair_of_scrutiny_notified_on", "2025-07-09"},
                              {"notified", "Cllr Ben Okafor, chair of Overview and Scrutiny"},
                              {"made_public_on", "2025-07-09"},
                              {"reasons_notice_published_on", "2025-07-10"}};
  auto excepted = governance.put("/api/v1/key-decisions/kd-1", doc);
  ASSERT_EQ(excepted.status, 200) << excepted.body;
  auto findings = excepted.json()["findings"];
  for (const auto& f : with_rule(findings, "KD-2")) EXPECT_NE(f["severity"], "breach") << f.dump();
  for (const auto& f : with_rule(findings, "KD-3")) EXPECT_NE(f["severity"], "breach") << f.dump();

  // The public sees the plan; the compliance report and the audit log record it.
  auto plan = resident.get("/api/v1/forward-plan");
  ASSERT_EQ(plan.status, 200);
  EXPECT_EQ(plan.json()["key_decisions"].size(), 1u);
  EXPECT_EQ(resident.get("/api/v1/key-decisions/kd-1").json()["key_decision"]["general_exception"]["notified"],
            "Cllr Ben Okafor, chair of Overview and Scrutiny");
  // The same plan as CSV, Atom and iCalendar.
  auto csv = resident.get("/api/v1/forward-plan.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body.substr(0, csv.body.find("\r\n")).substr(0, 35), "id,matter,decision_maker,date_or_pe");
  EXPECT_NE(csv.body.find("\r\nkd-1,Award of the highways maintenance contract,\"Cllr Asha Patel, Cabinet Member for Highways\","),
            std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find(",\"£120,000.00\",12000000,"), std::string::npos) << csv.body;  // money quoted, and in pence
  auto atom = resident.get("/api/v1/forward-plan.atom");
  ASSERT_EQ(atom.status, 200);
  EXPECT_NE(atom.body.find("<id>urn:townhall:key-decision:kd-1</id>"), std::string::npos) << atom.body;
  EXPECT_NE(atom.body.find("<updated>2025-06-19T00:00:00Z</updated>"), std::string::npos);
  auto ics = resident.get("/api/v1/forward-plan.ics");
  ASSERT_EQ(ics.status, 200);
  EXPECT_EQ(ics.body.substr(0, 17), "BEGIN:VCALENDAR\r\n");
  EXPECT_NE(ics.body.find("DTSTART;VALUE=DATE:20250717\r\n"), std::string::npos) << ics.body;
  EXPECT_NE(ics.body.find("DTEND;VALUE=DATE:20250718\r\n"), std::string::npos);
  EXPECT_NE(ics.body.find("SUMMARY:Key decision: Award of the highways maintenance contract\r\n"), std::string::npos);
  for (size_t start = 0, end; (end = ics.body.find("\r\n", start)) != std::string::npos; start = end + 2) {
    EXPECT_LE(end - start, 75u) << "unfolded iCalendar line";
  }
  EXPECT_EQ(ics.body.substr(ics.body.size() - 15), "END:VCALENDAR\r\n");

  auto report = officer.get("/api/v1/forward-plan/compliance");
  ASSERT_EQ(report.status, 200);
  EXPECT_TRUE(report.json().contains("findings"));
  auto mismatch = governance.put("/api/v1/key-decisions/kd-2", doc);
  EXPECT_EQ(mismatch.status, 422);
  EXPECT_EQ(mismatch.json()["pointer"], "/id");
  auto bad_date = doc;
  bad_date["id"] = "kd-3";
  bad_date["decision_date"] = "2025-02-30";
  auto refused = governance.put("/api/v1/key-decisions/kd-3", bad_date);
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.json()["pointer"], "/decision_date");
  EXPECT_EQ(resident.get("/api/v1/key-decisions/kd-3").status, 404);
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace townhall::testing

namespace townhall::testing {
namespace {

// LANG over HTTP: a consultation that promises Welsh cannot be scheduled or opened until its Welsh
// version is complete; then residents read it in Welsh.
TEST_F(E2E, PromisedWelshBlocksOpeningUntilTheTranslationIsComplete) {
  std::string officer_token = add_user("officer");
  std::string approver_token = add_console("approver");
  ServerProcess server(db);
  HttpClient officer(server.port), resident(server.port), approver(server.port);
  officer.token = officer_token;
  approver.token = approver_token;
  nlohmann::json doc = {{"title", "Bus stop shelters"},
                        {"summary", "We plan new bus stop shelters."},
                        {"opens", "2027-03-01"},
                        {"closes", "2027-04-11"},
                        {"proposal", "Put shelters at ten stops."},
                        {"reasons", "People wait in the rain."},
                        {"options_considered", {{{"option", "Ten shelters"}}, {{"option", "None"}, {"rejected", true}}}},
                        {"languages", {"cy"}},
                        {"questions", {{{"id", "ok"}, {"type", "yes_no"}, {"text", "Do you agree?"}}}}};
  auto created = officer.post("/api/v1/consultations", doc);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = created.json()["id"];
  std::string base = "/api/v1/consultations/" + id;

  auto refused = officer.post(base + "/transitions", {{"to", "scheduled"}});
  ASSERT_EQ(refused.status, 409) << refused.body;
  auto problem = refused.json();
  EXPECT_EQ(problem["rules"], nlohmann::json({"LANG"}));
  const auto* lang = finding(problem["findings"], "LANG");
  ASSERT_NE(lang, nullptr);
  EXPECT_NE((*lang)["message"].get<std::string>().find("Welsh (cy)"), std::string::npos);

  // Half a translation is still a breach, naming what is missing.
  nlohmann::json welsh = {{"title", "Llochesi safleoedd bws"}, {"summary", "Rydym yn cynllunio llochesi newydd."}};
  ASSERT_EQ(officer.put(base + "/translations/cy", welsh).status, 201);
  refused = officer.post(base + "/transitions", {{"to", "scheduled"}});
  ASSERT_EQ(refused.status, 409);
  problem = refused.json();
  lang = finding(problem["findings"], "LANG");
  ASSERT_NE(lang, nullptr);
  EXPECT_NE((*lang)["message"].get<std::string>().find("/questions/ok/text"), std::string::npos) << lang->dump();

  welsh["proposal"] = "Gosod llochesi mewn deg safle.";
  welsh["reasons"] = "Mae pobl yn aros yn y glaw.";
  welsh["options_considered"] = {{{"option", "Deg lloches"}}, {{"option", "Dim"}}};
  welsh["questions"] = {{"ok", {{"text", "Ydych chi'n cytuno?"}}}};
  auto complete = officer.put(base + "/translations/cy", welsh);
  ASSERT_EQ(complete.status, 200) << complete.body;
  EXPECT_TRUE(complete.json()["complete"].get<bool>());
  for (const char* to : {"scheduled", "open"}) {
    auto moved = step_with_exception(officer, approver, id, to);
    ASSERT_EQ(moved.status, 200) << to << ": " << moved.body;
  }

  auto read = resident.request("GET", base, "", {{"Accept-Language", "cy-GB,cy;q=0.9,en;q=0.5"}});
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.header("content-language"), "cy");
  EXPECT_EQ(read.json()["title"], "Llochesi safleoedd bws");
  EXPECT_EQ(read.json()["questions"][0]["text"], "Ydych chi'n cytuno?");
  EXPECT_EQ(read.json()["field_lang"], nlohmann::json::object());
  EXPECT_EQ(resident.get(base + "/translations/cy").json()["complete"], true);
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace townhall::testing

namespace townhall::testing {
namespace {

// `townhall serve` on `db` with its stderr in `err_path`, for as long as the object lives.
class ServerWithStderr {
 public:
  ServerWithStderr(const std::string& db, const std::string& err_path) {
    std::string cmd = "sh -c 'echo $$; exec " + std::string(TOWNHALL_CLI) + " serve --db " + db + " --port 0 2>" +
                      err_path + "'";
    pipe_ = popen(cmd.c_str(), "r");
    char line[512];
    if (fgets(line, sizeof line, pipe_)) pid_ = std::atoi(line);
    if (fgets(line, sizeof line, pipe_)) {
      std::string first = line;
      auto p = first.find("127.0.0.1:");
      if (p != std::string::npos) port = static_cast<uint16_t>(std::atoi(first.c_str() + p + 10));
    }
  }
  ~ServerWithStderr() {
    if (pid_ > 0) kill(pid_, SIGTERM);
    if (pipe_) pclose(pipe_);
  }
  uint16_t port = 0;

 private:
  FILE* pipe_ = nullptr;
  pid_t pid_ = -1;
};

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_F(E2E, TheServerServesABrokenAuditLogButSaysSoAtStartAndOnHealth) {
  add_user("admin");
  add_user("officer");
  {
    ServerWithStderr server(db, dir + "/ok.err");
    ASSERT_NE(server.port, 0);
    HttpClient c(server.port);
    EXPECT_EQ(c.get("/health").json(), (nlohmann::json{{"status", "ok"}, {"audit", "ok"}}));
  }
  EXPECT_EQ(file_text(dir + "/ok.err").find("WARNING"), std::string::npos) << file_text(dir + "/ok.err");
  // Someone with the file, not the key, cuts off the newest entry and moves the head back.
  {
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    raw.exec(
        "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 2;"
        "UPDATE audit_head SET seq = 1, hash = (SELECT hash FROM audit_log WHERE seq = 1);");
  }
  ServerWithStderr server(db, dir + "/broken.err");
  ASSERT_NE(server.port, 0);
  HttpClient c(server.port);
  auto health = c.get("/health");
  EXPECT_EQ(health.status, 200);
  // The public learns that the log is broken, not where or how.
  EXPECT_EQ(health.json(), (nlohmann::json{{"status", "ok"}, {"audit", "broken"}}));
  EXPECT_EQ(c.get("/api/v1/consultations").status, 200);  // and it still serves
  const std::string err = file_text(dir + "/broken.err");
  EXPECT_NE(err.find("WARNING: the audit log is BROKEN at entry 2"), std::string::npos) << err;
}

TEST_F(E2E, WithoutItsAuditKeyTheServerServesAndSaysTheLogCannotBeVerified) {
  add_user("admin");
  std::filesystem::rename(db + ".audit-key", dir + "/kept-elsewhere.key");
  ServerWithStderr server(db, dir + "/serve.err");
  ASSERT_NE(server.port, 0);
  HttpClient c(server.port);
  c.token = add_user("officer");  // written unsealed, while the server runs
  EXPECT_EQ(c.get("/health").json(), (nlohmann::json{{"status", "ok"}, {"audit", "unverified"}}));
  EXPECT_EQ(c.get("/api/v1/me").status, 200);
  const std::string err = file_text(dir + "/serve.err");
  EXPECT_NE(err.find("WARNING: the audit log cannot be verified: the seals cannot be checked: no audit key at " + db +
                     ".audit-key"),
            std::string::npos)
      << err;
  EXPECT_FALSE(std::filesystem::exists(db + ".audit-key"));
}

}  // namespace
}  // namespace townhall::testing
