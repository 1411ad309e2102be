// ICU-backed locale helpers; see townhall/i18n/locale.h.
#include "townhall/i18n/locale.h"

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include <unicode/locdspnm.h>
#include <unicode/localematcher.h>
#include <unicode/locid.h>
#include <unicode/timezone.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "i18n/icu_util.h"

namespace townhall::i18n {

void init_i18n() {
  static std::once_flag once;
  std::call_once(once, [] {
    UErrorCode status = U_ZERO_ERROR;
    icu::Locale::setDefault(icu::Locale("en", "GB"), status);
    icu::TimeZone::adoptDefault(icu::TimeZone::createTimeZone(icu::UnicodeString(kTimeZone.data(), static_cast<int32_t>(kTimeZone.size()), US_INV)));
  });
}

Result<std::string> canonical_tag(std::string_view tag, std::string_view field) {
  init_i18n();
  std::string t(tag);
  for (char& c : t) {
    if (c == '_') c = '-';
  }
  auto bad = [&](const std::string& why) {
    return invalid_argument(std::string(field), "\"" + std::string(tag) + "\" is not a language tag: " + why);
  };
  if (t.empty()) return bad("empty");
  // One pass of ICU need not reach the canonical form: it replaces legacy tags (art-lojban → jbo)
  // even inside longer tags, so what one pass writes ("gn-art-lojbanrt-lojban" →
  // "art-lojban-lojbanrt") can be changed by the next. A stored tag must read back as itself, so
  // passes are taken until the tag settles; one that does not settle in a few is refused.
  constexpr int kMaxPasses = 4;
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    UErrorCode status = U_ZERO_ERROR;
    icu::Locale loc = icu::Locale::forLanguageTag(t, status);
    if (U_FAILURE(status) || loc.isBogus() || std::string(loc.getLanguage()).empty()) {
      return bad("ill-formed BCP 47");
    }
    status = U_ZERO_ERROR;
    std::string out = loc.toLanguageTag<std::string>(status);
    if (U_FAILURE(status) || out.empty() || out == "und") return bad("ill-formed BCP 47");
    if (out == t) return out;
    t = std::move(out);
  }
  return bad("its canonical form does not settle");
}

bool is_right_to_left(std::string_view tag) {
  // Pages ask for every answer they render and parsing a locale costs microseconds; the answer for
  // a tag never changes, so the first few hundred tags asked about are remembered.
  static std::shared_mutex mu;
  static std::unordered_map<std::string, bool> known;
  {
    std::shared_lock lock(mu);
    if (auto it = known.find(std::string(tag)); it != known.end()) return it->second;
  }
  auto loc = detail::parse_locale(tag);
  bool rtl = loc && loc->isRightToLeft();
  std::unique_lock lock(mu);
  if (known.size() < 256) known.emplace(std::string(tag), rtl);
  return rtl;
}

std::string display_name(std::string_view tag, std::string_view in_tag) {
  auto loc = detail::parse_locale(tag);
  auto in = detail::parse_locale(in_tag);
  if (!loc || !in) return {};
  UDisplayContext contexts[] = {UDISPCTX_DIALECT_NAMES, UDISPCTX_CAPITALIZATION_FOR_UI_LIST_OR_MENU};
  std::unique_ptr<icu::LocaleDisplayNames> names(icu::LocaleDisplayNames::createInstance(*in, contexts, 2));
  if (!names) return {};
  icu::UnicodeString out;
  names->localeDisplayName(*loc, out);
  // CLDR leaves some names lower case ("polski", "español"); a menu item starts with a capital.
  if (!out.isEmpty()) {
    const UChar32 first = out.char32At(0);
    const UChar32 title = u_totitle(first);
    if (title != first) out.replace(0, U16_LENGTH(first), title);
  }
  return detail::to_utf8(out);
}

std::string endonym(std::string_view tag) { return display_name(tag, tag); }

std::string formatting_tag(std::string_view tag) {
  auto loc = detail::formatting_locale(tag);
  UErrorCode status = U_ZERO_ERROR;
  return loc.toLanguageTag<std::string>(status);
}

std::string negotiate_language(std::string_view accept_language, const std::vector<std::string>& supported) {
  init_i18n();
  if (supported.empty()) return std::string(kDefaultLocale);
  std::vector<icu::Locale> locales;
  for (const auto& s : supported) {
    auto loc = detail::parse_locale(s);
    locales.push_back(loc ? *loc : icu::Locale::getRoot());
  }
  if (accept_language.empty()) return supported.front();
  UErrorCode status = U_ZERO_ERROR;
  icu::LocaleMatcher::Builder builder;
  builder.setSupportedLocales(locales.begin(), locales.end());
  builder.setDefaultLocale(&locales.front());
  icu::LocaleMatcher matcher = builder.build(status);
  if (U_FAILURE(status)) return supported.front();
  const icu::Locale* best = matcher.getBestMatchForListString(accept_language, status);
  if (U_FAILURE(status) || best == nullptr) return supported.front();
  for (size_t i = 0; i < locales.size(); ++i) {
    if (locales[i] == *best) return supported[i];
  }
  return supported.front();
}

namespace detail {

std::optional<icu::Locale> parse_locale(std::string_view tag) {
  init_i18n();
  std::string t(tag);
  for (char& c : t) {
    if (c == '_') c = '-';
  }
  if (t.empty()) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale loc = icu::Locale::forLanguageTag(t, status);
  if (U_FAILURE(status) || loc.isBogus()) return std::nullopt;
  return loc;
}

icu::Locale formatting_locale(std::string_view tag) {
  auto parsed = parse_locale(tag);
  icu::Locale loc = parsed ? *parsed : icu::Locale("en", "GB");
  UErrorCode status = U_ZERO_ERROR;
  loc.setUnicodeKeywordValue("nu", "latn", status);
  return loc;
}

std::string to_utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

icu::UnicodeString from_utf8(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

}  // namespace detail
}  // namespace townhall::i18n
