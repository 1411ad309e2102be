// The accessibility statement and the privacy notice.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include "http/api_impl.h"
#include "pages/page_kit.h"
#include "pages/handlers.h"
#include "pages/consultation_content.h"
#include "townhall/consultations/status.h"
#include "townhall/consultations/translation.h"
#include "townhall/i18n/catalog.h"
#include "townhall/i18n/locale.h"
#include "townhall/panel/ask_once.h"
#include "townhall/responses/answers.h"
#include "townhall/submissions/submit.h"
#include "townhall/access/token.h"
#include "townhall/util/json_schema.h"
#include "townhall/util/sha256.h"

namespace townhall::server {

// GET /{lang}/accessibility
Result<HttpResponse> get_accessibility_page(RequestContext&, const Localiser& loc) {
  return text_page(loc, 200, "accessibility.title",
                   {"accessibility.intro", "accessibility.standard", "accessibility.known_issues",
                    "accessibility.contact"},
                   "/accessibility");
}

// GET /{lang}/privacy
Result<HttpResponse> get_privacy_page(RequestContext&, const Localiser& loc) {
  return text_page(loc, 200, "privacy.title",
                   {"privacy.who", "privacy.what", "privacy.why", "privacy.how_long", "privacy.panel", "privacy.rights"}, "/privacy");
}

}  // namespace townhall::server
