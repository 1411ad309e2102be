// townhall/consultations/lifecycle.h — what a council does with a consultation: draft it, move
// it through its lifecycle, and open and close it on its dates.
//
// draft → scheduled → open → closed → outcome_published, one step at a time (status.h). Every
// step runs the charter checks (findings.h); a breach blocks it unless the step records an
// exception or an exception recorded at an earlier step already covers every breached rule. An
// exception is asked for by one officer and approved by another in advance (exceptions.h); the
// step names the approved request, and records its reason and both officers. Opening records the day and instant it happened (opened_on,
// opened_at in the document), closing likewise (closed_on, closed_at), and the checks judge the
// step on those days; opening before the published opening date or closing before the published
// closing date is refused unless the step records an exception. The new status, any outcome or exception, and their audit
// entries are written in the store's one transaction, so a refused or failed step changes
// nothing. The API, the bindings and `townhall demo seed` call these functions; they only parse
// what they are given and map the result.
// Thread-safety: as safe as the ConsultationStore given (the SQLite one: any thread).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/charter/finding.h"
#include "townhall/charter/policy.h"
#include "townhall/consultations/exceptions.h"
#include "townhall/consultations/status.h"
#include "townhall/date.h"
#include "townhall/error.h"
#include "townhall/access/role.h"
#include "townhall/consultations/store.h"

namespace townhall {

// Stores a new draft (`document` as consultation-draft.schema.json defines it, checked against
// the schema and check_draft_document), audited as "consultation.create".
Result<ConsultationRecord> create_consultation(ConsultationStore& store, const nlohmann::json& document, const Actor& actor);

// A recorded departure from the charter: why, the officer who asked for it and the one who
// approved it, from the approved request (exceptions.h).
struct CharterException {
  std::string reason;
  std::string approved_by;
  std::string requested_by;
  int64_t request_id = 0;
};

struct TransitionRequest {
  TransitionRequest() = default;
  explicit TransitionRequest(ConsultationStatus next) : to(next) {}

  ConsultationStatus to = ConsultationStatus::kScheduled;
  int64_t expected_version = 0;          // 0 = whatever the current version is
  std::optional<nlohmann::json> outcome;  // {we_asked, you_said, we_did}: needed for outcome_published
  // The approved exception request (exceptions.h) this step uses, 0 = none. Only a staff
  // member's step (the transition() taking a User) may use one.
  int64_t exception_request = 0;
  // The step was taken earlier, on the published dates (an import): record no actual day and do
  // not compare today with the published dates. add_consultation() sets it.
  bool as_published = false;
};

struct Transitioned {
  ConsultationRecord consultation;
  std::vector<Finding> findings;  // every finding of the checks the step ran
  bool exception_recorded = false;
};

// Why a step was refused, for the front ends to map (the API: 409 invalid-transition, 422
// "Outcome required", 422 incomplete, 409 charter-breach).
enum class Refusal {
  kNone,               // not a refusal of the step: the store's or the document's own error
  kInvalidTransition,  // `to` is not the next state (kConflict, field "/to")
  kOutcomeRequired,    // outcome_published without the outcome (kSchemaViolation, "/outcome")
  kDatesRequired,      // scheduling or opening without opens and closes (kInvalidArgument)
  kCharterBreach,      // breaches not covered by an exception (kConflict)
  // opening before the published opening date, or closing before the published closing date,
  // without an exception (kConflict, "/to"); rules and findings as for kCharterBreach
  kBeforePublishedDate,
};

struct LifecycleError : Error {
  LifecycleError() = default;
  LifecycleError(Error e) : Error(std::move(e)) {}  // NOLINT(implicit): any core error is one
  LifecycleError(Refusal r, Error e) : Error(std::move(e)), refusal(r) {}

  Refusal refusal = Refusal::kNone;
  std::vector<std::string> rules;  // kCharterBreach: the breached rules, in finding order
  std::vector<Finding> findings;   // kCharterBreach: every finding of the checks
};

// One lifecycle step of consultation `id`, checked against `policy` as of `today`, taken by a
// part of the system or an import (`actor`), which records no exception.
Result<Transitioned, LifecycleError> transition(ConsultationStore& store, const std::string& id, const TransitionRequest& request,
                                                const Actor& actor, const CharterPolicy& policy, Date today);

// One lifecycle step taken by staff member `user`, who may use an approved exception request
// (request.exception_request): it must be approved, about this consultation as it is now and this
// step, not older than 14 days (at `now`, Unix seconds), and `user` the officer who asked for it or
// the one who approved it (exception_approval.h). kInvalidArgument "/exception/request_id" for a
// request that does not exist or is about another consultation; kConflict "/exception" or "/to"
// when it cannot be used.
Result<Transitioned, LifecycleError> transition(ExceptionStores stores, const std::string& id, const TransitionRequest& request,
                                                const User& user, const CharterPolicy& policy, Date today, int64_t now);

// The checks transition() would run for `request` now (as if with an approved exception when
// request.exception_request is set), without taking the step or writing anything: Ok when the step would go through; otherwise the error, and when it is a refusal of
// the step (a breach, the dates, the order of states) `*refusal` gets it with its rules and
// findings, so a front end can say which findings block a button before it is pressed.
Status check_transition(ConsultationStore& store, const std::string& id, const TransitionRequest& request,
                        const CharterPolicy& policy, Date today, LifecycleError* refusal = nullptr);

// Stores a new consultation (as create_consultation) and moves it from draft to `status` one step
// at a time, each step checked as transition() checks it with no exception recorded. For imports
// and seeding. Every step is checked before anything is stored, so a refusal stores nothing (its
// findings name the consultation "new", as it has no id yet).
Result<ConsultationRecord, LifecycleError> add_consultation(ConsultationStore& store, const nlohmann::json& document,
                                                            ConsultationStatus status, const Actor& actor,
                                                            const CharterPolicy& policy, Date today);

// What run_schedule did with one consultation.
struct ScheduledStep {
  std::string consultation_id;
  ConsultationStatus to = ConsultationStatus::kOpen;
  std::optional<LifecycleError> refused;  // why the step did not happen
};

// Opens every scheduled consultation whose opening date has come, and closes every open one whose
// closing date (inclusive) has passed, as `actor` ("system (schedule)"), through transition().
// Servers sharing one database run it in turn (ConsultationStore::run_exclusively): while one
// server's pass runs, another's does nothing and returns no steps, so each step is taken once.
Result<std::vector<ScheduledStep>> run_schedule(ConsultationStore& store, const Actor& actor, const CharterPolicy& policy,
                                                Date today);

}  // namespace townhall
