// The Cookie header of the web pages (pages/page_kit.h): cookie_value() and the session and CSRF
// checks built on it.
// Input: the cookie name on the first line, the Cookie header after it.
// Properties: no crash; cookie_value() agrees with an independent reading of RFC 6265's
// "name=value; name=value" (first match wins, spaces around a pair ignored); a session is taken
// from the th_session cookie only when it is a well-formed secret, and its own CSRF token is valid
// for it while a new session's never is.
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
  std::string value = pages::cookie_value(header, name);
  if (value != reference_cookie_value(header, name)) fail("cookie_value() misreads the header", input);
  if (value.find(';') != std::string::npos) fail("a cookie value holds a ';'", input);

  HttpRequest request;
  request.cookie = std::string(header);
  pages::Session session = pages::session_of(request);
  std::string given = pages::cookie_value(header, "th_session");
  if (!session.is_new && session.secret != given) fail("a session that is not the cookie's", input);
  if (session.is_new && session.secret == given) fail("a new session that repeats the cookie", input);
  if (!session.is_new && (session.secret.size() < 32 || session.secret.size() > 128)) {
    fail("a session secret of the wrong length accepted", input);
  }
  if (session.is_new == pages::csrf_valid(session, pages::csrf_token(session))) {
    fail("a CSRF token valid for a new session, or invalid for its own", input);
  }
  if (pages::csrf_valid(session, value) && value != pages::csrf_token(session)) fail("a forged CSRF token accepted", input);
  return 0;
}
