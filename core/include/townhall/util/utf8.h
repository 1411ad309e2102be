// townhall/util/utf8.h — is this byte string UTF-8? The test every text from outside passes first.
//
// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. It sits below every
// other module (the CSV table reader needs it as much as the message catalogs do);
// townhall/i18n/text.h builds normalisation for storage on it.
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <cstddef>
#include <string_view>

#include "townhall/error.h"

namespace townhall {

// The error names `field` and says at which byte the bad sequence starts.
Status validate_utf8(std::string_view text, std::string_view field);

// The same test as a yes or no, for loops over many texts.
bool is_valid_utf8(std::string_view text);

// How many characters (code points) valid UTF-8 text holds: what a length limit a person reads
// ("12 characters") counts, rather than bytes.
size_t count_code_points(std::string_view text);

}  // namespace townhall
