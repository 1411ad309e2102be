// Translations, the language rules at the lifecycle gate (LANG, READ) and meetings, through the API
// in process.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "api_test_fixture.h"
#include "townhall/util/json_schema.h"

namespace townhall::server {
namespace {

// A consultation promising Welsh, written for these tests (not big, so six weeks are not needed).
nlohmann::json promising_welsh() {
  return nlohmann::json::parse(R"({
    "title": "Library opening hours", "summary": "We want to close the library on Sundays.",
    "opens": "2027-03-01", "closes": "2027-04-11",
    "proposal": "Close the library on Sundays.", "reasons": "It saves money.",
    "options_considered": [{"option": "Close on Sundays"}, {"option": "Close it", "rejected": true, "reason": "Too much."}],
    "languages": ["cy"],
    "questions": [{"id": "day", "type": "single_choice", "text": "Which day?", "options": ["Saturday", "Sunday"]}]
  })");
}

nlohmann::json welsh_translation() {
  return nlohmann::json::parse(R"({
    "title": "Oriau agor y llyfrgell", "summary": "Rydym am gau'r llyfrgell ar ddydd Sul.",
    "proposal": "Cau'r llyfrgell ar ddydd Sul.", "reasons": "Mae'n arbed arian.",
    "options_considered": [{"option": "Cau ar ddydd Sul"}, {"option": "Ei chau", "reason": "Gormod."}],
    "questions": {"day": {"text": "Pa ddiwrnod?", "options": ["Dydd Sadwrn", "Dydd Sul"]}}
  })");
}

std::string header(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

TEST_F(ApiTest, TranslationsArePutReadAndServedByLanguage) {
  ASSERT_EQ(call("POST", "/api/v1/consultations", Role::kOfficer, promising_welsh().dump()).status, 201);
  auto partial = welsh_translation();
  partial.erase("reasons");
  partial["questions"]["day"]["options"] = {"Dydd Sadwrn"};
  partial["title"] = "Oriau agor y caffe\xcc\x81";  // e + combining acute: stored in NFC as U+00E9
  auto put = call("PUT", "/api/v1/consultations/c-1/translations/CY", Role::kOfficer, partial.dump());
  ASSERT_EQ(put.status, 201) << put.body;
  EXPECT_EQ(header(put, "Location"), "/api/v1/consultations/c-1/translations/cy");  // canonical tag
  auto pj = nlohmann::json::parse(put.body);
  EXPECT_EQ(pj["lang"], "cy");
  EXPECT_FALSE(pj["complete"].get<bool>());
  EXPECT_EQ(pj["missing"], nlohmann::json({"/reasons", "/questions/day/options/1"}));
  EXPECT_EQ(pj["title"], "Oriau agor y caff\xc3\xa9");
  EXPECT_EQ(store->get_translation("c-1", "cy")->document["title"], pj["title"]);

  // The draft is not public yet, nor are its translations.
  EXPECT_EQ(call("GET", "/api/v1/consultations/c-1/translations/cy").status, 404);
  auto got = call("GET", "/api/v1/consultations/c-1?lang=cy", Role::kOfficer);
  ASSERT_EQ(got.status, 200) << got.body;
  auto doc = nlohmann::json::parse(got.body);
  EXPECT_EQ(doc["lang"], "cy");
  EXPECT_EQ(doc["dir"], "ltr");
  EXPECT_EQ(header(got, "Content-Language"), "cy");
  EXPECT_EQ(doc["proposal"], "Cau'r llyfrgell ar ddydd Sul.");
  EXPECT_EQ(doc["reasons"], "It saves money.");
  EXPECT_EQ(doc["questions"][0]["option_labels"], nlohmann::json({"Dydd Sadwrn", "Sunday"}));
  EXPECT_EQ(doc["field_lang"], nlohmann::json({{"/reasons", "en-GB"}, {"/questions/0/option_labels/1", "en-GB"}}));
  EXPECT_EQ(doc["languages_available"], nlohmann::json({"en-GB", "cy"}));

  // Accept-Language is negotiated (cy-GB → cy; French → English, nothing translated).
  auto negotiated = call("GET", "/api/v1/consultations/c-1", Role::kOfficer, "", "", "cy-GB, en;q=0.5");
  EXPECT_EQ(nlohmann::json::parse(negotiated.body)["title"], pj["title"]);
  auto french = nlohmann::json::parse(call("GET", "/api/v1/consultations/c-1", Role::kOfficer, "", "", "fr").body);
  EXPECT_EQ(french["lang"], "en-GB");
  EXPECT_EQ(french["title"], "Library opening hours");
  EXPECT_EQ(french["field_lang"], nlohmann::json::object());
  // Without either, the document is as stored (no language members).
  EXPECT_FALSE(nlohmann::json::parse(call("GET", "/api/v1/consultations/c-1", Role::kOfficer).body).contains("lang"));
  EXPECT_EQ(call("GET", "/api/v1/consultations/c-1?lang=%21%21", Role::kOfficer).status, 400);

  // GET …/questions serves the question texts and option labels the same way.
  auto qs = call("GET", "/api/v1/consultations/c-1/questions?lang=cy", Role::kOfficer);
  ASSERT_EQ(qs.status, 200) << qs.body;
  auto qj = nlohmann::json::parse(qs.body);
  EXPECT_EQ(header(qs, "Content-Language"), "cy");
  EXPECT_EQ(qj["lang"], "cy");
  EXPECT_EQ(qj["items"][0]["text"], "Pa ddiwrnod?");
  EXPECT_EQ(qj["items"][0]["options"], nlohmann::json({"Saturday", "Sunday"}));  // still the answer values
  EXPECT_EQ(qj["items"][0]["option_labels"], nlohmann::json({"Dydd Sadwrn", "Sunday"}));
  EXPECT_EQ(qj["field_lang"], nlohmann::json({{"/items/0/option_labels/1", "en-GB"}}));
  EXPECT_EQ(qj["languages_available"], nlohmann::json({"en-GB", "cy"}));
  auto qneg = nlohmann::json::parse(call("GET", "/api/v1/consultations/c-1/questions", Role::kOfficer, "", "", "cy-GB").body);
  EXPECT_EQ(qneg["items"][0]["text"], "Pa ddiwrnod?");
  auto qplain = nlohmann::json::parse(call("GET", "/api/v1/consultations/c-1/questions", Role::kOfficer).body);
  EXPECT_EQ(qplain["items"][0]["text"], "Which day?");
  EXPECT_FALSE(qplain.contains("lang"));
  EXPECT_EQ(call("GET", "/api/v1/consultations/c-1/questions?lang=%21%21", Role::kOfficer).status, 400);

  // Bad tags, English and content the consultation lacks are refused, and nothing changes.
  EXPECT_EQ(call("PUT", "/api/v1/consultations/c-1/translations/en-GB", Role::kOfficer, "{}").status, 400);
  EXPECT_EQ(call("PUT", "/api/v1/consultations/c-1/translations/x%20y", Role::kOfficer, "{}").status, 400);
  auto unknown = welsh_translation();
  unknown["questions"]["colour"] = {{"text", "Lliw?"}};
  auto refused = call("PUT", "/api/v1/consultations/c-1/translations/cy", Role::kOfficer, unknown.dump());
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(problem_of(refused)["pointer"], "/questions/colour");
  auto schema = call("PUT", "/api/v1/consultations/c-1/translations/cy", Role::kOfficer, R"({"colour":"coch"})");
  EXPECT_EQ(schema.status, 422);
  EXPECT_EQ(problem_of(schema)["pointer"], "/colour");
  EXPECT_EQ(store->get_translation("c-1", "cy")->document["title"], "Oriau agor y caff\xc3\xa9");  // unchanged

  auto replaced = call("PUT", "/api/v1/consultations/c-1/translations/cy", Role::kOfficer, welsh_translation().dump());
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_TRUE(nlohmann::json::parse(replaced.body)["complete"].get<bool>());
  auto list = nlohmann::json::parse(call("GET", "/api/v1/consultations/c-1/translations", Role::kOfficer).body);
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["name"], "Cymraeg");
  EXPECT_TRUE(list["items"][0]["complete"].get<bool>());
  ASSERT_EQ(list["findings"].size(), 1u);
  EXPECT_EQ(list["findings"][0]["severity"], "info");

  EXPECT_EQ(call("DELETE", "/api/v1/consultations/c-1/translations/cy", Role::kOfficer).status, 204);
  EXPECT_EQ(call("GET", "/api/v1/consultations/c-1/translations/cy", Role::kOfficer).status, 404);
  EXPECT_EQ(call("DELETE", "/api/v1/consultations/c-1/translations/cy", Role::kOfficer).status, 404);
}

TEST_F(ApiTest, LangBlocksSchedulingUntilThePromisedLanguageIsCompleteAndReadWarns) {
  auto doc = promising_welsh();
  doc["summary"] =
      "The council proposes to consolidate administrative accommodation across the borough by relocating "
      "departmental functions into a refurbished civic centre, thereby generating significant operational "
      "efficiencies and substantial revenue savings for subsequent financial years.";  // 32 words
  ASSERT_EQ(call("POST", "/api/v1/consultations", Role::kOfficer, doc.dump()).status, 201);
  auto refused = call("POST", "/api/v1/consultations/c-1/transitions", Role::kOfficer, R"({"to":"scheduled"})");
  ASSERT_EQ(refused.status, 409) << refused.body;
  auto p = problem_of(refused);
  EXPECT_EQ(p["rules"], nlohmann::json({"LANG"}));
  std::string lang_message;
  for (const auto& f : p["findings"]) {
    if (f["rule"] == "LANG") lang_message = f["message"];
  }
  EXPECT_NE(lang_message.find("Welsh (cy)"), std::string::npos) << lang_message;
  EXPECT_NE(lang_message.find("/questions/day/text"), std::string::npos) << lang_message;
  EXPECT_EQ(store->get_consultation("c-1")->status, ConsultationStatus::kDraft);

  // The findings route shows the same.
  auto findings = nlohmann::json::parse(call("GET", "/api/v1/consultations/c-1/findings", Role::kOfficer).body);
  EXPECT_EQ(findings["summary"]["breach"], 1);

  ASSERT_EQ(call("PUT", "/api/v1/consultations/c-1/translations/cy", Role::kOfficer, welsh_translation().dump()).status, 201);
  auto ok = call("POST", "/api/v1/consultations/c-1/transitions", Role::kOfficer, R"({"to":"scheduled"})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto body = nlohmann::json::parse(ok.body);
  int read_warnings = 0;
  for (const auto& f : body["findings"]) {
    if (f["rule"] == "READ") {
      ++read_warnings;
      EXPECT_EQ(f["severity"], "warning");
      EXPECT_EQ(f["figures"]["longest_sentence_words"], 32);
    }
  }
  EXPECT_EQ(read_warnings, 1);
}

TEST_F(ApiTest, LangBreachCanBeExceptedWithAReason) {
  ASSERT_EQ(call("POST", "/api/v1/consultations", Role::kOfficer, promising_welsh().dump()).status, 201);
  auto ok = call("POST", "/api/v1/consultations/c-1/transitions", Role::kOfficer,
                 R"({"to":"scheduled",)" +
                     approved_exception_member("c-1", ConsultationStatus::kScheduled,
                                               "Translator booked; Welsh version follows in a week") +
                     "}");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_TRUE(nlohmann::json::parse(ok.body)["exception_recorded"].get<bool>());
  // The recorded exception covers opening too, as for the other rules.
  EXPECT_EQ(call("POST", "/api/v1/consultations/c-1/transitions", Role::kOfficer,
                 R"({"to":"open",)" + approved_exception_member("c-1", ConsultationStatus::kOpen) + "}")
                .status,
            200);
}

TEST_F(ApiTest, MeetingsAreKeptWithLondonTimesAndListedOnTheConsultation) {
  ASSERT_EQ(call("POST", "/api/v1/consultations", Role::kOfficer, promising_welsh().dump()).status, 201);
  nlohmann::json winter = {{"kind", "public_meeting"}, {"title", "Cabinet"}, {"date", "2027-03-10"},
                           {"starts_at", "18:30"}, {"ends_at", "20:00"}, {"place", "Town Hall, Room 1"},
                           {"accessibility", "Step-free access; hearing loop"},
                           {"recording_url", "https://example.org/recordings/cabinet"}};
  auto created = call("POST", "/api/v1/consultations/c-1/meetings", Role::kOfficer, winter.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  auto m = nlohmann::json::parse(created.body);
  EXPECT_EQ(header(created, "Location"), "/api/v1/consultations/c-1/meetings/" + std::to_string(m["id"].get<int64_t>()));
  EXPECT_EQ(m["starts"], "2027-03-10T18:30:00+00:00");  // GMT: BST starts Sun 28 Mar 2027
  EXPECT_EQ(m["ends"], "2027-03-10T20:00:00+00:00");
  nlohmann::json summer = {{"kind", "event"}, {"title", "Drop-in"}, {"date", "2027-03-28"}, {"starts_at", "10:00"},
                           {"online_url", "https://example.org/join"}};
  auto s = nlohmann::json::parse(call("POST", "/api/v1/consultations/c-1/meetings", Role::kOfficer, summer.dump()).body);
  EXPECT_EQ(s["starts"], "2027-03-28T10:00:00+01:00");  // BST from 01:00 GMT that Sunday

  auto bad = winter;
  bad["ends_at"] = "18:00";
  auto r = call("POST", "/api/v1/consultations/c-1/meetings", Role::kOfficer, bad.dump());
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(problem_of(r)["pointer"], "/ends_at");
  bad = winter;
  bad.erase("place");
  r = call("POST", "/api/v1/consultations/c-1/meetings", Role::kOfficer, bad.dump());
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(problem_of(r)["pointer"], "/place");
  bad = winter;
  bad["date"] = "2027-02-30";
  EXPECT_EQ(problem_of(call("POST", "/api/v1/consultations/c-1/meetings", Role::kOfficer, bad.dump()))["pointer"], "/date");
  EXPECT_EQ(call("POST", "/api/v1/consultations/c-404/meetings", Role::kOfficer, winter.dump()).status, 404);

  auto listed = nlohmann::json::parse(call("GET", "/api/v1/consultations/c-1", Role::kOfficer).body)["meetings"];
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]["title"], "Cabinet");  // 10 March before 28 March
  EXPECT_EQ(listed[0]["recording_url"], "https://example.org/recordings/cabinet");

  std::string one = "/api/v1/consultations/c-1/meetings/" + std::to_string(m["id"].get<int64_t>());
  winter["date"] = "2027-04-01";
  auto updated = call("PUT", one, Role::kOfficer, winter.dump());
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(nlohmann::json::parse(updated.body)["starts"], "2027-04-01T18:30:00+01:00");
  EXPECT_EQ(nlohmann::json::parse(call("GET", "/api/v1/consultations/c-1/meetings", Role::kOfficer).body)["items"][1]["title"],
            "Cabinet");
  EXPECT_EQ(call("GET", one).status, 404);  // the consultation is still a draft
  EXPECT_EQ(call("DELETE", one, Role::kOfficer).status, 204);
  EXPECT_EQ(call("GET", one, Role::kOfficer).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/consultations/c-1/meetings/abc", Role::kOfficer).status, 404);
}

}  // namespace
}  // namespace townhall::server
