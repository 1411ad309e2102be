// townhall/responses/flat_answers.h — a response's answers read without building a JSON tree.
//
// Stored answers, and nearly every submitted one, are a flat object: question id → a string, a
// whole number, true/false, null or an array of strings. FlatAnswers parses exactly that shape in
// one pass, with views into the text (strings with escapes are decoded into storage it owns), so
// the hot paths — submitting a response, reading a million of them for analysis — avoid
// nlohmann::json. Anything else (nested objects, fractions, numbers of 19 digits or more, arrays
// of non-strings, strings holding control characters other than tab and line breaks, malformed
// JSON) makes the parse fail, and the caller falls back to parse_json, which either reads it the
// same way or reports the precise error.
//
// The text is not checked for valid UTF-8: callers validate it at the boundary.
// Thread-safety: one object per thread; reuse it to keep its buffers. Views stay valid while the
// text lives and until the next begin() or parse().
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace townhall {

struct FlatValue {
  enum Kind { kString, kInteger, kBool, kNull, kStrings } kind = kNull;
  std::string_view key;
  std::string_view text;        // kString
  int64_t integer = 0;          // kInteger
  bool boolean = false;         // kBool
  size_t first = 0, count = 0;  // kStrings: range in items()
};

class FlatAnswers {
 public:
  // Parses `text`, which must be exactly one flat object (whitespace around it allowed).
  bool parse(std::string_view text);

  const std::vector<FlatValue>& values() const { return values_; }
  std::span<const std::string_view> strings(const FlatValue& v) const {
    return std::span<const std::string_view>(items_).subspan(v.first, v.count);
  }
  // The value under `key`, or nullptr (the first one if a key is given twice).
  const FlatValue* find(std::string_view key) const;
  // A key that appears twice, if any (nlohmann keeps the last value; callers fall back to it).
  std::optional<std::string_view> duplicate_key() const;
  bool has_duplicate_keys() const { return duplicate_key().has_value(); }
  // Appends the object as nlohmann::json::dump() writes it — keys in byte order, no spaces, the
  // same escapes — so answers stored through either path are the same text. Requires that no key
  // appears twice.
  void append_json(std::string& out) const;

  // ---- a cursor, for readers of a larger document that embeds a flat answers object ----------
  void begin(std::string_view text);  // forgets earlier values; the cursor at the start of text
  void ws();                          // skips JSON whitespace
  bool consume(char c);               // the next character is c: step over it
  bool peek(char c) const { return p_ < end_ && *p_ == c; }
  bool at_end() const { return p_ == end_; }
  bool string(std::string_view& out);  // at a '"': reads and decodes one string
  bool object();                       // at a '{': reads one flat object, appending its values

 private:
  bool hex4(uint32_t& out);
  bool literal(const char* word, size_t n);
  bool value(FlatValue& v);
  const std::vector<size_t>& key_order() const;  // value indexes by key, sorted once per parse

  std::vector<FlatValue> values_;
  std::vector<std::string_view> items_;
  std::vector<std::unique_ptr<std::string>> decoded_;  // unescaped strings (stable addresses)
  size_t decoded_used_ = 0;
  mutable std::vector<size_t> order_;  // key_order(), valid while order_valid_
  mutable bool order_valid_ = false;
  const char* p_ = nullptr;
  const char* end_ = nullptr;
};

}  // namespace townhall
