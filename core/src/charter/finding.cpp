#include "townhall/charter/finding.h"

#include <sstream>

#include "townhall/charter/rules.h"

namespace townhall {

const char* severity_id(Severity s) {
  switch (s) {
    case Severity::kBreach: return "breach";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "info";
  }
  return "info";
}

Result<Severity> parse_severity(std::string_view text, std::string_view field) {
  if (text == "breach") return Severity::kBreach;
  if (text == "warning") return Severity::kWarning;
  if (text == "info") return Severity::kInfo;
  return invalid_argument(std::string(field),
                          "expected breach, warning or info, got \"" + std::string(text) + "\"");
}

nlohmann::json Finding::to_json() const {
  nlohmann::json j;
  j["rule"] = rule;
  j["severity"] = severity_id(severity);
  j["subject"] = {{"kind", subject_kind}, {"id", subject_id}};
  j["message"] = message;
  j["citation"] = citation;
  if (const RuleInfo* r = find_rule(rule)) j["title"] = std::string(r->title);
  nlohmann::json d = nlohmann::json::object();
  for (const auto& [k, v] : dates) d[k] = v.iso();
  j["dates"] = d;
  nlohmann::json f = nlohmann::json::object();
  for (const auto& [k, v] : figures) f[k] = v;
  j["figures"] = f;
  if (!bank_holidays.empty()) j["bank_holidays"] = bank_holidays;
  return j;
}

std::string Finding::to_line() const {
  std::ostringstream out;
  std::string sev = severity_id(severity);
  for (auto& c : sev) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  out << sev << " " << rule << " " << subject_kind << " " << subject_id << ": " << message;
  if (!citation.empty()) out << " [" << citation << "]";
  if (!bank_holidays.empty()) out << " (bank holidays: " << bank_holidays << ")";
  return out.str();
}

bool has_breach(const std::vector<Finding>& findings) {
  for (const auto& f : findings) {
    if (f.severity == Severity::kBreach) return true;
  }
  return false;
}

nlohmann::json findings_to_json(const std::vector<Finding>& findings) {
  nlohmann::json arr = nlohmann::json::array();
  int counts[3] = {0, 0, 0};
  for (const auto& f : findings) {
    arr.push_back(f.to_json());
    ++counts[static_cast<int>(f.severity)];
  }
  return {{"findings", arr},
          {"summary", {{"breach", counts[0]}, {"warning", counts[1]}, {"info", counts[2]}}}};
}

}  // namespace townhall
