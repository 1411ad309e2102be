#include "townhall/demo/demo.h"

#include <optional>
#include <utility>
#include <vector>

#include "townhall/access/token.h"
#include "townhall/charter/policy.h"
#include "townhall/consultations/editing.h"
#include "townhall/consultations/lifecycle.h"
#include "townhall/compliance/register.h"
#include "townhall/consultations/translation.h"
#include "townhall/forward_plan/forward_plan.h"
#include "townhall/panel/member_import.h"
#include "townhall/responses/answers.h"
#include "townhall/util/csv_table.h"
#include "townhall/util/json_schema.h"

namespace townhall {
namespace {

// A failed step unwinds the whole seeding to seed_demo, which returns it as an Error.
struct StepFailed {
  Error error;
};

template <typename T, typename E>
T seeded(Result<T, E> r, const std::string& what) {
  if (!r) {
    Error e = r.error();
    e.message = "demo seed: " + what + ": " + e.message;
    throw StepFailed{std::move(e)};
  }
  return std::move(r).value();
}

void seeded(const Status& s, const std::string& what) {
  if (!s) seeded(Result<int>(s.error()), what);
}

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
          {"contact", {{"team", "Consultation team"},
                       {"email", "consultations@example.gov.uk"},
                       {"phone", "020 7946 0000"},
                       {"phone_hours", "Monday to Friday, 9am to 5pm"},
                       {"postal_address", "Freepost CONSULTATION TEAM\nTown Hall\nHigh Street"}}},
          {"wards", wards},
          {"topics", topics},
          {"questions",
           {{{"id", "agree"}, {"type", "yes_no"}, {"text", "Do you agree with the proposal?"}, {"required", true}},
            {{"id", "impact"}, {"type", "scale"}, {"text", "How much would this affect you? (1 = not at all, 5 = a lot)"},
             {"min", 1}, {"max", 5}},
            {{"id", "why"}, {"type", "free_text"}, {"text", "Tell us why."}}}}};
}

// A translation of consultation(), as a translator's machine draft would come: every field, so the
// consultation is complete in the language (LANG), and flagged as not yet checked.
nlohmann::json translated(const std::string& lang, const std::string& title, const std::string& summary,
                          std::optional<nlohmann::json> outcome = std::nullopt) {
  const bool welsh = lang == "cy";
  nlohmann::json t = {
      {"title", title},
      {"summary", summary},
      {"proposal", summary},
      {"reasons", welsh ? "Rhaid i’r cyngor arbed arian gan gadw’r gwasanaethau y mae pobl yn dibynnu arnynt."
                        : "يجب على المجلس توفير المال مع الحفاظ على الخدمات التي يعتمد عليها الناس."},
      {"options_considered",
       {{{"option", welsh ? "Y cynnig fel y’i disgrifir" : "الاقتراح كما هو موضح"}},
        {{"option", welsh ? "Gadael pethau fel y maent" : "إبقاء الوضع على ما هو عليه"},
         {"reason", welsh ? "Nid yw’n fforddiadwy o fewn y gyllideb." : "لا تسمح الميزانية بذلك."}}}},
      {"questions",
       {{"agree", {{"text", welsh ? "Ydych chi’n cytuno â’r cynnig?" : "هل توافق على الاقتراح؟"}}},
        {"impact", {{"text", welsh ? "Faint fyddai hyn yn effeithio arnoch chi? (1 = dim o gwbl, 5 = llawer)"
                                   : "إلى أي مدى سيؤثر هذا عليك؟ (1 = لا يؤثر أبدًا، 5 = يؤثر كثيرًا)"}}},
        {"why", {{"text", welsh ? "Dywedwch wrthym pam." : "أخبرنا لماذا."}}}}},
      {"machine_draft", true}};
  if (outcome) t["outcome"] = *outcome;
  return t;
}

void seed(Store& st, Date today, DemoSeed& out) {
  out.officer_token = new_bearer_token();
  const Actor officer = Actor::of(seeded(st.add_user(Role::kOfficer, "Demo officer", hash_token(out.officer_token)),
                                         "officer user"));
  const CharterPolicy policy = CharterPolicy::defaults();
  auto create = [&](const nlohmann::json& doc) {
    ++out.consultations;
    return seeded(create_consultation(st, doc, officer), "consultation").id;
  };
  auto move = [&](const std::string& id, ConsultationStatus to, std::optional<nlohmann::json> outcome = std::nullopt) {
    TransitionRequest step(to);
    step.outcome = std::move(outcome);
    // A demo stands for a history that happened on the published dates.
    step.as_published = true;
    seeded(transition(st, id, step, officer, policy, today), id);
  };
  // Free-text answers as residents write them (some in Welsh), for the analysis notebook.
  static const char* const kWhy[][2] = {
      {"en-GB", "Saturday opening suits working families. Please keep the late opening on Thursdays too."},
      {"en-GB", "The bus to the library stops running at six, so late opening is no use to me."},
      {"cy", "Mae angen bws hwyr i'r llyfrgell. Diolch am ofyn."},
      {"en-GB", "I use the library for homework with my children; Saturdays would help us."},
      {"en-GB", "Closing on weekday mornings hurts older people who cannot travel later."},
      {"cy", "Mae'r llyfrgell yn bwysig i'r plant. Cadwch hi ar agor ar ddydd Sadwrn."}};
  // Online responses from residents who are not signed in, as POST …/responses takes them.
  auto respond = [&](const std::string& id, int n) {
    auto questions = seeded(st.questions(id), id);
    std::vector<ResponseSubmission> batch;
    for (int i = 0; i < n; ++i) {
      const auto& why = kWhy[static_cast<size_t>(i) % std::size(kWhy)];
      ResponseSubmission r;
      r.consultation_id = id;
      r.language = why[0];
      r.answers = {{"agree", i % 3 != 0}, {"impact", 1 + i % 5}, {"why", why[1]}};
      seeded(validate_answers(questions, r.answers), id);
      batch.push_back(std::move(r));
    }
    for (auto& stored : st.submit_responses(std::move(batch), responses_allowed())) {
      seeded(std::move(stored), id);
      ++out.responses;
    }
  };
  auto translate = [&](const std::string& id, const std::string& lang, const nlohmann::json& t) {
    auto prepared = seeded(prepare_translation(t, seeded(st.get_consultation(id), id).document), id);
    AuditEvent audit{officer.who, "consultation.translation.put", "consultation", id, {{"lang", lang}}};
    seeded(put_translation(st, id, lang, prepared, audit), id + " " + lang);
  };
  // Open now, with responses; promised (and machine-translated) in Welsh and Arabic, with a
  // drop-in session whose English name and place sit inside the translated pages.
  nlohmann::json library = consultation(
      "Saturday opening at Abbey Road library", "We propose to open the library on Saturday afternoons only.",
      today.minus_days(7), today.plus_days(48), true, {"Abbey", "Castle"}, {"libraries"});
  library["languages"] = {"cy", "ar"};
  library["channels"] = {"online", "paper", "phone", "event"};
  library["documents"] = {{{"title", "Library opening hours: the full proposal"},
                           {"url", "https://www.example.gov.uk/libraries/opening-hours-proposal.pdf"}}};
  library["events"] = {{{"title", "Drop-in session"}, {"date", today.plus_days(9).iso()},
                        {"place", "Abbey Road library"}, {"starts_at", "18:30"}}};
  std::string open = create(library);
  nlohmann::json library_cy = translated("cy", "Agor Llyfrgell Abbey Road ar ddydd Sadwrn",
                                         "Rydym yn cynnig agor y llyfrgell ar brynhawn dydd Sadwrn yn unig.");
  library_cy["documents"] = {{{"title", "Oriau agor y llyfrgell: y cynnig llawn"}}};
  nlohmann::json library_ar = translated("ar", "فتح مكتبة Abbey Road أيام السبت", "نقترح فتح المكتبة بعد ظهر يوم السبت فقط.");
  library_ar["documents"] = {{{"title", "ساعات عمل المكتبة: الاقتراح الكامل"}}};
  translate(open, "cy", library_cy);
  translate(open, "ar", library_ar);
  move(open, ConsultationStatus::kScheduled);
  move(open, ConsultationStatus::kOpen);
  respond(open, 12);
  // Scheduled for later.
  std::string later = create(consultation(
      "New cycle lanes on the High Street", "We propose protected cycle lanes on both sides of the High Street.",
      today.plus_days(30), today.plus_days(90), true, {"Castle", "Riverside"}, {"transport"}));
  move(later, ConsultationStatus::kScheduled);
  // Closed, awaiting the outcome.
  std::string closed = create(consultation(
      "Garden waste collections", "We propose fortnightly garden waste collections from March to November.",
      today.minus_days(60), today.minus_days(5), false, {"Riverside"}, {"waste"}));
  move(closed, ConsultationStatus::kScheduled);
  move(closed, ConsultationStatus::kOpen);
  respond(closed, 5);
  move(closed, ConsultationStatus::kClosed);
  // Outcome published, in Welsh and Arabic too: the outcome's translations are added once it is
  // closed, and LANG holds the publication until they are complete.
  nlohmann::json parks = consultation("Park opening hours", "We propose to lock the parks at dusk.",
                                      today.minus_days(120), today.minus_days(70), false, {"Abbey"}, {"parks"});
  parks["languages"] = {"cy", "ar"};
  std::string done = create(parks);
  const std::pair<const char*, const char*> park_titles[] = {
      {"Oriau agor y parciau", "Rydym yn cynnig cloi’r parciau gyda’r hwyr."},
      {"ساعات فتح الحدائق", "نقترح إغلاق الحدائق عند الغسق."}};
  translate(done, "cy", translated("cy", park_titles[0].first, park_titles[0].second));
  translate(done, "ar", translated("ar", park_titles[1].first, park_titles[1].second));
  move(done, ConsultationStatus::kScheduled);
  move(done, ConsultationStatus::kOpen);
  respond(done, 4);
  move(done, ConsultationStatus::kClosed);
  translate(done, "cy",
            translated("cy", park_titles[0].first, park_titles[0].second,
                       nlohmann::json{{"we_asked", "A ddylid cloi’r parciau gyda’r hwyr."},
                                      {"you_said", "Roedd y rhan fwyaf ohonoch yn cytuno, ond gofynnoch am gau’n hwyrach yn yr haf."},
                                      {"we_did", "Mae’r parciau’n cloi gyda’r hwyr, ac am 9pm o fis Mai i fis Awst."}}));
  translate(done, "ar",
            translated("ar", park_titles[1].first, park_titles[1].second,
                       nlohmann::json{{"we_asked", "هل نغلق الحدائق عند الغسق؟"},
                                      {"you_said", "وافق معظمكم، لكنكم طلبتم أن تُغلق في وقت متأخر في الصيف."},
                                      {"we_did", "تُغلق الحدائق عند الغسق، وفي الساعة 9 مساءً من مايو إلى أغسطس."}}));
  move(done, ConsultationStatus::kOutcomePublished,
       nlohmann::json{{"we_asked", "Whether to lock the parks at dusk."},
                      {"you_said", "Most of you agreed, but asked for later closing in summer."},
                      {"we_did", "Parks lock at dusk, and at 9pm from May to August."}});
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
  move(green, ConsultationStatus::kScheduled);
  move(green, ConsultationStatus::kOpen);
  // A panel member who can sign in on the pages (the sign-in link goes to the outbox): on the
  // council's list, so the address is proven (an online join's is not until its emailed link is
  // pressed).
  {
    auto table = seeded(csv::parse_csv("name,email,consent,tenure,ward\n"
                                       "Sam Demo,panel.member@example.org,yes,Social rented,Castle\n",
                                       "demo"),
                        "panel import");
    panel::ImportOptions o;
    o.today = today;
    o.channel = "import";
    o.validity.default_months = policy.panel_fact_valid_months;
    auto members = seeded(panel::members_from_csv(table, o), "panel import");
    seeded(st.import_members(members, AuditEvent{officer.who, "panel.import", "panel_member", "demo", {}}),
           "panel import");
  }
  // A Forward Plan: one key decision with 28 clear days' notice, one with too little.
  out.governance_token = new_bearer_token();
  const Actor governance = Actor::of(
      seeded(st.add_user(Role::kGovernance, "Demo governance", hash_token(out.governance_token)), "governance user"));
  auto decision = [&](const std::string& id, const std::string& matter, Date when, Date notice, int64_t pence) {
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
    // Checked as the API and the console check it: against the whole register stored so far.
    seeded(record_in_register(st, RecordKind::kKeyDecision, id, kd, governance), id);
    ++out.key_decisions;
  };
  decision("kd-1", "Award of the highways maintenance contract", today.plus_days(40), today.minus_days(1), 12'000'000);
  decision("kd-2", "Sale of the Market Street car park", today.plus_days(20), today.minus_days(3),
           45'000'000);  // 22 clear days: a KD-2 breach
  // Cabinet meetings: the one taking kd-1, part in private (its open part is a public meeting,
  // notice and agenda still to come), and last month's, held in public.
  auto meeting = [&](const std::string& id, nlohmann::json doc) {
    doc["id"] = id;
    doc["body"] = "Cabinet";
    seeded(record_in_register(st, RecordKind::kMeeting, id, doc, governance), id);
    ++out.meetings;
  };
  meeting("cabinet-next", {{"date", today.plus_days(40).iso()},
                           {"private", true},
                           {"intention_notice_published_on", today.minus_days(1).iso()},
                           {"intention_notice_reasons",
                            "The contract award report's appendix gives the bidders' prices: information about "
                            "the financial affairs of particular persons (Schedule 12A, paragraph 3)."}});
  meeting("cabinet-last", {{"date", today.minus_days(30).iso()},
                           {"notice_published_on", today.minus_days(40).iso()},
                           {"agenda_published_on", today.minus_days(40).iso()}});
}

}  // namespace

Result<DemoSeed> seed_demo(Store& store, Date today) {
  DemoSeed out;
  auto existing = store.list_consultations({});
  if (!existing) return existing.error();
  if (existing->total > 0) return out;
  try {
    seed(store, today, out);
  } catch (const StepFailed& f) {
    return f.error;
  }
  out.seeded = true;
  return out;
}

}  // namespace townhall
