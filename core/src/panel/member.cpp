#include <algorithm>

#include "townhall/panel/fact.h"
#include "townhall/panel/member.h"

namespace townhall::panel {

nlohmann::json Fact::to_json() const {
  nlohmann::json j = {{"key", key},       {"value", value},
                      {"channel", channel}, {"source", source},
                      {"recorded_on", recorded_on.iso()}, {"consent", consent}};
  if (valid_until) j["valid_until"] = valid_until->iso();
  return j;
}

Status check_fact_key(std::string_view key, std::string_view field) {
  bool ok = !key.empty() && key.size() <= 64 && key[0] >= 'a' && key[0] <= 'z' &&
            std::all_of(key.begin(), key.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
            });
  if (ok) return Status::Ok();
  return invalid_argument(std::string(field), "fact key \"" + std::string(key) +
                                                  "\" must be 1-64 lower-case letters, digits or '_', starting with a letter");
}

const Fact* find_fact(const std::vector<Fact>& facts, std::string_view key) {
  for (const auto& f : facts) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

nlohmann::json Member::to_json() const {
  nlohmann::json j = {{"id", id},           {"person_id", person_id}, {"channel", channel},
                      {"joined_on", joined_on.iso()}, {"fact_consent", fact_consent},
                      {"email_verified", email_verified}, {"personal", personal}};
  if (user_id) j["user_id"] = *user_id;
  if (!external_id.empty()) j["external_id"] = external_id;
  return j;
}

nlohmann::json Invitation::to_json() const {
  return {{"member_id", member_id}, {"consultation_id", consultation_id}, {"sent_on", sent_on.iso()}};
}

nlohmann::json Erasure::to_json() const {
  return {{"member_id", member_id},
          {"person_id", person_id},
          {"facts_erased", facts_erased},
          {"invitations_erased", invitations_erased},
          {"responses_unlinked", responses_unlinked}};
}

}  // namespace townhall::panel
