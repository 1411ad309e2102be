// townhall/charter/rules.h — the registry of every charter and legal rule the engine checks.
//
// This is the one place a rule is declared: its stable id ("C-MIN", "KD-2", …), its English title,
// the charter or statute paragraph it enforces, the policy-file settings that tune it, its default
// severity, and which check applies it. Everything else reads it from here: a Finding's citation
// (make_finding below), CharterPolicy::severity_of's default, the policy file's "severities" keys
// (schemas/charter-policy.schema.json lists the same ids), the catalogs' "rule.<id>.title" texts
// (i18n/*.json), and the bindings' townhall.rules().
//
// How a rule reaches its check. The charter module sits below the capabilities whose documents the
// rules read (consultations, forward_plan), so it cannot call their checks. Each entry therefore
// names its subject and the function that applies it, and that function, in its capability, emits
// findings only through make_finding() with the rule's id. tests/core/rules_test.cpp holds the two
// together: for every id here a document written from the law (docs/design.md §2.3–2.4) must make the
// named subject's check report it, and nothing may report an id that is not here.
//
// To add a rule: see "Add a charter rule" in docs/architecture.md.
// Thread-safety: the registry is immutable after first use; all functions are safe to call
// concurrently.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "townhall/charter/finding.h"

namespace townhall {

// What a rule is checked on, and so which capability holds its check.
enum class RuleSubject {
  kConsultation,  // consultations/findings.h: consultation_findings()
  kForwardPlan,   // forward_plan/forward_plan_rules.h: check_forward_plan()
};

const char* rule_subject_id(RuleSubject s);  // "consultation" | "forward_plan"

struct RuleInfo {
  std::string_view id;        // "KD-2"
  std::string_view title;     // "28 clear days' notice of a key decision, …" (English)
  std::string_view citation;  // "SI 2012/2089 reg 9"
  // JSON pointers into the policy file (charter-policy.schema.json) of the settings that tune the
  // rule, besides "/severities/<id>", which every rule has; empty when the rule has no figure.
  std::vector<std::string_view> settings;
  Severity default_severity;  // severity of a failed check unless the policy overrides it
  RuleSubject subject;
  std::string_view check;     // the function that applies it, with its header
};

// Whether the rule comes from SI 2012/2089 (its citation starts with it): the law for English
// councils, the council's own policy elsewhere.
bool is_statutory(const RuleInfo& rule);

// The citation a finding of `rule` carries for a council in England (`regulations_apply`) or
// elsewhere, where a statutory rule runs as the council's own policy and says so.
std::string citation_for(const RuleInfo& rule, bool regulations_apply);

// Every rule, in registry order (consultation rules, then the Forward Plan's).
const std::vector<RuleInfo>& rules();

// The rule with this id, or nullptr (ids from outside, e.g. a policy file's "severities").
const RuleInfo* find_rule(std::string_view id);

// The rule with this id; an id that is not registered is a programming error and throws
// std::logic_error, so a misspelt id in a check fails every test that reaches it.
const RuleInfo& rule(std::string_view id);

// A finding of rule `id` with the registry's citation. Checks build every Finding through this.
Finding make_finding(std::string_view id, Severity severity, std::string subject_kind, std::string subject_id,
                     std::string message);

}  // namespace townhall
