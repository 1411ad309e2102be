// The project's CSV tokenizer (util/csv.h), strict and lenient.
// Properties: no crash; errors are kInvalidCsv naming a line; records start on nondecreasing lines
// within the text; whatever strict mode reads, lenient mode reads the same; the records written
// back as RFC 4180 (every field quoted, quotes doubled, CRLF) read back to the same fields.
#include <algorithm>

#include "fuzz_support.h"
#include "townhall/util/csv.h"

namespace {

using townhall::fuzz::fail;
using townhall::csv::Record;

std::string write_rfc4180(const std::vector<Record>& records) {
  std::string out;
  for (const auto& r : records) {
    for (size_t f = 0; f < r.fields.size(); ++f) {
      if (f) out += ',';
      out += '"';
      for (char c : r.fields[f]) {
        if (c == '"') out += '"';
        out += c;
      }
      out += '"';
    }
    out += "\r\n";
  }
  return out;
}

bool same_fields(const std::vector<Record>& a, const std::vector<Record>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].fields != b[i].fields) return false;
  }
  return true;
}

void check_shape(const townhall::Result<std::vector<Record>>& read, std::string_view text) {
  if (!read) {
    if (read.error().code != townhall::ErrorCode::kInvalidCsv || read.error().message.rfind("line ", 0) != 0) {
      fail("a CSV error that does not name its line", read.error().message);
    }
    return;
  }
  int last = 1;
  const int lines = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n') + std::count(text.begin(), text.end(), '\r'));
  for (const auto& r : *read) {
    if (r.fields.empty() || r.fields.size() != r.quoted.size()) fail("a record without fields", text);
    if (r.line < last || r.line > lines) fail("a record's line is out of order or past the text", text);
    last = r.line;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace townhall;
  std::string_view text = fuzz::as_text(data, size);
  auto strict = csv::read_records(text);
  auto lenient = csv::read_records(text, csv::ReadOptions{true});
  check_shape(strict, text);
  check_shape(lenient, text);
  if (strict) {
    if (!lenient) fail("lenient mode refuses what strict mode reads", text);
    if (!same_fields(*strict, *lenient)) fail("lenient mode reads other fields than strict mode", text);
    std::string written = write_rfc4180(*strict);
    auto again = csv::read_records(written);
    if (!again) fail("records written as RFC 4180 do not read back", written);
    if (!same_fields(*strict, *again)) fail("records written as RFC 4180 read back differently", text);
  }
  return 0;
}
