// The Cookie header of the web pages (pages/page_kit.h, cookie_value), which the session, CSRF and
// member sign-in checks read their cookies with.
// Input: the cookie name on the first line, the Cookie header after it.
// Properties: no crash; cookie_value() agrees with an independent reading of RFC 6265's
// "name=value; name=value" (pairs split at ';', spaces around a pair ignored, the first pair with
// the name wins); a value never holds a ';'; the session and member cookies are read the same way
// whatever else the header holds.
#include "fuzz_support.h"
#include "pages/page_kit.h"

namespace {

std::string reference_cookie_value(std::string_view header, std::string_view name) {
  while (true) {
    size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    while (!pair.empty() && pair.back() == ' ') pair.remove_suffix(1);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    if (semi == std::string_view::npos) return {};
    header.remove_prefix(semi + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace townhall;
  using namespace townhall::server;
  using fuzz::fail;
  std::string_view input = fuzz::as_text(data, size);
  size_t nl = input.find('\n');
  std::string_view name = input.substr(0, nl), header = nl == std::string_view::npos ? "" : input.substr(nl + 1);
  for (std::string_view n : {name, std::string_view("th_session"), std::string_view("th_member")}) {
    std::string value = pages::cookie_value(header, n);
    if (value != reference_cookie_value(header, n)) fail("cookie_value() misreads the header", input);
    if (value.find(';') != std::string::npos) fail("a cookie value holds a ';'", input);
    // A cookie of another name before it changes nothing.
    if (!n.empty() && n.find_first_of("=; ") == std::string_view::npos &&
        pages::cookie_value(std::string(n) + "x=1; " + std::string(header), n) != value) {
      fail("a cookie reads differently after another cookie", input);
    }
  }
  return 0;
}
