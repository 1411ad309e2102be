#include "townhall/util/csv_write.h"

namespace townhall::csv {

void append_field(std::string& out, std::string_view field, bool is_number) {
  // OWASP's CSV injection advice: these first characters make Excel, LibreOffice and Google
  // Sheets read a cell as a formula (a tab or CR can hide one behind whitespace).
  const bool formula_like = !is_number && !field.empty() &&
                            (field[0] == '=' || field[0] == '+' || field[0] == '-' || field[0] == '@' ||
                             field[0] == '\t' || field[0] == '\r');
  const bool quoted = formula_like || field.find_first_of(",\"\r\n") != std::string_view::npos;
  if (quoted) out += '"';
  if (formula_like) out += '\'';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  if (quoted) out += '"';
}

}  // namespace townhall::csv
