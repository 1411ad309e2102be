// forward_plan/csv_reader.h (private) — an RFC 4180 CSV tokenizer.
//
// Fields are separated by commas; a field in double quotes may contain commas, line breaks and
// doubled quotes (""), which stand for one quote. Records end at CRLF or LF; a final line end is
// optional; a leading UTF-8 byte-order mark is skipped. A quote inside an unquoted field, text
// after a closing quote, or an unterminated quoted field is an error naming the line.
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "townhall/error.h"

namespace townhall::csv {

struct Record {
  std::vector<std::string> fields;
  int line = 0;  // 1-based line on which the record starts
};

Result<std::vector<Record>> read_records(std::string_view text);

}  // namespace townhall::csv
