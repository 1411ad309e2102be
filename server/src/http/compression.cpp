// gzip for text responses; see http/compression.h.
#include "http/compression.h"
#include "http/header_kit.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

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

std::string gzip(std::string_view data, int level) {
  z_stream z{};
  // windowBits 15 + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&z, std::clamp(level, 1, 9), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("gzip: deflateInit2 failed");
  }
  std::string out;
  out.resize(deflateBound(&z, static_cast<uLong>(data.size())));
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  size_t produced = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("gzip: deflate did not finish");
  out.resize(produced);
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
