#include "townhall/util/csv_table.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "townhall/util/csv.h"
#include "townhall/util/utf8.h"

namespace townhall::csv {
namespace {

std::string trim(std::string s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

}  // namespace

std::optional<size_t> CsvTable::column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  for (size_t i = 0; i < header.size(); ++i)
    if (iequals(header[i], name)) return i;
  return std::nullopt;
}

std::string csv_location(const CsvTable& table, size_t row, std::string_view column) {
  std::string s = table.source;
  if (row < table.line_of_row.size()) {
    s += ", row " + std::to_string(row + 1) + " (line " + std::to_string(table.line_of_row[row]) + ")";
  }
  if (!column.empty()) s += ", column '" + std::string(column) + "'";
  return s;
}

Result<CsvTable> parse_csv(std::string_view text, const std::string& source) {
  auto read = csv::read_records(text, csv::ReadOptions{true});
  if (!read) return Error{ErrorCode::kInvalidCsv, source, source + ", " + read.error().message};
  // Unquoted fields are trimmed; blank lines are skipped (they still count for line numbers).
  std::vector<std::vector<std::string>> records;
  std::vector<size_t> lines;
  for (auto& rec : *read) {
    for (size_t f = 0; f < rec.fields.size(); ++f)
      if (!rec.quoted[f]) rec.fields[f] = trim(std::move(rec.fields[f]));
    if (rec.fields.size() == 1 && rec.fields[0].empty()) continue;
    records.push_back(std::move(rec.fields));
    lines.push_back(static_cast<size_t>(rec.line));
  }
  if (records.empty()) return Error{ErrorCode::kInvalidCsv, source, source + ": file is empty (no header)"};
  // Text enters as valid UTF-8 or not at all: names and values end up in JSON, the database and
  // the audit log, none of which can hold anything else.
  for (size_t r = 0; r < records.size(); ++r) {
    for (size_t f = 0; f < records[r].size(); ++f) {
      if (validate_utf8(records[r][f], source).ok()) continue;
      std::string where = source + ", line " + std::to_string(lines[r]);
      if (r > 0 && f < records[0].size() && validate_utf8(records[0][f], source).ok()) {
        where += ", column '" + trim(records[0][f]) + "'";
      } else {
        where += ", field " + std::to_string(f + 1);
      }
      return Error{ErrorCode::kInvalidCsv, source, where + ": is not valid UTF-8 (save the file as UTF-8)"};
    }
  }

  CsvTable t;
  t.source = source;
  for (auto& h : records[0]) t.header.push_back(trim(h));
  for (size_t r = 1; r < records.size(); ++r) {
    auto& rec = records[r];
    if (rec.size() > t.header.size()) {
      // Tolerate trailing empty fields (spreadsheets often add them).
      while (rec.size() > t.header.size() && rec.back().empty()) rec.pop_back();
      if (rec.size() > t.header.size()) {
        return Error{ErrorCode::kInvalidCsv, source,
                     source + ", line " + std::to_string(lines[r]) + ": " + std::to_string(rec.size()) +
                         " fields but the header has " + std::to_string(t.header.size())};
      }
    }
    rec.resize(t.header.size());
    t.rows.push_back(std::move(rec));
    t.line_of_row.push_back(lines[r]);
  }
  return t;
}

Result<CsvTable> read_csv_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::kIo, path, path + ": cannot open file"};
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_csv(ss.str(), path);
}

}  // namespace townhall::csv
