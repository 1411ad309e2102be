// Internal to the stores: reading the fields every backend keeps in columns beside a stored
// document, and the errors they share, so that SQLite and PostgreSQL read a document the same way.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "townhall/consultations/status.h"
#include "townhall/error.h"

namespace townhall::store_detail {

// kNotFound: "no <kind> "<id>"".
Error not_found(const std::string& kind, const std::string& id);
// The string at `key` of `doc`, "" when absent or not a string.
std::string str_or_empty(const nlohmann::json& doc, const char* key);
// A consultation's status as the database holds it; a value the schema's CHECK should have kept
// out means the data was changed behind the store's back, and throws like corrupt stored JSON.
ConsultationStatus stored_status(std::string_view text);
// "YYYY-MM-DD HH:MM", the sort key of a meeting document.
std::string meeting_starts(const nlohmann::json& doc);

}  // namespace townhall::store_detail
