// townhall/compliance/register.h — the live Forward Plan register: what governance staff record
// (key decisions with their notices and exception routes, meetings of the executive, urgency
// reports to full council, scrutiny referrals) and its compliance report.
//
// Every change is checked as part of the whole register (parse_forward_plan: the schema, dates,
// ids, cross-references such as an urgency report naming a decision) inside the store's
// transaction, so the stored register always reads back as a valid Forward Plan; and it is audited
// with the actor's identity. The compliance report runs check_document() — the function
// `townhall check` runs on a file — on the register as one Forward Plan document, and checks the
// stored consultations against the key decisions they inform as it does for a file.
// Errors name the field as a JSON pointer relative to the record (e.g. "/notice/published_on").
// Thread-safety: functions of their arguments; the store serialises changes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/access/role.h"
#include "townhall/charter/policy.h"
#include "townhall/compliance/compliance.h"
#include "townhall/consultations/store.h"
#include "townhall/date.h"
#include "townhall/error.h"
#include "townhall/forward_plan/forward_plan.h"
#include "townhall/forward_plan/register_store.h"

namespace townhall {

// The records as one Forward Plan document (forward-plan.schema.json).
nlohmann::json register_plan_document(const std::vector<RegisterRecord>& records);

// The stored register, parsed.
Result<ForwardPlan> read_register(ForwardPlanRegisterStore& store);

// The stored record of `kind` with `id`, or kNotFound.
Result<nlohmann::json> register_record(ForwardPlanRegisterStore& store, RecordKind kind, const std::string& id);

// Records `doc` (forward-plan.schema.json's key_decision, meeting, urgency_report or
// scrutiny_referral) as the record `id`, replacing one with the same id. Its own id (decision_id
// for a referral) must be `id`; an urgency report without one takes `id`. Returns the document
// stored. Audited as "<kind>.record".
Result<nlohmann::json> record_in_register(ForwardPlanRegisterStore& store, RecordKind kind, const std::string& id,
                                          const nlohmann::json& doc, const Actor& actor);

// Removes a record (a key decision withdrawn from the Forward Plan, a meeting cancelled, ...),
// keeping its last document and `reason` in the audit entry "<kind>.withdraw". Refused (kConflict)
// while another record refers to it (an urgency report listing the decision).
Status withdraw_from_register(ForwardPlanRegisterStore& store, RecordKind kind, const std::string& id,
                              const std::string& reason, const Actor& actor);

// Records every key decision of a Forward Plan kept as CSV (docs/forward-plan-csv.md), replacing
// decisions with the same ids: all rows or none. A file with bad rows is refused with
// parse_forward_plan_csv()'s error for each bad row, one a line of the message (at most 100).
// Returns the ids recorded.
Result<std::vector<std::string>> import_forward_plan_csv(ForwardPlanRegisterStore& store, std::string_view csv_text,
                                                        const Actor& actor);

// Every KD-*, PM-* and MEET-5 finding on the stored register as of `as_of`.
Result<ComplianceReport> check_register(ForwardPlanRegisterStore& store, const CharterPolicy& policy, Date as_of);

// The live records checked against each other, as `townhall check` checks a file holding
// consultations and a Forward Plan: check_register()'s findings, then G1 for every stored
// consultation linked to a key decision (check_consultations_against_plan). The consultations'
// own findings are consultation_findings()'s and are not repeated here. The API's compliance
// report and the staff console's compliance pages call this.
Result<ComplianceReport> check_live_records(ForwardPlanRegisterStore& plan_store, ConsultationStore& consultations,
                                            const CharterPolicy& policy, Date as_of);

// One stored consultation's findings: consultation_findings(), then, when it informs a key
// decision, G1 against that decision as the register holds it (check_consultations_against_plan).
// GET /api/v1/consultations/{id}/findings and the console's consultation page call this.
Result<std::vector<Finding>> consultation_findings_on_register(ConsultationStore& consultations,
                                                               ForwardPlanRegisterStore& plan_store,
                                                               const ConsultationRecord& consultation,
                                                               const CharterPolicy& policy, Date as_of);

}  // namespace townhall
