#include "townhall/charter/finding.h"

#include <sstream>

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

const std::vector<RuleInfo>& rule_catalogue() {
  static const std::vector<RuleInfo> kRules = {
      {"C-MIN", Severity::kBreach, "A consultation on a big decision stays open at least six weeks",
       "Charter for Public Participation: Big decisions"},
      {"C-EXT", Severity::kBreach,
       "A consultation over a holiday period is extended so people have the usual time",
       "Charter for Public Participation: Being early; Gunning principle 3 (adequate time)"},
      {"C-12", Severity::kBreach,
       "Formal written consultations affecting the voluntary and community sector last 12 weeks",
       "The Compact (2010): 12 weeks for formal written consultations with the voluntary and community sector"},
      {"C-ELECT", Severity::kWarning, "Do not open a consultation during a pre-election period",
       "Code of Recommended Practice on Local Authority Publicity 2011, paras 33–35"},
      {"G1", Severity::kBreach, "Consultation happens while proposals are still formative",
       "R v Brent LBC ex p Gunning (1985) 84 LGR 168; R (Moseley) v Haringey LBC [2014] UKSC 56"},
      {"G2", Severity::kBreach,
       "Sufficient reasons: the proposal, its reasons and the options considered are published",
       "Gunning principle 2; R (Moseley) v Haringey LBC [2014] UKSC 56"},
      {"G4", Severity::kWarning,
       "The product of consultation is conscientiously taken into account before the decision",
       "Gunning principle 4"},
      {"VAR", Severity::kWarning, "A big consultation offers at least one channel that is not online",
       "Charter for Public Participation: Variety"},
      {"LANG", Severity::kBreach,
       "Every language a consultation promises is complete before it opens",
       "Charter for Public Participation: Variety (a range of voices); Equality Act 2010 s149 (public sector "
       "equality duty); Council Plan: culturally appropriate and accessible materials"},
      {"READ", Severity::kWarning,
       "Consultation materials meet the plain-language target: short sentences, a reading age of about 9",
       "Gunning principle 2 (enough information for intelligent consideration); GOV.UK content design: "
       "writing for GOV.UK (sentences of 25 words or fewer, reading age 9)"},
      {"KD-1", Severity::kBreach,
       "Key decision test: spend or savings over the threshold, or significant effects in two or more wards",
       "SI 2012/2089 reg 8; Charter for Public Participation: Notice of decisions"},
      {"KD-2", Severity::kBreach,
       "28 clear days' notice of a key decision, with every matter reg 9 requires",
       "SI 2012/2089 reg 9"},
      {"KD-3", Severity::kBreach, "General exception when 28 clear days' notice is impracticable",
       "SI 2012/2089 reg 10"},
      {"KD-4", Severity::kBreach, "Special urgency when the general exception is impracticable too",
       "SI 2012/2089 reg 11"},
      {"KD-5", Severity::kBreach,
       "Special-urgency decisions are reported to full council at least once a year",
       "SI 2012/2089 reg 19"},
      {"KD-6", Severity::kBreach,
       "A decision overview and scrutiny thinks should have been key is reported to council in time",
       "SI 2012/2089 reg 18"},
      {"PM-1", Severity::kBreach, "28 clear days' notice of intention to hold a meeting in private",
       "SI 2012/2089 reg 5(2)"},
      {"PM-2", Severity::kBreach,
       "A further notice 5 clear days before a private meeting, with representations and the response",
       "SI 2012/2089 reg 5(4)–(5)"},
      {"MEET-5", Severity::kBreach,
       "A public meeting's notice and agenda are available at least 5 clear days before",
       "Local Government Act 1972 s100B; SI 2012/2089 reg 7"},
  };
  return kRules;
}

const RuleInfo* find_rule(std::string_view id) {
  for (const auto& r : rule_catalogue()) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

nlohmann::json Finding::to_json() const {
  nlohmann::json j;
  j["rule"] = rule;
  j["severity"] = severity_id(severity);
  j["subject"] = {{"kind", subject_kind}, {"id", subject_id}};
  j["message"] = message;
  j["citation"] = citation;
  nlohmann::json d = nlohmann::json::object();
  for (const auto& [k, v] : dates) d[k] = v.iso();
  j["dates"] = d;
  nlohmann::json f = nlohmann::json::object();
  for (const auto& [k, v] : figures) f[k] = v;
  j["figures"] = f;
  return j;
}

std::string Finding::to_line() const {
  std::ostringstream out;
  std::string sev = severity_id(severity);
  for (auto& c : sev) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  out << sev << " " << rule << " " << subject_kind << " " << subject_id << ": " << message;
  if (!citation.empty()) out << " [" << citation << "]";
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
