// KD-5's reporting intervals (SI 2012/2089 reg 19): the leader reports the special-urgency
// decisions to full council at least once in every interval the council's policy sets (at least
// once a year), so every interval that has ended is checked for a report when a decision was
// already waiting to be reported as it began. A decision taken during an interval may wait for the
// next one; each decision's own deadline is KD-5's per-decision finding.
#include <algorithm>

#include "townhall/charter/rules.h"
#include "townhall/charter/wording.h"
#include "townhall/forward_plan/forward_plan_rules.h"

namespace townhall {

std::vector<ReportingInterval> urgency_reporting_intervals(const CharterPolicy& policy, Date from, Date to) {
  std::vector<ReportingInterval> out;
  if (to < from) return out;
  const int months = std::clamp(policy.urgency_report_months, 1, 12);
  // The reporting year holding `from`.
  int year = from.year();
  auto year_start = [&](int y) {
    return Date::from_ymd(y, policy.urgency_reporting_year_start_month, policy.urgency_reporting_year_start_day);
  };
  if (year_start(year) > from) --year;
  for (; year_start(year) <= to; ++year) {
    const Date next_year = year_start(year + 1);
    for (Date start = year_start(year); start < next_year;) {
      Date end_excl = std::min(add_months(start, months), next_year);
      if (end_excl.minus_days(1) >= from && start <= to) out.push_back({start, end_excl.minus_days(1)});
      start = end_excl;
    }
  }
  return out;
}

std::vector<Finding> check_urgency_report_intervals(const ForwardPlan& plan, const CharterPolicy& policy, Date as_of) {
  std::vector<Finding> out;
  // A plan kept as CSV cannot hold reports: each decision's KD-5 finding says the check could not
  // be made, and there is nothing here to add to it.
  if (!plan.records_urgency_reports) return out;
  struct Taken {
    const KeyDecision* decision;
    Date on;
  };
  std::vector<Taken> taken;
  for (const auto& d : plan.key_decisions) {
    if (!d.special_urgency || (!meets_key_decision_test(d, policy) && !d.treated_as_key)) continue;
    std::optional<Date> on = d.decided_on;
    if (!on && d.timing.first_day() <= as_of) on = d.timing.first_day();
    if (on) taken.push_back({&d, *on});
  }
  if (taken.empty()) return out;
  Date first = taken.front().on;
  for (const auto& t : taken) first = std::min(first, t.on);
  const RuleInfo* info = find_rule("KD-5");
  for (const auto& interval : urgency_reporting_intervals(policy, first, as_of.minus_days(1))) {
    if (interval.last >= as_of) break;  // not ended yet
    bool reported = false;
    std::optional<Date> last_report_before;
    for (const auto& r : plan.urgency_reports) {
      if (r.date >= interval.first && r.date <= interval.last) reported = true;
      if (r.date < interval.first && (!last_report_before || r.date > *last_report_before)) last_report_before = r.date;
    }
    if (reported) continue;
    // Waiting as the interval began: taken before it, and in no report made before it.
    std::vector<std::string> pending;
    for (const auto& t : taken) {
      if (t.on >= interval.first) continue;
      bool in_earlier_report = false;
      for (const auto& r : plan.urgency_reports) {
        if (r.date >= t.on && r.date < interval.first &&
            std::find(r.decision_ids.begin(), r.decision_ids.end(), t.decision->id) != r.decision_ids.end()) {
          in_earlier_report = true;
        }
      }
      if (!in_earlier_report) pending.push_back(t.decision->id);
    }
    if (pending.empty()) continue;
    std::string list;
    for (size_t i = 0; i < pending.size(); ++i) list += (i == 0 ? "" : i + 1 == pending.size() ? " and " : ", ") + pending[i];
    const std::string subject = interval.first.iso() + "/" + interval.last.iso();
    Finding f = make_finding("KD-5", policy.severity_of("KD-5"), "urgency_report", subject,
                             "No report of special-urgency decisions was made to full council in the reporting "
                             "interval from " + interval.first.long_english() + " to " + interval.last.long_english() +
                                 " (the council reports every " + counted(Counted::kMonths, policy.urgency_report_months) +
                                 "), although " + (pending.size() == 1 ? "decision " : "decisions ") + list +
                                 (pending.size() == 1 ? " was" : " were") + " waiting to be reported when it began.");
    if (!policy.regulations_apply() && info != nullptr) f.citation = citation_for(*info, false);
    f.dates["interval_from"] = interval.first;
    f.dates["interval_to"] = interval.last;
    if (last_report_before) f.dates["last_report"] = *last_report_before;
    f.figures["decisions_waiting"] = static_cast<int64_t>(pending.size());
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace townhall
