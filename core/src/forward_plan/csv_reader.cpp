#include "csv_reader.h"

namespace townhall::csv {

Result<std::vector<Record>> read_records(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<Record> out;
  Record rec;
  std::string field;
  int line = 1;
  rec.line = 1;
  size_t i = 0;
  bool field_started = false;  // anything (even an empty quoted field) seen in this record
  auto fail = [&](const std::string& what) {
    return Error{ErrorCode::kInvalidCsv, "", "line " + std::to_string(line) + ": " + what};
  };
  auto end_record = [&] {
    rec.fields.push_back(std::move(field));
    field.clear();
    out.push_back(std::move(rec));
    rec = Record{};
    field_started = false;
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      if (!field.empty()) return fail("a double quote inside an unquoted field (quote the whole field and double the quote)");
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
      if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        return fail("text after a closing double quote");
      }
      continue;
    }
    if (c == ',') {
      rec.fields.push_back(std::move(field));
      field.clear();
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
