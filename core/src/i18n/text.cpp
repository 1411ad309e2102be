// UTF-8 validation, NFC and collation; see townhall/i18n/text.h.
#include "townhall/i18n/text.h"

#include <algorithm>
#include <memory>

#include <unicode/coll.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "i18n/icu_util.h"
#include "townhall/i18n/locale.h"
#include "townhall/util/json_parse.h"

namespace townhall::i18n {

Result<std::string> normalize_for_storage(std::string_view text, std::string_view field) {
  if (auto st = validate_utf8(text, field); !st) return st.error();
  if (size_t at = find_forbidden_control(text); at != std::string_view::npos) {
    return invalid_argument(std::string(field), "contains " + describe_control(text, at) +
                                                    "; text may hold tabs and line breaks but no other control characters");
  }
  return normalize_nfc(text, field);
}

Result<std::string> normalize_nfc(std::string_view text, std::string_view field) {
  if (auto st = validate_utf8(text, field); !st) return st.error();
  init_i18n();
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return Error{ErrorCode::kInternal, std::string(field), "NFC data unavailable"};
  icu::UnicodeString in = detail::from_utf8(text);
  if (nfc->isNormalized(in, status) && U_SUCCESS(status)) return std::string(text);
  status = U_ZERO_ERROR;
  icu::UnicodeString out = nfc->normalize(in, status);
  if (U_FAILURE(status)) return Error{ErrorCode::kInternal, std::string(field), "NFC normalisation failed"};
  return detail::to_utf8(out);
}

namespace {
std::unique_ptr<icu::Collator> collator_for(std::string_view tag) {
  auto loc = detail::parse_locale(tag);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Collator> c(icu::Collator::createInstance(loc ? *loc : icu::Locale::getRoot(), status));
  if (U_FAILURE(status)) {
    status = U_ZERO_ERROR;
    c.reset(icu::Collator::createInstance(icu::Locale::getRoot(), status));
  }
  return c;
}
}  // namespace

void sort_for_locale(std::vector<std::string>& items, std::string_view tag) {
  auto coll = collator_for(tag);
  std::vector<std::pair<std::string, std::string>> keyed;  // sort key, item
  keyed.reserve(items.size());
  for (auto& item : items) {
    icu::UnicodeString u = detail::from_utf8(item);
    std::string key;
    int32_t n = coll->getSortKey(u, nullptr, 0);
    key.resize(static_cast<size_t>(n));
    coll->getSortKey(u, reinterpret_cast<uint8_t*>(key.data()), n);
    keyed.emplace_back(std::move(key), std::move(item));
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 0; i < items.size(); ++i) items[i] = std::move(keyed[i].second);
}

int compare_for_locale(std::string_view a, std::string_view b, std::string_view tag) {
  auto coll = collator_for(tag);
  UErrorCode status = U_ZERO_ERROR;
  auto r = coll->compareUTF8(icu::StringPiece(a.data(), static_cast<int32_t>(a.size())),
                             icu::StringPiece(b.data(), static_cast<int32_t>(b.size())), status);
  return r == UCOL_LESS ? -1 : (r == UCOL_GREATER ? 1 : 0);
}

std::optional<std::string> caseless_key(std::string_view text) {
  if (!is_valid_utf8(text)) return std::nullopt;
  init_i18n();
  icu::UnicodeString u = detail::from_utf8(text);
  // White space of any script at either end (a pasted address often brings a no-break space).
  int32_t begin = 0, end = u.length();
  while (begin < end && u_isUWhiteSpace(u.char32At(begin))) begin = u.moveIndex32(begin, 1);
  while (end > begin && u_isUWhiteSpace(u.char32At(u.moveIndex32(end, -1)))) end = u.moveIndex32(end, -1);
  if (begin == end) return std::nullopt;
  // NFD, fold, then NFC to keep the key short.
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return std::nullopt;
  icu::UnicodeString folded = nfd->normalize(u.tempSubStringBetween(begin, end), status);
  if (U_FAILURE(status)) return std::nullopt;
  folded.foldCase(U_FOLD_CASE_DEFAULT);
  icu::UnicodeString out = nfc->normalize(folded, status);
  if (U_FAILURE(status)) return std::nullopt;
  return detail::to_utf8(out);
}

}  // namespace townhall::i18n
