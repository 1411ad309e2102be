// townhall/consultations/status.h — the lifecycle states of a consultation, spelled in one place.
//
// draft → scheduled → open → closed → outcome_published. Code names a state by the enum; the ids
// ("draft", "scheduled", "open", "closed", "outcome_published") are what the API, the database, the
// pages and the bindings read and write, turned into and out of the enum only here.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "townhall/error.h"

namespace townhall {

enum class ConsultationStatus { kDraft, kScheduled, kOpen, kClosed, kOutcomePublished };

// Every state, in lifecycle order.
inline constexpr ConsultationStatus kConsultationStatuses[] = {
    ConsultationStatus::kDraft, ConsultationStatus::kScheduled, ConsultationStatus::kOpen,
    ConsultationStatus::kClosed, ConsultationStatus::kOutcomePublished};

const char* to_string(ConsultationStatus status);
// kInvalidArgument naming `field` for anything but one of the five ids.
Result<ConsultationStatus> parse_consultation_status(std::string_view text, std::string_view field = "status");

// The one state a consultation may move to next; nullopt once its outcome is published.
std::optional<ConsultationStatus> next_status(ConsultationStatus status);

// Residents see every state but a draft.
inline bool is_public(ConsultationStatus status) { return status != ConsultationStatus::kDraft; }

// Every state residents see, in lifecycle order (a store query for them).
std::vector<ConsultationStatus> public_statuses();

// A write the store may make only while the consultation is in one of `allowed`. The store checks
// it inside the write's own transaction, so no lifecycle step can slip between check and write;
// which states allow which change is decided by the caller (consultations/editing.h). A refusal
// is kConflict at "/status": "consultation <id> is <status>" followed by `refusal`.
struct StatusGuard {
  std::vector<ConsultationStatus> allowed;
  std::string refusal;  // e.g. "; only a draft can be edited"

  bool allows(ConsultationStatus current) const;
  Error refuse(const std::string& consultation_id, ConsultationStatus current) const;
};

}  // namespace townhall
