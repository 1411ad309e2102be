// Sign-in address keys: i18n::caseless_key; see townhall/panel/sign_in_email.h.
#include "townhall/panel/sign_in_email.h"

#include "townhall/i18n/text.h"

namespace townhall::panel {

std::optional<std::string> sign_in_key(std::string_view email) { return i18n::caseless_key(email); }

}  // namespace townhall::panel
