// townhall/i18n/locale.h — locales: start-up, tags, direction, endonyms, Accept-Language.
//
// Townhall speaks BCP 47 language tags ("en-GB", "cy", "pa-Guru", "ar"). init_i18n() must run once
// at start-up (every function of the i18n and readability modules also calls it, so forgetting it
// is harmless): it sets ICU's default locale to en-GB — otherwise ICU's own fallback goes through
// the process locale (LANG=C, POSIX…) and a server would format differently from a test — and ICU's
// default time zone to Europe/London, the zone of every council date.
//
// Formatting always uses Latin digits (the `-u-nu-latn` Unicode extension), so "25" in a page the
// server renders in Arabic is the same "25" the browser and the database see.
// Thread-safety: init_i18n() is idempotent and safe to call from any thread (std::call_once); the
// other functions are pure and thread-safe once initialised.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "townhall/error.h"

namespace townhall::i18n {

// The fallback and default locale of every Townhall binary.
inline constexpr std::string_view kDefaultLocale = "en-GB";
inline constexpr std::string_view kTimeZone = "Europe/London";

// Sets ICU's default locale to en-GB and default time zone to Europe/London. Idempotent.
void init_i18n();

// Parses and canonicalises a BCP 47 tag ("EN-gb" → "en-GB", "pa_Guru" → "pa-Guru"). Rejects
// ill-formed tags, naming `field`.
Result<std::string> canonical_tag(std::string_view tag, std::string_view field = "lang");

// Right-to-left by the locale's (likely) script: ar, ur, fa, ps, ckb, pa-Arab, he, … → true;
// pa, pa-Guru, cy, en-GB → false. Unknown or ill-formed tags are left-to-right.
bool is_right_to_left(std::string_view tag);

// "rtl" or "ltr", for the HTML `dir` attribute.
inline const char* html_dir(std::string_view tag) { return is_right_to_left(tag) ? "rtl" : "ltr"; }

// The language's own name for itself, capitalised for a menu, e.g. "Cymraeg", "Polski",
// "العربية", "ਪੰਜਾਬੀ (ਗੁਰਮੁਖੀ)", "British English". Empty for an ill-formed tag.
std::string endonym(std::string_view tag);

// The name of `tag` in the language `in_tag` (for "Welsh" next to "Cymraeg").
std::string display_name(std::string_view tag, std::string_view in_tag);

// The locale ICU formats with: `tag` plus `-u-nu-latn`, e.g. "ar-u-nu-latn".
std::string formatting_tag(std::string_view tag);

// Picks the best of `supported` (canonical tags, first is the default) for an HTTP Accept-Language
// header using ICU's LocaleMatcher (CLDR language distances: "pa-PK" → "pa-Arab", "en-US" →
// "en-GB", "cy-GB" → "cy"). A missing, malformed or unmatched header gives supported[0]; an empty
// `supported` gives kDefaultLocale.
std::string negotiate_language(std::string_view accept_language, const std::vector<std::string>& supported);

}  // namespace townhall::i18n
