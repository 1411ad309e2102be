// The console's responses pages in process: the filtered table, one response, an officer keying in
// a paper response (channel, officer and audit recorded; a form sent twice stores one response; a
// closed consultation stores nothing), the CSV export read back by a parser written here, and the
// charts.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>

#include "in_process.h"
#include "townhall/access/staff.h"
#include "townhall/access/token.h"
#include "townhall/consultations/editing.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"

namespace townhall::server {
namespace {

const nlohmann::json kSixQuestions = nlohmann::json::parse(R"([
  {"id": "q1", "type": "single_choice", "text": "Which option?", "options": ["A", "B", "C"]},
  {"id": "q2", "type": "scale", "text": "How much do you agree?", "min": 1, "max": 5},
  {"id": "q3", "type": "multiple_choice", "text": "Which do you use?", "options": ["library", "park", "pool"]},
  {"id": "q4", "type": "yes_no", "text": "Do you live here?"},
  {"id": "q5", "type": "ranking", "text": "Rank these", "options": ["x", "y", "z"]},
  {"id": "q6", "type": "free_text", "text": "Anything else?"}
])");

std::string submission_in(const std::string& html) {
  std::smatch m;
  static const std::regex re(R"re(name="submission" value="([^"]+)")re");
  return std::regex_search(html, m, re) ? m[1].str() : "";
}

// An RFC 4180 reader of its own, so the export is not checked by the code that wrote it.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, after_quote = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
        after_quote = true;
      } else {
        field += c;
      }
    } else if (c == '"' && field.empty() && !after_quote) {
      quoted = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
      after_quote = false;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      row.push_back(field);
      rows.push_back(row);
      row.clear();
      field.clear();
      after_quote = false;
      ++i;
    } else {
      field += c;
    }
  }
  EXPECT_TRUE(field.empty() && row.empty()) << "the CSV does not end with CRLF";
  return rows;
}

struct Browser {
  std::map<std::string, std::string> cookies;
  std::string cookie_header() const {
    std::string out;
    for (const auto& [k, v] : cookies) out += (out.empty() ? "" : "; ") + k + "=" + v;
    return out;
  }
};

class StaffResponsesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::make_temp_dir("townhall-staff-responses");
    store = std::move(open_sqlite_store(dir + "/t.db", SqliteOptions::creating())).value();
    ApiOptions o;
    o.now_seconds = [this] { return clock; };
    o.today = [] { return Date::from_ymd(2026, 3, 5); };
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
    nlohmann::json doc = {{"title", "Parks"},
                          {"opens", "2026-03-02"},
                          {"closes", "2026-04-27"},
                          {"channels", {"online", "paper", "phone"}},
                          {"languages", {"cy"}},
                          {"questions", kSixQuestions}};
    auto c = store->create_consultation(doc, AuditEvent{"test", "consultation.create", "consultation", "", {}});
    ASSERT_TRUE(c.ok()) << c.error().describe();
    id = c->id;
    for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                            std::pair{ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
      ASSERT_TRUE(store->transition_consultation(TransitionRecord{id, from, to, 0, {}, {}}).ok());
    }
  }
  void TearDown() override {
    api.reset();
    std::filesystem::remove_all(dir);
  }

  Browser session_for(const std::string& role) {
    Browser b;
    std::string secret = new_bearer_token();
    StaffSession s;
    s.hash = staff_session_hash(secret);
    s.user_id = users.at(role).id;
    s.client = "192.0.2.10";
    s.created_at = s.last_seen_at = clock;
    s.expires_at = clock + 3600;
    EXPECT_TRUE(store->put_staff_session(s).ok());
    b.cookies["th_staff"] = secret;
    return b;
  }

  HttpResponse call(Browser& b, const std::string& method, const std::string& target, const std::string& body = "") {
    HttpRequest r;
    r.method = method;
    r.target = target;
    r.cookie = b.cookie_header();
    r.client_address = "192.0.2.10";
    r.body = body;
    if (method == "POST") r.content_type = "application/x-www-form-urlencoded";
    return testing::handle_and_wait(*api, r);
  }

  std::vector<std::string> submit(std::vector<ResponseSubmission> batch) {
    std::vector<std::string> refs;
    for (auto& s : batch) s.consultation_id = id;
    for (auto& r : store->submit_responses(std::move(batch), responses_allowed())) {
      EXPECT_TRUE(r.ok()) << r.error().describe();
      if (r) refs.push_back(r->reference);
    }
    return refs;
  }

  static ResponseSubmission response(const std::string& channel, const std::string& language, nlohmann::json answers) {
    ResponseSubmission s;
    s.channel = channel;
    s.language = language;
    s.answers = std::move(answers);
    return s;
  }

  int64_t count() { return *store->count_responses(id); }

  std::string dir, id;
  int64_t clock = 1'800'000'000;
  std::unique_ptr<Store> store;
  std::unique_ptr<Api> api;
  std::map<std::string, User> users;
};

TEST_F(StaffResponsesTest, TheTableFiltersByChannelLanguageDateAndWords) {
  auto refs = submit({response("online", "en-GB", {{"q6", "More swings please"}}),
                      response("paper", "cy", {{"q6", "Mwy o siglenni"}}),
                      response("paper", "en-GB", {{"q1", "B"}}),
                      response("phone", "en-GB", {{"q6", "Benches by the SWINGS"}})});
  ASSERT_EQ(refs.size(), 4u);
  Browser gwen = session_for("governance");  // every staff role reads the responses
  auto shown = [&](const std::string& query) {
    auto r = call(gwen, "GET", "/staff/consultations/" + id + "/responses" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    std::vector<std::string> out;
    for (const auto& ref : refs) {
      if (r.body.find(">" + ref + "<") != std::string::npos) out.push_back(ref);
    }
    return out;
  };
  EXPECT_EQ(shown(""), refs);
  EXPECT_EQ(shown("?channel=paper"), (std::vector<std::string>{refs[1], refs[2]}));
  EXPECT_EQ(shown("?channel=paper&language=cy"), (std::vector<std::string>{refs[1]}));
  EXPECT_EQ(shown("?q=swings"), (std::vector<std::string>{refs[0], refs[3]}));
  const std::string today = store->response_by_reference(refs[0])->created_at.substr(0, 10);
  EXPECT_EQ(shown("?from=" + today + "&to=" + today), refs);
  EXPECT_EQ(shown("?to=2000-01-01"), std::vector<std::string>{});
  auto filtered = call(gwen, "GET", "/staff/consultations/" + id + "/responses?channel=paper");
  EXPECT_NE(filtered.body.find("Showing 1 to 2 of 2 matching responses"), std::string::npos) << filtered.body;
  // The export links carry the filter.
  EXPECT_NE(filtered.body.find("/export.csv?channel=paper"), std::string::npos);
  // Governance staff are not offered the entry form.
  EXPECT_EQ(filtered.body.find("/responses/new"), std::string::npos);

  // A filter that cannot be read is an error naming the field, not a 5xx.
  auto bad = call(gwen, "GET", "/staff/consultations/" + id + "/responses?from=2026-02-30&channel=pigeon");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("href=\"#from\""), std::string::npos);
  EXPECT_NE(bad.body.find("Received from must be a real date"), std::string::npos);
  EXPECT_NE(bad.body.find("href=\"#channel\""), std::string::npos);
  EXPECT_EQ(call(gwen, "GET", "/staff/consultations/c-404/responses").status, 404);
  EXPECT_EQ(call(gwen, "GET", "/staff/consultations/" + id + "/responses?page=9").status, 404);
  EXPECT_EQ(call(gwen, "GET", "/staff/consultations/" + id + "/responses?page=x").status, 404);
}

TEST_F(StaffResponsesTest, AResponsesPageShowsEachQuestionAndItsAnswer) {
  auto refs = submit({response("paper", "cy", {{"q1", "C"}, {"q3", {"library", "pool"}}, {"q4", true},
                                               {"q5", {"z", "x"}}, {"q6", "<b>Benches</b>"}})});
  Browser gwen = session_for("governance");
  auto r = call(gwen, "GET", "/staff/consultations/" + id + "/responses/" + refs[0]);
  ASSERT_EQ(r.status, 200) << r.body;
  for (const std::string& expected :
       {std::string("Which option?"), std::string(">C<"), std::string("library; pool"), std::string(">Yes<"),
        std::string("1. z, 2. x"), std::string("&lt;b&gt;Benches&lt;/b&gt;"), std::string("How much do you agree?"),
        std::string("Not answered"), std::string("Paper")}) {
    EXPECT_NE(r.body.find(expected), std::string::npos) << expected;
  }
  // Under another consultation's address, or unknown: not found.
  EXPECT_EQ(call(gwen, "GET", "/staff/consultations/c-404/responses/" + refs[0]).status, 404);
  EXPECT_EQ(call(gwen, "GET", "/staff/consultations/" + id + "/responses/TH-0000-0000").status, 404);
}

TEST_F(StaffResponsesTest, AnOfficerEntersAPaperResponseOnceHoweverOftenTheFormIsSent) {
  Browser olivia = session_for("officer");
  auto form = call(olivia, "GET", "/staff/consultations/" + id + "/responses/new");
  ASSERT_EQ(form.status, 200) << form.body;
  const std::string csrf = testing::csrf_of(form.body), key = submission_in(form.body);
  ASSERT_EQ(csrf.size(), 64u);
  ASSERT_FALSE(key.empty());
  // Only the channels the consultation offers, besides online.
  EXPECT_NE(form.body.find("value=\"phone\""), std::string::npos);
  EXPECT_EQ(form.body.find("value=\"face_to_face\""), std::string::npos);
  const std::string body = "csrf=" + csrf + "&submission=" + testing::form_escape(key) +
                           "&channel=paper&language=cy&q0=B&q1=4&q2-0=yes&q2-2=yes&q3=no&q4-0=2&q4-1=&q4-2=1&q5=" +
                           testing::form_escape("=HYPERLINK(\"http://evil\")");
  auto stored = call(olivia, "POST", "/staff/consultations/" + id + "/responses/new", body);
  ASSERT_EQ(stored.status, 303) << stored.body;
  const std::string location = testing::header_value(stored, "Location");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(location, m, std::regex("/responses/(TH-[0-9A-Z-]+)\\?entered=1$"))) << location;
  const std::string reference = m[1].str();
  auto r = store->response_by_reference(reference);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->channel, "paper");
  EXPECT_EQ(r->language, "cy");
  EXPECT_EQ(r->entered_by, users.at("officer").id);
  EXPECT_FALSE(r->submitted_by.has_value());
  EXPECT_EQ(r->answers, (nlohmann::json{{"q1", "B"}, {"q2", 4}, {"q3", {"library", "pool"}}, {"q4", false},
                                        {"q5", {"z", "x"}}, {"q6", "=HYPERLINK(\"http://evil\")"}}));
  // The audit trail names the officer and the response (never the answers).
  auto log = store->audit_entries();
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->back().event.action, "response.entered");
  EXPECT_EQ(log->back().event.actor, Actor::of(users.at("officer")).who);
  EXPECT_EQ(log->back().event.detail.value("response", ""), reference);
  EXPECT_EQ(log->back().event.detail.dump().find("HYPERLINK"), std::string::npos);
  auto page = call(olivia, "GET", location);
  EXPECT_NE(page.body.find("The response is stored"), std::string::npos);

  // Back, then send again: the same response, not a second one.
  auto again = call(olivia, "POST", "/staff/consultations/" + id + "/responses/new", body);
  EXPECT_EQ(again.status, 303);
  EXPECT_EQ(testing::header_value(again, "Location"), location);
  EXPECT_EQ(count(), 1);
  // The same form changed and sent again is refused, and changes nothing.
  auto changed = call(olivia, "POST", "/staff/consultations/" + id + "/responses/new",
                      std::regex_replace(body, std::regex("q0=B"), "q0=C"));
  EXPECT_EQ(changed.status, 409);
  EXPECT_NE(changed.body.find("sent already"), std::string::npos);
  EXPECT_EQ(count(), 1);
  EXPECT_EQ(store->response_by_reference(reference)->answers["q1"], "B");
}

// An officer's paper response over the API is audited the same way, whichever reading of its body
// the server takes (a flat body goes the fast way, one with a person id the general one).
TEST_F(StaffResponsesTest, AnOfficersEntryOverTheApiIsAuditedOnEitherPath) {
  const std::string token = new_bearer_token();
  auto officer = store->add_user(Role::kOfficer, "api officer", hash_token(token));
  ASSERT_TRUE(officer.ok());
  const uint64_t plain_before = api->commit_stats().plain_bodies;
  for (const std::string& body : {std::string(R"({"channel":"paper","answers":{"q1":"A"}})"),
                                 std::string(R"({"channel":"phone","answers":{"q3":["park"]},"language":"cy"})")}) {
    HttpRequest r;
    r.method = "POST";
    r.target = "/api/v1/consultations/" + id + "/responses";
    r.authorization = "Bearer " + token;
    r.content_type = "application/json";
    r.body = body;
    auto res = testing::handle_and_wait(*api, r);
    ASSERT_EQ(res.status, 201) << res.body;
    auto reference = nlohmann::json::parse(res.body)["reference"].get<std::string>();
    auto log = store->audit_entries();
    ASSERT_TRUE(log.ok());
    EXPECT_EQ(log->back().event.action, "response.entered") << body;
    EXPECT_EQ(log->back().event.actor, Actor::of(*officer).who);
    EXPECT_EQ(log->back().event.detail.value("response", ""), reference);
  }
  EXPECT_GT(api->commit_stats().plain_bodies, plain_before);
}

TEST_F(StaffResponsesTest, EntryErrorsNameTheFieldAndStoreNothing) {
  Browser olivia = session_for("officer");
  auto form = call(olivia, "GET", "/staff/consultations/" + id + "/responses/new");
  const std::string start = "csrf=" + testing::csrf_of(form.body) + "&submission=" + testing::form_escape(submission_in(form.body));
  auto no_channel = call(olivia, "POST", "/staff/consultations/" + id + "/responses/new", start + "&language=en-GB&q0=A");
  EXPECT_EQ(no_channel.status, 400);
  EXPECT_NE(no_channel.body.find("href=\"#channel\""), std::string::npos);
  EXPECT_NE(no_channel.body.find("Choose how the response was given"), std::string::npos);
  // What was typed is kept.
  EXPECT_NE(no_channel.body.find("value=\"A\" checked"), std::string::npos);
  auto online = call(olivia, "POST", "/staff/consultations/" + id + "/responses/new", start + "&channel=online&language=en-GB");
  EXPECT_EQ(online.status, 400);
  auto not_offered = call(olivia, "POST", "/staff/consultations/" + id + "/responses/new",
                          start + "&channel=face_to_face&language=en-GB");
  EXPECT_EQ(not_offered.status, 422);
  EXPECT_NE(not_offered.body.find("does not offer the Face to face channel"), std::string::npos);
  auto off_scale = call(olivia, "POST", "/staff/consultations/" + id + "/responses/new",
                        start + "&channel=paper&language=en-GB&q1=9");
  EXPECT_EQ(off_scale.status, 422) << off_scale.body;
  EXPECT_NE(off_scale.body.find("href=\"#q1\""), std::string::npos);
  EXPECT_NE(off_scale.body.find("How much do you agree?:"), std::string::npos);
  auto not_an_option = call(olivia, "POST", "/staff/consultations/" + id + "/responses/new",
                            start + "&channel=paper&language=en-GB&q0=D");
  EXPECT_EQ(not_an_option.status, 422);
  EXPECT_NE(not_an_option.body.find("href=\"#q0\""), std::string::npos);
  auto twice = call(olivia, "POST", "/staff/consultations/" + id + "/responses/new",
                    start + "&channel=paper&language=en-GB&q4-0=1&q4-1=1");
  EXPECT_EQ(twice.status, 400);
  EXPECT_NE(twice.body.find("href=\"#q4-0\""), std::string::npos);
  auto no_key = call(olivia, "POST", "/staff/consultations/" + id + "/responses/new",
                     "csrf=" + testing::csrf_of(form.body) + "&channel=paper&language=en-GB");
  EXPECT_EQ(no_key.status, 400);
  EXPECT_EQ(count(), 0);
  // Governance staff may not enter one.
  Browser gwen = session_for("governance");
  EXPECT_EQ(call(gwen, "GET", "/staff/consultations/" + id + "/responses/new").status, 403);
}

TEST_F(StaffResponsesTest, AClosedConsultationRefusesAnEntryAndStoresNothing) {
  Browser olivia = session_for("officer");
  auto form = call(olivia, "GET", "/staff/consultations/" + id + "/responses/new");
  ASSERT_EQ(form.status, 200);
  ASSERT_TRUE(store->transition_consultation(TransitionRecord{id, ConsultationStatus::kOpen, ConsultationStatus::kClosed, 0, {}, {}}).ok());
  auto r = call(olivia, "POST", "/staff/consultations/" + id + "/responses/new",
                "csrf=" + testing::csrf_of(form.body) + "&submission=" + testing::form_escape(submission_in(form.body)) +
                    "&channel=paper&language=en-GB&q0=A");
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find("This consultation is not open for responses"), std::string::npos);
  EXPECT_NE(r.body.find("Nothing was stored"), std::string::npos);
  EXPECT_EQ(count(), 0);
  auto page = call(olivia, "GET", "/staff/consultations/" + id + "/responses/new");
  EXPECT_EQ(page.status, 409);
  EXPECT_EQ(call(olivia, "GET", "/staff/consultations/" + id + "/responses").body.find("/responses/new"), std::string::npos);
}

TEST_F(StaffResponsesTest, TheCsvExportHoldsTheStoredAnswersWithFormulasNeutralised) {
  auto refs = submit({response("paper", "cy", {{"q1", "C"}, {"q2", 2}, {"q3", {"pool", "library"}}, {"q4", true},
                                               {"q5", {"z", "x", "y"}}, {"q6", "=1+1, \"quoted\"\nsecond line"}}),
                      response("online", "en-GB", {{"q6", "@SUM(A1)"}}),
                      response("phone", "en-GB", {{"q6", "-2"}, {"q4", false}})});
  Browser gwen = session_for("governance");
  auto r = call(gwen, "GET", "/staff/consultations/" + id + "/export.csv");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/csv; charset=utf-8");
  EXPECT_NE(testing::header_value(r, "Content-Disposition").find("attachment; filename=\"" + id + "-responses.csv\""), std::string::npos);
  ASSERT_EQ(r.body.substr(0, 3), "\xEF\xBB\xBF");
  auto rows = parse_csv(r.body.substr(3));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"Reference", "Received", "Channel", "Language", "Which option?",
                                               "How much do you agree?", "Which do you use?", "Do you live here?",
                                               "Rank these", "Anything else?"}));
  for (size_t i = 0; i < refs.size(); ++i) {
    auto stored = store->response_by_reference(refs[i]);
    EXPECT_EQ(rows[i + 1][0], refs[i]);
    EXPECT_EQ(rows[i + 1][1], stored->created_at);
    EXPECT_EQ(rows[i + 1][2], stored->channel);
    EXPECT_EQ(rows[i + 1][3], stored->language);
  }
  EXPECT_EQ(std::vector<std::string>(rows[1].begin() + 4, rows[1].end()),
            (std::vector<std::string>{"C", "2", "library; pool", "Yes", "z; x; y", "'=1+1, \"quoted\"\nsecond line"}));
  EXPECT_EQ(rows[2][9], "'@SUM(A1)");
  EXPECT_EQ(rows[2][4], "");
  EXPECT_EQ(rows[3][9], "'-2");
  EXPECT_EQ(rows[3][7], "No");
  // The table's filter applies.
  auto paper = parse_csv(call(gwen, "GET", "/staff/consultations/" + id + "/export.csv?channel=paper").body.substr(3));
  ASSERT_EQ(paper.size(), 2u);
  EXPECT_EQ(paper[1][0], refs[0]);
  EXPECT_EQ(call(gwen, "GET", "/staff/consultations/" + id + "/export.csv?from=yesterday").status, 400);
  EXPECT_EQ(call(gwen, "GET", "/staff/consultations/c-404/export.csv").status, 404);
  // The workbook is a zip (its cells are read back by tests/python/test_staff_export.py).
  auto x = call(gwen, "GET", "/staff/consultations/" + id + "/export.xlsx");
  ASSERT_EQ(x.status, 200);
  EXPECT_EQ(x.body.substr(0, 2), "PK");
  EXPECT_EQ(x.content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
}

TEST_F(StaffResponsesTest, TheChartsCountEachOptionChannelAndLanguageWithTablesBeside) {
  submit({response("paper", "cy", {{"q1", "C"}, {"q3", {"pool", "library"}}, {"q5", {"z", "x"}}}),
          response("online", "en-GB", {{"q1", "C"}, {"q3", {"pool"}}, {"q5", {"x"}}}),
          response("online", "en-GB", {{"q1", "A"}})});
  Browser gwen = session_for("governance");
  auto r = call(gwen, "GET", "/staff/consultations/" + id + "/charts");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string& b = r.body;
  EXPECT_NE(b.find("role=\"img\""), std::string::npos);
  EXPECT_NE(b.find("<title id=\"q0-title\">Which option?</title>"), std::string::npos);
  EXPECT_NE(b.find("Bar chart of 3 people who answered: A 1; B 0; C 2"), std::string::npos) << b;
  EXPECT_NE(b.find("Bar chart of 2 people who answered (each could choose several): library 1; park 0; pool 2"),
            std::string::npos);
  EXPECT_NE(b.find("Bar chart of 2 people who ranked (counting first choices): x 1; y 0; z 1"), std::string::npos);
  EXPECT_NE(b.find("Bar chart of 3 responses: Online 2; Paper 1; Phone 0; Face to face 0; Event 0"), std::string::npos);
  EXPECT_NE(b.find("Bar chart of 3 responses: cy 1; en-GB 2"), std::string::npos);
  // A table for each chart, and the respondents with facts counted and said.
  EXPECT_NE(b.find("<caption class=\"govuk-table__caption govuk-table__caption--s\">Responses by channel</caption>"),
            std::string::npos);
  EXPECT_NE(b.find("0 respondents have panel facts"), std::string::npos);
  EXPECT_EQ(call(gwen, "GET", "/staff/consultations/c-404/charts").status, 404);
}

}  // namespace
}  // namespace townhall::server
