// A question's hint text on the residents' question page, as the GOV.UK Design System's hint
// component shows it: a <div class="govuk-hint" id="answer-hint"> under the question (inside the
// fieldset after its legend, or after the label of a textarea), named by the fieldset's or the
// textarea's aria-describedby, before the error message's id when there is an error
// ("answer-hint answer-error"), in the language it is shown in. Expected markup is written from
// the Design System's radios/textarea templates, not from this renderer's output.
#include <gtest/gtest.h>

#include <filesystem>

#include "in_process.h"
#include "townhall/consultations/editing.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"

namespace townhall::server {
namespace {

class QuestionHintTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::make_temp_dir("townhall-hint");
    store = std::move(open_sqlite_store(dir + "/t.db", SqliteOptions::creating())).value();
    api = std::make_unique<Api>(*store, ApiOptions{});
    nlohmann::json doc = {
        {"title", "Library hours"},
        {"opens", "2020-01-01"},
        {"closes", "2099-12-31"},
        {"languages", {"cy"}},
        {"questions",
         {{{"id", "agree"}, {"type", "yes_no"}, {"text", "Do you agree?"}, {"required", true},
           {"hint", "Think about the whole borough & not only your street."}},
          {{"id", "why"}, {"type", "free_text"}, {"text", "Why?"}, {"max_length", 10}, {"hint", "Tell us in your own words."}},
          {{"id", "mode"}, {"type", "single_choice"}, {"text", "How do you travel?"}, {"options", {"Bus", "Car"}},
           {"required", true}}}}};
    auto rec = store->create_consultation(doc, AuditEvent{"test", "consultation.create", "consultation", "", {}});
    ASSERT_TRUE(rec.ok());
    id = rec->id;
    testing::open_without_checks(*store, id);
  }
  void TearDown() override {
    api.reset();
    std::filesystem::remove_all(dir);
  }

  HttpResponse call(const std::string& method, const std::string& target, const std::string& body = "") {
    return testing::browser_request(*api, method, target, body, cookie);
  }
  std::string question(int n, const std::string& lang = "en-GB") {
    return "/" + lang + "/consultations/" + id + "/questions/" + std::to_string(n);
  }
  static size_t at(const HttpResponse& r, const std::string& s) { return r.body.find(s); }

  std::string dir, id, cookie;
  std::unique_ptr<Store> store;
  std::unique_ptr<Api> api;
};

TEST_F(QuestionHintTest, TheHintIsUnderTheQuestionAndDescribesTheAnswer) {
  // Radios: the fieldset names the hint; the hint follows the legend, before the radios.
  auto q1 = call("GET", question(1));
  ASSERT_EQ(q1.status, 200) << q1.body;
  const std::string hint1 =
      R"(<div id="answer-hint" class="govuk-hint" lang="en-GB" dir="ltr">Think about the whole borough &amp; not only your street.</div>)";
  ASSERT_NE(at(q1, hint1), std::string::npos) << q1.body;
  EXPECT_NE(at(q1, R"(<fieldset class="govuk-fieldset" aria-describedby="answer-hint">)"), std::string::npos) << q1.body;
  EXPECT_LT(at(q1, "</legend>"), at(q1, hint1));
  EXPECT_LT(at(q1, hint1), at(q1, R"(class="govuk-radios)"));
  EXPECT_LT(at(q1, hint1), at(q1, "</fieldset>"));
  EXPECT_EQ(at(q1, "answer-error"), std::string::npos);

  // A textarea: the hint after its label, named by the textarea.
  auto q2 = call("GET", question(2));
  const std::string hint2 = R"(<div id="answer-hint" class="govuk-hint" lang="en-GB" dir="ltr">Tell us in your own words.</div>)";
  ASSERT_NE(at(q2, hint2), std::string::npos) << q2.body;
  EXPECT_LT(at(q2, "</label>"), at(q2, hint2));
  EXPECT_NE(at(q2, R"(name="answer" rows="6" aria-describedby="answer-hint">)"), std::string::npos) << q2.body;

  // No hint: no hint element and nothing to describe the answer.
  auto q3 = call("GET", question(3));
  EXPECT_EQ(at(q3, "answer-hint"), std::string::npos);
  EXPECT_EQ(at(q3, "aria-describedby"), std::string::npos) << q3.body;
}

TEST_F(QuestionHintTest, AnErrorKeepsTheHintAndNamesBothHintAndError) {
  const std::string token = testing::csrf_of(call("GET", question(1)).body);
  ASSERT_EQ(token.size(), 64u);
  auto r = call("POST", question(1), "csrf=" + token);
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_NE(at(r, R"(<fieldset class="govuk-fieldset" aria-describedby="answer-hint answer-error">)"), std::string::npos) << r.body;
  EXPECT_NE(at(r, R"(<div id="answer-hint" class="govuk-hint")"), std::string::npos);
  EXPECT_NE(at(r, R"(<p id="answer-error" class="govuk-error-message">)"), std::string::npos);
  // The hint comes before the error message, as in GOV.UK Frontend.
  EXPECT_LT(at(r, "id=\"answer-hint\""), at(r, "id=\"answer-error\""));

  r = call("POST", question(2), "answer=abcdefghijkl&csrf=" + token);
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_NE(at(r, R"(name="answer" rows="6" aria-describedby="answer-hint answer-error">abcdefghijkl</textarea>)"),
            std::string::npos)
      << r.body;

  // Without a hint, the error alone.
  r = call("POST", question(3), "csrf=" + token);
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_NE(at(r, R"(<fieldset class="govuk-fieldset" aria-describedby="answer-error">)"), std::string::npos) << r.body;
  EXPECT_EQ(at(r, "answer-hint"), std::string::npos);
}

TEST_F(QuestionHintTest, TheHintIsShownInTheLanguageItIsTranslatedIntoElseInEnglishMarkedSo) {
  nlohmann::json welsh = {{"questions",
                           {{"agree", {{"text", "Ydych chi’n cytuno?"}, {"hint", "Meddyliwch am y fwrdeistref gyfan."}}},
                            {"why", {{"text", "Pam?"}}}}}};
  ASSERT_TRUE(put_translation(*store, id, "cy", welsh, AuditEvent{"test", "translation.put", "consultation", id, {}}).ok());
  auto q1 = call("GET", question(1, "cy"));
  EXPECT_NE(at(q1, R"(<div id="answer-hint" class="govuk-hint" lang="cy" dir="ltr">Meddyliwch am y fwrdeistref gyfan.</div>)"),
            std::string::npos)
      << q1.body;
  auto q2 = call("GET", question(2, "cy"));
  EXPECT_NE(at(q2, R"(<div id="answer-hint" class="govuk-hint" lang="en-GB" dir="ltr">Tell us in your own words.</div>)"),
            std::string::npos)
      << q2.body;
  // The API's questions say the same: the Welsh hint, and the English one marked as a fallback.
  auto api_qs = call("GET", "/api/v1/consultations/" + id + "/questions?lang=cy");
  ASSERT_EQ(api_qs.status, 200) << api_qs.body;
  auto body = nlohmann::json::parse(api_qs.body);
  EXPECT_EQ(body["items"][0]["hint"], "Meddyliwch am y fwrdeistref gyfan.");
  EXPECT_EQ(body["items"][1]["hint"], "Tell us in your own words.");
  EXPECT_EQ(body["field_lang"]["/items/1/hint"], "en-GB");
  EXPECT_FALSE(body["field_lang"].contains("/items/0/hint"));
}

}  // namespace
}  // namespace townhall::server
