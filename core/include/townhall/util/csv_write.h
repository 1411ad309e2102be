// townhall/util/csv_write.h — writing CSV a spreadsheet opens safely (RFC 4180).
//
// A field is quoted when it holds a comma, a double quote (doubled inside), CR or LF; records end
// with CRLF. A text field that a spreadsheet would take for a formula (starting with = + - @, a
// tab or CR) gets a leading apostrophe, so a resident's answer is shown, never run. Fields marked
// as numbers the program made itself are written as they are.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace townhall::csv {

// The UTF-8 byte-order mark, written first so Excel reads the file as UTF-8.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Appends one field (without a separator) to `out`.
void append_field(std::string& out, std::string_view field, bool is_number = false);

}  // namespace townhall::csv
