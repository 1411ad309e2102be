// `townhall demo seed`: realistic demo data for `make serve` — consultations in every lifecycle
// state, with responses, created through the same API (and charter checks) a council would use.
#include <future>
#include <iostream>

#include "cli.h"
#include "database_option.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"
#include "townhall/store/token.h"

namespace townhall::cli {
namespace {

struct Caller {
  server::Api& api;
  std::string token;
  server::HttpResponse operator()(const std::string& method, const std::string& target, const nlohmann::json& body = nullptr) {
    server::HttpRequest r;
    r.method = method;
    r.target = target;
    if (!token.empty()) r.authorization = "Bearer " + token;
    if (!body.is_null()) {
      r.body = body.dump();
      r.content_type = "application/json";
    }
    std::promise<server::HttpResponse> done;
    api.handle(r, [&done](server::HttpResponse res) { done.set_value(std::move(res)); });
    return done.get_future().get();
  }
};

nlohmann::json consultation(const std::string& title, const std::string& summary, Date opens, Date closes,
                            bool big, std::vector<std::string> wards, std::vector<std::string> topics) {
  return {{"title", title},
          {"summary", summary},
          {"big_decision", big},
          {"opens", opens.iso()},
          {"closes", closes.iso()},
          {"proposal", summary},
          {"reasons", "The council must save money while keeping services people rely on."},
          {"options_considered",
           {{{"option", "The proposal as described"}},
            {{"option", "Leave things as they are"}, {"rejected", true}, {"reason", "Not affordable within the budget."}}}},
          {"channels", {"online", "paper", "phone"}},
          {"wards", wards},
          {"topics", topics},
          {"questions",
           {{{"id", "agree"}, {"type", "yes_no"}, {"text", "Do you agree with the proposal?"}, {"required", true}},
            {{"id", "impact"}, {"type", "scale"}, {"text", "How much would this affect you? (1 = not at all, 5 = a lot)"},
             {"min", 1}, {"max", 5}},
            {{"id", "why"}, {"type", "free_text"}, {"text", "Tell us why."}}}}};
}

TOWNHALL_COMMAND("demo seed",
                 "demo seed --db PATH [--audit-key FILE]  (demo consultations in every state; prints an officer "
                 "token; makes the database when there is none)",
                 OptionSpec{{"db", "audit-key"}, {}, 0, 0}, [](const Args& a) {
                   auto db = database_path(a);
                   if (!db) return bad_input(db.error());
                   auto store = open_database(a, DbUse::kWriteNew);
                   if (!store) return bad_input(store.error());
                   if ((*store)->list_consultations({})->total > 0) {
                     std::cerr << "townhall: " << *db << " already has consultations; not seeding again\n";
                     return kExitOk;
                   }
                   std::string token = new_bearer_token();
                   if (auto u = (*store)->add_user(Role::kOfficer, "Demo officer", hash_token(token)); !u) {
                     return bad_input(u.error());
                   }
                   server::Api api(**store);
                   Caller officer{api, token};
                   Caller resident{api, ""};
                   Date today = Date::today_in_london();
                   auto create = [&](const nlohmann::json& doc) {
                     auto r = officer("POST", "/api/v1/consultations", doc);
                     if (r.status != 201) throw std::runtime_error("seed: " + r.body);
                     return nlohmann::json::parse(r.body)["id"].get<std::string>();
                   };
                   auto move = [&](const std::string& id, const nlohmann::json& body) {
                     auto r = officer("POST", "/api/v1/consultations/" + id + "/transitions", body);
                     if (r.status != 200) throw std::runtime_error("seed: " + id + ": " + r.body);
                   };
                   // Free-text answers as residents write them (some in Welsh), for the analysis notebook.
                   static const char* const kWhy[][2] = {
                       {"en-GB", "Saturday opening suits working families. Please keep the late opening on Thursdays too."},
                       {"en-GB", "The bus to the library stops running at six, so late opening is no use to me."},
                       {"cy", "Mae angen bws hwyr i'r llyfrgell. Diolch am ofyn."},
                       {"en-GB", "I use the library for homework with my children; Saturdays would help us."},
                       {"en-GB", "Closing on weekday mornings hurts older people who cannot travel later."},
                       {"cy", "Mae'r llyfrgell yn bwysig i'r plant. Cadwch hi ar agor ar ddydd Sadwrn."}};
                   auto respond = [&](const std::string& id, int n) {
                     for (int i = 0; i < n; ++i) {
                       const auto& why = kWhy[static_cast<size_t>(i) % std::size(kWhy)];
                       resident("POST", "/api/v1/consultations/" + id + "/responses",
                                {{"answers", {{"agree", i % 3 != 0}, {"impact", 1 + i % 5}, {"why", why[1]}}},
                                 {"language", why[0]}});
                     }
                   };
                   // Open now, with responses.
                   std::string open = create(consultation(
                       "Saturday opening at Abbey Road library", "We propose to open the library on Saturday afternoons only.",
                       today.minus_days(7), today.plus_days(48), true, {"Abbey", "Castle"}, {"libraries"}));
                   move(open, {{"to", "scheduled"}});
                   move(open, {{"to", "open"}});
                   respond(open, 12);
                   // Scheduled for later.
                   std::string later = create(consultation(
                       "New cycle lanes on the High Street", "We propose protected cycle lanes on both sides of the High Street.",
                       today.plus_days(30), today.plus_days(90), true, {"Castle", "Riverside"}, {"transport"}));
                   move(later, {{"to", "scheduled"}});
                   // Closed, awaiting the outcome.
                   std::string closed = create(consultation(
                       "Garden waste collections", "We propose fortnightly garden waste collections from March to November.",
                       today.minus_days(60), today.minus_days(5), false, {"Riverside"}, {"waste"}));
                   move(closed, {{"to", "scheduled"}});
                   move(closed, {{"to", "open"}});
                   respond(closed, 5);
                   move(closed, {{"to", "closed"}});
                   // Outcome published.
                   std::string done = create(consultation(
                       "Park opening hours", "We propose to lock the parks at dusk.", today.minus_days(120),
                       today.minus_days(70), false, {"Abbey"}, {"parks"}));
                   move(done, {{"to", "scheduled"}});
                   move(done, {{"to", "open"}});
                   respond(done, 4);
                   move(done, {{"to", "closed"}});
                   move(done, {{"to", "outcome_published"},
                               {"outcome",
                                {{"we_asked", "Whether to lock the parks at dusk."},
                                 {"you_said", "Most of you agreed, but asked for later closing in summer."},
                                 {"we_did", "Parks lock at dusk, and at 9pm from May to August."}}}});
                   // A draft that breaches C-MIN (five weeks for a big decision), to try the checks on.
                   create(consultation("Closing the Market Street car park", "We propose to close the car park and sell the land.",
                                       today.plus_days(14), today.plus_days(48), true, {"Market"}, {"transport", "parking"}));
                   // Open, for the Citizens' Panel: a question bound to the tenure fact (ask once: a signed-in
                   // member whose tenure is known is not asked it), a multiple-choice and a ranking question.
                   nlohmann::json street = consultation(
                       "A greener High Street", "We propose more trees, safer crossings and cycle parking on the High Street.",
                       today.minus_days(3), today.plus_days(60), false, {"Castle"}, {"transport", "environment"});
                   street["questions"] = {
                       {{"id", "home"}, {"type", "single_choice"}, {"text", "Do you own or rent your home?"},
                        {"options", {"Owned", "Social rented", "Private rented", "Other"}}, {"fact_key", "tenure"}},
                       {{"id", "modes"}, {"type", "multiple_choice"}, {"text", "How do you travel to the High Street?"},
                        {"options", {"Walk", "Bus", "Bike", "Car"}}},
                       {{"id", "priorities"}, {"type", "ranking"}, {"text", "Put these in order, most important first."},
                        {"options", {"Safer crossings", "More trees", "Cycle parking"}}},
                       {{"id", "agree"}, {"type", "yes_no"}, {"text", "Do you agree with the proposal?"}, {"required", true}}};
                   std::string green = create(street);
                   move(green, {{"to", "scheduled"}});
                   move(green, {{"to", "open"}});
                   // A panel member who can sign in on the pages (the sign-in link goes to the outbox):
                   // on the council's list, so the address is proven (an online join's is not until
                   // its emailed link is pressed).
                   auto joined = officer("POST", "/api/v1/panel/import",
                                         {{"csv", "name,email,consent,tenure,ward\n"
                                                  "Sam Demo,panel.member@example.org,yes,Social rented,Castle\n"},
                                          {"source", "demo"}});
                   if (joined.status != 201) throw std::runtime_error("seed: panel import: " + joined.body);
                   // A Forward Plan: one key decision with 28 clear days' notice, one with too little.
                   std::string gov_token = new_bearer_token();
                   if (auto u = (*store)->add_user(Role::kGovernance, "Demo governance", hash_token(gov_token)); !u) {
                     return bad_input(u.error());
                   }
                   Caller governance{api, gov_token};
                   auto decision = [&](const std::string& id, const std::string& matter, Date when, Date notice,
                                       int64_t pence) {
                     nlohmann::json maker = {{"name", "Cllr Asha Patel"}, {"title", "Cabinet Member for Highways"}};
                     nlohmann::json kd = {{"id", id}, {"matter", matter}, {"decision_maker", maker},
                                          {"decision_date", when.iso()}, {"value_pence", pence}, {"treated_as_key", true},
                                          {"assessment_reasons", "Spend over £100,000"},
                                          {"notice", {{"published_on", notice.iso()}, {"states_key_decision", true},
                                                      {"matter", matter}, {"decision_maker", maker},
                                                      {"decision_date", when.iso()},
                                                      {"documents", {"Cabinet report"}},
                                                      {"documents_available_from", "Democratic Services, Town Hall"},
                                                      {"other_documents_statement", true},
                                                      {"how_to_request", "Email democratic.services@example.gov.uk"}}}};
                     auto r = governance("PUT", "/api/v1/key-decisions/" + id, kd);
                     if (r.status != 200) throw std::runtime_error("seed: " + id + ": " + r.body);
                   };
                   decision("kd-1", "Award of the highways maintenance contract", today.plus_days(40), today.minus_days(1),
                            12'000'000);
                   decision("kd-2", "Sale of the Market Street car park", today.plus_days(20), today.minus_days(3),
                            45'000'000);  // 22 clear days: a KD-2 breach
                   api.shutdown();
                   std::cout << token << "\n";
                   std::cerr << "townhall: seeded " << *db << " with 6 consultations (2 open, scheduled, closed, "
                             << "outcome published, draft), a panel member (panel.member@example.org) and a Forward Plan of 2 key decisions (one short of 28 clear days' "
                             << "notice); the officer token above is shown only once\n";
                   return kExitOk;
                 });

}  // namespace
}  // namespace townhall::cli
