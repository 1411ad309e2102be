// townhall/util/json_parse.h — reading JSON text from outside, with limits that keep it harmless.
//
// nlohmann::json's parser is iterative, but much of what is done with a parsed document is not:
// dump(), copying, comparison, valijson's validation and our own walks recurse once per level of
// nesting, so a 100 KB body of 50,000 nested arrays overflows the stack of whoever touches it
// next. Every JSON entry point (request bodies, files read by the CLI, the Python bindings) reads
// through parse_json(), which refuses at parse time, before any of that code sees the document:
//   - nesting deeper than kMaxJsonDepth arrays and objects (400-class: the text is refused);
//   - a byte-order mark before the text, or a NUL byte anywhere in it (nlohmann would skip the
//     first and stop reading at the second, accepting whatever follows);
//   - a number outside the range of a double (1e400), naming where it is;
//   - a control character other than tab, line feed and carriage return in any string or member
//     name (an escaped "\u0000" would otherwise be stored, and cut short the length valijson
//     counts for maxLength).
// JSON that Townhall wrote itself and reads back from its database goes through
// parse_stored_json(), which applies only the depth limit.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "townhall/error.h"

namespace townhall {

// The deepest nesting of arrays and objects accepted anywhere (the outermost one is level 1).
// Every wire and file format Townhall defines stays under 10 levels; 64 leaves room for any
// reasonable growth while keeping every recursive walk of a document a few kilobytes of stack.
inline constexpr size_t kMaxJsonDepth = 64;

// Parses JSON text from outside strictly, as described above. The error's code is kInvalidJson
// for text that cannot be read (syntax, depth, BOM, NUL byte) and kInvalidArgument for a value
// that is refused (a number out of range, a control character); its field is the JSON pointer of
// the offending place when there is one, and its message starts with `what` ("the request body").
Result<nlohmann::json> parse_json(std::string_view text, std::string_view what = "document");

// Parses JSON read back from storage: nlohmann's rules plus the depth limit. Throws
// std::runtime_error (with `what` in the message) when the text is malformed or too deep.
nlohmann::json parse_stored_json(std::string_view text, std::string_view what = "stored JSON");

// The byte offset of the first control character that text from outside may not hold (U+0000 to
// U+001F except tab, line feed and carriage return), or std::string_view::npos.
size_t find_forbidden_control(std::string_view text);

// "the control character U+0000": the character at `offset` of `text`, for messages.
std::string describe_control(std::string_view text, size_t offset);

}  // namespace townhall
