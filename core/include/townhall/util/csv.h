// townhall/util/csv.h — the one RFC 4180 CSV tokenizer of the project (Forward Plan imports, panel
// member and pool files, quota and targets files).
//
// Fields are separated by commas; a field in double quotes may contain commas, line breaks and
// doubled quotes (""), which stand for one quote. Records end at CRLF, LF or a lone CR; a final
// line end is optional; a leading UTF-8 byte-order mark is skipped. An unterminated quoted field
// is an error naming the line where it starts ("line 4: a quoted field is not closed").
// Strict (the default): a quote inside an unquoted field, or text after a closing quote, is an
// error naming the line. Lenient (spreadsheet exports typed by hand): a quote after nothing but
// spaces opens a quoted field (the spaces are dropped), a quote inside other text is kept as a
// character, and text after a closing quote is kept.
// Every record is returned, blank lines included (one empty field); each field says whether it was
// quoted, so callers can trim only unquoted fields.
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "townhall/error.h"

namespace townhall::csv {

struct Record {
  std::vector<std::string> fields;
  std::vector<bool> quoted;  // per field: it was (or began as) a quoted field
  int line = 0;              // 1-based line on which the record starts
};

struct ReadOptions {
  bool lenient = false;
};

Result<std::vector<Record>> read_records(std::string_view text, ReadOptions options = {});

}  // namespace townhall::csv
