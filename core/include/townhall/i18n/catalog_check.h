// townhall/i18n/catalog_check.h — the build-time check of message catalogs.
//
// check_catalogs() is what `townhall-i18n-check` runs over i18n/ during the build (and ctest runs
// again): every pattern compiles as ICU MessageFormat with named arguments; every plural and
// selectordinal uses only the locale's CLDR categories (or explicit "=N"), has `other`, and has
// every category a whole number can take in that language (Welsh needs zero/one/two/few/many/other,
// Polish one/few/many/other); every select has `other`; no locale has keys en-GB lacks or uses
// arguments en-GB's pattern does not pass; meta is well formed; and keys missing from a locale are
// reported per locale (an error unless allow_missing). Each problem names locale, key and problem.
// Thread-safety: pure functions over an immutable CatalogSet.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "townhall/error.h"
#include "townhall/i18n/catalog.h"

namespace townhall::i18n {

// One argument of a pattern as MessagePattern sees it (outermost and nested).
struct PatternArgument {
  std::string name;                    // "count"; for positional arguments the digits
  bool positional = false;             // {0}: not allowed in catalogs
  std::string kind;                    // "none" | "simple" | "plural" | "selectordinal" | "select" | "choice"
  std::string simple_type;             // "number" | "date" | … for kind "simple"
  std::vector<std::string> selectors;  // plural/select keys as written, e.g. "one", "=0", "other"
};

// Parses a pattern; the error message gives the offset and ICU's complaint.
Result<std::vector<PatternArgument>> analyse_pattern(std::string_view pattern);

// The locale's CLDR plural categories ("zero","one","two","few","many","other" subset), cardinal
// or ordinal.
std::vector<std::string> plural_categories(std::string_view locale, bool ordinal = false);

// For each category a whole number reaches, the smallest such number (checked over 0…1000 and
// powers of ten up to 10^7; decimals-only categories such as Polish "other" are absent).
std::vector<std::pair<std::string, int64_t>> integer_plural_categories(std::string_view locale, bool ordinal = false);

struct CatalogProblem {
  std::string locale;
  std::string key;      // message key; empty for a whole-catalog problem; "meta/…" for metadata
  std::string problem;
  bool error = true;    // false: a warning that does not fail the check
  // "cy: consultation.days_left: plural 'count' lacks category 'two' (e.g. 2)"
  std::string describe() const;
};

struct CheckOptions {
  bool allow_missing = false;  // report keys missing from a locale as warnings only
};

std::vector<CatalogProblem> check_catalogs(const CatalogSet& set, const CheckOptions& options = {});

}  // namespace townhall::i18n
