#include "townhall/consultations/consultation_rules.h"

#include <algorithm>

#include "townhall/charter/rules.h"
#include "townhall/charter/wording.h"

namespace townhall {

namespace {

bool in_window(Date d, const HolidayWindow& w, const HolidayCalendar& cal) {
  for (int y : {d.year() - 1, d.year()}) {
    const Date start = Date::from_ymd(y, w.from_month, w.from_day);
    Date end;
    if (w.to_new_year_bank_holiday) {
      // "Through the New Year bank holiday": in Scotland that runs to the 2 January holiday.
      end = cal.new_year_holidays_end(y + 1);
    } else {
      const bool wraps = w.to_month < w.from_month || (w.to_month == w.from_month && w.to_day < w.from_day);
      end = Date::from_ymd(wraps ? y + 1 : y, w.to_month, w.to_day);
    }
    if (start <= d && d <= end) return true;
  }
  return false;
}

bool in_any_window(Date d, const CharterPolicy& policy) {
  const auto& cal = policy.calendar();
  return std::any_of(policy.holiday_windows.begin(), policy.holiday_windows.end(),
                     [&](const HolidayWindow& w) { return in_window(d, w, cal); });
}

Finding consultation_finding(const Consultation& c, std::string_view rule, Severity severity, std::string message) {
  return make_finding(rule, severity, "consultation", c.id, std::move(message));
}

std::string day(Date d) { return d.long_english(); }

// The minimum length in days that applies (C-MIN and/or C-12), 0 when neither does.
struct Requirement {
  int days = 0;
  const char* rule = nullptr;  // the rule that sets it
};

Requirement required_length(const Consultation& c, const CharterPolicy& p) {
  Requirement r;
  if (c.big_decision) r = {p.big_decision_weeks * 7, "C-MIN"};
  if (c.formal_written && c.affects_voluntary_sector && c.shorter_period_reason.empty() &&
      p.voluntary_sector_weeks * 7 > r.days) {
    r = {p.voluntary_sector_weeks * 7, "C-12"};
  }
  return r;
}

void check_length(const Consultation& c, const CharterPolicy& p, std::vector<Finding>& out) {
  // Once it has really opened or closed, those days are what residents had.
  const Date opens = *c.first_day(), closes = *c.last_day();
  const int length = closes - opens + 1;
  const std::string opening = c.opened_on ? "it opened " + day(opens) : "opening " + day(opens);
  const std::string closing = c.closed_on ? "it closed " + day(closes) : "it closes " + day(closes);

  if (c.big_decision) {
    const int need = p.big_decision_weeks * 7;
    const Date base_close = opens.plus_days(need - 1);
    if (length < need) {
      const bool excused = !c.urgency_reason.empty();
      Finding f = consultation_finding(c, "C-MIN", excused ? Severity::kInfo : p.severity_of("C-MIN"),
                               excused ? "Open for " + counted(Counted::kDays, length) + ", less than " +
                                             counted(Counted::kWeeks, p.big_decision_weeks) +
                                             ", for the recorded urgency reason: " + c.urgency_reason
                                       : "A consultation on a big decision must stay open at least " +
                                             counted(Counted::kWeeks, p.big_decision_weeks) + ": " + opening +
                                             ", so it must close no earlier than " + day(base_close) + ", but " +
                                             closing + " (" + counted(Counted::kDays, length) + ").");
      f.dates = {{"opens", opens}, {"closes", closes}, {"required_close", base_close}};
      f.figures = {{"length_days", length}, {"required_days", need}};
      out.push_back(std::move(f));
    }
  }

  if (c.formal_written && c.affects_voluntary_sector) {
    const int need = p.voluntary_sector_weeks * 7;
    if (length < need) {
      const bool excused = !c.shorter_period_reason.empty();
      Finding f = consultation_finding(
          c, "C-12", excused ? Severity::kInfo : p.severity_of("C-12"),
          excused ? "Shorter than " + counted(Counted::kWeeks, p.voluntary_sector_weeks) +
                        " with a published reason: " + c.shorter_period_reason
                  : "A formal written consultation that materially affects voluntary and community sector "
                    "organisations should last " + counted(Counted::kWeeks, p.voluntary_sector_weeks) +
                        " (until " + day(opens.plus_days(need - 1)) + ") unless a reason is published; it lasts " +
                        counted(Counted::kDays, length) + ".");
      f.dates = {{"opens", opens}, {"closes", closes}, {"required_close", opens.plus_days(need - 1)}};
      f.figures = {{"length_days", length}, {"required_days", need}};
      out.push_back(std::move(f));
    }
  }

  const Requirement req = required_length(c, p);
  if (req.days == 0 || !p.holiday_extension) return;
  const ClosePlan plan = plan_close(opens, req.days / 7, p);
  if (!plan.extended) return;
  const bool excused = !c.urgency_reason.empty();
  if (closes < plan.close) {
    Finding f = consultation_finding(
        c, "C-EXT", excused ? Severity::kInfo : p.severity_of("C-EXT"),
        excused ? "Runs over a holiday period without the extension, for the recorded urgency reason: " +
                      c.urgency_reason
                : "The consultation runs over a holiday period (" + counted(Counted::kHolidayDays, plan.holiday_days) +
                      "), so it should close no earlier than " + day(plan.close) + " (" +
                      counted(Counted::kDays, plan.length_days) + ") instead of " + day(closes) + ".");
    f.dates = {{"opens", opens}, {"closes", closes}, {"base_close", plan.base_close}, {"required_close", plan.close}};
    f.figures = {{"holiday_days", plan.holiday_days}, {"length_days", length}, {"required_days", plan.length_days}};
    f.bank_holidays = p.calendar().source();
    out.push_back(std::move(f));
  } else {
    Finding f = consultation_finding(c, "C-EXT", Severity::kInfo,
                             "Extended for " + counted(Counted::kHolidayDays, plan.holiday_days) + ": closes " +
                                 day(closes) + ", on or after the extended date " + day(plan.close) + ".");
    f.dates = {{"opens", opens}, {"closes", closes}, {"base_close", plan.base_close}, {"required_close", plan.close}};
    f.figures = {{"holiday_days", plan.holiday_days}, {"length_days", length}, {"required_days", plan.length_days}};
    f.bank_holidays = p.calendar().source();
    out.push_back(std::move(f));
  }
}

void check_election(const Consultation& c, const CharterPolicy& p, std::vector<Finding>& out) {
  // The whole time it is open counts, not only the opening day: a consultation that opens before
  // a pre-election period and runs into it is underway during the period.
  const Date first = *c.first_day();
  const Date last = c.last_day() ? *c.last_day() : first;
  for (const auto& period : p.pre_election_periods) {
    if (first <= period.to && period.from <= last) {
      const bool opens_inside = period.from <= first;
      Finding f = consultation_finding(c, "C-ELECT", p.severity_of("C-ELECT"),
                               (opens_inside ? (c.opened_on ? "Opened on " : "Opens on ") + day(first) + ", during the "
                                             : "Open from " + day(first) + " to " + day(last) + ", into the ") +
                                   period.name + " (" + day(period.from) + " to " + day(period.to) + ").");
      f.dates = {{"opens", first}, {"period_from", period.from}, {"period_to", period.to}};
      if (c.last_day()) f.dates["closes"] = last;
      out.push_back(std::move(f));
    }
  }
}

void check_formative(const Consultation& c, const CharterPolicy& p, std::vector<Finding>& out) {
  const std::optional<Date> closes = c.last_day();
  if (c.decision_date && c.opens && closes && *closes >= *c.decision_date) {
    Finding f = consultation_finding(c, "G1", p.severity_of("G1"),
                             std::string(c.closed_on ? "The consultation closed on " : "The consultation closes on ") +
                                 day(*closes) + ", not before the decision it informs on " + day(*c.decision_date) +
                                 ": it must open and close while the proposal is still formative.");
    f.dates = {{"closes", *closes}, {"decision_date", *c.decision_date}};
    out.push_back(std::move(f));
  }
  if (c.decision_recorded_on && closes && *c.decision_recorded_on <= *closes) {
    Finding f = consultation_finding(c, "G1", p.severity_of("G1"),
                             "A decision was recorded on " + day(*c.decision_recorded_on) +
                                 ", before the consultation closed on " + day(*closes) + ".");
    f.dates = {{"closes", *closes}, {"decision_recorded_on", *c.decision_recorded_on}};
    out.push_back(std::move(f));
  }
}

void check_reasons(const Consultation& c, const CharterPolicy& p, std::vector<Finding>& out) {
  auto blank = [](const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; };
  if (blank(c.proposal)) {
    out.push_back(consultation_finding(c, "G2", p.severity_of("G2"), "The proposal is missing: say what is proposed."));
  }
  if (blank(c.reasons)) {
    out.push_back(consultation_finding(c, "G2", p.severity_of("G2"),
                               "The reasons for the proposal are missing: say why it is proposed."));
  }
  if (c.options_considered.empty()) {
    out.push_back(consultation_finding(c, "G2", p.severity_of("G2"),
                               "The options considered are missing: list them, including rejected alternatives."));
  } else if (std::none_of(c.options_considered.begin(), c.options_considered.end(),
                          [](const OptionConsidered& o) { return o.rejected; })) {
    out.push_back(consultation_finding(c, "G2", p.severity_of("G2"),
                               "No rejected alternative is listed among the options considered: say what else "
                               "was considered and why it was not preferred."));
  }
}

void check_considered(const Consultation& c, const CharterPolicy& p, Date as_of, std::vector<Finding>& out) {
  if (!c.decision_report_date) return;
  const auto& cal = p.calendar();
  const NoticePeriod period = p.summary_before_decision;
  auto latest = latest_publication(*c.decision_report_date, period.days, period.mode, cal);
  auto counted = c.summary_published_on && latest
                     ? clear_days(*c.summary_published_on, *c.decision_report_date, period.mode, cal)
                     : Result<int>(0);
  if (!latest || !counted) {
    // Only at the edges of the supported years: the count would need holidays nobody knows.
    Finding f = consultation_finding(c, "G4", Severity::kWarning,
                                     "Could not check the time to consider the summary of responses: " +
                                         (latest ? counted.error() : latest.error()).message + ".");
    f.dates = {{"decision_report_date", *c.decision_report_date}};
    out.push_back(std::move(f));
    return;
  }
  const Date due = *latest;
  const std::string holidays = period.mode == DayCountMode::kWorking ? cal.source() : "";
  const Counted clear_unit = period.mode == DayCountMode::kWorking ? Counted::kClearWorkingDays : Counted::kClearDays;
  const std::string need = townhall::counted(clear_unit, period.days);
  if (c.summary_published_on) {
    const int clear = *counted;
    const bool ok = clear >= period.days;
    Finding f = consultation_finding(c, "G4", ok ? Severity::kInfo : p.severity_of("G4"),
                             ok ? "The summary of responses was published " + townhall::counted(clear_unit, clear) +
                                      " before the decision report."
                                : "The summary of responses was published on " + day(*c.summary_published_on) +
                                      ", only " + townhall::counted(clear_unit, clear) + " before the decision report on " +
                                      day(*c.decision_report_date) + "; it needs " + need + " (by " + day(due) + ").");
    f.dates = {{"published", *c.summary_published_on}, {"decision_report_date", *c.decision_report_date}, {"required_by", due}};
    f.figures = {{"clear_days", clear}, {"required_days", period.days}};
    f.bank_holidays = holidays;
    out.push_back(std::move(f));
  } else {
    const bool overdue = as_of > due;
    Finding f = consultation_finding(c, "G4", overdue ? p.severity_of("G4") : Severity::kInfo,
                             overdue ? "No summary of responses has been published, and it was due by " + day(due) +
                                           " (" + need + " before the decision report on " + day(*c.decision_report_date) + ")."
                                     : "Publish the summary of responses by " + day(due) + ", " + need +
                                           " before the decision report on " + day(*c.decision_report_date) + ".");
    f.dates = {{"decision_report_date", *c.decision_report_date}, {"required_by", due}};
    f.figures = {{"required_days", period.days}};
    f.bank_holidays = holidays;
    out.push_back(std::move(f));
  }
}

void check_variety(const Consultation& c, const CharterPolicy& p, std::vector<Finding>& out) {
  if (!c.big_decision) return;
  if (std::any_of(c.channels.begin(), c.channels.end(), [](Channel ch) { return ch != Channel::kOnline; })) return;
  out.push_back(consultation_finding(c, "VAR", p.severity_of("VAR"),
                             "Only online responses are offered; a big consultation should also offer paper, "
                             "phone, face-to-face or an event so that people who are not online are heard."));
}

}  // namespace

int holiday_window_days(Date from, Date to, const CharterPolicy& policy) {
  int n = 0;
  for (Date d = from; d <= to; d = d.plus_days(1)) {
    if (in_any_window(d, policy)) ++n;
  }
  return n;
}

ClosePlan plan_close(Date opens, int weeks, const CharterPolicy& policy) {
  ClosePlan plan;
  plan.opens = opens;
  plan.base_days = weeks * 7;
  plan.base_close = opens.plus_days(plan.base_days - 1);
  plan.close = plan.base_close;
  plan.length_days = plan.base_days;
  plan.holiday_days = holiday_window_days(opens, plan.base_close, policy);
  if (!policy.holiday_extension || plan.holiday_days == 0) return plan;

  // Grow the period a day at a time until both conditions hold; windows met on the way count too.
  int length = plan.base_days, holidays = plan.holiday_days;
  Date close = plan.base_close;
  while (length < plan.base_days + policy.holiday_extension_days || length - holidays < plan.base_days) {
    close = close.plus_days(1);
    ++length;
    if (in_any_window(close, policy)) ++holidays;
  }
  plan.close = close;
  plan.length_days = length;
  plan.holiday_days = holidays;
  plan.extended = close != plan.base_close;
  return plan;
}

std::vector<Finding> check_consultation(const Consultation& c, const CharterPolicy& policy, Date as_of) {
  std::vector<Finding> out;
  if (c.opens && c.closes) {
    check_length(c, policy, out);
    check_election(c, policy, out);
  } else if (c.big_decision || (c.formal_written && c.affects_voluntary_sector)) {
    out.push_back(consultation_finding(c, "C-MIN", Severity::kInfo,
                               "No opening and closing dates yet: the length checks run once both are set."));
  }
  check_formative(c, policy, out);
  check_reasons(c, policy, out);
  check_considered(c, policy, as_of, out);
  check_variety(c, policy, out);
  return out;
}

}  // namespace townhall
