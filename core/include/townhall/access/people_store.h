// townhall/access/people_store.h — what is held about residents: personal data and equality
// monitoring answers, kept apart from their responses (a response refers to a person by id only).
//
// Erasing a person erases their personal and equality data (and, for a Citizens' Panel member,
// everything panel/store.h's erase_member erases) in one transaction; their responses stay,
// unlinked. Audit events given here must carry no personal data.
// Thread-safety: implementations must be safe to call from many threads at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "townhall/error.h"
#include "townhall/audit/audit.h"

namespace townhall {

// What is held about one resident: personal data, equality data (absent when none) and how many
// responses refer to them.
struct PersonRecord {
  int64_t id = 0;
  nlohmann::json personal_data = nlohmann::json::object();
  std::optional<nlohmann::json> equality_data;
  int64_t responses = 0;
  std::string created_at;

  nlohmann::json to_json() const;
};

class PeopleStore {
 public:
  virtual ~PeopleStore() = default;

  virtual Result<int64_t> add_person(const nlohmann::json& personal_data) = 0;
  virtual Status set_equality_data(int64_t person_id, const nlohmann::json& answers) = 0;
  virtual Result<PersonRecord> get_person(int64_t person_id) = 0;
  // Replaces a person's personal data (name, email, phone, address, ...), with an audit entry. A
  // panel member's email changed here is unproven (see WebSessionStore::confirm_email).
  virtual Status update_person(int64_t person_id, const nlohmann::json& personal_data, const AuditEvent& audit) = 0;
  // Erases the person's personal and equality data in one transaction; their responses stay, with
  // person_id set to NULL.
  virtual Status erase_person(int64_t person_id, const AuditEvent& audit) = 0;
};

}  // namespace townhall
