// The catalog check behind townhall-i18n-check; see townhall/i18n/catalog_check.h.
#include "townhall/i18n/catalog_check.h"

#include <algorithm>
#include <memory>
#include <set>

#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>
#include <unicode/parseerr.h>
#include <unicode/plurrule.h>
#include <unicode/strenum.h>

#include "i18n/icu_util.h"
#include "townhall/i18n/locale.h"

namespace townhall::i18n {

Result<std::vector<PatternArgument>> analyse_pattern(std::string_view pattern) {
  init_i18n();
  UErrorCode status = U_ZERO_ERROR;
  UParseError perr{};
  icu::MessagePattern mp(detail::from_utf8(pattern), &perr, status);
  if (status == U_DEFAULT_KEYWORD_MISSING) {
    return invalid_argument("pattern", "does not compile: a plural or select has no 'other' case");
  }
  if (U_FAILURE(status)) {
    return invalid_argument("pattern", "does not compile (" + std::string(u_errorName(status)) + " at offset " +
                                           std::to_string(perr.offset) + ")");
  }
  std::vector<PatternArgument> args;
  std::vector<size_t> stack;  // indexes into args of the open arguments
  const int32_t n = mp.countParts();
  for (int32_t i = 0; i < n; ++i) {
    const auto& part = mp.getPart(i);
    const auto type = part.getType();
    if (type == UMSGPAT_PART_TYPE_ARG_START) {
      PatternArgument a;
      switch (part.getArgType()) {
        case UMSGPAT_ARG_TYPE_NONE: a.kind = "none"; break;
        case UMSGPAT_ARG_TYPE_SIMPLE: a.kind = "simple"; break;
        case UMSGPAT_ARG_TYPE_CHOICE: a.kind = "choice"; break;
        case UMSGPAT_ARG_TYPE_PLURAL: a.kind = "plural"; break;
        case UMSGPAT_ARG_TYPE_SELECT: a.kind = "select"; break;
        case UMSGPAT_ARG_TYPE_SELECTORDINAL: a.kind = "selectordinal"; break;
      }
      if (i + 1 < n) {
        const auto& name = mp.getPart(i + 1);
        a.name = detail::to_utf8(mp.getSubstring(name));
        a.positional = name.getType() == UMSGPAT_PART_TYPE_ARG_NUMBER;
      }
      if (a.kind == "simple" && i + 2 < n && mp.getPart(i + 2).getType() == UMSGPAT_PART_TYPE_ARG_TYPE) {
        a.simple_type = detail::to_utf8(mp.getSubstring(mp.getPart(i + 2)));
      }
      stack.push_back(args.size());
      args.push_back(std::move(a));
    } else if (type == UMSGPAT_PART_TYPE_ARG_LIMIT) {
      if (!stack.empty()) stack.pop_back();
    } else if (type == UMSGPAT_PART_TYPE_ARG_SELECTOR && !stack.empty()) {
      args[stack.back()].selectors.push_back(detail::to_utf8(mp.getSubstring(part)));
    }
  }
  return args;
}

namespace {
std::unique_ptr<icu::PluralRules> rules_for(std::string_view locale, bool ordinal) {
  auto loc = detail::parse_locale(locale);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::PluralRules> r(icu::PluralRules::forLocale(
      loc ? *loc : icu::Locale::getRoot(), ordinal ? UPLURAL_TYPE_ORDINAL : UPLURAL_TYPE_CARDINAL, status));
  if (U_FAILURE(status)) return nullptr;
  return r;
}
}  // namespace

std::vector<std::string> plural_categories(std::string_view locale, bool ordinal) {
  std::vector<std::string> out;
  auto rules = rules_for(locale, ordinal);
  if (!rules) return out;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::StringEnumeration> kw(rules->getKeywords(status));
  if (U_FAILURE(status) || !kw) return out;
  while (const char* k = kw->next(nullptr, status)) {
    if (U_FAILURE(status)) break;
    out.emplace_back(k);
  }
  return out;
}

std::vector<std::pair<std::string, int64_t>> integer_plural_categories(std::string_view locale, bool ordinal) {
  std::vector<std::pair<std::string, int64_t>> out;
  auto rules = rules_for(locale, ordinal);
  if (!rules) return out;
  std::vector<int64_t> samples;
  for (int64_t k = 0; k <= 1000; ++k) samples.push_back(k);
  for (int64_t p = 10000; p <= 10000000; p *= 10) samples.push_back(p);
  for (int64_t k : samples) {
    std::string cat = detail::to_utf8(rules->select(static_cast<double>(k)));
    if (std::none_of(out.begin(), out.end(), [&](const auto& e) { return e.first == cat; })) out.emplace_back(cat, k);
  }
  return out;
}

std::string CatalogProblem::describe() const {
  std::string s = (error ? "" : "warning: ") + locale;
  if (!key.empty()) s += ": " + key;
  return s + ": " + problem;
}

namespace {

void check_selectors(const std::string& locale, const std::string& key, const PatternArgument& a,
                     std::vector<CatalogProblem>& out) {
  auto add = [&](std::string problem) { out.push_back({locale, key, std::move(problem), true}); };
  std::set<std::string> seen(a.selectors.begin(), a.selectors.end());
  if (!seen.count("other")) add(a.kind + " '" + a.name + "' has no 'other' case");
  if (a.kind == "select") return;
  const bool ordinal = a.kind == "selectordinal";
  const auto cats = plural_categories(locale, ordinal);
  std::string allowed;
  for (const auto& c : cats) allowed += (allowed.empty() ? "" : ", ") + c;
  for (const auto& s : a.selectors) {
    if (!s.empty() && s[0] == '=') continue;  // explicit value, e.g. =0
    if (std::find(cats.begin(), cats.end(), s) == cats.end()) {
      add(a.kind + " '" + a.name + "' uses category '" + s + "', which " + locale + " does not have (CLDR: " +
          allowed + ")");
    }
  }
  for (const auto& [cat, example] : integer_plural_categories(locale, ordinal)) {
    if (seen.count(cat)) continue;
    add(a.kind + " '" + a.name + "' lacks category '" + cat + "' (e.g. " + std::to_string(example) + ")");
  }
}

}  // namespace

std::vector<CatalogProblem> check_catalogs(const CatalogSet& set, const CheckOptions& options) {
  std::vector<CatalogProblem> out;
  const Catalog* ref = set.find(kDefaultLocale);
  if (ref == nullptr) {
    out.push_back({std::string(kDefaultLocale), "", "no en-GB catalog: en-GB is the reference and fallback", true});
  }
  // Arguments of each en-GB message, to compare translations against.
  std::map<std::string, std::set<std::string>> ref_args;
  for (const auto& tag : set.locales()) {
    const Catalog& cat = *set.find(tag);
    const bool is_ref = (&cat == ref);
    auto add = [&](const std::string& key, std::string problem, bool error = true) {
      out.push_back({tag, key, std::move(problem), error});
    };
    if (plural_categories(tag).empty()) add("", "ICU has no plural rules for this locale");
    for (const auto& [key, pattern] : cat.messages()) {
      auto analysed = analyse_pattern(pattern);
      if (!analysed) {
        add(key, "pattern " + analysed.error().message);  // e.g. "pattern does not compile: …"
        continue;
      }
      UErrorCode status = U_ZERO_ERROR;
      UParseError perr{};
      icu::MessageFormat mf(detail::from_utf8(pattern), detail::formatting_locale(tag), perr, status);
      if (U_FAILURE(status)) {
        add(key, "pattern does not compile as MessageFormat (" + std::string(u_errorName(status)) + " at offset " +
                     std::to_string(perr.offset) + ")");
        continue;
      }
      std::set<std::string> names;
      for (const auto& a : *analysed) {
        if (a.positional) {
          add(key, "argument {" + a.name + "} is positional; use a named argument");
          continue;
        }
        names.insert(a.name);
        if (a.kind == "choice") add(key, "argument '" + a.name + "' uses choice; use plural or select");
        if (a.kind == "plural" || a.kind == "selectordinal" || a.kind == "select") check_selectors(tag, key, a, out);
      }
      if (is_ref) {
        ref_args[key] = names;
      } else if (ref != nullptr) {
        const std::string* ref_pattern = ref->pattern(key);
        if (ref_pattern == nullptr) {
          add(key, "key is not in en-GB (misspelt or obsolete)");
          continue;
        }
        auto ra = analyse_pattern(*ref_pattern);
        std::set<std::string> expected;
        if (ra) {
          for (const auto& a : *ra) expected.insert(a.name);
        }
        for (const auto& n : names) {
          if (!expected.count(n)) add(key, "uses argument '" + n + "', which en-GB does not pass");
        }
        for (const auto& n : expected) {
          if (!names.count(n)) add(key, "does not use argument '" + n + "' that en-GB uses", false);
        }
      }
    }
    for (const auto& k : cat.review().uncertain) {
      if (cat.pattern(k) == nullptr) add("meta/review/uncertain", "lists '" + k + "', which is not a message key");
    }
    if (!is_ref && ref != nullptr) {
      std::vector<std::string> missing;
      for (const auto& [key, pattern] : ref->messages()) {
        if (cat.pattern(key) == nullptr) missing.push_back(key);
      }
      if (!missing.empty()) {
        std::string list;
        for (const auto& k : missing) list += (list.empty() ? "" : ", ") + k;
        add("", std::to_string(missing.size()) + " key(s) missing (en-GB is shown instead): " + list,
            !options.allow_missing);
      }
    }
  }
  return out;
}

}  // namespace townhall::i18n
