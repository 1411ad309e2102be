// townhall/forward_plan/forward_plan_rules.h — the Forward Plan half of the rules engine.
//
// Checks a ForwardPlan against KD-1..KD-6, PM-1/PM-2 and MEET-5 (docs/design.md §2.4; charter/rules.h)
// with the notice periods, threshold and ward count of a CharterPolicy, and returns one Finding per
// verdict: failed checks carry policy.severity_of(rule) (KD-1's "reasons not recorded" and KD-4's
// "lower role agreed without saying why" are warnings), passes and things still to come are info.
// `as_of` is the day the check is made: it decides whether a reasons notice, an urgency report or a
// scrutiny report is overdue or merely due. Findings come in plan order: each key decision's
// KD-1..KD-5, then meetings, then referrals, then the reporting intervals (KD-5, reg 19).
// Thread-safety: pure function of its arguments.
#pragma once

#include <string>
#include <vector>

#include "townhall/charter/finding.h"
#include "townhall/charter/policy.h"
#include "townhall/date.h"
#include "townhall/forward_plan/forward_plan.h"

namespace townhall {

std::vector<Finding> check_forward_plan(const ForwardPlan& plan, const CharterPolicy& policy, Date as_of);

// KD-1's test alone: value over the threshold, or significant effects in at least ward_count wards
// (counted by distinct_wards).
bool meets_key_decision_test(const KeyDecision& decision, const CharterPolicy& policy);

// The wards named, each once: names equal without regard to case or white space are one ward
// (the first spelling is kept); blank names are dropped.
std::vector<std::string> distinct_wards(const std::vector<std::string>& wards);

// One of the council's reporting intervals for special-urgency decisions (reg 19), both days in it.
struct ReportingInterval {
  Date first;
  Date last;
};

// The reporting intervals that overlap [from, to]: urgency_report_months each (at most 12) from the
// first day of the council's reporting year, the last one of a year ending when the next begins.
std::vector<ReportingInterval> urgency_reporting_intervals(const CharterPolicy& policy, Date from, Date to);

// KD-5 per interval: every interval that has ended (before `as_of`) while a special-urgency
// decision was waiting to be reported — taken before the interval began and in no report made
// before then — needs a report to full council dated within it. A breach names the interval (subject "urgency_report",
// id "<first>/<last>"). A plan kept as CSV holds no reports, so nothing is checked here (each
// decision's KD-5 finding says the check could not be made). check_forward_plan() runs it.
std::vector<Finding> check_urgency_report_intervals(const ForwardPlan& plan, const CharterPolicy& policy, Date as_of);

// `date` plus `months` calendar months, clamped to the end of a shorter month (31 Jan + 1 → 28/29 Feb).
Date add_months(Date date, int months);

}  // namespace townhall
