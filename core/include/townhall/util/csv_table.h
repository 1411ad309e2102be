// townhall/util/csv_table.h — an RFC 4180 CSV table (quoted fields, doubled quotes, embedded newlines,
// CRLF or LF line ends, an optional UTF-8 byte-order mark), read with the project's tokenizer
// (townhall/util/csv.h) in its lenient mode, for files typed by hand: unquoted fields are trimmed
// and blank lines are skipped.
//
// The first record is the header. Rows keep their 1-based line number in the file (the header is
// line 1) so that errors can name the row a person sees in a spreadsheet.
// Thread-safety: plain values; parse_csv is thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "townhall/error.h"

namespace townhall::csv {

struct CsvTable {
  std::string source;                  // file name used in error messages
  std::vector<std::string> header;     // trimmed column names
  std::vector<std::vector<std::string>> rows;  // each padded/checked to header.size()
  std::vector<size_t> line_of_row;     // 1-based line where each row starts

  // Index of a column by name (exact, then case-insensitive); nullopt when absent.
  std::optional<size_t> column(std::string_view name) const;
};

// Parses CSV text. Blank lines are skipped. A row with more fields than the header, an unclosed
// quote, or text that is not valid UTF-8 is an error naming `source` and the line.
Result<CsvTable> parse_csv(std::string_view text, const std::string& source);

// Reads and parses a file.
Result<CsvTable> read_csv_file(const std::string& path);

// "file, row N (line L), column 'c'" — the location prefix used by panel errors.
std::string csv_location(const CsvTable& table, size_t row, std::string_view column = {});

}  // namespace townhall::csv
