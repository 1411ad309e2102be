// townhall/i18n/text.h — text at the boundary: UTF-8 validation, NFC, locale-aware sorting.
//
// ICU quietly turns invalid UTF-8 into U+FFFD, so a response with a broken byte would be stored
// with a replacement character nobody typed. Every text that enters Townhall (request bodies, CSV
// imports, files) goes through validate_utf8 / normalize_for_storage first, which reject instead,
// naming the field and the byte offset. Stored text is NFC so "é" typed as e + U+0301 and as U+00E9
// compare, search and count the same.
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "townhall/error.h"
#include "townhall/util/utf8.h"

namespace townhall::i18n {

// Strict UTF-8 checks (townhall/util/utf8.h), named here too since text is checked where it enters.
using townhall::is_valid_utf8;
using townhall::validate_utf8;

// validate_utf8, then refuses control characters other than tab, line feed and carriage return
// (U+0000 to U+001F: a NUL would cut the text short for anything that reads it as a C string),
// then Unicode Normalization Form C.
Result<std::string> normalize_for_storage(std::string_view text, std::string_view field);

// validate_utf8 then NFC, for text that is read but not stored (a document whose readability is
// measured may hold form feeds between pages).
Result<std::string> normalize_nfc(std::string_view text, std::string_view field);

// The caseless comparison key of a name people type to identify themselves (a sign-in address, a
// user name): white space of any script trimmed at both ends, then canonical caseless matching
// (Unicode 3.13, D145: NFD, full case folding, NFC), so "Ada@Example.org" and "ada@example.org",
// "STRASSE" and "straße" are one key. nullopt when `text` is not valid UTF-8 or is blank.
std::optional<std::string> caseless_key(std::string_view text);

// Sorts `items` (valid UTF-8) in place by the locale's collation (CLDR tailoring: Welsh "ch"
// after "c", Polish "ł" after "l", …). Ill-formed tags sort by root collation.
void sort_for_locale(std::vector<std::string>& items, std::string_view tag);

// <0, 0, >0 like strcmp, by the locale's collation.
int compare_for_locale(std::string_view a, std::string_view b, std::string_view tag);

}  // namespace townhall::i18n
