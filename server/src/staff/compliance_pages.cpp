// The console's compliance dashboard (breaches and warnings now, notice deadlines in the next 28
// days, the exceptions log) and the printable report for the Monitoring Officer and scrutiny. The
// findings are the core's (check_live_records, consultation_findings); the deadlines are the core
// calendar's latest_publication() over the policy's notice periods.
#include "staff/staff_kit.h"

#include <algorithm>

#include "townhall/calendar/clear_days.h"
#include "townhall/compliance/register.h"
#include "townhall/consultations/findings.h"
#include "townhall/panel/respondents.h"

namespace townhall::server::staff {
namespace {

constexpr int kLookAheadDays = 28;

std::string long_date(Date d) { return d.long_english(); }

nlohmann::json finding_row(const Finding& f, const std::string& href) {
  return {{"rule", f.rule}, {"severity", severity_id(f.severity)}, {"is_breach", f.severity == Severity::kBreach},
          {"subject", f.subject_id}, {"href", href}, {"message", f.message}};
}

std::string href_of(const Finding& f) {
  if (f.subject_kind == "key_decision") return "/staff/forward-plan/" + f.subject_id;
  if (f.subject_kind == "meeting") return "/staff/meetings/" + f.subject_id;
  if (f.subject_kind == "consultation") return "/staff/consultations/" + f.subject_id;
  if (f.subject_kind == "urgency_report") return "/staff/urgency-reports";
  return "";
}

struct NoticeDeadline {
  Date due;
  std::string what, subject, href, status;
  bool done = false;
};

void add_deadline(std::vector<NoticeDeadline>& out, Date event, const NoticePeriod& period, const CharterPolicy& policy,
                  const std::string& what, const std::string& subject, const std::string& href,
                  const std::optional<Date>& published) {
  // Stored dates are within the calendar's range, but a notice period can reach back past its start.
  auto latest = latest_publication(event, period.days, period.mode, policy.calendar());
  if (!latest) return;
  NoticeDeadline d{*latest, what, subject, href, "", published.has_value()};
  d.status = published ? "Published " + format_date(published->iso()) : "Not yet published";
  out.push_back(std::move(d));
}

// Every notice deadline of the register.
std::vector<NoticeDeadline> deadlines_of(const ForwardPlan& plan, const CharterPolicy& policy) {
  std::vector<NoticeDeadline> out;
  for (const auto& k : plan.key_decisions) {
    std::optional<Date> published = k.notice ? k.notice->published_on : std::nullopt;
    add_deadline(out, k.timing.first_day(), policy.key_decision_notice, policy, "Key decision notice (Forward Plan)",
                 k.id + ": " + k.matter, "/staff/forward-plan/" + k.id, published);
  }
  for (const auto& m : plan.meetings) {
    const std::string subject = m.id + ": " + m.body + " on " + format_date(m.date.iso());
    const std::string href = "/staff/meetings/" + m.id;
    if (!m.wholly_private) {
      add_deadline(out, m.date, policy.public_meeting_notice, policy, "Notice of the meeting", subject, href,
                   m.notice_published_on);
      add_deadline(out, m.date, policy.public_meeting_notice, policy, "Agenda", subject, href, m.agenda_published_on);
    }
    if (m.is_private) {
      add_deadline(out, m.date, policy.private_meeting_notice, policy, "Notice of intention to meet in private", subject,
                   href, m.intention_notice_published_on);
      add_deadline(out, m.date, policy.private_meeting_further_notice, policy, "Further notice of the private meeting",
                   subject, href, m.further_notice ? m.further_notice->published_on : std::nullopt);
    }
  }
  for (const auto& r : plan.scrutiny_referrals) {
    NoticeDeadline d{r.report_due_by, "Report to council on a scrutiny referral", r.decision_id,
               "/staff/referrals/" + r.decision_id, "", r.reported_on.has_value()};
    d.status = r.reported_on ? "Reported " + format_date(r.reported_on->iso()) : "Not yet reported";
    out.push_back(std::move(d));
  }
  std::sort(out.begin(), out.end(), [](const NoticeDeadline& a, const NoticeDeadline& b) { return a.due < b.due; });
  return out;
}

// The exception routes used: key decisions' general exception and special urgency, private
// meetings' urgency, and consultations' recorded exceptions (from the audit log).
nlohmann::json exceptions_log(Api::Impl& api, const ForwardPlan& plan, std::optional<Date> from, std::optional<Date> to) {
  nlohmann::json rows = nlohmann::json::array();
  auto in_period = [&](std::optional<Date> d) { return !d || ((!from || *d >= *from) && (!to || *d <= *to)); };
  for (const auto& k : plan.key_decisions) {
    if (k.general_exception && in_period(k.general_exception->made_public_on ? k.general_exception->made_public_on : k.timing.first_day())) {
      const auto& g = *k.general_exception;
      std::string detail = "Notified: " + (g.notified.empty() ? std::string("not recorded") : g.notified);
      if (g.made_public_on) detail += "; notice made public " + format_date(g.made_public_on->iso());
      if (g.reasons_notice_published_on) detail += "; reasons published " + format_date(g.reasons_notice_published_on->iso());
      rows.push_back({{"route", "General exception (reg 10)"}, {"subject", k.id + ": " + k.matter},
                      {"href", "/staff/forward-plan/" + k.id + "/exceptions"}, {"detail", detail}});
    }
    if (k.special_urgency && in_period(k.special_urgency->agreed_on ? k.special_urgency->agreed_on : k.timing.first_day())) {
      const auto& u = *k.special_urgency;
      std::string detail = std::string("Agreed by ") + urgency_role_name(u.agreed_by) + (u.name.empty() ? "" : " (" + u.name + ")");
      if (u.agreed_on) detail += " on " + format_date(u.agreed_on->iso());
      if (!u.why_higher_roles_could_not_act.empty()) detail += "; " + u.why_higher_roles_could_not_act;
      rows.push_back({{"route", "Special urgency (reg 11)"}, {"subject", k.id + ": " + k.matter},
                      {"href", "/staff/forward-plan/" + k.id + "/exceptions"}, {"detail", detail}});
    }
  }
  for (const auto& m : plan.meetings) {
    if (m.urgency && in_period(m.date)) {
      std::string detail = std::string("Agreed by ") + urgency_role_name(m.urgency->agreed_by) +
                           (m.urgency->name.empty() ? "" : " (" + m.urgency->name + ")");
      rows.push_back({{"route", "Urgent private meeting (reg 5(6))"}, {"subject", m.id + ": " + m.body},
                      {"href", "/staff/meetings/" + m.id}, {"detail", detail}});
    }
  }
  if (auto entries = api.store.audit_entries()) {
    for (const auto& e : *entries) {
      if (e.event.action.find("exception") == std::string::npos || e.event.subject_kind != "consultation") continue;
      auto day = Date::parse(e.at.substr(0, 10));
      if (day && !in_period(*day)) continue;
      const auto& d = e.event.detail;
      std::string detail = d.is_object() ? d.value("reason", d.dump()) : "";
      std::string who = "recorded by " + e.event.actor;
      if (d.is_object() && d.contains("approved_by") && d["approved_by"].is_string()) {
        // Exceptions recorded before approvals were asked for in the console name no asker.
        const auto asker = d.find("requested_by");
        who = (asker != d.end() && asker->is_string() ? "asked by " + asker->get<std::string>() + ", " : std::string()) +
              "approved by " + d["approved_by"].get<std::string>() + ", " + who;
      }
      rows.push_back({{"route", "Consultation exception"}, {"subject", e.event.subject_id},
                      {"href", "/staff/consultations/" + e.event.subject_id},
                      {"detail", detail + " (" + who + ", " + e.at + ")"}});
    }
  }
  return rows;
}

Result<std::vector<ConsultationRecord>> all_consultations(Api::Impl& api) {
  std::vector<ConsultationRecord> out;
  ConsultationQuery q;
  q.sort = "opens";
  q.limit = 100;
  for (int64_t offset = 0;; offset += q.limit) {
    q.offset = offset;
    auto page = api.store.list_consultations(q);
    if (!page) return page.error();
    for (auto& r : page->items) out.push_back(std::move(r));
    if (offset + q.limit >= page->total) break;
  }
  return out;
}

std::optional<Date> query_date(StaffContext& sc, const char* name) {
  auto it = sc.ctx.query.find(name);
  if (it == sc.ctx.query.end() || it->second.empty()) return std::nullopt;
  auto d = Date::parse(it->second);
  if (!d) return std::nullopt;
  return *d;
}

std::string joined_list(const nlohmann::json& list) {
  std::string out;
  if (!list.is_array()) return out;
  for (const auto& v : list) {
    std::string s = v.is_string() ? v.get<std::string>() : v.is_object() ? v.value("kind", v.value("channel", v.dump())) : v.dump();
    out += (out.empty() ? "" : ", ") + s;
  }
  return out;
}

}  // namespace

// GET /staff/compliance
Result<HttpResponse> get_compliance(Api::Impl& api, StaffContext& sc) {
  const Date today = api.today();
  auto report = check_live_records(api.store, api.store, api.options.policy, today);
  if (!report) return report.error();
  auto plan = read_register(api.store);
  if (!plan) return plan.error();
  nlohmann::json now = nlohmann::json::array();
  int breaches = 0, warnings = 0;
  for (const auto& f : report->findings) {
    if (f.severity == Severity::kInfo) continue;
    (f.severity == Severity::kBreach ? breaches : warnings)++;
    now.push_back(finding_row(f, href_of(f)));
  }
  auto consultations = all_consultations(api);
  if (!consultations) return consultations.error();
  for (const auto& c : *consultations) {
    auto fs = consultation_findings(api.store, c, api.options.policy, today);
    if (!fs) return fs.error();
    for (const auto& f : *fs) {
      if (f.severity == Severity::kInfo) continue;
      (f.severity == Severity::kBreach ? breaches : warnings)++;
      Finding g = f;
      g.subject_kind = "consultation";
      g.subject_id = c.id;
      now.push_back(finding_row(g, href_of(g)));
    }
  }
  nlohmann::json due = nlohmann::json::array();
  for (const auto& d : deadlines_of(*plan, api.options.policy)) {
    if (d.due < today || d.due > today.plus_days(kLookAheadDays)) continue;
    due.push_back({{"due", long_date(d.due)}, {"due_iso", d.due.iso()}, {"what", d.what}, {"subject", d.subject},
                   {"href", d.href}, {"status", d.status}, {"done", d.done}});
  }
  nlohmann::json exceptions = exceptions_log(api, *plan, std::nullopt, std::nullopt);
  nlohmann::json data = {{"today", long_date(today)},
                         {"until", long_date(today.plus_days(kLookAheadDays))},
                         {"breaches", breaches},
                         {"warnings", warnings},
                         {"findings", now},
                         {"no_findings", now.empty()},
                         {"due", due},
                         {"no_due", due.empty()},
                         {"exceptions", exceptions},
                         {"no_exceptions", exceptions.empty()},
                         {"report_from", today.minus_days(182).iso()},
                         {"report_to", today.iso()}};
  StaffPage p;
  p.title = "Compliance";
  return render_staff_page(sc, "staff_compliance", data, p);
}

// GET /staff/compliance/report?from=YYYY-MM-DD&to=YYYY-MM-DD (default: the last six months)
namespace {
// One line for the report: how many respondents had panel facts, and who they under-represent.
std::string representativeness_summary(const panel::RespondentsReport& r) {
  if (r.with_facts == 0) return "No respondent had panel facts";
  std::string under;
  for (const auto& c : r.fit.categories) {
    for (const auto& v : c.values) {
      if (v.flagged) under += (under.empty() ? "" : ", ") + c.category + " " + v.value;
    }
  }
  return std::to_string(r.with_facts) + " of " + std::to_string(r.responses) + " respondents had panel facts; " +
         (under.empty() ? "none under-represented" : "under-represented: " + under);
}
}  // namespace

Result<HttpResponse> get_compliance_report(Api::Impl& api, StaffContext& sc) {
  const Date today = api.today();
  Date to = query_date(sc, "to").value_or(today);
  Date from = query_date(sc, "from").value_or(to.minus_days(182));
  if (from > to) std::swap(from, to);
  auto consultations = all_consultations(api);
  if (!consultations) return consultations.error();
  // Respondents are compared with the same census as on a consultation's charts page.
  auto census = panel::census_report_targets(analysis::default_census_dir(), "ward,ethnicity,tenure", "E09000020", false);
  nlohmann::json rows = nlohmann::json::array();
  int64_t total_responses = 0;
  int c_breaches = 0;
  for (const auto& c : *consultations) {
    auto opens = Date::parse(c.document.value("opens", ""));
    auto closes = Date::parse(c.document.value("closes", ""));
    if (!opens || !closes || *opens > to || *closes < from) continue;
    auto responses = api.store.count_responses(c.id);
    if (!responses) return responses.error();
    auto fs = consultation_findings_on_register(api.store, api.store, c, api.options.policy, today);
    if (!fs) return fs.error();
    std::string rules;
    for (const auto& f : *fs) {
      if (f.severity != Severity::kBreach) continue;
      ++c_breaches;
      rules += (rules.empty() ? "" : ", ") + f.rule;
    }
    total_responses += *responses;
    std::string fit = "The census tables could not be read";
    if (census) {
      auto respondents = panel::respondents_report(api.store, api.store, c.id, census->borough, today);
      if (!respondents) return respondents.error();
      fit = representativeness_summary(*respondents);
    }
    rows.push_back({{"id", c.id}, {"representativeness", fit}, {"title", c.document.value("title", c.id)}, {"opens", format_date(opens->iso())},
                    {"closes", format_date(closes->iso())}, {"days", *closes - *opens}, {"weeks", (*closes - *opens) / 7},
                    {"responses", *responses}, {"channels", joined_list(c.document.value("channels", nlohmann::json::array()))},
                    {"languages", joined_list(c.document.value("languages", nlohmann::json::array()))},
                    {"breaches", rules.empty() ? "None" : rules}});
  }
  auto report = check_register(api.store, api.options.policy, today);
  if (!report) return report.error();
  auto plan = read_register(api.store);
  if (!plan) return plan.error();
  nlohmann::json plan_breaches = nlohmann::json::array();
  for (const auto& f : report->findings) {
    if (f.severity != Severity::kBreach) continue;
    const KeyDecision* k = f.subject_kind == "key_decision" ? plan->find_decision(f.subject_id) : nullptr;
    if (k && (k->decision_day() < from || k->decision_day() > to)) continue;
    plan_breaches.push_back(finding_row(f, ""));
  }
  nlohmann::json exceptions = exceptions_log(api, *plan, from, to);
  nlohmann::json data = {{"from", format_date(from.iso())}, {"to", format_date(to.iso())},
                         {"from_iso", from.iso()}, {"to_iso", to.iso()}, {"generated", long_date(today)},
                         {"consultations", rows}, {"no_consultations", rows.empty()},
                         {"consultation_count", rows.size()}, {"total_responses", total_responses},
                         {"consultation_breaches", c_breaches},
                         {"key_decisions", report->key_decisions_checked}, {"meetings", report->meetings_checked},
                         {"plan_breaches", plan_breaches}, {"no_plan_breaches", plan_breaches.empty()},
                         {"exceptions", exceptions}, {"no_exceptions", exceptions.empty()}};
  StaffPage p;
  p.title = "Compliance report " + format_date(from.iso()) + " to " + format_date(to.iso());
  p.back = "/staff/compliance";
  return render_staff_page(sc, "staff_compliance_report", data, p);
}

}  // namespace townhall::server::staff
