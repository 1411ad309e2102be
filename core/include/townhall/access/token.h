// townhall/access/token.h — bearer tokens, response references and other random identifiers.
//
// Tokens are 256 random bits from /dev/urandom, hex encoded (64 characters); only their SHA-256
// is ever stored. Response references are short, quotable and unambiguous when read aloud on a
// phone (Crockford base32: no I, L, O or U), e.g. "TH-00A1-Q9XD": the first group is the response's
// serial number in its database (so references are distinct and the store's reference index
// grows at one end instead of taking random inserts), the second is 20 random bits so one
// reference does not lead to its neighbours (a guess hits one in a million).
// Thread-safety: all functions are thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace townhall {

// `n` bytes from /dev/urandom; throws std::runtime_error if the device cannot be read.
std::string random_bytes(size_t n);

// A new bearer token: 64 lower-case hex characters (256 bits).
std::string new_bearer_token();

// What the store keeps for a token: lower-case hex SHA-256 of the token text.
std::string hash_token(std::string_view token);

// A new reference for the response with serial number `serial` (>= 0): "TH-" + the serial in
// Crockford base32, at least 4 digits (more beyond 1,048,575) + "-" + 4 random digits (20 bits).
// References of a longer serial sort after all shorter ones' by length, and among equal lengths
// in serial order.
std::string response_reference(int64_t serial);

}  // namespace townhall
