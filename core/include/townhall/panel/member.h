// townhall/panel/member.h — a member of the standing Citizens' Panel (docs/design.md §2.6).
//
// A member is a person (personal data in the store's `people` table: name, email, phone, address)
// who joined the panel online or was imported from a council list, with their ask-once facts
// (fact.h). When a member signs in they are linked to a users row with the panel_member role.
// Invitations record which consultation each member was invited to and when, for contact limits.
//
// Signing in on the web pages is by an emailed link to the member's sign-in address: the email in
// their personal data once it is proven — by the council's own list (an import) or by the member
// pressing a link emailed to it. An address someone merely typed (joining online, or changing
// their email before pressing the link) is a claim that signs nobody in. A proven address belongs
// to one member at a time, compared in the form sign_in_email.h describes.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/date.h"
#include "townhall/panel/fact.h"

namespace townhall::panel {

// Channels a member can join or give a fact through.
inline constexpr const char* kMemberChannels[] = {"online", "import", "paper", "phone", "face_to_face", "event"};

struct Member {
  int64_t id = 0;                 // assigned by the store
  int64_t person_id = 0;          // people.id (responses refer to the person by this id)
  std::optional<int64_t> user_id; // users.id once they can sign in (role panel_member)
  std::string external_id;        // the council's own id from an import file ("" when none)
  std::string channel = "online"; // how they joined
  Date joined_on;
  bool fact_consent = false;      // agreed that facts they give are kept and reused (ask once)
  bool email_verified = false;    // personal.email is proven, and is their sign-in address
  nlohmann::json personal = nlohmann::json::object();  // name, email, phone, address, ...

  // {id, person_id, user_id?, external_id?, channel, joined_on, fact_consent, email_verified, personal}
  nlohmann::json to_json() const;
};

// What the store needs to add a member (with their first facts) in one transaction.
struct NewMember {
  nlohmann::json personal = nlohmann::json::object();
  std::vector<Fact> facts;
  std::string channel = "online";
  std::string external_id;
  Date joined_on;
  bool fact_consent = false;
  // The email is proven: true for the council's own lists, false for an address typed into the
  // join form (it signs in only once the emailed link is pressed).
  bool email_verified = false;
  // When set, a users row (role panel_member) is created with this token hash and linked.
  std::string user_token_hash;
};

struct Invitation {
  int64_t member_id = 0;
  std::string consultation_id;
  Date sent_on;

  nlohmann::json to_json() const;  // {member_id, consultation_id, sent_on}
};

// What erasing a member did (docs/design.md §5: personal data goes, results stay without the link).
struct Erasure {
  int64_t member_id = 0;
  int64_t person_id = 0;
  int64_t facts_erased = 0;
  int64_t invitations_erased = 0;
  int64_t responses_unlinked = 0;  // responses kept in the results with person_id set to NULL

  nlohmann::json to_json() const;
};

}  // namespace townhall::panel
