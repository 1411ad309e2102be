#include "townhall/consultations/lifecycle.h"

#include <algorithm>
#include <set>

#include "townhall/consultations/document.h"
#include "townhall/consultations/findings.h"
#include "townhall/audit/audit.h"
#include "townhall/util/json_schema.h"

namespace townhall {
namespace {

LifecycleError refuse(Refusal why, ErrorCode code, std::string field, std::string message) {
  return LifecycleError(why, Error{code, std::move(field), std::move(message)});
}

bool publishes_text(ConsultationStatus to) {
  return to == ConsultationStatus::kScheduled || to == ConsultationStatus::kOpen;
}

// A checked step, ready for the store.
struct Planned {
  TransitionRecord record;
  std::vector<Finding> findings;
  bool exception_recorded = false;
};

// Checks one step of `current` (stored, or in memory before it is stored) and builds what the
// store writes for it. Reads nothing and writes nothing.
Result<Planned, LifecycleError> plan(const ConsultationRecord& current, const TransitionRequest& request,
                                     const CharterException* exception, const Translations& translations,
                                     const Actor& actor, const CharterPolicy& policy, Date today) {
  const std::string& id = current.id;
  const auto next = next_status(current.status);
  const ConsultationStatus to = request.to;
  if (!next || *next != to) {
    return refuse(Refusal::kInvalidTransition, ErrorCode::kConflict, "/to",
                  "consultation " + id + " is " + to_string(current.status) + "; it can move only to " +
                      (next ? to_string(*next) : "nothing further") + ", not " + to_string(to) + ".");
  }
  nlohmann::json patch = nlohmann::json::object();
  if (to == ConsultationStatus::kOutcomePublished) {
    if (!request.outcome) {
      return refuse(Refusal::kOutcomeRequired, ErrorCode::kSchemaViolation, "/outcome",
                    "publishing the outcome needs we_asked, you_said and we_did");
    }
    patch["outcome"] = *request.outcome;
  }
  // What actually happens is recorded with the step: the day (for the rules, which judge C-MIN
  // and C-EXT on the days the consultation was really open) and the instant.
  if (request.as_published) {
    // An import of steps taken earlier: the published dates are what is known of them.
  } else if (to == ConsultationStatus::kOpen) {
    patch["opened_on"] = today.iso();
    patch["opened_at"] = now_rfc3339_utc();
  } else if (to == ConsultationStatus::kClosed) {
    patch["closed_on"] = today.iso();
    patch["closed_at"] = now_rfc3339_utc();
  }
  nlohmann::json doc = current.document;
  for (auto it = patch.begin(); it != patch.end(); ++it) doc[it.key()] = it.value();
  auto c = charter_view(id, doc);
  if (!c) return LifecycleError(c.error());
  if (publishes_text(to) && (!c->opens || !c->closes)) {
    return refuse(Refusal::kDatesRequired, ErrorCode::kInvalidArgument, c->opens ? "/closes" : "/opens",
                  "set opens and closes before scheduling");
  }
  // Residents were told when it opens and closes: opening before the published opening date or
  // closing before the published closing date departs from that, and needs an exception.
  std::string departure;
  if (request.as_published) {
  } else if (to == ConsultationStatus::kOpen && c->opens && today < *c->opens) {
    departure = "opening on " + today.long_english() + ", before the published opening date " + c->opens->long_english();
  } else if (to == ConsultationStatus::kClosed && c->closes && today < *c->closes) {
    departure = "closing on " + today.long_english() + ", before the published closing date " + c->closes->long_english();
  }
  nlohmann::json checked = doc;
  checked["id"] = id;
  auto all = consultation_findings(checked, translations, policy, today);
  if (!all) return LifecycleError(all.error());
  std::vector<Finding> findings;
  for (auto& f : *all) {
    // LANG and READ are about the text residents are given once the consultation is published;
    // that text is fixed from then on, so they gate scheduling and opening only (a translation
    // replaced later must not stop a consultation closing on its date). The outcome is published
    // text too: LANG gates publishing it, so it appears in every promised language at once.
    const bool gated = publishes_text(to) || (to == ConsultationStatus::kOutcomePublished && f.rule == "LANG");
    if (!gated && (f.rule == "LANG" || f.rule == "READ")) continue;
    findings.push_back(std::move(f));
  }
  std::vector<std::string> breaches;
  for (const auto& f : findings) {
    if (f.severity == Severity::kBreach) breaches.push_back(f.rule);
  }
  std::set<std::string> excepted;
  if (auto ex = doc.find("exceptions"); ex != doc.end() && ex->is_array()) {
    for (const auto& e : *ex) {
      for (const auto& r : e.value("rules", nlohmann::json::array())) {
        if (r.is_string()) excepted.insert(r.get<std::string>());
      }
    }
  }
  const bool covered =
      std::all_of(breaches.begin(), breaches.end(), [&](const std::string& r) { return excepted.count(r) > 0; });
  const bool new_exception = (!breaches.empty() || !departure.empty()) && exception != nullptr;
  if (!departure.empty() && !new_exception) {
    auto e = refuse(Refusal::kBeforePublishedDate, ErrorCode::kConflict, "/to",
                    "Consultation " + id + ": " + departure +
                        ". Wait for the date, or ask another officer to approve an exception.");
    e.rules = std::move(breaches);
    e.findings = std::move(findings);
    return e;
  }
  if (!breaches.empty() && !covered && !new_exception) {
    auto e = refuse(Refusal::kCharterBreach, ErrorCode::kConflict, "",
                    "Breaches: " + nlohmann::json(breaches).dump() +
                        ". Fix them, or ask another officer to approve an exception.");
    e.rules = std::move(breaches);
    e.findings = std::move(findings);
    return e;
  }

  Planned p;
  TransitionRecord& t = p.record;
  t.consultation_id = id;
  t.from = current.status;
  t.to = to;
  t.expected_version = request.expected_version;
  nlohmann::json rule_ids = nlohmann::json::array();
  for (const auto& f : findings) rule_ids.push_back({{"rule", f.rule}, {"severity", severity_id(f.severity)}});
  t.audit.push_back(AuditEvent{actor.who, "consultation.transition", "consultation", id,
                               {{"from", to_string(current.status)}, {"to", to_string(to)}, {"findings", rule_ids}}});
  if (new_exception) {
    nlohmann::json recorded = {{"rules", breaches},
                               {"reason", exception->reason},
                               {"requested_by", exception->requested_by},
                               {"approved_by", exception->approved_by},
                               {"request_id", exception->request_id},
                               {"recorded_by", actor.who},
                               {"at_transition", to_string(to)}};
    if (!departure.empty()) recorded["departure"] = departure;
    nlohmann::json all_exceptions = doc.value("exceptions", nlohmann::json::array());
    all_exceptions.push_back(recorded);
    patch["exceptions"] = all_exceptions;
    t.audit.push_back(AuditEvent{actor.who, "consultation.exception", "consultation", id, recorded});
  }
  if (to == ConsultationStatus::kOutcomePublished) {
    t.audit.push_back(
        AuditEvent{actor.who, "consultation.publish_outcome", "consultation", id, {{"outcome", patch["outcome"]}}});
  }
  t.document_patch = std::move(patch);
  p.findings = std::move(findings);
  p.exception_recorded = new_exception;
  return p;
}

Status check_new_document(const nlohmann::json& document) {
  if (auto st = validate_against_schema(document, "consultation-draft.schema.json"); !st) return st;
  return check_draft_document(document);
}

Result<Transitioned, LifecycleError> take_step(ConsultationStore& store, const ConsultationRecord& current,
                                               const TransitionRequest& request, const CharterException* exception,
                                               const Actor& actor, const CharterPolicy& policy, Date today) {
  const std::string& id = current.id;
  Translations translations;
  if (publishes_text(request.to) || request.to == ConsultationStatus::kOutcomePublished) {
    auto stored = stored_translations(store, id);
    if (!stored) return LifecycleError(stored.error());
    translations = std::move(*stored);
  }
  auto planned = plan(current, request, exception, translations, actor, policy, today);
  if (!planned) return planned.error();
  auto updated = store.transition_consultation(planned->record);
  if (!updated) return LifecycleError(updated.error());
  return Transitioned{std::move(*updated), std::move(planned->findings), planned->exception_recorded};
}

// The approved request `request.exception_request`, checked as usable by `user` for this step of
// `current` now, as the exception the step records.
Result<CharterException> approved_exception(ExceptionStores stores, const ConsultationRecord& current,
                                            const TransitionRequest& request, const User& user, int64_t now) {
  const std::string which = "exception request " + std::to_string(request.exception_request);
  auto r = stores.requests.get_exception_request(request.exception_request);
  if (!r) {
    if (r.error().code != ErrorCode::kNotFound) return r.error();
    return invalid_argument("/exception/request_id", "there is no " + which);
  }
  if (r->consultation_id != current.id) {
    return invalid_argument("/exception/request_id", which + " is about consultation " + r->consultation_id);
  }
  if (auto st = check_usable(*r, user, request.to, now, current.version); !st) return st.error();
  if (request.expected_version != 0 && request.expected_version != current.version) {
    return Error{ErrorCode::kConflict, "/version", "the consultation has changed since you saw it"};
  }
  auto name = [&](int64_t staff_id) {
    auto account = stores.staff.staff_account(staff_id);
    return account ? Actor::of(account->user).who : "user:" + std::to_string(staff_id);
  };
  return CharterException{r->reason, name(r->approver), name(r->requested_by), r->id};
}

}  // namespace

Result<ConsultationRecord> create_consultation(ConsultationStore& store, const nlohmann::json& document, const Actor& actor) {
  if (auto st = check_new_document(document); !st) return st.error();
  return store.create_consultation(document, AuditEvent{actor.who, "consultation.create", "consultation", "", {}});
}

Result<Transitioned, LifecycleError> transition(ConsultationStore& store, const std::string& id, const TransitionRequest& request,
                                                const Actor& actor, const CharterPolicy& policy, Date today) {
  if (request.exception_request != 0) {
    return LifecycleError(invalid_argument("/exception/request_id",
                                           "an exception is used only by the officer who asked for it or approved it"));
  }
  auto current = store.get_consultation(id);
  if (!current) return LifecycleError(current.error());
  return take_step(store, *current, request, nullptr, actor, policy, today);
}

Result<Transitioned, LifecycleError> transition(ExceptionStores stores, const std::string& id, const TransitionRequest& request,
                                                const User& user, const CharterPolicy& policy, Date today, int64_t now) {
  auto current = stores.consultations.get_consultation(id);
  if (!current) return LifecycleError(current.error());
  if (request.exception_request == 0) {
    return take_step(stores.consultations, *current, request, nullptr, Actor::of(user), policy, today);
  }
  auto ex = approved_exception(stores, *current, request, user, now);
  if (!ex) return LifecycleError(ex.error());
  TransitionRequest step = request;
  // The approval is of the consultation as it was asked about: the store refuses the step if it
  // changed meanwhile.
  step.expected_version = current->version;
  return take_step(stores.consultations, *current, step, &*ex, Actor::of(user), policy, today);
}

Status check_transition(ConsultationStore& store, const std::string& id, const TransitionRequest& request,
                        const CharterPolicy& policy, Date today, LifecycleError* refusal) {
  auto current = store.get_consultation(id);
  if (!current) return current.error();
  Translations translations;
  if (publishes_text(request.to) || request.to == ConsultationStatus::kOutcomePublished) {
    auto stored = stored_translations(store, id);
    if (!stored) return stored.error();
    translations = std::move(*stored);
  }
  // An exception request stands for itself being usable: what would block the step besides.
  const CharterException assumed{"(checking)", "", "", request.exception_request};
  auto planned = plan(*current, request, request.exception_request != 0 ? &assumed : nullptr, translations,
                      Actor::system("check"), policy, today);
  if (!planned) {
    if (planned.error().refusal == Refusal::kNone) return Error(planned.error());
    if (refusal) *refusal = planned.error();
    return planned.error();
  }
  return Status::Ok();
}

Result<ConsultationRecord, LifecycleError> add_consultation(ConsultationStore& store, const nlohmann::json& document,
                                                            ConsultationStatus status, const Actor& actor,
                                                            const CharterPolicy& policy, Date today) {
  if (auto st = check_new_document(document); !st) return LifecycleError(st.error());
  // Every step first on a copy in memory (a new consultation has no translations yet).
  ConsultationRecord draft;
  draft.id = "new";
  draft.status = ConsultationStatus::kDraft;
  draft.document = document;
  std::vector<ConsultationStatus> steps;
  for (auto s = ConsultationStatus::kDraft; s != status;) {
    auto next = next_status(s);
    if (!next) break;
    TransitionRequest step(*next);
    step.as_published = true;
    auto planned = plan(draft, step, nullptr, {}, actor, policy, today);
    if (!planned) return planned.error();
    draft.status = planned->record.to;
    for (auto it = planned->record.document_patch.begin(); it != planned->record.document_patch.end(); ++it) {
      draft.document[it.key()] = it.value();
    }
    steps.push_back(*next);
    s = *next;
  }
  auto created = store.create_consultation(document, AuditEvent{actor.who, "consultation.create", "consultation", "", {}});
  if (!created) return LifecycleError(created.error());
  ConsultationRecord rec = std::move(*created);
  for (ConsultationStatus to : steps) {
    TransitionRequest step(to);
    step.as_published = true;
    auto moved = transition(store, rec.id, step, actor, policy, today);
    if (!moved) return moved.error();
    rec = std::move(moved->consultation);
  }
  return rec;
}

Result<std::vector<ScheduledStep>> run_schedule(ConsultationStore& store, const Actor& actor, const CharterPolicy& policy,
                                                Date today) {
  std::vector<ScheduledStep> done;
  auto step = [&](ConsultationStatus from, ConsultationStatus to, auto due) -> Status {
    ConsultationQuery q;
    q.statuses = std::vector<ConsultationStatus>{from};
    q.sort = "created";
    q.limit = 100;
    std::vector<ConsultationRecord> all;
    for (q.offset = 0;; q.offset += q.limit) {
      auto page = store.list_consultations(q);
      if (!page) return page.error();
      if (page->items.empty()) break;
      for (auto& r : page->items) all.push_back(std::move(r));
      if (static_cast<int64_t>(all.size()) >= page->total) break;
    }
    for (const auto& r : all) {
      auto c = charter_view(r.id, r.document);
      if (!c || !due(*c)) continue;
      auto res = transition(store, r.id, TransitionRequest(to), actor, policy, today);
      ScheduledStep s{r.id, to, std::nullopt};
      if (!res) s.refused = res.error();
      done.push_back(std::move(s));
    }
    return Status::Ok();
  };
  // One server at a time over a shared database: a pass that found another running does nothing,
  // since that one takes every step due (and the next minute's pass finds them taken).
  auto ran = store.run_exclusively("schedule", [&]() -> Status {
    if (auto st = step(ConsultationStatus::kScheduled, ConsultationStatus::kOpen,
                       [&](const Consultation& c) { return c.opens && *c.opens <= today; });
        !st) {
      return st;
    }
    return step(ConsultationStatus::kOpen, ConsultationStatus::kClosed,
                [&](const Consultation& c) { return c.closes && *c.closes < today; });
  });
  if (!ran) return ran.error();
  return done;
}

}  // namespace townhall
