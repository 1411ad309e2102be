// Message catalogs (i18n/catalog.h, catalog_check.h): a catalog file's JSON, its ICU MessageFormat
// patterns, the build-time check over them, and formatting each message with arguments of the
// kinds its pattern asks for.
// Properties: no crash or exception; an accepted catalog makes a catalog set under its own file
// name; resolving its own locale finds it; formatting yields valid UTF-8 or an error naming an
// argument.
#include "fuzz_support.h"
#include "townhall/i18n/catalog.h"
#include "townhall/i18n/catalog_check.h"
#include "townhall/i18n/text.h"

namespace {

using namespace townhall;

// Values for the arguments a pattern names: numbers for plural, selectordinal and number, a date
// for date and time, a selector of its own (else "other") for select, text otherwise.
i18n::MessageArgs arguments_for(const std::vector<i18n::PatternArgument>& analysed, int64_t n) {
  i18n::MessageArgs args;
  for (const auto& a : analysed) {
    if (a.kind == "plural" || a.kind == "selectordinal") {
      args[a.name] = n;
    } else if (a.kind == "simple" && a.simple_type == "number") {
      args[a.name] = static_cast<double>(n) / 4;
    } else if (a.kind == "simple" && (a.simple_type == "date" || a.simple_type == "time")) {
      args[a.name] = Date::from_ymd(2025, 7, 17);
    } else if (a.kind == "select" && !a.selectors.empty()) {
      args[a.name] = a.selectors[static_cast<size_t>(n) % a.selectors.size()];
    } else {
      args[a.name] = std::string("Llyfrgell \xe2\x9c\x93");
    }
  }
  return args;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using fuzz::fail;
  std::string_view text = fuzz::as_text(data, size);
  if (fuzz::json_depth(text) > fuzz::kMaxJsonDepth) return -1;
  auto catalog = i18n::Catalog::parse(text, "fuzz.json");
  if (!catalog) {
    if (catalog.error().field.rfind("fuzz.json", 0) != 0) fail("a catalog error that does not name the file", catalog.error().describe());
    return 0;
  }
  auto set = i18n::CatalogSet::from_sources({{catalog->locale() + ".json", std::string(text)}});
  if (!set) fail("a valid catalog is refused under its own file name", set.error().describe());
  (void)i18n::check_catalogs(*set, i18n::CheckOptions{true});
  if (set->resolve(catalog->locale()) != set->find(catalog->locale())) fail("a catalog does not resolve to itself", text);

  size_t formatted = 0;
  // Formatted with format_pattern(), not CatalogSet::format(): the latter keeps each set's compiled
  // messages in a per-thread cache, which would grow with every input and set off libFuzzer's
  // leak check (a full heap scan) on each one.
  for (const auto& message : catalog->messages()) {
    const std::string& pattern = message.second;
    if (++formatted > 8) break;  // the first few messages; the check above saw all of them
    auto analysed = i18n::analyse_pattern(pattern);
    if (!analysed) continue;
    for (int64_t n : {int64_t{0}, int64_t{1}, int64_t{2}, int64_t{11}, int64_t{1000001}}) {
      auto args = arguments_for(*analysed, n);
      auto direct = i18n::format_pattern(catalog->locale(), pattern, args);
      if (direct && !i18n::validate_utf8(*direct, "text")) fail("formatting produced invalid UTF-8", pattern);
      if (!direct && direct.error().field.empty()) fail("a formatting error that names nothing", direct.error().message);
    }
  }
  return 0;
}
