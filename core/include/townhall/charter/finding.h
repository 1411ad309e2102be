// townhall/charter/finding.h — the result of a charter or legal check.
//
// A Finding is one rule's verdict on one subject (a consultation, a key decision, a meeting), with
// an English message a councillor can read and the dates it computed. The rules themselves (id,
// title, citation, default severity) are in the registry, charter/rules.h; checks build findings
// with its make_finding().
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/date.h"
#include "townhall/error.h"

namespace townhall {

enum class Severity { kBreach, kWarning, kInfo };

const char* severity_id(Severity s);  // "breach" | "warning" | "info"
Result<Severity> parse_severity(std::string_view text, std::string_view field = "severity");

struct Finding {
  std::string rule;          // registry id (charter/rules.h)
  Severity severity = Severity::kInfo;
  std::string subject_kind;  // "consultation" | "key_decision" | "meeting" | "forward_plan"
  std::string subject_id;
  std::string message;       // plain English, names the dates
  std::string citation;
  std::map<std::string, Date> dates;        // e.g. required_by, published, event
  std::map<std::string, int64_t> figures;   // e.g. clear_days, required_days, value_pence
  // Where the bank holidays behind the finding came from, when it depends on them (a count of
  // working days, a window ending on the New Year bank holiday): HolidayCalendar::source(),
  // e.g. "GOV.UK feed imported 2026-12-07". Empty for findings that do not.
  std::string bank_holidays;

  nlohmann::json to_json() const;
  // One line: "BREACH KD-2 key_decision kd-17: message [SI 2012/2089 reg 9]"
  std::string to_line() const;
};

bool has_breach(const std::vector<Finding>& findings);

// {"findings": [...], "summary": {"breach": n, "warning": n, "info": n}}
nlohmann::json findings_to_json(const std::vector<Finding>& findings);

}  // namespace townhall
