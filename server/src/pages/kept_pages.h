// Internal to the web pages: pages that are the same for every resident but for a CSRF token,
// rendered once per generation of the public content and kept.
//
// A question page seen before anything is answered on it differs between residents only in the
// form's CSRF token. It is rendered with a marker in the token's place, kept under a key naming
// everything else it depends on, and each request copies it and writes its own token over the
// marker. Entries made from an older generation of the public content are never returned.
// Bounded: the store starts again when full.
// Thread-safety: every function may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "townhall/server/http.h"

namespace townhall::server::pages {

// What to render in the token's place: letters and digits only, so HTML escaping leaves it as it
// is; random per process, so no page text can forge it.
const std::string& token_marker();

// Keeps `page` (rendered with token_marker() as its one token) under `key` for `generation`, and
// gives it back with `token` in the marker's place. A page in which the marker is not found
// exactly once is not kept.
HttpResponse keep_page(uint64_t generation, const std::string& key, HttpResponse page, const std::string& token);

// The page kept under `key` for `generation`, with `token` in the marker's place; nullopt when
// none is kept.
std::optional<HttpResponse> kept_page(uint64_t generation, const std::string& key, const std::string& token);

}  // namespace townhall::server::pages
