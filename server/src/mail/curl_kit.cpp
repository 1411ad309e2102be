#include "mail/curl_kit.h"

#include <mutex>
#include <stdexcept>

namespace townhall::server::mail {

void ensure_curl() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("libcurl could not be initialised");
  });
}

CurlHandle new_handle(long timeout_seconds, const std::string& ca_file, const char* protocols) {
  ensure_curl();
  CurlHandle h(curl_easy_init());
  if (!h) throw std::runtime_error("libcurl could not make a handle");
  curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h.get(), CURLOPT_CONNECTTIMEOUT, std::min(timeout_seconds, 15L));
  curl_easy_setopt(h.get(), CURLOPT_TIMEOUT, timeout_seconds);
  curl_easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, protocols);
  curl_easy_setopt(h.get(), CURLOPT_REDIR_PROTOCOLS_STR, protocols);
  if (!ca_file.empty()) curl_easy_setopt(h.get(), CURLOPT_CAINFO, ca_file.c_str());
  return h;
}

std::string base64(std::string_view bytes, bool url_safe) {
  const char* table = url_safe ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                               : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += table[(v >> 6) & 63];
    out += table[v & 63];
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    if (i + 1 < bytes.size()) out += table[(v >> 6) & 63];
    if (!url_safe) out.append(i + 1 < bytes.size() ? "=" : "==");
  }
  return out;
}

bool plain_address(std::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  const auto at = address.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 == address.size() ||
      address.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  for (unsigned char c : address) {
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c == '\\') return false;
  }
  return true;
}

}  // namespace townhall::server::mail
