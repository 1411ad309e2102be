// Shared helpers for the Forward Plan tests.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "townhall/charter/finding.h"
#include "townhall/date.h"
#include "townhall/forward_plan/forward_plan.h"

namespace townhall::fptest {

inline Date D(const char* iso) {
  auto d = Date::parse(iso);
  EXPECT_TRUE(d.ok()) << iso;
  return d.ok() ? *d : Date{};
}

inline std::vector<Finding> of_rule(const std::vector<Finding>& all, const std::string& rule) {
  std::vector<Finding> out;
  for (const auto& f : all) {
    if (f.rule == rule) out.push_back(f);
  }
  return out;
}

inline std::vector<Finding> with_severity(const std::vector<Finding>& all, const std::string& rule, Severity s) {
  std::vector<Finding> out;
  for (const auto& f : of_rule(all, rule)) {
    if (f.severity == s) out.push_back(f);
  }
  return out;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A key decision that meets every rule when checked before 17 July 2025: £120,000 of spend,
// decision Thursday 17 July 2025, full reg 9 notice published Wednesday 18 June 2025
// (the latest day for 28 clear calendar days).
inline KeyDecision compliant_decision() {
  KeyDecision k;
  k.id = "kd-1";
  k.matter = "Award of the highways maintenance contract";
  k.decision_maker.name = "Cllr Asha Patel";
  k.decision_maker.title = "Cabinet Member for Highways";
  k.timing.date = D("2025-07-17");
  k.value_pence = 12'000'000;
  k.treated_as_key = true;
  k.assessment_reasons = "Spend over £100,000";
  Reg9Notice n;
  n.published_on = D("2025-06-18");
  n.states_key_decision = true;
  n.matter = k.matter;
  n.decision_maker = k.decision_maker;
  n.date_or_period = k.timing;
  n.documents = std::vector<std::string>{"Cabinet report: highways contract award"};
  n.documents_available_from = "Democratic Services, Town Hall, High Street";
  n.other_documents_statement = true;
  n.how_to_request = "Email democratic.services@example.gov.uk";
  k.notice = n;
  return k;
}

}  // namespace townhall::fptest
