#include "townhall/util/csv.h"

#include <algorithm>
#include <cctype>

namespace townhall::csv {

Result<std::vector<Record>> read_records(std::string_view text, ReadOptions options) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<Record> out;
  Record rec;
  std::string field;
  bool field_quoted = false;
  int line = 1;
  rec.line = 1;
  size_t i = 0;
  bool field_started = false;  // anything (even an empty quoted field) seen in this record
  auto fail = [&](const std::string& what) {
    return Error{ErrorCode::kInvalidCsv, "", "line " + std::to_string(line) + ": " + what};
  };
  auto end_field = [&] {
    rec.fields.push_back(std::move(field));
    rec.quoted.push_back(field_quoted);
    field.clear();
    field_quoted = false;
  };
  auto end_record = [&] {
    end_field();
    out.push_back(std::move(rec));
    rec = Record{};
    field_started = false;
  };
  auto blank = [](const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char ch) { return std::isspace(ch) != 0; });
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      if (!field.empty() || field_quoted) {
        if (!options.lenient) {
          return fail(field_quoted ? "text after a closing double quote"
                                   : "a double quote inside an unquoted field (quote the whole field and double the quote)");
        }
        if (field_quoted || !blank(field)) {  // kept as a character
          field += c;
          field_started = true;
          ++i;
          continue;
        }
        field.clear();  // only spaces before the opening quote
      }
      const int start_line = line;
      ++i;
      for (;;) {
        if (i >= text.size()) {
          line = start_line;
          return fail("a quoted field is not closed");
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (text[i] == '\n') ++line;
        field += text[i++];
      }
      field_started = true;
      field_quoted = true;
      if (!options.lenient && i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        return fail("text after a closing double quote");
      }
      continue;
    }
    if (c == ',') {
      end_field();
      field_started = true;
      ++i;
      continue;
    }
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++i;
      end_record();
      ++line;
      rec.line = line;
      continue;
    }
    field += c;
    field_started = true;
    ++i;
  }
  if (field_started || !field.empty()) end_record();
  return out;
}

}  // namespace townhall::csv
