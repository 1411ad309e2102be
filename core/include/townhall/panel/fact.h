// townhall/panel/fact.h — an "ask once" fact a panel member has given (docs/design.md §2.5).
//
// A fact is one answer that stays true for a while — ward, postcode, age band, sex, ethnicity,
// tenure, disability, contact preference — kept once with its provenance: the channel it came
// through, what recorded it (join form, import file row, a response's reference), the date, whether
// the member consented to it being kept and reused, and until when it may be reused. Facts are
// personal (often equality) data: the store keeps them apart from responses (table panel_facts),
// and erasing a member erases them.
// Thread-safety: plain values and pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/date.h"
#include "townhall/error.h"

namespace townhall::panel {

// The fact keys the panel knows by name (others are allowed if they match kFactKeyPattern).
inline constexpr const char* kStandardFactKeys[] = {"ward",      "postcode", "age_band",   "sex",
                                                    "ethnicity", "tenure",   "disability", "contact_preference"};

struct Fact {
  std::string key;                  // "tenure"; lower-case letters, digits and '_', 1..64
  nlohmann::json value;             // as answered: "Social rented", 3, ["email", "post"]
  std::string channel = "online";   // online | import | paper | phone | face_to_face | event
  std::string source;               // "join", "import members.csv row 4", "response TH-7K2M-Q9XD"
  Date recorded_on;
  bool consent = false;             // the member agreed to it being kept and reused
  std::optional<Date> valid_until;  // none = no expiry

  // True while the fact may be reused instead of asking again: consented and not expired.
  bool valid_on(Date day) const { return consent && (!valid_until || day <= *valid_until); }

  nlohmann::json to_json() const;  // {key, value, channel, source, recorded_on, consent, valid_until?}
};

// Checks a fact key ("ward", "age_band"); the error names `field`.
Status check_fact_key(std::string_view key, std::string_view field);

// The fact with `key`, if any.
const Fact* find_fact(const std::vector<Fact>& facts, std::string_view key);

}  // namespace townhall::panel
