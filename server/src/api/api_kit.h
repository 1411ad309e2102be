// Internal to townhall_server: helpers shared by the API's capability files (query parameters,
// language tags, meetings as JSON, empty answers).
// Thread-safety: plain functions over the values given.
#pragma once

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
Result<int64_t> int_param(const std::map<std::string, std::string>& q, const std::string& name, int64_t fallback);

HttpResponse query_problem(const Error& e);

HttpResponse no_content();

// The language tags the API takes, as the OpenAPI document states them: a language of 2 or 3
// letters, then optionally a script (4 letters) and a region (2 letters or 3 digits), joined by
// hyphens. ICU would take more (variants, extensions, private use, 4- to 8-letter languages), which
// no translation or negotiation here needs.
bool simple_language_tag(std::string_view tag);

// The canonical form of a tag of that shape (kInvalidArgument naming `field` otherwise).
Result<std::string> api_language_tag(std::string_view text, std::string_view field);

// The UK offset on `date` at local time `hhmm`: BST (+01:00) from 01:00 GMT on the last Sunday in
// March until 01:00 GMT (02:00 BST) on the last Sunday in October, GMT otherwise.
std::string london_offset(Date date, const std::string& hhmm);

nlohmann::json meeting_json(const MeetingRecord& m);

}  // namespace townhall::server
