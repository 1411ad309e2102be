// helpers shared by the API's capability files (query parameters,
#include "api/api_kit.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <exception>
#include <iostream>
#include <optional>
#include <regex>
#include <set>

#include "http/api_impl.h"
#include "pages/page_kit.h"
#include "townhall/analysis/census.h"
#include "townhall/consultations/consultation.h"
#include "townhall/consultations/document.h"
#include "townhall/consultations/findings.h"
#include "townhall/consultations/language_rules.h"
#include "townhall/consultations/lifecycle.h"
#include "townhall/consultations/repeat_questions.h"
#include "townhall/consultations/status.h"
#include "townhall/consultations/translation.h"
#include "townhall/forward_plan/forward_plan.h"
#include "townhall/forward_plan/forward_plan_rules.h"
#include "townhall/forward_plan/outputs.h"
#include "townhall/i18n/locale.h"
#include "townhall/i18n/text.h"
#include "townhall/panel/contact_policy.h"
#include "townhall/util/csv_table.h"
#include "townhall/panel/draw.h"
#include "townhall/panel/member_data.h"
#include "townhall/panel/member_import.h"
#include "townhall/selection/prng.h"
#include "townhall/panel/recruitment.h"
#include "townhall/panel/sign_in_email.h"
#include "townhall/responses/answers.h"
#include "townhall/responses/submission_body.h"
#include "townhall/access/token.h"
#include "townhall/util/json_schema.h"
#include "townhall/util/sha256.h"

namespace townhall::server {

// A whole-number query parameter, as the OpenAPI document's "type": "integer" reads it: digits with
// an optional leading '-', nothing else (no spaces, '+', fraction or empty value).
Result<int64_t> int_param(const std::map<std::string, std::string>& q, const std::string& name, int64_t fallback) {
  auto it = q.find(name);
  if (it == q.end()) return fallback;
  const std::string& text = it->second;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return invalid_argument(name, "must be a whole number");
  }
  return v;
}

HttpResponse query_problem(const Error& e) {
  return problem(400, "invalid-query", "Invalid query parameter", e.message, e.field.empty() ? "" : "?" + e.field);
}

HttpResponse no_content() {
  HttpResponse r;
  r.status = 204;
  return r;
}

// The language tags the API takes, as the OpenAPI document states them: a language of 2 or 3
// letters, then optionally a script (4 letters) and a region (2 letters or 3 digits), joined by
// hyphens. ICU would take more (variants, extensions, private use, 4- to 8-letter languages), which
// no translation or negotiation here needs.
bool simple_language_tag(std::string_view tag) {
  auto letters = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
  };
  auto digits = [](std::string_view s) { return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }); };
  std::vector<std::string_view> parts;
  for (size_t i = 0; i <= tag.size();) {
    size_t dash = std::min(tag.find('-', i), tag.size());
    parts.push_back(tag.substr(i, dash - i));
    i = dash + 1;
  }
  size_t i = 0;
  if (parts[i].size() < 2 || parts[i].size() > 3 || !letters(parts[i])) return false;
  ++i;
  if (i < parts.size() && parts[i].size() == 4 && letters(parts[i])) ++i;
  if (i < parts.size() && ((parts[i].size() == 2 && letters(parts[i])) || (parts[i].size() == 3 && digits(parts[i])))) ++i;
  return i == parts.size();
}

// The canonical form of a tag of that shape (kInvalidArgument naming `field` otherwise).
Result<std::string> api_language_tag(std::string_view text, std::string_view field) {
  if (!simple_language_tag(text)) {
    return invalid_argument(std::string(field), "not a language tag: use a language, optionally with a script and a "
                                                "region (cy, pa-Guru, pt-BR)");
  }
  return i18n::canonical_tag(text, field);
}

// The UK offset on `date` at local time `hhmm`: BST (+01:00) from 01:00 GMT on the last Sunday in
// March until 01:00 GMT (02:00 BST) on the last Sunday in October, GMT otherwise.
std::string london_offset(Date date, const std::string& hhmm) {
  auto last_sunday = [](int year, unsigned month) {
    Date d = Date::from_ymd(year, month, 31);
    while (d.weekday() != Weekday::kSunday) d = d.minus_days(1);
    return d;
  };
  Date start = last_sunday(date.year(), 3), end = last_sunday(date.year(), 10);
  bool summer = (date > start && date < end) || (date == start && hhmm >= "01:00") || (date == end && hhmm < "02:00");
  return summer ? "+01:00" : "+00:00";
}

nlohmann::json meeting_json(const MeetingRecord& m) {
  nlohmann::json j = m.to_json();
  auto date = Date::parse(m.document.value("date", ""));
  if (date) {
    for (const char* key : {"starts_at", "ends_at"}) {
      if (!m.document.contains(key)) continue;
      std::string t = m.document[key];
      j[std::string(key) == "starts_at" ? "starts" : "ends"] = date->iso() + "T" + t + ":00" + london_offset(*date, t);
    }
  }
  j["time_zone"] = "Europe/London";
  return j;
}

// A path parameter that must be a positive whole number; anything else is an unknown resource.
Result<int64_t> id_param(const RequestContext& ctx, const std::string& name, const std::string& kind) {
  const std::string& text = ctx.params.at(name);
  int64_t v = 0;
  bool ok = !text.empty() && text.size() <= 18;
  for (char c : text) {
    if (c < '0' || c > '9') ok = false;
    if (ok) v = v * 10 + (c - '0');
  }
  if (!ok || v <= 0) return Error{ErrorCode::kNotFound, "", "no " + kind + " \"" + text + "\""};
  return v;
}

}  // namespace townhall::server
