#include "townhall/charter/policy.h"

#include "townhall/charter/rules.h"
#include "townhall/util/json_schema.h"

namespace townhall {

namespace {

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

}  // namespace

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
        {"urgency_report_months", urgency_report_months}}},
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
  if (auto it = severity_overrides.find(std::string(rule_id)); it != severity_overrides.end()) return it->second;
  if (const RuleInfo* r = find_rule(rule_id)) return r->default_severity;
  return Severity::kBreach;
}

}  // namespace townhall
