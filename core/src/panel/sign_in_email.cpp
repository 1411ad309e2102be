// Sign-in address keys: trim, ICU full case folding, NFC; see townhall/panel/sign_in_email.h.
#include "townhall/panel/sign_in_email.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "i18n/icu_util.h"
#include "townhall/i18n/locale.h"
#include "townhall/i18n/text.h"

namespace townhall::panel {

std::optional<std::string> sign_in_key(std::string_view email) {
  if (!i18n::validate_utf8(email, "email")) return std::nullopt;
  i18n::init_i18n();
  icu::UnicodeString u = i18n::detail::from_utf8(email);
  // White space of any script at either end (a pasted address often brings a no-break space).
  int32_t begin = 0, end = u.length();
  while (begin < end && u_isUWhiteSpace(u.char32At(begin))) begin = u.moveIndex32(begin, 1);
  while (end > begin && u_isUWhiteSpace(u.char32At(u.moveIndex32(end, -1)))) end = u.moveIndex32(end, -1);
  if (begin == end) return std::nullopt;
  // Canonical caseless matching (Unicode 3.13, D145): NFD, fold, then NFC to keep the key short.
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return std::nullopt;
  icu::UnicodeString folded = nfd->normalize(u.tempSubStringBetween(begin, end), status);
  if (U_FAILURE(status)) return std::nullopt;
  folded.foldCase(U_FOLD_CASE_DEFAULT);
  icu::UnicodeString out = nfc->normalize(folded, status);
  if (U_FAILURE(status)) return std::nullopt;
  return i18n::detail::to_utf8(out);
}

}  // namespace townhall::panel
