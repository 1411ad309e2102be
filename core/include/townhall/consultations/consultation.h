// townhall/consultations/consultation.h — a consultation as the charter rules see it.
//
// The fields are what the charter and the Gunning principles ask about: whether it informs a big
// decision, when it opens and closes, why it may be shorter, the proposal, reasons and options
// considered, the channels offered, and the decision it informs. The JSON form is
// schemas/consultation.schema.json; parse_consultation() validates before building.
// Thread-safety: plain value.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/date.h"
#include "townhall/error.h"

namespace townhall {

enum class Channel { kOnline, kPaper, kPhone, kFaceToFace, kEvent };

const char* channel_id(Channel c);  // "online", "paper", "phone", "face_to_face", "event"
Result<Channel> parse_channel(std::string_view text, std::string_view field = "channel");

struct OptionConsidered {
  std::string option;
  bool rejected = false;  // a rejected alternative (Gunning 2 wants these published too)
  std::string reason;
};

struct Consultation {
  std::string id;
  std::string title;
  bool big_decision = false;             // a big decision taken on council services (C-MIN)
  std::optional<Date> opens, closes;     // both inclusive
  // The days it actually opened and closed, once they happened (the lifecycle records them).
  std::optional<Date> opened_on, closed_on;
  // The days it was (or is to be) open: the actual days where they happened, else the published.
  std::optional<Date> first_day() const { return opened_on ? opened_on : opens; }
  std::optional<Date> last_day() const { return closed_on ? closed_on : closes; }
  std::string urgency_reason;            // recorded reason for a shorter period (C-MIN/C-EXT)
  bool formal_written = false;           // formal written consultation (C-12)
  bool affects_voluntary_sector = false; // materially affects VCS organisations (C-12)
  std::string shorter_period_reason;     // published reason for less than 12 weeks (C-12)
  std::string proposal;
  std::string reasons;
  std::vector<OptionConsidered> options_considered;
  std::vector<Channel> channels;
  std::string key_decision_id;              // the Forward Plan key decision it informs, if any
  std::optional<Date> decision_date;        // when the decision it informs is due (G1)
  std::optional<Date> decision_recorded_on; // when a decision was actually recorded (G1)
  std::optional<Date> summary_published_on; // summary of responses (G4)
  std::optional<Date> decision_report_date; // date of the decision report (G4)
};

// Validates `doc` against consultation.schema.json and builds the model. Errors carry a JSON
// pointer starting with `pointer_prefix`.
Result<Consultation> parse_consultation(const nlohmann::json& doc, std::string_view pointer_prefix = {});
nlohmann::json to_json(const Consultation& c);

}  // namespace townhall
