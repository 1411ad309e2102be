// Internal to townhall_server: gzip for text responses (zlib), and reading Accept-Encoding.
// Thread-safety: plain functions.
#pragma once

#include <cstdint>
#include <optional>
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

// Text whose head and tail stay the same while the middle changes from answer to answer (a page's
// layout around its content). The head and tail are deflated once, at the smallest level; each
// answer deflates only its middle, with the head as its dictionary (so it compresses about as well
// as the whole would), and the parts are spliced into one gzip member: deflate blocks written up to
// a sync flush end on a byte boundary and may be followed by any other blocks, and the member's
// CRC-32 is combined from the parts' (zlib's crc32_combine).
// Thread-safety: after construction, gzip() may be called from any thread.
class FramedGzip {
 public:
  FramedGzip(std::string head, std::string tail);

  const std::string& head() const { return head_; }
  const std::string& tail() const { return tail_; }

  // `whole` as one gzip member, when it is head + middle + tail; nullopt when it is not.
  std::optional<std::string> gzip(std::string_view whole, int level) const;

 private:
  std::string head_, tail_;
  std::string head_deflated_;  // raw deflate blocks, ending on a sync flush (not final)
  std::string tail_deflated_;  // raw deflate blocks, the last one final
  uint32_t head_crc_ = 0, tail_crc_ = 0;
};

// Text in which one short part changes from answer to answer (a CSRF token) and all else stays:
// everything before and after it is deflated once, and each answer only adds its part as a stored
// (uncompressed) deflate block between them, so coding costs a copy and a CRC of the part.
// Thread-safety: after construction, gzip() may be called from any thread.
class SplicedGzip {
 public:
  SplicedGzip(std::string_view before, std::string_view after);

  // before + `part` + after as one gzip member.
  std::string gzip(std::string_view part) const;

 private:
  std::string before_deflated_;  // raw deflate blocks, ending on a sync flush (not final)
  std::string after_deflated_;   // raw deflate blocks, the last one final
  uint32_t before_crc_ = 0, after_crc_ = 0;
  size_t before_size_ = 0, after_size_ = 0;
};

// The bytes of a gzip member; throws std::runtime_error when `data` is not one, or when it would
// inflate past `limit` bytes.
std::string gunzip(std::string_view data, size_t limit = 64u << 20);

}  // namespace townhall::server
