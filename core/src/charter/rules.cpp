#include "townhall/charter/rules.h"

#include <stdexcept>

namespace townhall {

namespace {

constexpr std::string_view kConsultationCheck = "check_consultation (consultations/consultation_rules.h)";
constexpr std::string_view kLanguagesCheck = "check_languages (consultations/language_rules.h)";
constexpr std::string_view kPlainLanguageCheck = "check_plain_language (consultations/language_rules.h)";
constexpr std::string_view kForwardPlanCheck = "check_forward_plan (forward_plan/forward_plan_rules.h)";

}  // namespace

const char* rule_subject_id(RuleSubject s) {
  switch (s) {
    case RuleSubject::kConsultation: return "consultation";
    case RuleSubject::kForwardPlan: return "forward_plan";
  }
  return "consultation";
}

const std::vector<RuleInfo>& rules() {
  using S = Severity;
  using R = RuleSubject;
  static const std::vector<RuleInfo> kRules = {
      // Consultations (docs/design.md §2.3).
      {"C-MIN", "A consultation on a big decision stays open at least six weeks",
       "Charter for Public Participation: Big decisions", {"/consultation/big_decision_weeks"}, S::kBreach,
       R::kConsultation, kConsultationCheck},
      {"C-EXT", "A consultation over a holiday period is extended so people have the usual time",
       "Charter for Public Participation: Being early; Gunning principle 3 (adequate time)",
       {"/consultation/holiday_extension", "/consultation/holiday_extension_days", "/consultation/holiday_windows"},
       S::kBreach, R::kConsultation, kConsultationCheck},
      {"C-12", "Formal written consultations affecting the voluntary and community sector last 12 weeks",
       "The Compact (2010): 12 weeks for formal written consultations with the voluntary and community sector",
       {"/consultation/voluntary_sector_weeks"}, S::kBreach, R::kConsultation, kConsultationCheck},
      {"C-ELECT", "Do not open a consultation during a pre-election period",
       "Code of Recommended Practice on Local Authority Publicity 2011, paras 33–35",
       {"/consultation/pre_election_periods"}, S::kWarning, R::kConsultation, kConsultationCheck},
      {"G1", "Consultation happens while proposals are still formative",
       "R v Brent LBC ex p Gunning (1985) 84 LGR 168; R (Moseley) v Haringey LBC [2014] UKSC 56", {}, S::kBreach,
       R::kConsultation, kConsultationCheck},
      {"G2", "Sufficient reasons: the proposal, its reasons and the options considered are published",
       "Gunning principle 2; R (Moseley) v Haringey LBC [2014] UKSC 56", {}, S::kBreach, R::kConsultation,
       kConsultationCheck},
      {"G4", "The product of consultation is conscientiously taken into account before the decision",
       "Gunning principle 4", {"/consultation/summary_before_decision"}, S::kWarning, R::kConsultation,
       kConsultationCheck},
      {"VAR", "A big consultation offers at least one channel that is not online",
       "Charter for Public Participation: Variety", {}, S::kWarning, R::kConsultation, kConsultationCheck},
      {"LANG", "Every language a consultation promises is complete before it opens",
       "Charter for Public Participation: Variety (a range of voices); Equality Act 2010 s149 (public sector "
       "equality duty); Council Plan: culturally appropriate and accessible materials",
       {}, S::kBreach, R::kConsultation, kLanguagesCheck},
      {"READ", "Consultation materials meet the plain-language target: short sentences, a reading age of about 9",
       "Gunning principle 2 (enough information for intelligent consideration); GOV.UK content design: "
       "writing for GOV.UK (sentences of 25 words or fewer, reading age 9)",
       {"/readability/max_sentence_words", "/readability/reading_age", "/readability/max_lix"}, S::kWarning,
       R::kConsultation, kPlainLanguageCheck},
      // Key decisions and meetings (docs/design.md §2.4).
      {"KD-1", "Key decision test: spend or savings over the threshold, or significant effects in two or more wards",
       "SI 2012/2089 reg 8; Charter for Public Participation: Notice of decisions",
       {"/key_decisions/threshold_pence", "/key_decisions/ward_count"}, S::kBreach, R::kForwardPlan,
       kForwardPlanCheck},
      {"KD-2", "28 clear days' notice of a key decision, with every matter reg 9 requires", "SI 2012/2089 reg 9",
       {"/key_decisions/notice"}, S::kBreach, R::kForwardPlan, kForwardPlanCheck},
      {"KD-3", "General exception when 28 clear days' notice is impracticable", "SI 2012/2089 reg 10",
       {"/key_decisions/general_exception_notice"}, S::kBreach, R::kForwardPlan, kForwardPlanCheck},
      {"KD-4", "Special urgency when the general exception is impracticable too", "SI 2012/2089 reg 11", {},
       S::kBreach, R::kForwardPlan, kForwardPlanCheck},
      {"KD-5", "Special-urgency decisions are reported to full council at least once a year", "SI 2012/2089 reg 19",
       {"/key_decisions/urgency_report_months"}, S::kBreach, R::kForwardPlan, kForwardPlanCheck},
      {"KD-6", "A decision overview and scrutiny thinks should have been key is reported to council in time",
       "SI 2012/2089 reg 18", {}, S::kBreach, R::kForwardPlan, kForwardPlanCheck},
      {"PM-1", "28 clear days' notice of intention to hold a meeting in private, with the reasons", "SI 2012/2089 reg 5(2)–(3)",
       {"/meetings/private_notice"}, S::kBreach, R::kForwardPlan, kForwardPlanCheck},
      {"PM-2", "A further notice 5 clear days before a private meeting, with the reasons, representations and the response",
       "SI 2012/2089 reg 5(4)–(5)", {"/meetings/private_further_notice"}, S::kBreach, R::kForwardPlan,
       kForwardPlanCheck},
      {"MEET-5", "A public meeting's notice and agenda (the open part of a part-private one too) are available at least 5 clear days before, or when convened at shorter notice",
       "SI 2012/2089 regs 6 and 7", {"/meetings/public_notice"}, S::kBreach,
       R::kForwardPlan, kForwardPlanCheck},
  };
  return kRules;
}

bool is_statutory(const RuleInfo& rule) { return rule.citation.rfind("SI 2012/2089", 0) == 0; }

std::string citation_for(const RuleInfo& rule, bool regulations_apply) {
  if (regulations_apply || !is_statutory(rule)) return std::string(rule.citation);
  return "Council policy, following " + std::string(rule.citation) +
         " (the Regulations apply to English councils only)";
}

const RuleInfo* find_rule(std::string_view id) {
  for (const auto& r : rules()) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

const RuleInfo& rule(std::string_view id) {
  if (const RuleInfo* r = find_rule(id)) return *r;
  throw std::logic_error("rule \"" + std::string(id) + "\" is not in the registry (charter/rules.cpp)");
}

Finding make_finding(std::string_view id, Severity severity, std::string subject_kind, std::string subject_id,
                     std::string message) {
  const RuleInfo& info = rule(id);
  Finding f;
  f.rule = std::string(info.id);
  f.severity = severity;
  f.subject_kind = std::move(subject_kind);
  f.subject_id = std::move(subject_id);
  f.message = std::move(message);
  f.citation = std::string(info.citation);
  return f;
}

}  // namespace townhall
