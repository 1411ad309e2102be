// townhall/i18n/catalog.h — message catalogs and formatting.
//
// A Catalog is one locale's messages: ICU MessageFormat patterns with named arguments
// ("{count, plural, one {# response} other {# responses}}") keyed by dotted ids ("hub.title"),
// loaded from i18n/<locale>.json:
//   { "meta": { "locale": "cy", "review": { "status": "machine-draft" | "reviewed",
//               "note": "…", "uncertain": ["key", …] }, … },
//     "messages": { "hub.title": "…", … } }
// `meta.review` is how a catalog says which translations a council translator must check before
// the language is promised to residents (see docs/adding-a-language.md).
//
// A CatalogSet is all catalogs of a deployment. CatalogSet::builtin() holds the catalogs in the
// repository's i18n/ directory, compiled into the library at build time (like the JSON Schemas), so
// every binary agrees on them; CatalogSet::load_directory() reads a directory at run time (the
// build-time check and councils trying a new language use it).
//
// format(locale, key, args) picks the catalog for the locale (falling back along the tag —
// "pa-Guru-IN" → "pa-Guru" → "pa" — and finally to en-GB), and the message for the key (falling
// back to en-GB when the locale lacks it), and formats it with ICU in Europe/London with Latin
// digits. The result says which locale the text is actually in, so a page can mark a fallback
// passage with its own lang/dir.
// Thread-safety: a CatalogSet is immutable after loading; format() and friends are const and safe
// from any thread (compiled ICU formatters are cached per thread, never shared). builtin() is
// initialised once, thread-safely.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/date.h"
#include "townhall/error.h"

namespace townhall::i18n {

// A named argument's value. Integers drive plural rules; Dates format as local dates.
using MessageArg = std::variant<std::string, int64_t, double, Date>;
using MessageArgs = std::map<std::string, MessageArg, std::less<>>;

struct ReviewInfo {
  std::string status;                  // "reviewed" | "machine-draft" | "needs-review"
  std::string note;                    // who wrote it, what to check
  std::vector<std::string> uncertain;  // keys a translator must look at first
  bool needs_review() const { return status != "reviewed"; }
};

class Catalog {
 public:
  // Parses a catalog file's text; `source` (file name) prefixes error fields.
  static Result<Catalog> parse(std::string_view json_text, std::string_view source);

  const std::string& locale() const { return locale_; }
  const ReviewInfo& review() const { return review_; }
  const nlohmann::json& meta() const { return meta_; }
  const std::map<std::string, std::string, std::less<>>& messages() const { return messages_; }
  // nullptr when the key is absent.
  const std::string* pattern(std::string_view key) const;

 private:
  std::string locale_;
  ReviewInfo review_;
  nlohmann::json meta_;
  std::map<std::string, std::string, std::less<>> messages_;
};

struct FormattedMessage {
  std::string text;
  std::string locale;     // the catalog the pattern came from (differs from the request on fallback)
  bool fell_back = false;  // the text is not in the requested language (no catalog, or key missing)
};

class CatalogSet {
 public:
  // The catalogs compiled into the library from i18n/*.json.
  static const CatalogSet& builtin();
  // Every *.json in `dir`; the error names the file.
  static Result<CatalogSet> load_directory(const std::string& dir);
  // From (file name, text) pairs; used by both of the above.
  static Result<CatalogSet> from_sources(const std::vector<std::pair<std::string, std::string>>& files);

  // Canonical tags, en-GB first, then sorted.
  std::vector<std::string> locales() const;
  const Catalog* find(std::string_view locale) const;  // exact canonical tag
  // The catalog `locale` resolves to: itself, then shorter tags, then en-GB (nullptr if no en-GB).
  const Catalog* resolve(std::string_view locale) const;

  // Formats `key` for `locale`. Errors: unknown key (kNotFound, field = key) or a pattern that
  // fails to format with the given arguments (kInvalidArgument naming the argument).
  Result<FormattedMessage> format(std::string_view locale, std::string_view key, const MessageArgs& args = {}) const;

 private:
  std::map<std::string, Catalog, std::less<>> catalogs_;
  uint64_t id_ = 0;  // distinguishes sets in the per-thread cache of compiled messages
};

// Formats a pattern directly (no catalog): used by the check tool and tests.
Result<std::string> format_pattern(std::string_view locale, std::string_view pattern, const MessageArgs& args);

// "Thursday 17 July 2025"-style dates in the locale (ICU date style full/long/medium/short), with
// Latin digits; the Date is a Europe/London local date.
enum class DateStyle { kFull, kLong, kMedium, kShort };
std::string format_date(std::string_view locale, Date date, DateStyle style = DateStyle::kLong);

// Grouped decimal number in the locale with Latin digits ("1,234.5", "1 234,5" in pl).
std::string format_number(std::string_view locale, double value, int max_fraction_digits = 2);

}  // namespace townhall::i18n
