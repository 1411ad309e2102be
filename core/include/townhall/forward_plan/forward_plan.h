// townhall/forward_plan/forward_plan.h — a council's Forward Plan: key decisions, the meetings
// that take them, urgency reports to full council and overview-and-scrutiny referrals.
//
// The model records what happened (or is planned) with the dates the rules in
// forward_plan_rules.h need (SI 2012/2089 regs 5, 7–11, 18, 19; docs/design.md §2.4). Optional fields
// are std::optional: "not recorded" is different from "recorded as empty" only where the
// regulations make it so (see Reg9Notice). Input comes from JSON (schemas/forward-plan.schema.json)
// or from the CSV described in docs/forward-plan-csv.md; both parsers validate everything before
// returning, so a ForwardPlan they return is complete and nothing is half-parsed.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/date.h"
#include "townhall/error.h"

namespace townhall {

// Who takes a decision: an individual (name and title) or a body (its name and members).
struct DecisionMaker {
  std::string name;                  // person, e.g. "Cllr Asha Patel"; empty for a body
  std::string title;                 // e.g. "Cabinet Member for Highways"
  std::string body;                  // e.g. "Cabinet"; empty for an individual
  std::vector<std::string> members;  // the body's members

  bool is_body() const { return !body.empty(); }
  // A name for an individual (reg 9(1)(c): "name, and title if any"), or a body and at least one
  // member.
  bool complete() const;
  // "Cllr Asha Patel, Cabinet Member for Highways" or "Cabinet (5 members)".
  std::string describe() const;

  friend bool operator==(const DecisionMaker&, const DecisionMaker&) = default;
};

// A decision date, or a period within which the decision is to be taken (inclusive).
struct DecisionTiming {
  std::optional<Date> date;
  std::optional<Date> from, to;

  bool is_period() const { return !date.has_value(); }
  // The date itself, or the first day of the period.
  Date first_day() const { return date ? *date : *from; }
  // "Thursday 17 July 2025" or "between Monday 1 September 2025 and Tuesday 30 September 2025".
  std::string describe() const;

  friend bool operator==(const DecisionTiming&, const DecisionTiming&) = default;
};

// The notice of a key decision under reg 9 (normally its Forward Plan entry). Every field is
// optional so that a notice missing one can be reported; an empty string or list counts as missing.
struct Reg9Notice {
  std::optional<Date> published_on;
  std::optional<bool> states_key_decision;  // that a key decision is to be made (reg 9(1)(a))
  std::optional<std::string> matter;                 // (b)
  std::optional<DecisionMaker> decision_maker;       // (c)
  std::optional<DecisionTiming> date_or_period;      // (d)
  std::optional<std::vector<std::string>> documents; // (e) documents submitted to the decision maker
  std::optional<std::string> documents_available_from;   // (f) where they are available
  std::optional<bool> other_documents_statement;         // (g) other documents may be submitted
  std::optional<std::string> how_to_request;              // (h) how to request them

  friend bool operator==(const Reg9Notice&, const Reg9Notice&) = default;
};

// The general exception route (reg 10).
struct GeneralException {
  std::optional<Date> chair_of_scrutiny_notified_on;  // written notice to the chair (or members)
  std::string notified;  // the chair's name, or "every member" when there is no chair
  std::optional<Date> made_public_on;                // a copy of that notice made public
  std::optional<Date> reasons_notice_published_on;   // why reg 9 notice was impracticable

  friend bool operator==(const GeneralException&, const GeneralException&) = default;
};

// Who may agree that a matter is urgent (regs 5(6), 11), in order of precedence.
enum class UrgencyRole { kOverviewAndScrutinyChair, kChairOfCouncil, kViceChairOfCouncil };
const char* urgency_role_id(UrgencyRole role);  // "overview_and_scrutiny_chair", ...
const char* urgency_role_name(UrgencyRole role);  // "the chair of the overview and scrutiny committee"
Result<UrgencyRole> parse_urgency_role(std::string_view text, std::string_view field);

// Special urgency (reg 11) or an urgent private meeting (reg 5(6)–(7)).
struct UrgencyAgreement {
  UrgencyRole agreed_by = UrgencyRole::kOverviewAndScrutinyChair;
  std::string name;
  std::optional<Date> agreed_on;
  std::string why_higher_roles_could_not_act;  // needed when a lower role agreed
  std::optional<Date> reasons_notice_published_on;

  friend bool operator==(const UrgencyAgreement&, const UrgencyAgreement&) = default;
};

enum class ValueKind { kSpend, kSavings };

struct KeyDecision {
  std::string id;
  std::string matter;
  DecisionMaker decision_maker;
  DecisionTiming timing;
  std::optional<int64_t> value_pence;  // the likely spend or savings
  ValueKind value_kind = ValueKind::kSpend;
  std::vector<std::string> wards_affected;
  bool significant_effects = false;  // significant effects on communities in wards_affected
  bool treated_as_key = false;
  std::string assessment_reasons;    // the KD-1 assessment, empty when not recorded
  std::optional<Reg9Notice> notice;
  std::optional<GeneralException> general_exception;
  std::optional<UrgencyAgreement> special_urgency;
  std::optional<Date> decided_on;    // when it was actually taken

  // The day the decision is (or was) taken for notice purposes: decided_on if recorded, else the
  // planned date or the first day of the planned period.
  Date decision_day() const { return decided_on ? *decided_on : timing.first_day(); }

  friend bool operator==(const KeyDecision&, const KeyDecision&) = default;
};

// The further notice before a private meeting (reg 5(4)–(5)).
struct FurtherNotice {
  std::optional<Date> published_on;
  // Representations received about why the meeting should be open; an empty list records "none".
  std::optional<std::vector<std::string>> representations_received;
  std::string response;  // the council's response; needed when representations were received
  std::string reasons;   // the statement of reasons for holding it in private (reg 5(5)(a))

  friend bool operator==(const FurtherNotice&, const FurtherNotice&) = default;
};

// A meeting of the executive or one of its committees. `is_private` means the public are excluded
// for all or part of it (reg 2's "private meeting"); unless `wholly_private`, the rest of it is a
// public meeting and its notice and agenda are due under regs 6–7 all the same.
struct Meeting {
  std::string id;
  std::string body;
  Date date;
  bool is_private = false;
  bool wholly_private = false;  // no open part at all (only with is_private)
  // The day the meeting was convened, recorded only when it was convened at shorter notice than
  // 5 clear days (reg 6(1)(b), 6(2)(b)): notice and agenda are then due when it is convened.
  std::optional<Date> convened_at_shorter_notice_on;
  std::optional<Date> notice_published_on;
  std::optional<Date> agenda_published_on;
  std::optional<Date> intention_notice_published_on;  // private: notice of intention (reg 5(2))
  std::string intention_notice_reasons;               // private: its statement of reasons (reg 5(3))
  std::optional<FurtherNotice> further_notice;        // private: further notice (reg 5(4))
  std::optional<UrgencyAgreement> urgency;            // private: urgency route (reg 5(6))

  friend bool operator==(const Meeting&, const Meeting&) = default;
};

// A report to full council listing special-urgency decisions (reg 19).
struct UrgencyReport {
  std::string id;
  Date date;
  std::vector<std::string> decision_ids;

  friend bool operator==(const UrgencyReport&, const UrgencyReport&) = default;
};

// Overview and scrutiny asked for a report because a decision should have been key (reg 18).
struct ScrutinyReferral {
  std::string decision_id;
  Date requested_on;
  Date report_due_by;
  std::optional<Date> reported_on;

  friend bool operator==(const ScrutinyReferral&, const ScrutinyReferral&) = default;
};

struct ForwardPlan {
  std::string authority;
  std::vector<KeyDecision> key_decisions;
  std::vector<Meeting> meetings;
  std::vector<UrgencyReport> urgency_reports;
  std::vector<ScrutinyReferral> scrutiny_referrals;
  // Whether the source can record urgency reports at all: a plan read from CSV cannot, so KD-5
  // says it could not check rather than that nothing was reported.
  bool records_urgency_reports = true;

  const KeyDecision* find_decision(std::string_view id) const;

  friend bool operator==(const ForwardPlan&, const ForwardPlan&) = default;
};

// Validates `doc` against schemas/forward-plan.schema.json, then builds the model. Errors name the
// field as a JSON pointer prefixed with `pointer_prefix` (for a plan nested in a larger document):
// schema violations, impossible dates, a period that ends before it starts, a decision maker with
// neither name nor body, duplicate ids, urgency reports naming unknown decisions, and a referral
// due before it was requested. A referral may name a decision not in the plan (one that was not
// treated as key is usually not on the Forward Plan).
Result<ForwardPlan> parse_forward_plan(const nlohmann::json& doc, std::string_view pointer_prefix = "");

// One key decision per row; columns in docs/forward-plan-csv.md. RFC 4180 quoting (fields in
// double quotes may hold commas, doubled quotes and line breaks); CRLF or LF line ends; a UTF-8 BOM
// is skipped. Errors have code kInvalidCsv, `field` = the column name, and a message naming the
// row (the header is row 1, as a spreadsheet shows it). A plan it returns is valid against
// schemas/forward-plan.schema.json, as one from parse_forward_plan() is.
Result<ForwardPlan> parse_forward_plan_csv(std::string_view text);

// What parse_forward_plan_csv() mirrors of the schema's limits (a test holds the schema file to
// these): the longest id in characters, and the largest sum of money in pence (2^53 - 1, the
// largest whole number every JSON reader keeps exactly).
inline constexpr size_t kKeyDecisionIdMaxLength = 100;
inline constexpr int64_t kMaxPence = 9007199254740991;

// The plan as JSON valid against schemas/forward-plan.schema.json; parse_forward_plan() of the
// result gives back an equal plan.
nlohmann::json forward_plan_to_json(const ForwardPlan& plan);

// "£100,000.00" for 10000000 pence.
std::string format_pounds(int64_t pence);

}  // namespace townhall
