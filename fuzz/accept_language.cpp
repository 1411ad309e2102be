// Language tags and the Accept-Language negotiator (i18n/locale.h, CatalogSet::resolve): what the
// pages and the API do with a request's Accept-Language header or ?lang= parameter.
// Properties: no crash; negotiate_language() answers one of the supported tags (the first one when
// nothing matches); canonical_tag() is idempotent and never returns an empty tag; resolve() always
// finds a catalog; the direction and endonym of any tag can be asked.
#include <algorithm>

#include "fuzz_support.h"
#include "townhall/i18n/catalog.h"
#include "townhall/i18n/locale.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace townhall;
  using fuzz::fail;
  std::string_view header = fuzz::as_text(data, size);
  static const std::vector<std::string> pages = i18n::CatalogSet::builtin().locales();
  static const std::vector<std::string> translations = {"en-GB", "cy", "pa-Arab", "zh-Hant"};
  for (const auto* supported : {&pages, &translations}) {
    std::string chosen = i18n::negotiate_language(header, *supported);
    if (std::find(supported->begin(), supported->end(), chosen) == supported->end()) {
      fail("negotiate_language() chose a language that is not supported", std::string(header) + "\n==> " + chosen);
    }
  }
  if (i18n::negotiate_language(header, {}) != i18n::kDefaultLocale) fail("no supported languages, yet not en-GB", header);

  auto tag = i18n::canonical_tag(header, "lang");
  if (tag) {
    if (tag->empty()) fail("canonical_tag() returned an empty tag", header);
    auto again = i18n::canonical_tag(*tag, "lang");
    if (!again || *again != *tag) fail("canonical_tag() is not idempotent", std::string(header) + "\n==> " + *tag);
    (void)i18n::endonym(*tag);
    (void)i18n::display_name(*tag, "cy");
    (void)i18n::formatting_tag(*tag);
  } else if (tag.error().field != "lang") {
    fail("a tag error that does not name its field", tag.error().describe());
  }
  (void)i18n::is_right_to_left(header);
  if (i18n::CatalogSet::builtin().resolve(header) == nullptr) fail("resolve() found no catalog", header);
  return 0;
}
