// townhall/forward_plan/forward_plan_rules.h — the Forward Plan half of the rules engine.
//
// Checks a ForwardPlan against KD-1..KD-6, PM-1/PM-2 and MEET-5 (docs/design.md §2.4; charter/rules.h)
// with the notice periods, threshold and ward count of a CharterPolicy, and returns one Finding per
// verdict: failed checks carry policy.severity_of(rule) (KD-1's "reasons not recorded" and KD-4's
// "lower role agreed without saying why" are warnings), passes and things still to come are info.
// `as_of` is the day the check is made: it decides whether a reasons notice, an urgency report or a
// scrutiny report is overdue or merely due. Findings come in plan order: each key decision's
// KD-1..KD-5, then meetings, then referrals.
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

// `date` plus `months` calendar months, clamped to the end of a shorter month (31 Jan + 1 → 28/29 Feb).
Date add_months(Date date, int months);

}  // namespace townhall
