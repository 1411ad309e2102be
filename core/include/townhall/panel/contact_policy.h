// townhall/panel/contact_policy.h — contact limits: nobody is invited more than N times in M days
// (docs/design.md §2.5; charter policy `panel.max_invitations` in `panel.window_days`).
//
// screen_contacts() splits candidates into those who may be invited on `today` and those who may
// not, each excluded member with the reason (invitations in the window, the last one, and when
// they may be invited again), so a draw or an invitation run can say how many it left out and why.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/date.h"
#include "townhall/panel/member.h"

namespace townhall::panel {

struct ContactPolicy {
  int max_invitations = 3;  // at most this many invitations…
  int window_days = 365;    // …in any run of this many days (today and the days before it)

  // The first day of the window that ends on `today`.
  Date window_start(Date today) const { return today.minus_days(window_days - 1); }
  std::string describe() const;  // "at most 3 invitations in 365 days"
};

struct ContactExclusion {
  int64_t member_id = 0;
  int invitations_in_window = 0;
  Date last_invited;
  Date eligible_again;  // the first day a new invitation keeps within the limit
  std::string reason;   // plain English
};

struct ContactScreen {
  std::vector<int64_t> eligible;            // in the order given
  std::vector<ContactExclusion> excluded;   // in the order given

  nlohmann::json summary() const;  // {eligible, excluded: {count, reason, members: [...]}}
};

// `invitations` may hold any invitations; those before the window are ignored. A candidate
// invited to `consultation_id` already is excluded too (one invitation per consultation).
ContactScreen screen_contacts(const std::vector<int64_t>& candidates, const std::vector<Invitation>& invitations,
                              const ContactPolicy& policy, Date today, const std::string& consultation_id = "");

}  // namespace townhall::panel
