// townhall/forward_plan/store.h — where the Forward Plan's key decisions are kept, as their JSON
// documents (forward_plan.h reads and checks them), each write audited in its own transaction.
//
// Errors: kNotFound for unknown ids, kIo (kStorageFull when the disk is full) for database trouble.
// Thread-safety: implementations must be safe to call from many threads at once.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/error.h"
#include "townhall/audit/audit.h"

namespace townhall {

class ForwardPlanStore {
 public:
  virtual ~ForwardPlanStore() = default;

  // Inserts or replaces the key decision `id`.
  virtual Result<nlohmann::json> put_key_decision(const std::string& id, const nlohmann::json& doc,
                                                  const AuditEvent& audit) = 0;
  virtual Result<nlohmann::json> get_key_decision(const std::string& id) = 0;
  // Ordered by id.
  virtual Result<std::vector<nlohmann::json>> list_key_decisions() = 0;
};

}  // namespace townhall
