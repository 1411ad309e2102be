// Private ICU helpers shared by the i18n and readability sources (not part of the public API).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <unicode/locid.h>
#include <unicode/unistr.h>

namespace townhall::i18n::detail {

// Parses a BCP 47 tag (underscores accepted) after init_i18n(); nullopt when ill-formed.
std::optional<icu::Locale> parse_locale(std::string_view tag);
// `tag` with nu=latn; en-GB when the tag is ill-formed.
icu::Locale formatting_locale(std::string_view tag);
std::string to_utf8(const icu::UnicodeString& s);
// Caller has validated the UTF-8 (invalid bytes would become U+FFFD).
icu::UnicodeString from_utf8(std::string_view s);

}  // namespace townhall::i18n::detail
