// application/x-www-form-urlencoded bodies of the web pages (pages/page_kit.h, parse_form).
// Input: the Content-Type on the first line, the body after it.
// Properties: no crash; errors are invalid-argument errors; every name and value read is valid UTF-8 and every
// value is in NFC; form_value() gives the first value of a name, form_values() all of them in order.
#include "fuzz_support.h"
#include "pages/page_kit.h"
#include "townhall/i18n/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace townhall;
  using namespace townhall::server::pages;
  using fuzz::fail;
  std::string_view input = fuzz::as_text(data, size);
  size_t nl = input.find('\n');
  std::string_view type = input.substr(0, nl), text = nl == std::string_view::npos ? "" : input.substr(nl + 1);
  auto fields = parse_form(type, text, 4096);
  if (!fields) {
    if (fields.error().code != ErrorCode::kInvalidArgument) fail("a form error of another kind", fields.error().describe());
    return 0;
  }
  for (const auto& [name, value] : *fields) {
    if (!i18n::validate_utf8(name, "name")) fail("a form field name that is not UTF-8", input);
    auto nfc = i18n::normalize_for_storage(value, "value");
    if (!nfc) fail("a form value that is not UTF-8", input);
    if (*nfc != value) fail("a form value that is not in NFC", input);
    auto all = form_values(*fields, name);
    if (all.empty() || all.front() != form_value(*fields, name)) fail("form_value() is not the first value", input);
  }
  return 0;
}
