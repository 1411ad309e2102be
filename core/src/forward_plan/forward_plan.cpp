#include "townhall/forward_plan/forward_plan.h"

#include <set>

#include "townhall/calendar/bank_holidays.h"
#include "townhall/util/json_schema.h"

namespace townhall {

bool DecisionMaker::complete() const {
  if (is_body()) return !members.empty();
  // Reg 9(1)(c): an individual's name, "and title if any".
  return !name.empty();
}

std::string DecisionMaker::describe() const {
  if (is_body()) {
    return body + " (" + std::to_string(members.size()) + (members.size() == 1 ? " member)" : " members)");
  }
  if (title.empty()) return name;
  return name + ", " + title;
}

std::string DecisionTiming::describe() const {
  if (date) return date->long_english();
  return "between " + from->long_english() + " and " + to->long_english();
}

const char* urgency_role_id(UrgencyRole role) {
  switch (role) {
    case UrgencyRole::kOverviewAndScrutinyChair: return "overview_and_scrutiny_chair";
    case UrgencyRole::kChairOfCouncil: return "chair_of_council";
    case UrgencyRole::kViceChairOfCouncil: return "vice_chair_of_council";
  }
  return "overview_and_scrutiny_chair";
}

const char* urgency_role_name(UrgencyRole role) {
  switch (role) {
    case UrgencyRole::kOverviewAndScrutinyChair: return "the chair of the overview and scrutiny committee";
    case UrgencyRole::kChairOfCouncil: return "the chair of the council";
    case UrgencyRole::kViceChairOfCouncil: return "the vice-chair of the council";
  }
  return "";
}

Result<UrgencyRole> parse_urgency_role(std::string_view text, std::string_view field) {
  if (text == "overview_and_scrutiny_chair") return UrgencyRole::kOverviewAndScrutinyChair;
  if (text == "chair_of_council") return UrgencyRole::kChairOfCouncil;
  if (text == "vice_chair_of_council") return UrgencyRole::kViceChairOfCouncil;
  return invalid_argument(std::string(field),
                          "expected overview_and_scrutiny_chair, chair_of_council or vice_chair_of_council, got \"" +
                              std::string(text) + "\"");
}

const KeyDecision* ForwardPlan::find_decision(std::string_view id) const {
  for (const auto& d : key_decisions) {
    if (d.id == id) return &d;
  }
  return nullptr;
}

std::string format_pounds(int64_t pence) {
  const bool negative = pence < 0;
  uint64_t p = negative ? 0 - static_cast<uint64_t>(pence) : static_cast<uint64_t>(pence);
  std::string whole = std::to_string(p / 100);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  const auto pp = static_cast<unsigned>(p % 100);
  return std::string(negative ? "-" : "") + "£" + grouped + "." + (pp < 10 ? "0" : "") + std::to_string(pp);
}

namespace {

using json = nlohmann::json;

// Reads JSON that has already passed the schema, so types are known; only semantic checks fail.
class Reader {
 public:
  explicit Reader(std::string prefix) : prefix_(std::move(prefix)) {}

  std::string ptr(const std::string& path) const { return prefix_ + path; }

  Result<std::optional<Date>> opt_date(const json& obj, const char* key, const std::string& path) const {
    if (!obj.contains(key)) return std::optional<Date>{};
    auto d = HolidayCalendar::parse_supported(obj[key].get<std::string>(), ptr(path + "/" + key));
    if (!d) return d.error();
    return std::optional<Date>{*d};
  }

  Result<DecisionTiming> timing(const json& obj, const std::string& path, bool required) const {
    DecisionTiming t;
    const bool has_date = obj.contains("decision_date"), has_period = obj.contains("decision_period");
    if (has_date && has_period) {
      return invalid_argument(ptr(path + "/decision_period"),
                              "give either decision_date or decision_period, not both");
    }
    if (!has_date && !has_period) {
      if (required) {
        return invalid_argument(ptr(path + "/decision_date"),
                                "a decision date or a decision period (from, to) is required");
      }
      return t;
    }
    if (has_date) {
      auto d = HolidayCalendar::parse_supported(obj["decision_date"].get<std::string>(), ptr(path + "/decision_date"));
      if (!d) return d.error();
      t.date = *d;
      return t;
    }
    const auto& p = obj["decision_period"];
    auto from = HolidayCalendar::parse_supported(p["from"].get<std::string>(), ptr(path + "/decision_period/from"));
    if (!from) return from.error();
    auto to = HolidayCalendar::parse_supported(p["to"].get<std::string>(), ptr(path + "/decision_period/to"));
    if (!to) return to.error();
    if (*to < *from) {
      return invalid_argument(ptr(path + "/decision_period/to"),
                              "the period ends (" + to->iso() + ") before it starts (" + from->iso() + ")");
    }
    t.from = *from;
    t.to = *to;
    return t;
  }

  Result<DecisionMaker> maker(const json& obj, const std::string& path) const {
    DecisionMaker m;
    m.name = obj.value("name", "");
    m.title = obj.value("title", "");
    m.body = obj.value("body", "");
    if (obj.contains("members")) m.members = obj["members"].get<std::vector<std::string>>();
    if (!m.name.empty() && !m.body.empty()) {
      return invalid_argument(ptr(path + "/body"),
                              "a decision maker is an individual (name, title) or a body (body, members), not both");
    }
    if (m.name.empty() && m.body.empty()) {
      return invalid_argument(ptr(path + "/name"), "the decision maker needs a name (individual) or a body");
    }
    return m;
  }

  Result<UrgencyAgreement> urgency(const json& obj, const std::string& path) const {
    UrgencyAgreement u;
    auto role = parse_urgency_role(obj["agreed_by"].get<std::string>(), ptr(path + "/agreed_by"));
    if (!role) return role.error();
    u.agreed_by = *role;
    u.name = obj.value("name", "");
    auto agreed = opt_date(obj, "agreed_on", path);
    if (!agreed) return agreed.error();
    u.agreed_on = *agreed;
    u.why_higher_roles_could_not_act = obj.value("why_higher_roles_could_not_act", "");
    auto reasons = opt_date(obj, "reasons_notice_published_on", path);
    if (!reasons) return reasons.error();
    u.reasons_notice_published_on = *reasons;
    return u;
  }

  Result<KeyDecision> decision(const json& obj, const std::string& path) const {
    KeyDecision k;
    k.id = obj["id"].get<std::string>();
    k.matter = obj["matter"].get<std::string>();
    auto m = maker(obj["decision_maker"], path + "/decision_maker");
    if (!m) return m.error();
    k.decision_maker = *m;
    auto t = timing(obj, path, true);
    if (!t) return t.error();
    k.timing = *t;
    if (obj.contains("value_pence")) k.value_pence = obj["value_pence"].get<int64_t>();
    k.value_kind = obj.value("value_kind", "spend") == "savings" ? ValueKind::kSavings : ValueKind::kSpend;
    if (obj.contains("wards_affected")) k.wards_affected = obj["wards_affected"].get<std::vector<std::string>>();
    k.significant_effects = obj.value("significant_effects", false);
    k.treated_as_key = obj.value("treated_as_key", false);
    k.assessment_reasons = obj.value("assessment_reasons", "");
    if (obj.contains("notice")) {
      const auto& n = obj["notice"];
      const std::string np = path + "/notice";
      Reg9Notice notice;
      auto pub = opt_date(n, "published_on", np);
      if (!pub) return pub.error();
      notice.published_on = *pub;
      if (n.contains("states_key_decision")) notice.states_key_decision = n["states_key_decision"].get<bool>();
      if (n.contains("matter")) notice.matter = n["matter"].get<std::string>();
      if (n.contains("decision_maker")) {
        auto nm = maker(n["decision_maker"], np + "/decision_maker");
        if (!nm) return nm.error();
        notice.decision_maker = *nm;
      }
      auto nt = timing(n, np, false);
      if (!nt) return nt.error();
      if (nt->date || nt->from) notice.date_or_period = *nt;
      if (n.contains("documents")) notice.documents = n["documents"].get<std::vector<std::string>>();
      if (n.contains("documents_available_from")) {
        notice.documents_available_from = n["documents_available_from"].get<std::string>();
      }
      if (n.contains("other_documents_statement")) {
        notice.other_documents_statement = n["other_documents_statement"].get<bool>();
      }
      if (n.contains("how_to_request")) notice.how_to_request = n["how_to_request"].get<std::string>();
      k.notice = notice;
    }
    if (obj.contains("general_exception")) {
      const auto& g = obj["general_exception"];
      const std::string gp = path + "/general_exception";
      GeneralException ge;
      auto notified_on = opt_date(g, "chair_of_scrutiny_notified_on", gp);
      if (!notified_on) return notified_on.error();
      ge.chair_of_scrutiny_notified_on = *notified_on;
      ge.notified = g.value("notified", "");
      auto made_public = opt_date(g, "made_public_on", gp);
      if (!made_public) return made_public.error();
      ge.made_public_on = *made_public;
      auto reasons = opt_date(g, "reasons_notice_published_on", gp);
      if (!reasons) return reasons.error();
      ge.reasons_notice_published_on = *reasons;
      k.general_exception = ge;
    }
    if (obj.contains("special_urgency")) {
      auto u = urgency(obj["special_urgency"], path + "/special_urgency");
      if (!u) return u.error();
      k.special_urgency = *u;
    }
    auto decided = opt_date(obj, "decided_on", path);
    if (!decided) return decided.error();
    k.decided_on = *decided;
    return k;
  }

  Result<Meeting> meeting(const json& obj, const std::string& path) const {
    Meeting m;
    m.id = obj["id"].get<std::string>();
    m.body = obj["body"].get<std::string>();
    auto d = HolidayCalendar::parse_supported(obj["date"].get<std::string>(), ptr(path + "/date"));
    if (!d) return d.error();
    m.date = *d;
    m.is_private = obj.value("private", false);
    m.wholly_private = obj.value("wholly_private", false);
    m.intention_notice_reasons = obj.value("intention_notice_reasons", "");
    for (auto [key, out] : {std::pair{"convened_at_shorter_notice_on", &m.convened_at_shorter_notice_on},
                            std::pair{"notice_published_on", &m.notice_published_on},
                            std::pair{"agenda_published_on", &m.agenda_published_on},
                            std::pair{"intention_notice_published_on", &m.intention_notice_published_on}}) {
      auto v = opt_date(obj, key, path);
      if (!v) return v.error();
      *out = *v;
    }
    if (obj.contains("further_notice")) {
      const auto& f = obj["further_notice"];
      FurtherNotice fn;
      auto pub = opt_date(f, "published_on", path + "/further_notice");
      if (!pub) return pub.error();
      fn.published_on = *pub;
      fn.reasons = f.value("reasons", "");
      if (f.contains("representations_received")) {
        fn.representations_received = f["representations_received"].get<std::vector<std::string>>();
      }
      fn.response = f.value("response", "");
      m.further_notice = fn;
    }
    if (obj.contains("urgency")) {
      auto u = urgency(obj["urgency"], path + "/urgency");
      if (!u) return u.error();
      m.urgency = *u;
    }
    if (!m.is_private && (m.wholly_private || m.intention_notice_published_on || !m.intention_notice_reasons.empty() ||
                          m.further_notice || m.urgency)) {
      const char* key = m.wholly_private                    ? "wholly_private"
                        : m.intention_notice_published_on   ? "intention_notice_published_on"
                        : !m.intention_notice_reasons.empty() ? "intention_notice_reasons"
                        : m.further_notice                  ? "further_notice"
                                                            : "urgency";
      return invalid_argument(ptr(path + "/" + key),
                              "only a private meeting has this; set \"private\": true or remove it");
    }
    if (m.convened_at_shorter_notice_on && *m.convened_at_shorter_notice_on > m.date) {
      return invalid_argument(ptr(path + "/convened_at_shorter_notice_on"),
                              "a meeting cannot be convened after the day it is held");
    }
    if (m.wholly_private && m.convened_at_shorter_notice_on) {
      return invalid_argument(ptr(path + "/convened_at_shorter_notice_on"),
                              "a wholly private meeting has no public notice to give at shorter notice");
    }
    return m;
  }

 private:
  std::string prefix_;
};

}  // namespace

Result<ForwardPlan> parse_forward_plan(const nlohmann::json& doc, std::string_view pointer_prefix) {
  if (auto st = validate_against_schema(doc, "forward-plan.schema.json", pointer_prefix); !st) return st.error();
  const Reader r{std::string(pointer_prefix)};
  ForwardPlan plan;
  plan.authority = doc.value("authority", "");
  std::set<std::string> ids;
  if (doc.contains("key_decisions")) {
    for (size_t i = 0; i < doc["key_decisions"].size(); ++i) {
      const std::string path = "/key_decisions/" + std::to_string(i);
      auto k = r.decision(doc["key_decisions"][i], path);
      if (!k) return k.error();
      if (!ids.insert(k->id).second) {
        return invalid_argument(r.ptr(path + "/id"), "duplicate key decision id \"" + k->id + "\"");
      }
      plan.key_decisions.push_back(std::move(*k));
    }
  }
  if (doc.contains("meetings")) {
    std::set<std::string> meeting_ids;
    for (size_t i = 0; i < doc["meetings"].size(); ++i) {
      const std::string path = "/meetings/" + std::to_string(i);
      auto m = r.meeting(doc["meetings"][i], path);
      if (!m) return m.error();
      if (!meeting_ids.insert(m->id).second) {
        return invalid_argument(r.ptr(path + "/id"), "duplicate meeting id \"" + m->id + "\"");
      }
      plan.meetings.push_back(std::move(*m));
    }
  }
  plan.records_urgency_reports = doc.value("urgency_reports_recorded", true);
  if (doc.contains("urgency_reports")) {
    for (size_t i = 0; i < doc["urgency_reports"].size(); ++i) {
      const std::string path = "/urgency_reports/" + std::to_string(i);
      const auto& o = doc["urgency_reports"][i];
      UrgencyReport rep;
      rep.id = o.value("id", "urgency-report-" + std::to_string(i + 1));
      auto d = HolidayCalendar::parse_supported(o["date"].get<std::string>(), r.ptr(path + "/date"));
      if (!d) return d.error();
      rep.date = *d;
      rep.decision_ids = o["decision_ids"].get<std::vector<std::string>>();
      for (size_t j = 0; j < rep.decision_ids.size(); ++j) {
        if (!ids.count(rep.decision_ids[j])) {
          return Error{ErrorCode::kNotFound, r.ptr(path + "/decision_ids/" + std::to_string(j)),
                       "no key decision has id \"" + rep.decision_ids[j] + "\""};
        }
      }
      plan.urgency_reports.push_back(std::move(rep));
    }
  }
  if (doc.contains("scrutiny_referrals")) {
    for (size_t i = 0; i < doc["scrutiny_referrals"].size(); ++i) {
      const std::string path = "/scrutiny_referrals/" + std::to_string(i);
      const auto& o = doc["scrutiny_referrals"][i];
      ScrutinyReferral ref;
      ref.decision_id = o["decision_id"].get<std::string>();
      auto req = HolidayCalendar::parse_supported(o["requested_on"].get<std::string>(), r.ptr(path + "/requested_on"));
      if (!req) return req.error();
      auto due = HolidayCalendar::parse_supported(o["report_due_by"].get<std::string>(), r.ptr(path + "/report_due_by"));
      if (!due) return due.error();
      if (*due < *req) {
        return invalid_argument(r.ptr(path + "/report_due_by"),
                                "the report is due (" + due->iso() + ") before it was requested (" + req->iso() + ")");
      }
      ref.requested_on = *req;
      ref.report_due_by = *due;
      auto rep = r.opt_date(o, "reported_on", path);
      if (!rep) return rep.error();
      ref.reported_on = *rep;
      plan.scrutiny_referrals.push_back(std::move(ref));
    }
  }
  return plan;
}

}  // namespace townhall

namespace townhall {

namespace {

using json = nlohmann::json;

// Every field the reader accepts is written back, so a plan keeps its meaning through JSON even
// when it gives a body a title or an individual members.
json maker_json(const DecisionMaker& m) {
  json j = json::object();
  if (m.is_body()) {
    j["body"] = m.body;
    j["members"] = m.members;
  } else {
    j["name"] = m.name;
    if (!m.members.empty()) j["members"] = m.members;
  }
  if (!m.title.empty()) j["title"] = m.title;
  return j;
}

void put_timing(json& j, const DecisionTiming& t) {
  if (t.date) {
    j["decision_date"] = t.date->iso();
  } else if (t.from && t.to) {
    j["decision_period"] = {{"from", t.from->iso()}, {"to", t.to->iso()}};
  }
}

void put_date(json& j, const char* key, const std::optional<Date>& d) {
  if (d) j[key] = d->iso();
}

void put_text(json& j, const char* key, const std::string& s) {
  if (!s.empty()) j[key] = s;
}

json urgency_json(const UrgencyAgreement& u) {
  json j = {{"agreed_by", urgency_role_id(u.agreed_by)}};
  put_text(j, "name", u.name);
  put_date(j, "agreed_on", u.agreed_on);
  put_text(j, "why_higher_roles_could_not_act", u.why_higher_roles_could_not_act);
  put_date(j, "reasons_notice_published_on", u.reasons_notice_published_on);
  return j;
}

}  // namespace

nlohmann::json forward_plan_to_json(const ForwardPlan& plan) {
  json out = json::object();
  put_text(out, "authority", plan.authority);
  json decisions = json::array();
  for (const auto& k : plan.key_decisions) {
    json j = {{"id", k.id}, {"matter", k.matter}, {"decision_maker", maker_json(k.decision_maker)}};
    put_timing(j, k.timing);
    if (k.value_pence) j["value_pence"] = *k.value_pence;
    j["value_kind"] = k.value_kind == ValueKind::kSavings ? "savings" : "spend";
    j["wards_affected"] = k.wards_affected;
    j["significant_effects"] = k.significant_effects;
    j["treated_as_key"] = k.treated_as_key;
    put_text(j, "assessment_reasons", k.assessment_reasons);
    if (k.notice) {
      const Reg9Notice& n = *k.notice;
      json nj = json::object();
      put_date(nj, "published_on", n.published_on);
      if (n.states_key_decision) nj["states_key_decision"] = *n.states_key_decision;
      if (n.matter) nj["matter"] = *n.matter;
      if (n.decision_maker) nj["decision_maker"] = maker_json(*n.decision_maker);
      if (n.date_or_period) put_timing(nj, *n.date_or_period);
      if (n.documents) nj["documents"] = *n.documents;
      if (n.documents_available_from) nj["documents_available_from"] = *n.documents_available_from;
      if (n.other_documents_statement) nj["other_documents_statement"] = *n.other_documents_statement;
      if (n.how_to_request) nj["how_to_request"] = *n.how_to_request;
      j["notice"] = nj;
    }
    if (k.general_exception) {
      const GeneralException& g = *k.general_exception;
      json gj = json::object();
      put_date(gj, "chair_of_scrutiny_notified_on", g.chair_of_scrutiny_notified_on);
      put_text(gj, "notified", g.notified);
      put_date(gj, "made_public_on", g.made_public_on);
      put_date(gj, "reasons_notice_published_on", g.reasons_notice_published_on);
      j["general_exception"] = gj;
    }
    if (k.special_urgency) j["special_urgency"] = urgency_json(*k.special_urgency);
    put_date(j, "decided_on", k.decided_on);
    decisions.push_back(std::move(j));
  }
  out["key_decisions"] = std::move(decisions);
  json meetings = json::array();
  for (const auto& m : plan.meetings) {
    json j = {{"id", m.id}, {"body", m.body}, {"date", m.date.iso()}, {"private", m.is_private}};
    if (m.wholly_private) j["wholly_private"] = true;
    put_date(j, "convened_at_shorter_notice_on", m.convened_at_shorter_notice_on);
    put_text(j, "intention_notice_reasons", m.intention_notice_reasons);
    put_date(j, "notice_published_on", m.notice_published_on);
    put_date(j, "agenda_published_on", m.agenda_published_on);
    put_date(j, "intention_notice_published_on", m.intention_notice_published_on);
    if (m.further_notice) {
      json fj = json::object();
      put_date(fj, "published_on", m.further_notice->published_on);
      put_text(fj, "reasons", m.further_notice->reasons);
      if (m.further_notice->representations_received) {
        fj["representations_received"] = *m.further_notice->representations_received;
      }
      put_text(fj, "response", m.further_notice->response);
      j["further_notice"] = fj;
    }
    if (m.urgency) j["urgency"] = urgency_json(*m.urgency);
    meetings.push_back(std::move(j));
  }
  out["meetings"] = std::move(meetings);
  json reports = json::array();
  for (const auto& r : plan.urgency_reports) {
    reports.push_back({{"id", r.id}, {"date", r.date.iso()}, {"decision_ids", r.decision_ids}});
  }
  // A plan from CSV cannot record reports: writing an empty list would say none were made.
  if (plan.records_urgency_reports) {
    out["urgency_reports"] = std::move(reports);
  } else {
    out["urgency_reports_recorded"] = false;
  }
  json referrals = json::array();
  for (const auto& r : plan.scrutiny_referrals) {
    json j = {{"decision_id", r.decision_id}, {"requested_on", r.requested_on.iso()},
              {"report_due_by", r.report_due_by.iso()}};
    put_date(j, "reported_on", r.reported_on);
    referrals.push_back(std::move(j));
  }
  out["scrutiny_referrals"] = std::move(referrals);
  return out;
}

}  // namespace townhall
