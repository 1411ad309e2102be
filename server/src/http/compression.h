// Internal to townhall_server: gzip for text responses (zlib), and reading Accept-Encoding.
// Thread-safety: plain functions.
#pragma once

#include <string>
#include <string_view>

namespace townhall::server {

// Whether an Accept-Encoding header value lets the answer be gzip-coded: "gzip" (or "x-gzip", or
// "*") listed with a q-value above 0. An empty or unreadable header means identity only.
bool accepts_gzip(std::string_view accept_encoding);

// Whether a response of this Content-Type is worth compressing: text (HTML, CSS, JavaScript, JSON,
// SVG) and icons (uncompressed bitmaps); fonts and other images are compressed already.
bool is_compressible(std::string_view content_type);

// Bodies smaller than this are sent as they are: the gzip header and a round trip of CPU cost more
// than they save.
inline constexpr size_t kMinCompressBytes = 860;

// `data` as a gzip member (RFC 1952). `level` 1 (fast) to 9 (small): answers made per request
// use a fast level, answers made once and kept (assets, cached pages) the smallest.
std::string gzip(std::string_view data, int level);

// The bytes of a gzip member; throws std::runtime_error when `data` is not one, or when it would
// inflate past `limit` bytes.
std::string gunzip(std::string_view data, size_t limit = 64u << 20);

}  // namespace townhall::server
