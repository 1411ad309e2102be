// fuzz/fuzz_support.h — what the libFuzzer targets share: stopping the run when a property breaks,
// and the inputs they leave to other defences.
//
// A target aborts (libFuzzer then saves the input as a crash-… reproducer) when the code under test
// crashes, trips AddressSanitizer or UBSan, throws where it promises errors as values, or breaks a
// property the target checks (a round trip that changes a document, an accepted value that breaks
// its own rules, a 5xx from the API).
// Thread-safety: the helpers are pure; a target runs one input at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

namespace townhall::fuzz {

// Prints what broke and the input's text (escaped), then aborts.
[[noreturn]] inline void fail(const char* what, std::string_view detail = {}) {
  std::string shown;
  for (unsigned char c : detail.substr(0, 4000)) {
    if (c == '\\') {
      shown += "\\\\";
    } else if (c >= 0x20 && c < 0x7f) {
      shown += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      shown += buf;
    }
  }
  std::fprintf(stderr, "\n==== property broken: %s\n---- %s\n", what, shown.c_str());
  std::fflush(stderr);
  std::abort();
}

#define TOWNHALL_FUZZ_CHECK(cond, detail)                   \
  do {                                                      \
    if (!(cond)) ::townhall::fuzz::fail(#cond, (detail));   \
  } while (0)

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// JSON nested deeper than this is left to the parser's own depth limit and the hostile-input
// suite: the recursive walks behind it (schema validation, dump()) would otherwise overflow the
// stack on every such input and hide everything else the target could find. No schema of Townhall
// allows a document nearly this deep.
inline constexpr size_t kMaxJsonDepth = 64;

// The deepest nesting of [ and { in `text`, outside JSON strings (a cheap over-approximation: it
// does not check that the text is JSON).
inline size_t json_depth(std::string_view text) {
  size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
    } else if ((c == ']' || c == '}') && depth > 0) --depth;
  }
  return deepest;
}

// Splits `text` at the first "\n" line that is exactly `separator`: the part before and the part
// after (the whole text and "" when there is none). Lets one input carry two documents.
inline std::pair<std::string_view, std::string_view> split_at_line(std::string_view text, std::string_view separator) {
  std::string marker = "\n" + std::string(separator) + "\n";
  size_t at = text.find(marker);
  if (at == std::string_view::npos) return {text, {}};
  return {text.substr(0, at), text.substr(at + marker.size())};
}

}  // namespace townhall::fuzz
