// townhall/forward_plan/outputs.h — the Forward Plan as the public reads it elsewhere: CSV
// (RFC 4180, the columns of docs/forward-plan-csv.md), an Atom feed (RFC 4287) and an iCalendar
// file (RFC 5545), each written from the parsed plan so every format says the same thing. They
// produce text only; a server adds the media type and headers.
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "townhall/forward_plan/forward_plan.h"

namespace townhall {

std::string forward_plan_csv(const ForwardPlan& plan);
// `now_rfc3339` is the feed's and the calendar's own timestamp (e.g. "2025-06-19T09:00:00Z").
// A non-empty `stylesheet_href` names an XSLT stylesheet (an xml-stylesheet instruction) that a
// browser opening the feed renders it with; feed readers ignore it.
std::string forward_plan_atom(const ForwardPlan& plan, const std::string& now_rfc3339,
                              const std::string& stylesheet_href = "");
std::string forward_plan_ics(const ForwardPlan& plan, const std::string& now_rfc3339);

}  // namespace townhall
