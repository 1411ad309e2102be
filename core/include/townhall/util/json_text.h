// townhall/util/json_text.h — writing JSON text directly, for hot paths that skip nlohmann::json.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace townhall {

// Appends `text` (valid UTF-8) as a JSON string literal, escaped exactly as
// nlohmann::json::dump() escapes it: \" \\ \b \f \n \r \t, other control characters as \u00XX,
// everything else (including non-ASCII) as is.
void append_json_string(std::string& out, std::string_view text);

}  // namespace townhall
