#include "townhall/panel/contact_policy.h"

#include <algorithm>
#include <map>

namespace townhall::panel {

std::string ContactPolicy::describe() const {
  return "at most " + std::to_string(max_invitations) + " invitation" + (max_invitations == 1 ? "" : "s") + " in " +
         std::to_string(window_days) + " days";
}

nlohmann::json ContactScreen::summary() const {
  nlohmann::json members = nlohmann::json::array();
  for (const auto& e : excluded) {
    members.push_back({{"member_id", e.member_id},
                       {"invitations_in_window", e.invitations_in_window},
                       {"last_invited", e.last_invited.iso()},
                       {"eligible_again", e.eligible_again.iso()},
                       {"reason", e.reason}});
  }
  return {{"eligible", eligible.size()}, {"excluded", {{"count", excluded.size()}, {"members", members}}}};
}

ContactScreen screen_contacts(const std::vector<int64_t>& candidates, const std::vector<Invitation>& invitations,
                              const ContactPolicy& policy, Date today, const std::string& consultation_id) {
  const Date from = policy.window_start(today);
  std::map<int64_t, std::vector<Date>> in_window;  // sorted below
  std::map<int64_t, Date> already;                 // invited to this consultation
  for (const auto& inv : invitations) {
    if (!consultation_id.empty() && inv.consultation_id == consultation_id) already[inv.member_id] = inv.sent_on;
    if (inv.sent_on >= from && inv.sent_on <= today) in_window[inv.member_id].push_back(inv.sent_on);
  }
  ContactScreen out;
  for (int64_t id : candidates) {
    auto& dates = in_window[id];
    std::sort(dates.begin(), dates.end());
    const int n = static_cast<int>(dates.size());
    if (auto a = already.find(id); a != already.end()) {
      ContactExclusion e{id, n, a->second, today, ""};
      if (!dates.empty()) e.last_invited = dates.back();
      e.reason = "already invited to " + consultation_id + " on " + a->second.iso();
      out.excluded.push_back(std::move(e));
      continue;
    }
    if (n < policy.max_invitations) {
      out.eligible.push_back(id);
      continue;
    }
    // Inviting on day d is allowed once fewer than max invitations fall in [d − window + 1, d]:
    // the (n − max + 1)-th oldest must have left the window.
    Date leaves = dates[static_cast<size_t>(n - policy.max_invitations)];
    ContactExclusion e{id, n, dates.back(), leaves.plus_days(policy.window_days), ""};
    e.reason = "invited " + std::to_string(n) + " time" + (n == 1 ? "" : "s") + " in the last " +
               std::to_string(policy.window_days) + " days (policy: " + policy.describe() + "); last on " +
               e.last_invited.iso() + ", may be invited again from " + e.eligible_again.iso();
    out.excluded.push_back(std::move(e));
  }
  return out;
}

}  // namespace townhall::panel
