// townhall/store/token.h — bearer tokens, response references and other random identifiers.
//
// Tokens are 256 random bits from /dev/urandom, hex encoded (64 characters); only their SHA-256
// is ever stored. Response references are short, quotable and unambiguous when read aloud on a
// phone (Crockford base32: no I, L, O or U), e.g. "TH-7K2M-Q9XD".
// Thread-safety: all functions are thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace townhall {

// `n` bytes from /dev/urandom; throws std::runtime_error if the device cannot be read.
std::string random_bytes(size_t n);

// A new bearer token: 64 lower-case hex characters (256 bits).
std::string new_bearer_token();

// What the store keeps for a token: lower-case hex SHA-256 of the token text.
std::string hash_token(std::string_view token);

// A new response reference "TH-XXXX-XXXX" (40 random bits, Crockford base32).
std::string new_response_reference();

}  // namespace townhall
