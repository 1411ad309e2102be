// Strict UTF-8 checks with ICU's header-only decoding macro; see townhall/util/utf8.h.
#include "townhall/util/utf8.h"

#include <climits>
#include <cstdint>
#include <string>

#include <unicode/utf8.h>

namespace townhall {

Status validate_utf8(std::string_view text, std::string_view field) {
  if (text.size() > static_cast<size_t>(INT32_MAX)) return invalid_argument(std::string(field), "text is too long");
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) {
      return invalid_argument(std::string(field),
                              "is not valid UTF-8 (bad byte sequence at byte " + std::to_string(start) + ")");
    }
  }
  return Status::Ok();
}

bool is_valid_utf8(std::string_view text) {
  if (text.size() > static_cast<size_t>(INT32_MAX)) return false;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) return false;
  }
  return true;
}

size_t count_code_points(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;  // every byte but a continuation byte
  return n;
}

}  // namespace townhall
