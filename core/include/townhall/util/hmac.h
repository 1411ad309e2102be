// townhall/util/hmac.h — HMAC-SHA256 (RFC 2104, OpenSSL libcrypto), hex-encoded, and a
// constant-time comparison for checking one.
//
// Used where the server must recognise values it issued itself (the web pages' session cookie and
// CSRF tokens) without storing them.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace townhall {

// Lower-case hex HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// a == b, in time that depends only on the lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace townhall
