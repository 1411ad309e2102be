#include "townhall/charter/policy.h"

#include <string>

#include "townhall/charter/rules.h"
#include "townhall/charter/wording.h"
#include "townhall/util/json_schema.h"

namespace townhall {

namespace {

std::string two_digits(unsigned n) { return (n < 10 ? "0" : "") + std::to_string(n); }

std::vector<HolidayWindow> default_windows() {
  HolidayWindow christmas;
  christmas.name = "Christmas and New Year";
  christmas.from_month = 12;
  christmas.from_day = 24;
  christmas.to_new_year_bank_holiday = true;
  HolidayWindow august;
  august.name = "August";
  august.from_month = 8;
  august.from_day = 1;
  august.to_new_year_bank_holiday = false;
  august.to_month = 8;
  august.to_day = 31;
  return {christmas, august};
}

// "MM-DD" (shape already checked by the schema); 30 February and the like are refused.
Status parse_month_day(const std::string& s, const std::string& field, unsigned& month, unsigned& day) {
  month = static_cast<unsigned>(std::stoi(s.substr(0, 2)));
  day = static_cast<unsigned>(std::stoi(s.substr(3, 2)));
  const std::chrono::year_month_day in_leap_year{std::chrono::year{2024}, std::chrono::month{month},
                                                 std::chrono::day{day}};
  if (!in_leap_year.ok()) return invalid_argument(field, "\"" + s + "\" is not a real day of the year");
  return Status::Ok();
}

std::string month_day(unsigned month, unsigned day) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02u-%02u", month, day);
  return buf;
}

Status read_period(const nlohmann::json& j, NoticePeriod& out) {
  out.days = j.at("days").get<int>();
  if (j.contains("mode")) {
    auto m = parse_mode(j.at("mode").get<std::string>());
    if (!m) return m.error();
    out.mode = *m;
  }
  return Status::Ok();
}

nlohmann::json period_json(const NoticePeriod& p) { return {{"days", p.days}, {"mode", mode_id(p.mode)}}; }

Region region_of(Nation n) {
  switch (n) {
    case Nation::kScotland: return Region::kScotland;
    case Nation::kNorthernIreland: return Region::kNorthernIreland;
    case Nation::kEngland:
    case Nation::kWales: return Region::kEnglandAndWales;
  }
  return Region::kEnglandAndWales;
}

Nation nation_of(Region r) {
  switch (r) {
    case Region::kScotland: return Nation::kScotland;
    case Region::kNorthernIreland: return Nation::kNorthernIreland;
    case Region::kEnglandAndWales: return Nation::kEngland;
  }
  return Nation::kEngland;
}

std::string period_text(const NoticePeriod& p) {
  return counted(p.mode == DayCountMode::kCalendar ? Counted::kClearCalendarDays : Counted::kClearWorkingDays, p.days);
}

// A notice period is laxer than its floor when it is shorter, or counts calendar days where the
// floor counts working days (n calendar days can hold fewer than n working days).
bool laxer(const NoticePeriod& p, const NoticePeriod& floor) {
  return p.days < floor.days || (floor.mode == DayCountMode::kWorking && p.mode == DayCountMode::kCalendar);
}

Status check_floors(const CharterPolicy& p) {
  const CharterPolicy law = CharterPolicy::defaults();
  const auto refuse = [](std::string_view pointer, const std::string& what) {
    const StatutoryFloor* f = nullptr;
    for (const auto& x : statutory_floors()) {
      if (x.pointer == pointer) f = &x;
    }
    return invalid_argument(std::string(pointer),
                            what + ", laxer than the law: " + std::string(f->law) + " requires " +
                                std::string(f->minimum) + " for an English council. A policy may be stricter than "
                                "the Regulations, never laxer.");
  };
  const std::pair<const char*, std::pair<const NoticePeriod*, const NoticePeriod*>> periods[] = {
      {"/key_decisions/notice", {&p.key_decision_notice, &law.key_decision_notice}},
      {"/key_decisions/general_exception_notice", {&p.general_exception_notice, &law.general_exception_notice}},
      {"/meetings/private_notice", {&p.private_meeting_notice, &law.private_meeting_notice}},
      {"/meetings/private_further_notice", {&p.private_meeting_further_notice, &law.private_meeting_further_notice}},
      {"/meetings/public_notice", {&p.public_meeting_notice, &law.public_meeting_notice}},
  };
  for (const auto& [pointer, pf] : periods) {
    if (laxer(*pf.first, *pf.second)) return refuse(pointer, "the policy sets " + period_text(*pf.first));
  }
  if (p.urgency_report_months > law.urgency_report_months) {
    return refuse("/key_decisions/urgency_report_months",
                  "the policy reports special-urgency decisions every " + std::to_string(p.urgency_report_months) +
                      " months");
  }
  if (p.key_decision_ward_count > law.key_decision_ward_count) {
    return refuse("/key_decisions/ward_count", "the policy counts a decision as key only from " +
                                                   std::to_string(p.key_decision_ward_count) + " wards");
  }
  for (const auto& [id, sev] : p.severity_overrides) {
    const RuleInfo* r = find_rule(id);
    if (r != nullptr && is_statutory(*r) && sev != Severity::kBreach) {
      return invalid_argument("/severities/" + id,
                              "sets " + id + " to \"" + severity_id(sev) + "\", but a failed " + id + " check is a "
                              "breach of " + std::string(r->citation) + " for an English council; the policy may "
                              "not downgrade it. (Charter-only rules, such as C-MIN or VAR, may be set as the "
                              "council chooses.)");
    }
  }
  return Status::Ok();
}

}  // namespace

const char* nation_id(Nation nation) {
  switch (nation) {
    case Nation::kEngland: return "england";
    case Nation::kWales: return "wales";
    case Nation::kScotland: return "scotland";
    case Nation::kNorthernIreland: return "northern-ireland";
  }
  return "england";
}

const char* nation_name(Nation nation) {
  switch (nation) {
    case Nation::kEngland: return "England";
    case Nation::kWales: return "Wales";
    case Nation::kScotland: return "Scotland";
    case Nation::kNorthernIreland: return "Northern Ireland";
  }
  return "England";
}

Result<Nation> parse_nation(std::string_view text, std::string_view field) {
  for (Nation n : {Nation::kEngland, Nation::kWales, Nation::kScotland, Nation::kNorthernIreland}) {
    if (text == nation_id(n)) return n;
  }
  return invalid_argument(std::string(field), "\"" + std::string(text) +
                                                  "\" is not a nation (england, wales, scotland, northern-ireland)");
}

const std::vector<StatutoryFloor>& statutory_floors() {
  static const std::vector<StatutoryFloor> kFloors = {
      {"/key_decisions/notice", "KD-2", "SI 2012/2089 reg 9(1)", "28 clear calendar days"},
      {"/key_decisions/general_exception_notice", "KD-3", "SI 2012/2089 reg 10(1)(d)", "5 clear working days"},
      {"/key_decisions/urgency_report_months", "KD-5", "SI 2012/2089 reg 19", "a report at least every 12 months"},
      {"/key_decisions/ward_count", "KD-1", "SI 2012/2089 reg 8(1)(b)", "significant effects in two or more wards"},
      {"/meetings/private_notice", "PM-1", "SI 2012/2089 reg 5(2)", "28 clear calendar days"},
      {"/meetings/private_further_notice", "PM-2", "SI 2012/2089 reg 5(4)", "5 clear working days"},
      {"/meetings/public_notice", "MEET-5", "SI 2012/2089 reg 6", "5 clear working days"},
  };
  return kFloors;
}

CharterPolicy CharterPolicy::defaults() {
  CharterPolicy p;
  p.holiday_windows = default_windows();
  return p;
}

Result<CharterPolicy> CharterPolicy::from_json_text(std::string_view text) {
  auto doc = parse_json(text, "the policy file");
  if (!doc) return doc.error();
  return from_json(*doc);
}

Result<CharterPolicy> CharterPolicy::from_json(const nlohmann::json& doc) {
  // Name an unknown rule id precisely; the schema's propertyNames error only points at the object.
  if (doc.is_object() && doc.contains("severities") && doc["severities"].is_object()) {
    for (const auto& [rule, sev] : doc["severities"].items()) {
      if (find_rule(rule) == nullptr) return invalid_argument("/severities/" + rule, "unknown rule id \"" + rule + "\"");
    }
  }
  if (auto st = validate_against_schema(doc, "charter-policy.schema.json"); !st) return st.error();
  CharterPolicy p = defaults();
  if (doc.contains("region")) {
    auto r = parse_region(doc["region"].get<std::string>(), "/region");
    if (!r) return r.error();
    p.region = *r;
  }
  // Without a nation, the region's: a policy written before nations existed keeps its meaning.
  p.nation = nation_of(p.region);
  if (doc.contains("nation")) {
    auto n = parse_nation(doc["nation"].get<std::string>(), "/nation");
    if (!n) return n.error();
    p.nation = *n;
    if (!doc.contains("region")) {
      p.region = region_of(p.nation);
    } else if (region_of(p.nation) != p.region) {
      return invalid_argument("/region", std::string("\"") + region_id(p.region) + "\" is not the bank-holiday "
                              "region of " + nation_name(p.nation) + " (\"" + region_id(region_of(p.nation)) + "\")");
    }
  }
  if (doc.contains("consultation")) {
    const auto& c = doc["consultation"];
    if (c.contains("big_decision_weeks")) p.big_decision_weeks = c["big_decision_weeks"].get<int>();
    if (c.contains("holiday_extension")) p.holiday_extension = c["holiday_extension"].get<bool>();
    if (c.contains("holiday_extension_days")) p.holiday_extension_days = c["holiday_extension_days"].get<int>();
    if (c.contains("voluntary_sector_weeks")) p.voluntary_sector_weeks = c["voluntary_sector_weeks"].get<int>();
    if (c.contains("holiday_windows")) {
      p.holiday_windows.clear();
      size_t i = 0;
      for (const auto& w : c["holiday_windows"]) {
        const std::string base = "/consultation/holiday_windows/" + std::to_string(i++);
        HolidayWindow hw;
        hw.name = w.value("name", "");
        if (auto st = parse_month_day(w["from"].get<std::string>(), base + "/from", hw.from_month, hw.from_day); !st) {
          return st.error();
        }
        const auto to = w["to"].get<std::string>();
        hw.to_new_year_bank_holiday = (to == "new-year-bank-holiday");
        if (!hw.to_new_year_bank_holiday) {
          if (auto st = parse_month_day(to, base + "/to", hw.to_month, hw.to_day); !st) return st.error();
        }
        p.holiday_windows.push_back(hw);
      }
    }
    if (c.contains("pre_election_periods")) {
      size_t i = 0;
      for (const auto& e : c["pre_election_periods"]) {
        const std::string base = "/consultation/pre_election_periods/" + std::to_string(i++);
        auto from = Date::parse(e["from"].get<std::string>(), base + "/from");
        if (!from) return from.error();
        auto to = Date::parse(e["to"].get<std::string>(), base + "/to");
        if (!to) return to.error();
        if (*to < *from) return invalid_argument(base + "/to", "ends before it starts");
        p.pre_election_periods.push_back({e.value("name", "Pre-election period"), *from, *to});
      }
    }
    if (c.contains("summary_before_decision")) {
      if (auto st = read_period(c["summary_before_decision"], p.summary_before_decision); !st) return st.error();
    }
  }
  if (doc.contains("key_decisions")) {
    const auto& k = doc["key_decisions"];
    if (k.contains("threshold_pence")) p.key_decision_threshold_pence = k["threshold_pence"].get<int64_t>();
    if (k.contains("ward_count")) p.key_decision_ward_count = k["ward_count"].get<int>();
    if (k.contains("notice")) {
      if (auto st = read_period(k["notice"], p.key_decision_notice); !st) return st.error();
    }
    if (k.contains("general_exception_notice")) {
      if (auto st = read_period(k["general_exception_notice"], p.general_exception_notice); !st) return st.error();
    }
    if (k.contains("urgency_report_months")) p.urgency_report_months = k["urgency_report_months"].get<int>();
    if (k.contains("urgency_reporting_year_starts")) {
      const std::string md = k["urgency_reporting_year_starts"].get<std::string>();
      const unsigned month = static_cast<unsigned>(std::stoi(md.substr(0, 2)));
      const unsigned day = static_cast<unsigned>(std::stoi(md.substr(3, 2)));
      // A day every year has: 29 February would leave three years in four without a start.
      static const unsigned kDaysIn[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
      if (day > kDaysIn[month - 1]) {
        return invalid_argument("/key_decisions/urgency_reporting_year_starts",
                                "\"" + md + "\" is not a day every year has; give a month and day such as 05-01");
      }
      p.urgency_reporting_year_start_month = month;
      p.urgency_reporting_year_start_day = day;
    }
  }
  if (doc.contains("meetings")) {
    const auto& m = doc["meetings"];
    if (m.contains("private_notice")) {
      if (auto st = read_period(m["private_notice"], p.private_meeting_notice); !st) return st.error();
    }
    if (m.contains("private_further_notice")) {
      if (auto st = read_period(m["private_further_notice"], p.private_meeting_further_notice); !st) return st.error();
    }
    if (m.contains("public_notice")) {
      if (auto st = read_period(m["public_notice"], p.public_meeting_notice); !st) return st.error();
    }
  }
  if (doc.contains("panel")) {
    const auto& pn = doc["panel"];
    if (pn.contains("max_invitations")) p.panel_max_invitations = pn["max_invitations"].get<int>();
    if (pn.contains("window_days")) p.panel_window_days = pn["window_days"].get<int>();
    if (pn.contains("fact_valid_months")) p.panel_fact_valid_months = pn["fact_valid_months"].get<int>();
    if (pn.contains("repeat_question_months")) p.panel_repeat_question_months = pn["repeat_question_months"].get<int>();
    if (pn.contains("repeat_question_similarity")) {
      p.panel_repeat_question_similarity = pn["repeat_question_similarity"].get<double>();
    }
  }
  if (doc.contains("readability")) {
    const auto& r = doc["readability"];
    if (r.contains("max_sentence_words")) p.readability_max_sentence_words = r["max_sentence_words"].get<int>();
    if (r.contains("reading_age")) p.readability_reading_age = r["reading_age"].get<double>();
    if (r.contains("max_lix")) p.readability_max_lix = r["max_lix"].get<double>();
  }
  if (doc.contains("severities")) {
    for (const auto& [rule, sev] : doc["severities"].items()) {
      auto s = parse_severity(sev.get<std::string>(), "/severities/" + rule);
      if (!s) return s.error();
      p.severity_overrides[rule] = *s;
    }
  }
  if (p.regulations_apply()) {
    if (auto st = check_floors(p); !st) return st.error();
  }
  return p;
}

nlohmann::json CharterPolicy::to_json() const {
  nlohmann::json windows = nlohmann::json::array();
  for (const auto& w : holiday_windows) {
    windows.push_back({{"name", w.name},
                       {"from", month_day(w.from_month, w.from_day)},
                       {"to", w.to_new_year_bank_holiday ? std::string("new-year-bank-holiday")
                                                         : month_day(w.to_month, w.to_day)}});
  }
  nlohmann::json elections = nlohmann::json::array();
  for (const auto& e : pre_election_periods) {
    elections.push_back({{"name", e.name}, {"from", e.from.iso()}, {"to", e.to.iso()}});
  }
  nlohmann::json sev = nlohmann::json::object();
  for (const auto& [k, v] : severity_overrides) sev[k] = severity_id(v);
  return {
      {"region", region_id(region)},
      {"nation", nation_id(nation)},
      {"consultation",
       {{"big_decision_weeks", big_decision_weeks},
        {"holiday_extension", holiday_extension},
        {"holiday_extension_days", holiday_extension_days},
        {"holiday_windows", windows},
        {"voluntary_sector_weeks", voluntary_sector_weeks},
        {"pre_election_periods", elections},
        {"summary_before_decision", period_json(summary_before_decision)}}},
      {"key_decisions",
       {{"threshold_pence", key_decision_threshold_pence},
        {"ward_count", key_decision_ward_count},
        {"notice", period_json(key_decision_notice)},
        {"general_exception_notice", period_json(general_exception_notice)},
        {"urgency_report_months", urgency_report_months},
        {"urgency_reporting_year_starts", two_digits(urgency_reporting_year_start_month) + "-" +
                                              two_digits(urgency_reporting_year_start_day)}}},
      {"meetings",
       {{"private_notice", period_json(private_meeting_notice)},
        {"private_further_notice", period_json(private_meeting_further_notice)},
        {"public_notice", period_json(public_meeting_notice)}}},
      {"panel",
       {{"max_invitations", panel_max_invitations},
        {"window_days", panel_window_days},
        {"fact_valid_months", panel_fact_valid_months},
        {"repeat_question_months", panel_repeat_question_months},
        {"repeat_question_similarity", panel_repeat_question_similarity}}},
      {"readability",
       {{"max_sentence_words", readability_max_sentence_words},
        {"reading_age", readability_reading_age},
        {"max_lix", readability_max_lix}}},
      {"severities", sev},
  };
}

Severity CharterPolicy::severity_of(std::string_view rule_id) const {
  // A statutory rule's failure is a breach of the law in England whatever the settings say (a
  // policy built in code skips from_json's refusal, so the floor holds here too).
  if (const RuleInfo* r = find_rule(rule_id); r != nullptr && regulations_apply() && is_statutory(*r)) {
    if (auto it = severity_overrides.find(std::string(rule_id)); it != severity_overrides.end() &&
                                                                   it->second == Severity::kBreach) {
      return Severity::kBreach;
    }
    return r->default_severity;
  }
  if (auto it = severity_overrides.find(std::string(rule_id)); it != severity_overrides.end()) return it->second;
  if (const RuleInfo* r = find_rule(rule_id)) return r->default_severity;
  return Severity::kBreach;
}

}  // namespace townhall
