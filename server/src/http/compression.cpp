// gzip for text responses; see http/compression.h.
#include "http/compression.h"
#include "http/header_kit.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>
#include <utility>

namespace townhall::server {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// The q-value of one Accept-Encoding element's parameters (";q=0.5"); 1 when absent, 0 when unreadable.
double q_value(std::string_view params) {
  size_t at = 0;
  while (at < params.size()) {
    size_t semi = params.find(';', at);
    std::string_view p = trim_ows(params.substr(at, semi == std::string_view::npos ? std::string_view::npos : semi - at));
    at = semi == std::string_view::npos ? params.size() : semi + 1;
    if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
      std::string v(trim_ows(p.substr(2)));
      if (v.empty() || v.size() > 5) return 0;
      char* end = nullptr;
      double q = std::strtod(v.c_str(), &end);
      if (end != v.c_str() + v.size() || !(q >= 0 && q <= 1)) return 0;
      return q;
    }
  }
  return 1;
}

}  // namespace

bool accepts_gzip(std::string_view header) {
  double gzip_q = -1, star_q = -1;
  size_t at = 0;
  while (at <= header.size()) {
    size_t comma = header.find(',', at);
    std::string_view element = header.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at);
    at = comma == std::string_view::npos ? header.size() + 1 : comma + 1;
    size_t semi = element.find(';');
    std::string_view coding = trim_ows(element.substr(0, semi));
    double q = semi == std::string_view::npos ? 1 : q_value(element.substr(semi + 1));
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) gzip_q = std::max(gzip_q, q);
    if (coding == "*") star_q = std::max(star_q, q);
  }
  // An explicit "gzip;q=0" refuses gzip even when "*" would allow it.
  if (gzip_q >= 0) return gzip_q > 0;
  return star_q > 0;
}

bool is_compressible(std::string_view type) {
  type = type.substr(0, type.find(';'));
  type = trim_ows(type);
  return type.rfind("text/", 0) == 0 || iequals(type, "application/json") || iequals(type, "application/problem+json") ||
         iequals(type, "application/javascript") || iequals(type, "image/svg+xml") || iequals(type, "image/x-icon") ||
         iequals(type, "application/atom+xml") || iequals(type, "application/xml");
}

namespace {

// A deflate stream kept per thread and level and reset between answers: setting one up allocates
// about 256 KiB (window, hash chains, pending output), which per answer costs more than deflating
// a page. `window_bits` 15 + 16 writes a gzip header and trailer, -15 raw deflate blocks.
z_stream& deflater(int level, int window_bits) {
  struct Stream {
    z_stream z{};
    bool ready = false;
    ~Stream() {
      if (ready) deflateEnd(&z);
    }
  };
  // Levels 1..9, gzip or raw: 18 streams at most per thread.
  thread_local Stream streams[2][9];
  Stream& s = streams[window_bits < 0 ? 1 : 0][std::clamp(level, 1, 9) - 1];
  if (!s.ready) {
    if (deflateInit2(&s.z, std::clamp(level, 1, 9), Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw std::runtime_error("gzip: deflateInit2 failed");
    }
    s.ready = true;
  } else if (deflateReset(&s.z) != Z_OK) {
    throw std::runtime_error("gzip: deflateReset failed");
  }
  return s.z;
}

// Deflates `data` on `z` with `flush` (Z_SYNC_FLUSH or Z_FINISH), appending to `out`.
void deflate_into(z_stream& z, std::string_view data, int flush, std::string& out) {
  size_t at = out.size();
  // deflateBound covers Z_FINISH; a sync flush adds at most its empty stored block (5 bytes) more.
  out.resize(at + deflateBound(&z, static_cast<uLong>(data.size())) + 16);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data() + at);
  z.avail_out = static_cast<uInt>(out.size() - at);
  int rc = deflate(&z, flush);
  if (flush == Z_FINISH ? rc != Z_STREAM_END : (rc != Z_OK || z.avail_in != 0 || z.avail_out == 0)) {
    throw std::runtime_error("gzip: deflate did not finish");
  }
  out.resize(out.size() - z.avail_out);
}

// RFC 1952 header: deflate, no flags, no time, Unix.
constexpr char kGzipHeader[10] = {'\x1f', '\x8b', '\x08', 0, 0, 0, 0, 0, 0, '\x03'};

uint32_t crc_of(std::string_view data) {
  return static_cast<uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
}

void put_le32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

}  // namespace

std::string gzip(std::string_view data, int level) {
  z_stream& z = deflater(level, 15 + 16);
  std::string out;
  deflate_into(z, data, Z_FINISH, out);
  return out;
}

FramedGzip::FramedGzip(std::string head, std::string tail) : head_(std::move(head)), tail_(std::move(tail)) {
  deflate_into(deflater(9, -15), head_, Z_SYNC_FLUSH, head_deflated_);
  deflate_into(deflater(9, -15), tail_, Z_FINISH, tail_deflated_);
  head_crc_ = crc_of(head_);
  tail_crc_ = crc_of(tail_);
}

std::optional<std::string> FramedGzip::gzip(std::string_view whole, int level) const {
  if (whole.size() < head_.size() + tail_.size() || whole.substr(0, head_.size()) != head_ ||
      whole.substr(whole.size() - tail_.size()) != tail_) {
    return std::nullopt;
  }
  std::string_view middle = whole.substr(head_.size(), whole.size() - head_.size() - tail_.size());
  std::string out;
  out.reserve(10 + head_deflated_.size() + middle.size() / 2 + tail_deflated_.size() + 8);
  out.append(kGzipHeader, sizeof kGzipHeader);
  out += head_deflated_;
  z_stream& z = deflater(level, -15);
  // The decoder has the head in its window when it reaches the middle, so the middle may point
  // back into it (deflate's window is 32 KiB: only the head's last 32 KiB can be reached).
  std::string_view dict = std::string_view(head_).substr(head_.size() > 32768 ? head_.size() - 32768 : 0);
  if (deflateSetDictionary(&z, reinterpret_cast<const Bytef*>(dict.data()), static_cast<uInt>(dict.size())) != Z_OK) {
    throw std::runtime_error("gzip: deflateSetDictionary failed");
  }
  deflate_into(z, middle, Z_SYNC_FLUSH, out);
  out += tail_deflated_;
  uint32_t crc = static_cast<uint32_t>(crc32_combine(head_crc_, crc_of(middle), static_cast<z_off_t>(middle.size())));
  crc = static_cast<uint32_t>(crc32_combine(crc, tail_crc_, static_cast<z_off_t>(tail_.size())));
  put_le32(out, crc);
  put_le32(out, static_cast<uint32_t>(whole.size()));
  return out;
}

SplicedGzip::SplicedGzip(std::string_view before, std::string_view after)
    : before_size_(before.size()), after_size_(after.size()) {
  deflate_into(deflater(9, -15), before, Z_SYNC_FLUSH, before_deflated_);
  deflate_into(deflater(9, -15), after, Z_FINISH, after_deflated_);
  before_crc_ = crc_of(before);
  after_crc_ = crc_of(after);
}

std::string SplicedGzip::gzip(std::string_view part) const {
  std::string out;
  out.reserve(10 + before_deflated_.size() + part.size() + 5 * (part.size() / 65535 + 1) + after_deflated_.size() + 8);
  out.append(kGzipHeader, sizeof kGzipHeader);
  out += before_deflated_;
  // Stored blocks (RFC 1951 3.2.4): after a sync flush the stream is on a byte boundary, so a
  // block's three header bits (not final, type 00) and their padding make one zero byte, then
  // LEN and its complement, then at most 65,535 bytes as they are.
  for (size_t at = 0; at < part.size(); at += 65535) {
    const auto len = static_cast<uint16_t>(std::min<size_t>(65535, part.size() - at));
    const auto nlen = static_cast<uint16_t>(~len);
    out.push_back('\0');
    out.push_back(static_cast<char>(len & 0xff));
    out.push_back(static_cast<char>(len >> 8));
    out.push_back(static_cast<char>(nlen & 0xff));
    out.push_back(static_cast<char>(nlen >> 8));
    out.append(part.substr(at, len));
  }
  out += after_deflated_;
  uint32_t crc = static_cast<uint32_t>(crc32_combine(before_crc_, crc_of(part), static_cast<z_off_t>(part.size())));
  crc = static_cast<uint32_t>(crc32_combine(crc, after_crc_, static_cast<z_off_t>(after_size_)));
  put_le32(out, crc);
  put_le32(out, static_cast<uint32_t>(before_size_ + part.size() + after_size_));
  return out;
}

std::string gunzip(std::string_view data, size_t limit) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) throw std::runtime_error("gunzip: inflateInit2 failed");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[16384];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      throw std::runtime_error("gunzip: not a gzip member");
    }
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > limit) {
      inflateEnd(&z);
      throw std::runtime_error("gunzip: larger than the limit");
    }
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
      inflateEnd(&z);
      throw std::runtime_error("gunzip: truncated");
    }
  }
  inflateEnd(&z);
  return out;
}

}  // namespace townhall::server
