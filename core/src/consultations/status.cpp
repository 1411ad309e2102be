#include "townhall/consultations/status.h"

#include <string>

namespace townhall {

const char* to_string(ConsultationStatus status) {
  switch (status) {
    case ConsultationStatus::kDraft: return "draft";
    case ConsultationStatus::kScheduled: return "scheduled";
    case ConsultationStatus::kOpen: return "open";
    case ConsultationStatus::kClosed: return "closed";
    case ConsultationStatus::kOutcomePublished: return "outcome_published";
  }
  return "draft";
}

Result<ConsultationStatus> parse_consultation_status(std::string_view text, std::string_view field) {
  for (ConsultationStatus s : kConsultationStatuses) {
    if (text == to_string(s)) return s;
  }
  return invalid_argument(std::string(field), "unknown status \"" + std::string(text) +
                                                  "\" (expected draft, scheduled, open, closed or outcome_published)");
}

std::optional<ConsultationStatus> next_status(ConsultationStatus status) {
  switch (status) {
    case ConsultationStatus::kDraft: return ConsultationStatus::kScheduled;
    case ConsultationStatus::kScheduled: return ConsultationStatus::kOpen;
    case ConsultationStatus::kOpen: return ConsultationStatus::kClosed;
    case ConsultationStatus::kClosed: return ConsultationStatus::kOutcomePublished;
    case ConsultationStatus::kOutcomePublished: return std::nullopt;
  }
  return std::nullopt;
}

std::vector<ConsultationStatus> public_statuses() {
  std::vector<ConsultationStatus> out;
  for (ConsultationStatus s : kConsultationStatuses) {
    if (is_public(s)) out.push_back(s);
  }
  return out;
}

bool StatusGuard::allows(ConsultationStatus current) const {
  for (ConsultationStatus s : allowed) {
    if (s == current) return true;
  }
  return false;
}

Error StatusGuard::refuse(const std::string& consultation_id, ConsultationStatus current) const {
  return Error{ErrorCode::kConflict, "/status", "consultation " + consultation_id + " is " + to_string(current) + refusal};
}

}  // namespace townhall
