// Charter exceptions in the staff console, through its pages only: an officer asks for one on the
// consultation's page naming another officer or administrator, the one named approves it on
// /staff/exceptions, and only then does the step button go through, recording both. Expected
// values follow the rule (core consultations/exception_approval.h): governance staff and the
// asker themselves cannot approve; only the officer named decides; the step records the reason
// and both officers.
#include <gtest/gtest.h>

#include <regex>

#include "staff_console_fixture.h"
#include "townhall/consultations/lifecycle.h"

namespace townhall::server {
namespace {

// Five weeks for a big decision: C-MIN (six weeks) blocks scheduling.
nlohmann::json five_weeks() {
  nlohmann::json doc = eight_weeks();
  doc["closes"] = "2026-04-05";
  return doc;
}

// The value of the hidden or selected form field `name` on `page` ("" when absent).
std::string hidden_value(const std::string& page, const std::string& name) {
  std::smatch m;
  if (std::regex_search(page, m, std::regex("name=\"" + name + "\" value=\"([^\"]*)\""))) return m[1];
  return "";
}

using StaffExceptionsTest = StaffConsoleTest;

TEST_F(StaffExceptionsTest, AskedOnThePageApprovedBySomeoneElseThenTheStepGoesThrough) {
  auto c = create_consultation(*store, five_weeks(), Actor::system("test"));
  ASSERT_TRUE(c.ok());
  const std::string page_path = "/staff/consultations/" + c->id;
  Browser olivia = session_for("officer"), adam = session_for("admin"), gwen = session_for("governance");

  // Blocked by C-MIN: the page offers to ask for an exception, naming only other officers and
  // administrators (adam), not the officer herself nor governance staff.
  auto page = call(olivia, "GET", page_path);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Blocked by the charter findings C-MIN"), std::string::npos);
  EXPECT_NE(page.body.find("Ask for an exception"), std::string::npos);
  const std::string adam_id = std::to_string(users.at("admin").id);
  EXPECT_NE(page.body.find("<option value=\"" + adam_id + "\""), std::string::npos);
  EXPECT_EQ(page.body.find("<option value=\"" + std::to_string(users.at("officer").id) + "\""), std::string::npos);
  EXPECT_EQ(page.body.find("<option value=\"" + std::to_string(users.at("governance").id) + "\""), std::string::npos);
  const std::string csrf = csrf_of(page.body);
  const std::string ask = page_path + "/exception-requests";
  const std::string fields = "csrf=" + csrf + "&to=scheduled&version=" + std::to_string(c->version);

  // No reason: refused naming the field, the approver chosen kept; nothing stored.
  auto no_reason = call(olivia, "POST", ask, fields + "&reason=&approver=" + adam_id);
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_NE(no_reason.body.find("id=\"reason-error\""), std::string::npos);
  EXPECT_NE(no_reason.body.find("href=\"#reason\""), std::string::npos);
  EXPECT_NE(no_reason.body.find("<option value=\"" + adam_id + "\" selected"), std::string::npos);
  // Naming governance staff is refused too.
  auto governance = call(olivia, "POST", ask,
                         fields + "&reason=Budget&approver=" + std::to_string(users.at("governance").id));
  EXPECT_EQ(governance.status, 422);
  EXPECT_NE(governance.body.find("id=\"approver-error\""), std::string::npos);
  EXPECT_TRUE(store->exception_requests_about(c->id)->empty());

  const std::string reason = "The budget must be set by 1 April.";
  auto asked = call(olivia, "POST", ask, fields + "&reason=" + form_escape(reason) + "&approver=" + adam_id);
  ASSERT_EQ(asked.status, 303) << asked.body;
  page = call(olivia, "GET", page_path);
  EXPECT_NE(page.body.find("Waiting for adam (test) to approve"), std::string::npos);
  EXPECT_EQ(hidden_value(page.body, "exception_request"), "");
  // Pressing the button now still changes nothing.
  auto early = call(olivia, "POST", page_path + "/transitions", "csrf=" + csrf + "&to=scheduled&version=" + std::to_string(c->version));
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(store->get_consultation(c->id)->status, ConsultationStatus::kDraft);

  // The officer cannot approve her own request; governance staff cannot reach the page.
  const int64_t request = (*store->exception_requests_about(c->id))[0].id;
  const std::string decide = "/staff/exceptions/" + std::to_string(request) + "/decision";
  auto own = call(olivia, "POST", decide, "csrf=" + csrf + "&decision=approve");
  EXPECT_EQ(own.status, 409);
  EXPECT_NE(own.body.find("only the officer named in the request"), std::string::npos);
  EXPECT_EQ(call(gwen, "GET", "/staff/exceptions").status, 403);

  // Adam sees it waiting, with the reason, and approves it.
  auto waiting = call(adam, "GET", "/staff/exceptions");
  ASSERT_EQ(waiting.status, 200);
  EXPECT_NE(waiting.body.find(reason), std::string::npos);
  EXPECT_NE(waiting.body.find("olivia (test)"), std::string::npos);
  auto approved = call(adam, "POST", decide, "csrf=" + csrf_of(waiting.body) + "&decision=approve");
  ASSERT_EQ(approved.status, 303);
  EXPECT_EQ(testing::header_value(approved, "Location"), "/staff/exceptions?decided=approve");
  EXPECT_NE(call(adam, "GET", "/staff/exceptions").body.find("Nothing is waiting for you."), std::string::npos);

  // The officer's button now carries the approved request, and the step goes through.
  page = call(olivia, "GET", page_path);
  EXPECT_EQ(hidden_value(page.body, "exception_request"), std::to_string(request));
  EXPECT_NE(page.body.find("Uses the exception adam (test) approved"), std::string::npos);
  auto stepped = call(olivia, "POST", page_path + "/transitions",
                      "csrf=" + csrf + "&to=scheduled&version=" + std::to_string(c->version) +
                          "&exception_request=" + std::to_string(request));
  ASSERT_EQ(stepped.status, 303) << stepped.body;
  auto rec = store->get_consultation(c->id);
  EXPECT_EQ(rec->status, ConsultationStatus::kScheduled);
  const auto& ex = rec->document["exceptions"][0];
  EXPECT_EQ(ex["reason"], reason);
  EXPECT_EQ(ex["rules"], nlohmann::json({"C-MIN"}));
  EXPECT_EQ(ex["requested_by"], Actor::of(users.at("officer")).who);
  EXPECT_EQ(ex["approved_by"], Actor::of(users.at("admin")).who);
  // The page lists the request as approved.
  page = call(olivia, "GET", page_path);
  EXPECT_NE(page.body.find("Exceptions asked for"), std::string::npos);
  EXPECT_NE(page.body.find(">approved</strong>"), std::string::npos);
}

TEST_F(StaffExceptionsTest, ADeclinedRequestLeavesTheStepBlockedAndTheFormBack) {
  auto c = create_consultation(*store, five_weeks(), Actor::system("test"));
  ASSERT_TRUE(c.ok());
  ExceptionAsk ask;
  ask.consultation_id = c->id;
  ask.to = ConsultationStatus::kScheduled;
  ask.reason = "Budget";
  ask.approver = users.at("admin").id;
  auto made = ask_for_exception(*store, ask, users.at("officer"), clock);
  ASSERT_TRUE(made.ok()) << made.error().describe();
  Browser adam = session_for("admin"), olivia = session_for("officer");
  auto waiting = call(adam, "GET", "/staff/exceptions");
  auto declined = call(adam, "POST", "/staff/exceptions/" + std::to_string(made->id) + "/decision",
                       "csrf=" + csrf_of(waiting.body) + "&decision=decline");
  ASSERT_EQ(declined.status, 303);
  auto page = call(olivia, "GET", "/staff/consultations/" + c->id);
  EXPECT_NE(page.body.find(">declined</strong>"), std::string::npos);
  EXPECT_NE(page.body.find("Ask for an exception"), std::string::npos);
  EXPECT_EQ(hidden_value(page.body, "exception_request"), "");
  // Sent by hand, the declined request is refused and nothing moves.
  auto forced = call(olivia, "POST", "/staff/consultations/" + c->id + "/transitions",
                     "csrf=" + csrf_of(page.body) + "&to=scheduled&version=" + std::to_string(c->version) +
                         "&exception_request=" + std::to_string(made->id));
  EXPECT_EQ(forced.status, 409);
  EXPECT_EQ(store->get_consultation(c->id)->status, ConsultationStatus::kDraft);
}

}  // namespace
}  // namespace townhall::server
