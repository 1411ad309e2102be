// townhall/access/access_store.h — the users who may call the API and their bearer tokens, kept
// only as SHA-256 hashes (token.h).
// Thread-safety: implementations must be safe to call from many threads at once.
#pragma once

#include <optional>
#include <string>

#include "townhall/error.h"
#include "townhall/access/role.h"

namespace townhall {

class AccessStore {
 public:
  virtual ~AccessStore() = default;

  // A new user with `role` (not kPublic), audited as "user.add".
  virtual Result<User> add_user(Role role, const std::string& name, const std::string& token_hash) = 0;
  virtual std::optional<User> user_by_token_hash(const std::string& token_hash) = 0;
};

}  // namespace townhall
