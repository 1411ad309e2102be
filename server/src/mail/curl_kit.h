// What the SMTP and Notify transports share: libcurl set up once, handles freed on every path,
// base64, and the checks an address must pass before it goes into a mail header.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>
#include <string_view>

namespace townhall::server::mail {

// curl_global_init, once per process, before the first handle.
void ensure_curl();

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using CurlList = std::unique_ptr<curl_slist, CurlDeleter>;

// A fresh easy handle with what every transport wants: no signals (worker threads), the given
// timeout, certificates from `ca_file` when not empty, and only the protocols named.
CurlHandle new_handle(long timeout_seconds, const std::string& ca_file, const char* protocols);

std::string base64(std::string_view bytes, bool url_safe = false);

// An address fit for a mail header and an SMTP command: one @, no spaces, no control characters,
// no angle brackets, at most 254 bytes.
bool plain_address(std::string_view address);

}  // namespace townhall::server::mail
