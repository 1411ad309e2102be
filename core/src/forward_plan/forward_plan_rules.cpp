#include "townhall/forward_plan/forward_plan_rules.h"

#include <set>
#include <stdexcept>

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "townhall/calendar/clear_days.h"
#include "townhall/charter/rules.h"
#include "townhall/charter/wording.h"

namespace townhall {

namespace {

// A ward name compared without case and with runs of white space as one space, so "Abbey" and
// " abbey " are one ward.
std::string ward_key(const std::string& name) {
  icu::UnicodeString folded = icu::UnicodeString::fromUTF8(name);
  folded.foldCase();
  icu::UnicodeString out;
  bool space = false;
  for (int32_t i = 0; i < folded.length();) {
    const UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    if (u_isUWhiteSpace(c)) {
      space = !out.isEmpty();
      continue;
    }
    if (space) out.append(static_cast<UChar>(u' '));
    space = false;
    out.append(c);
  }
  std::string key;
  out.toUTF8String(key);
  return key;
}

}  // namespace

std::vector<std::string> distinct_wards(const std::vector<std::string>& wards) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& w : wards) {
    const std::string key = ward_key(w);
    if (key.empty()) continue;
    if (seen.insert(key).second) out.push_back(w);
  }
  return out;
}

Date add_months(Date date, int months) {
  int total = date.year() * 12 + static_cast<int>(date.month()) - 1 + months;
  const int year = total / 12;
  const auto month = static_cast<unsigned>(total % 12 + 1);
  unsigned day = date.day();
  // Clamp to the last day of the target month.
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  unsigned last = kDays[month - 1];
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) last = 29;
  if (day > last) day = last;
  return Date::from_ymd(year, month, day);
}

bool meets_key_decision_test(const KeyDecision& d, const CharterPolicy& policy) {
  const bool over = d.value_pence && *d.value_pence > policy.key_decision_threshold_pence;
  const bool wards = d.significant_effects &&
                     static_cast<int64_t>(distinct_wards(d.wards_affected).size()) >= policy.key_decision_ward_count;
  return over || wards;
}

namespace {

constexpr const char* kKeyDecision = "key_decision";
constexpr const char* kMeeting = "meeting";

std::string days_text(int n, DayCountMode mode) {
  return counted(mode == DayCountMode::kCalendar ? Counted::kClearCalendarDays : Counted::kClearWorkingDays, n);
}

std::string lower_first(std::string s) {
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += (i + 1 == names.size()) ? " and " : ", ";
    out += names[i];
  }
  return out;
}

class Checker {
 public:
  Checker(const CharterPolicy& policy, Date as_of) : policy_(policy), cal_(policy.calendar()), as_of_(as_of) {}

  std::vector<Finding> out;

  Finding& add(const char* rule_id, Severity sev, const std::string& kind, const std::string& id, std::string message) {
    out.push_back(make_finding(rule_id, sev, kind, id, std::move(message)));
    // Outside England the Regulations do not bind the council: the check runs as its own policy.
    if (!policy_.regulations_apply()) out.back().citation = citation_for(rule(rule_id), false);
    return out.back();
  }
  Finding& fail(const char* rule, const std::string& kind, const std::string& id, std::string message) {
    return add(rule, policy_.severity_of(rule), kind, id, std::move(message));
  }
  Finding& info(const char* rule, const std::string& kind, const std::string& id, std::string message) {
    return add(rule, Severity::kInfo, kind, id, std::move(message));
  }

  // A notice published on `published` for an event on `event` under period `p`. `what` names the
  // notice ("The notice of this key decision"), `event_name` the event ("the decision").
  void notice(const char* rule, const std::string& kind, const std::string& id, const std::string& what,
              const std::string& event_name, std::optional<Date> published, Date event, NoticePeriod p,
              const std::string& verb = "published") {
    auto latest = latest_publication(event, p.days, p.mode, cal_);
    auto working = latest ? last_working_day_on_or_before(*latest, cal_) : Result<Date>(latest.error());
    if (!working) {
      // Only at the edges of the supported years: the count would need holidays nobody knows.
      Finding& f = add(rule, Severity::kWarning, kind, id,
                       "Could not check " + lower_first(what) + " for " + event_name + " on " + event.long_english() +
                           ": " + working.error().message + ".");
      f.dates["event"] = event;
      return;
    }
    const Date required_by = *latest;
    const Date practical = *working;
    // When the legal latest day is not a working day, also name the last working day before it.
    const std::string deadline =
        required_by.long_english() + (practical != required_by ? ", in practice " + practical.long_english() : "");
    if (!published) {
      // Not published yet: still possible until the latest day has passed.
      Finding& f = as_of_ <= required_by
                       ? info(rule, kind, id,
                              "Due: " + lower_first(what) + " must be " + verb + " by " + deadline + " (" +
                                  days_text(p.days, p.mode) + " before " + event_name + " on " +
                                  event.long_english() + ").")
                       : fail(rule, kind, id,
                              what + " is not recorded as " + verb + ". It needs " + days_text(p.days, p.mode) +
                                  " before " + event_name + " on " + event.long_english() + ", so it had to be " +
                                  verb + " by " + deadline + ".");
      set_dates(f, required_by, practical, event);
      f.figures["required_days"] = p.days;
      note_holidays(f, p.mode);
      return;
    }
    const int clear = count(*published, event, p.mode);
    std::string shortfall;
    if (*published >= event) {
      shortfall = what + " was " + verb + " on " + published->long_english() + ", not before " + event_name + " on " +
                  event.long_english() + ". ";
    } else {
      shortfall = what + " was " + verb + " on " + published->long_english() + ", " +
                  (clear == 0 ? std::string("with no ") + (p.mode == DayCountMode::kCalendar ? "clear calendar day" : "clear working day")
                              : "only " + days_text(clear, p.mode)) +
                  " before " + event_name + " on " + event.long_english() + ". ";
    }
    Finding& f = clear >= p.days
                     ? info(rule, kind, id,
                            what + " was " + verb + " on " + published->long_english() + ", " + days_text(clear, p.mode) +
                                " before " + event_name + " on " + event.long_english() + " (" +
                                std::to_string(p.days) + " required; the latest day was " + deadline + ").")
                     : fail(rule, kind, id,
                            shortfall + "It needed " + days_text(p.days, p.mode) + ", so it had to be " + verb + " by " +
                                deadline + ".");
    set_dates(f, required_by, practical, event);
    f.dates["published"] = *published;
    f.figures["clear_days"] = clear;
    f.figures["required_days"] = p.days;
    note_holidays(f, p.mode);
  }

  // Clear days between two days of the plan. The plan's parser takes only days in the supported
  // years (HolidayCalendar::parse_supported), so the count cannot be refused here.
  int count(Date published, Date event, DayCountMode mode) const {
    auto n = clear_days(published, event, mode, cal_);
    if (!n) throw std::logic_error("a Forward Plan date outside the supported years: " + n.error().describe());
    return *n;
  }

  // A count of working days depends on the bank holidays: say where they came from.
  void note_holidays(Finding& f, DayCountMode mode) const {
    if (mode == DayCountMode::kWorking) f.bank_holidays = cal_.source();
  }

  static void set_dates(Finding& f, Date required_by, Date practical, Date event) {
    f.dates["required_by"] = required_by;
    if (practical != required_by) f.dates["practical_latest"] = practical;
    f.dates["event"] = event;
  }

  void key_decision(const KeyDecision& d, const ForwardPlan& plan) {
    const bool key = kd1(d);
    if (!key) return;
    kd2(d);
    if (d.general_exception) kd3(d);
    if (d.special_urgency) {
      urgency("KD-4", kKeyDecision, d.id, *d.special_urgency, "the decision", d.decision_day(), taken(d),
              "why the decision is urgent and cannot reasonably be deferred");
      kd5(d, plan);
    }
  }

  // KD-1: returns whether the decision is key (treated as key, or meets the test).
  bool kd1(const KeyDecision& d) {
    const int64_t threshold = policy_.key_decision_threshold_pence;
    const bool over = d.value_pence && *d.value_pence > threshold;
    const std::vector<std::string> wards_named = distinct_wards(d.wards_affected);
    const auto ward_count = static_cast<int64_t>(wards_named.size());
    const bool wards = d.significant_effects && ward_count >= policy_.key_decision_ward_count;
    const bool meets = over || wards;
    const std::string noun = d.value_kind == ValueKind::kSavings ? "savings" : "spend";

    const bool savings = d.value_kind == ValueKind::kSavings;
    std::string value_part;
    if (!d.value_pence) {
      value_part = "no " + noun + " figure is recorded";
    } else {
      value_part = "the likely " + noun + " of " + format_pounds(*d.value_pence) + (savings ? " are " : " is ") +
                   (over ? "over" : "not over") + " the threshold of " + format_pounds(threshold);
    }
    std::string ward_part;
    if (d.significant_effects && ward_count > 0) {
      ward_part = "significant effects on communities in " + std::to_string(ward_count) +
                  (ward_count == 1 ? " ward (" : " wards (") + join_names(wards_named) + ")" +
                  (wards ? "" : ", fewer than " + std::to_string(policy_.key_decision_ward_count));
    } else {
      ward_part = "no significant effects on communities in two or more wards";
      if (policy_.key_decision_ward_count != 2) {
        ward_part = "no significant effects on communities in " + std::to_string(policy_.key_decision_ward_count) +
                    " or more wards";
      }
    }
    const std::string reason = value_part + "; " + ward_part;

    Finding* f = nullptr;
    if (meets && !d.treated_as_key) {
      f = &fail("KD-1", kKeyDecision, d.id,
                "This meets the key decision test (" + reason + ") but is not treated as a key decision.");
    } else if (d.assessment_reasons.empty()) {
      f = &add("KD-1", Severity::kWarning, kKeyDecision, d.id,
               std::string("The reasons for the key decision assessment are not recorded. ") +
                   (meets ? "It is a key decision: " : d.treated_as_key ? "It is treated as key although the test is not met: "
                                                                        : "It is not a key decision: ") +
                   reason + ".");
    } else {
      f = &info("KD-1", kKeyDecision, d.id,
                std::string(meets ? "Key decision: " : d.treated_as_key ? "Treated as key although the test is not met: "
                                                                        : "Not a key decision: ") +
                    reason + ". Recorded reasons: " + d.assessment_reasons +
                    (d.assessment_reasons.back() == '.' ? "" : "."));
    }
    if (d.value_pence) f->figures["value_pence"] = *d.value_pence;
    f->figures["threshold_pence"] = threshold;
    f->figures["wards_with_significant_effects"] = d.significant_effects ? ward_count : 0;
    f->figures["ward_count"] = policy_.key_decision_ward_count;
    return meets || d.treated_as_key;
  }

  bool taken(const KeyDecision& d) const { return d.decided_on.has_value() || as_of_ >= d.decision_day(); }

  void kd2(const KeyDecision& d) {
    const Date event = d.decision_day();
    const NoticePeriod p = policy_.key_decision_notice;
    const bool route = d.general_exception || d.special_urgency;
    const std::string route_name = d.special_urgency ? "special urgency route (see KD-4)" : "general exception route (see KD-3)";
    const std::optional<Date> published = d.notice ? d.notice->published_on : std::nullopt;
    if (route) {
      const int clear = published ? count(*published, event, p.mode) : 0;
      if (!published || clear < p.days) {
        Finding& f = info("KD-2", kKeyDecision, d.id,
                          std::string(published ? "The notice gives " + days_text(clear, p.mode) + "; "
                                                : "No notice of this key decision was published; ") +
                              "the decision relies on the " + route_name + " instead of " +
                              days_text(p.days, p.mode) + "' notice.");
        f.dates["event"] = event;
        if (published) {
          f.dates["published"] = *published;
          f.figures["clear_days"] = clear;
        }
        f.figures["required_days"] = p.days;
      } else {
        notice("KD-2", kKeyDecision, d.id, "The notice of this key decision", "the decision", published, event, p);
      }
    } else {
      notice("KD-2", kKeyDecision, d.id, "The notice of this key decision", "the decision", published, event, p);
    }
    if (d.notice) reg9_fields(d, *d.notice);
    if (d.notice && d.notice->date_or_period && d.decided_on) notified_timing(d, *d.notice->date_or_period);
  }

  // Reg 9(1)(d): the notice tells the public when the decision will be made. Taken before that
  // date or period, people who relied on it lost their chance; taken after it, the notice was
  // out of date and should have been revised.
  void notified_timing(const KeyDecision& d, const DecisionTiming& notified) {
    const Date taken = *d.decided_on;
    const Date first = notified.first_day();
    const Date last = notified.date ? *notified.date : *notified.to;
    if (taken < first) {
      Finding& f = fail("KD-2", kKeyDecision, d.id,
                        "The decision was taken on " + taken.long_english() + ", before the date the notice gave (" +
                            notified.describe() + "): a decision taken earlier than notified needs a notice saying "
                            "so (reg 9(1)(d)).");
      f.dates["decided"] = taken;
      f.dates["notified_from"] = first;
    } else if (taken > last) {
      Finding& f = add("KD-2", Severity::kWarning, kKeyDecision, d.id,
                       "The decision was taken on " + taken.long_english() + ", after the date the notice gave (" +
                           notified.describe() + "); the Forward Plan entry should have been revised (reg 9(1)(d)).");
      f.dates["decided"] = taken;
      f.dates["notified_to"] = last;
    }
  }

  void reg9_fields(const KeyDecision& d, const Reg9Notice& n) {
    auto missing = [&](const char* field, const std::string& what) {
      fail("KD-2", kKeyDecision, d.id,
           "The notice does not " + what + " (field " + field + "), which reg 9 requires.");
    };
    if (!n.states_key_decision.value_or(false)) missing("states_key_decision", "say that a key decision is to be made");
    if (!n.matter || n.matter->empty()) missing("matter", "say what the matter to be decided is");
    if (!n.decision_maker) {
      missing("decision_maker", "name the decision maker");
    } else if (!n.decision_maker->complete()) {
      missing("decision_maker",
              n.decision_maker->is_body() ? "list the members of the decision-making body " + n.decision_maker->body
                                          : "give the name of the decision maker");
    }
    if (!n.date_or_period) missing("date_or_period", "give the date on which, or the period within which, the decision is to be made");
    if (!n.documents || n.documents->empty()) missing("documents", "list the documents submitted to the decision maker");
    if (!n.documents_available_from || n.documents_available_from->empty()) {
      missing("documents_available_from", "give the address from which those documents are available");
    }
    if (!n.other_documents_statement.value_or(false)) {
      missing("other_documents_statement", "say that other documents relevant to the matter may be submitted");
    }
    if (!n.how_to_request || n.how_to_request->empty()) {
      missing("how_to_request", "explain how to request details of those documents");
    }
  }

  void kd3(const KeyDecision& d) {
    const GeneralException& g = *d.general_exception;
    const Date event = d.decision_day();
    if (!g.chair_of_scrutiny_notified_on || g.notified.empty()) {
      Finding& f = fail("KD-3", kKeyDecision, d.id,
                        "No written notice to the chair of the relevant overview and scrutiny committee (or, when "
                        "there is no chair, to every member of it) is recorded, with who was told and when.");
      f.dates["event"] = event;
    } else if (*g.chair_of_scrutiny_notified_on > event) {
      Finding& f = fail("KD-3", kKeyDecision, d.id,
                        g.notified + " was told in writing on " + g.chair_of_scrutiny_notified_on->long_english() +
                            ", after the decision on " + event.long_english() + "; the notice must come first.");
      f.dates["notified"] = *g.chair_of_scrutiny_notified_on;
      f.dates["event"] = event;
    } else {
      Finding& f = info("KD-3", kKeyDecision, d.id,
                        g.notified + " was told in writing on " + g.chair_of_scrutiny_notified_on->long_english() + ".");
      f.dates["notified"] = *g.chair_of_scrutiny_notified_on;
    }
    // Reg 10(1)(b)-(d): what is made public is the notice given to the chair, and the five clear days
    // follow the day it was made available; it cannot be available before the chair is told.
    std::optional<Date> start = g.made_public_on;
    const bool public_before_chair =
        g.made_public_on && g.chair_of_scrutiny_notified_on && *g.chair_of_scrutiny_notified_on > *g.made_public_on;
    if (public_before_chair) start = g.chair_of_scrutiny_notified_on;
    notice("KD-3", kKeyDecision, d.id, "The general exception notice to the chair", "the decision", start, event,
           policy_.general_exception_notice, public_before_chair ? "given to the chair" : "made public");
    if (public_before_chair) {
      Finding& f = out.back();
      f.message += " A notice was recorded as made public on " + g.made_public_on->long_english() +
                   ", before the chair was told; the notice reg 10 makes public is the one given to the chair, so "
                   "the clear days count from " + g.chair_of_scrutiny_notified_on->long_english() + ".";
      f.dates["made_public"] = *g.made_public_on;
    }
    reasons_notice("KD-3", kKeyDecision, d.id, g.reasons_notice_published_on, taken(d), event,
                   "why giving " + days_text(policy_.key_decision_notice.days, policy_.key_decision_notice.mode) +
                       "' notice was impracticable",
                   "the decision");
  }

  void reasons_notice(const char* rule, const std::string& kind, const std::string& id, std::optional<Date> published,
                      bool event_passed, Date event, const std::string& why, const std::string& event_name) {
    if (published) {
      Finding& f = info(rule, kind, id,
                        "The notice of the reasons " + why + " was published on " + published->long_english() + ".");
      f.dates["reasons_published"] = *published;
    } else if (event_passed) {
      Finding& f = fail(rule, kind, id,
                        "No notice of the reasons " + why + " has been published, and " + event_name + " on " +
                            event.long_english() + " has passed; publish it now.");
      f.dates["event"] = event;
    } else {
      Finding& f = info(rule, kind, id,
                        "Due: a notice of the reasons " + why + ", as soon as reasonably practicable (" +
                            event_name + " is on " + event.long_english() + ").");
      f.dates["event"] = event;
    }
  }

  // Special urgency (KD-4) or an urgent private meeting (PM-1): the agreement, the order of the
  // roles, and the reasons notice.
  void urgency(const char* rule, const std::string& kind, const std::string& id, const UrgencyAgreement& u,
               const std::string& event_name, Date event, bool event_passed, const std::string& why) {
    const std::string role = urgency_role_name(u.agreed_by);
    if (!u.agreed_on || u.name.empty()) {
      Finding& f = fail(rule, kind, id,
                        "The agreement that " + event_name + " is urgent and cannot reasonably be deferred is not "
                        "recorded with who agreed and when (" + role + " is named as agreeing).");
      f.dates["event"] = event;
    } else if (*u.agreed_on > event) {
      Finding& f = fail(rule, kind, id,
                        u.name + " (" + role + ") agreed on " + u.agreed_on->long_english() + ", after " + event_name +
                            " on " + event.long_english() + "; the agreement must come first.");
      f.dates["agreed"] = *u.agreed_on;
      f.dates["event"] = event;
    } else {
      Finding& f = info(rule, kind, id,
                        u.name + " (" + role + ") agreed on " + u.agreed_on->long_english() + " that " + event_name +
                            " is urgent and cannot reasonably be deferred.");
      f.dates["agreed"] = *u.agreed_on;
    }
    if (u.agreed_by != UrgencyRole::kOverviewAndScrutinyChair && u.why_higher_roles_could_not_act.empty()) {
      const std::string higher = u.agreed_by == UrgencyRole::kChairOfCouncil
                                     ? "the chair of the overview and scrutiny committee"
                                     : "the chair of the overview and scrutiny committee or the chair of the council";
      add(rule, Severity::kWarning, kind, id,
          "Agreement came from " + role + ", but the record does not say why " + higher +
              " could not act. The order is: the chair of the overview and scrutiny committee, then the chair of "
              "the council, then the vice-chair.");
    }
    reasons_notice(rule, kind, id, u.reasons_notice_published_on, event_passed, event, why, event_name);
  }

  void kd5(const KeyDecision& d, const ForwardPlan& plan) {
    std::optional<Date> taken_on = d.decided_on;
    if (!taken_on && d.timing.first_day() <= as_of_) taken_on = d.timing.first_day();
    if (!taken_on) return;  // not yet taken: nothing to report
    for (const auto& r : plan.urgency_reports) {
      if (r.date < *taken_on) continue;
      for (const auto& id : r.decision_ids) {
        if (id == d.id) {
          Finding& f = info("KD-5", kKeyDecision, d.id,
                            "This special-urgency decision, taken on " + taken_on->long_english() +
                                ", was reported to full council on " + r.date.long_english() + ".");
          f.dates["decided"] = *taken_on;
          f.dates["reported"] = r.date;
          return;
        }
      }
    }
    const int months = policy_.urgency_report_months;
    const Date due = add_months(*taken_on, months);
    const std::string period = counted(Counted::kMonths, months);
    if (!plan.records_urgency_reports) {
      Finding& f = add("KD-5", Severity::kWarning, kKeyDecision, d.id,
                       "Could not check whether this special-urgency decision, taken on " + taken_on->long_english() +
                           ", was reported to full council: a Forward Plan kept as CSV has no place for those "
                           "reports. The report was due by " + due.long_english() + " (within " + period +
                           "); check it by hand, or keep the plan as JSON with its urgency_reports.");
      f.dates["decided"] = *taken_on;
      f.dates["required_by"] = due;
      return;
    }
    Finding& f = as_of_ > due
                     ? fail("KD-5", kKeyDecision, d.id,
                            "This special-urgency decision, taken on " + taken_on->long_english() +
                                ", has not been reported to full council. Special-urgency decisions must be reported "
                                "within " + period + ", so the report was due by " + due.long_english() + ".")
                     : info("KD-5", kKeyDecision, d.id,
                            "Due: report this special-urgency decision, taken on " + taken_on->long_english() +
                                ", to full council by " + due.long_english() + ".");
    f.dates["decided"] = *taken_on;
    f.dates["required_by"] = due;
  }

  void kd6(const ScrutinyReferral& r) {
    if (r.reported_on) {
      if (*r.reported_on > r.report_due_by) {
        Finding& f = fail("KD-6", kKeyDecision, r.decision_id,
                          "Overview and scrutiny asked on " + r.requested_on.long_english() +
                              " for a report on why this was not treated as a key decision. It was due by " +
                              r.report_due_by.long_english() + " but reached council late, on " +
                              r.reported_on->long_english() + ".");
        f.dates["reported"] = *r.reported_on;
        f.dates["required_by"] = r.report_due_by;
        f.dates["requested"] = r.requested_on;
      } else {
        Finding& f = info("KD-6", kKeyDecision, r.decision_id,
                          "The report overview and scrutiny asked for on " + r.requested_on.long_english() +
                              " was made on " + r.reported_on->long_english() + ", by the deadline of " +
                              r.report_due_by.long_english() + ".");
        f.dates["reported"] = *r.reported_on;
        f.dates["required_by"] = r.report_due_by;
        f.dates["requested"] = r.requested_on;
      }
      return;
    }
    Finding& f = as_of_ > r.report_due_by
                     ? fail("KD-6", kKeyDecision, r.decision_id,
                            "Overview and scrutiny asked on " + r.requested_on.long_english() +
                                " for a report to council on why this was not treated as a key decision. It was due "
                                "by " + r.report_due_by.long_english() + " and has not been made.")
                     : info("KD-6", kKeyDecision, r.decision_id,
                            "Due: the report to council that overview and scrutiny asked for on " +
                                r.requested_on.long_english() + ", by " + r.report_due_by.long_english() + ".");
    f.dates["required_by"] = r.report_due_by;
    f.dates["requested"] = r.requested_on;
  }

  void meeting(const Meeting& m) {
    if (m.is_private) {
      if (m.urgency) {
        urgency("PM-1", kMeeting, m.id, *m.urgency, "holding the meeting in private", m.date, as_of_ >= m.date,
                "why the meeting is urgent and cannot reasonably be deferred");
        Finding& f = info("PM-2", kMeeting, m.id,
                          "The urgency route (see PM-1) replaces the notice of intention and the further notice.");
        f.dates["event"] = m.date;
      } else {
        notice("PM-1", kMeeting, m.id, "The notice of intention to hold the " + m.body + " meeting in private",
               "the meeting", m.intention_notice_published_on, m.date, policy_.private_meeting_notice);
        if (m.intention_notice_published_on && m.intention_notice_reasons.empty()) {
          fail("PM-1", kMeeting, m.id,
               "The notice of intention does not include a statement of the reasons for holding the meeting (or "
               "part of it) in private (field intention_notice_reasons), which reg 5(3) requires.");
        }
        const FurtherNotice* fn = m.further_notice ? &*m.further_notice : nullptr;
        notice("PM-2", kMeeting, m.id, "The further notice of the private meeting", "the meeting",
               fn ? fn->published_on : std::nullopt, m.date, policy_.private_meeting_further_notice);
        if (fn && fn->reasons.empty()) {
          fail("PM-2", kMeeting, m.id,
               "The further notice does not include a statement of the reasons for holding the meeting (or part "
               "of it) in private (field further_notice/reasons), which reg 5(5)(a) requires.");
        }
        if (fn && !fn->representations_received) {
          fail("PM-2", kMeeting, m.id,
               "The further notice does not say whether any representations were received about why the meeting "
               "should be open to the public (record an empty list when there were none).");
        } else if (fn && !fn->representations_received->empty() && fn->response.empty()) {
          fail("PM-2", kMeeting, m.id,
               std::to_string(fn->representations_received->size()) +
                   " representation(s) were received about why the meeting should be open, but the further notice "
                   "gives no response to them.");
        }
      }
    }
    // Excluding the public for an exempt item leaves the rest of the meeting public (regs 3–4), so
    // its notice and agenda are due as for any public meeting.
    if (!m.is_private || !m.wholly_private) public_meeting(m);
  }

  void public_meeting(const Meeting& m) {
    const std::string meeting = "the " + std::string(m.is_private ? "open part of the " : "") + m.body + " meeting";
    const std::string agenda = m.is_private ? "The agenda of " + meeting : "The agenda";
    const NoticePeriod p = policy_.public_meeting_notice;
    if (m.convened_at_shorter_notice_on) {
      const Date convened = *m.convened_at_shorter_notice_on;
      const int possible = convened < m.date ? count(convened, m.date, p.mode) : 0;
      // Convened early enough for the full period: the shorter-notice provision does not apply.
      if (possible < p.days) {
        shorter_notice(m, "The notice of " + meeting, m.notice_published_on, convened, p);
        shorter_notice(m, agenda, m.agenda_published_on, convened, p);
        return;
      }
    }
    notice("MEET-5", kMeeting, m.id, "The notice of " + meeting, "the meeting", m.notice_published_on, m.date, p);
    notice("MEET-5", kMeeting, m.id, agenda, "the meeting", m.agenda_published_on, m.date, p);
  }

  // Reg 6(1)(b), 6(2)(b): a meeting convened at shorter notice needs its notice and agenda available
  // from the time it is convened.
  void shorter_notice(const Meeting& m, const std::string& what, std::optional<Date> published, Date convened,
                      NoticePeriod p) {
    const std::string when = "the meeting on " + m.date.long_english() + " was convened at shorter notice than " +
                             days_text(p.days, p.mode) + " on " + convened.long_english();
    Finding* f = nullptr;
    if (!published) {
      f = as_of_ <= convened ? &info("MEET-5", kMeeting, m.id,
                                     "Due: " + lower_first(what) + " must be published today: " + when + " (reg 6(1)(b)).")
                             : &fail("MEET-5", kMeeting, m.id,
                                     what + " is not recorded as published. Because " + when +
                                         ", it had to be published when the meeting was convened (reg 6(1)(b)).");
    } else if (*published <= convened) {
      f = &info("MEET-5", kMeeting, m.id,
                what + " was published on " + published->long_english() + ", when the meeting was convened: " + when +
                    ", which reg 6(1)(b) allows.");
    } else {
      f = &fail("MEET-5", kMeeting, m.id,
                what + " was published on " + published->long_english() + ", after the meeting was convened. Because " +
                    when + ", it had to be published that day (reg 6(1)(b)).");
    }
    f->dates["convened"] = convened;
    f->dates["required_by"] = convened;
    f->dates["event"] = m.date;
    if (published) f->dates["published"] = *published;
  }

 private:
  const CharterPolicy& policy_;
  const HolidayCalendar& cal_;
  Date as_of_;
};

}  // namespace

std::vector<Finding> check_forward_plan(const ForwardPlan& plan, const CharterPolicy& policy, Date as_of) {
  Checker c(policy, as_of);
  for (const auto& d : plan.key_decisions) c.key_decision(d, plan);
  for (const auto& m : plan.meetings) c.meeting(m);
  for (const auto& r : plan.scrutiny_referrals) c.kd6(r);
  for (auto& f : check_urgency_report_intervals(plan, policy, as_of)) c.out.push_back(std::move(f));
  return std::move(c.out);
}

}  // namespace townhall
