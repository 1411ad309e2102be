// Internal to townhall_server: small helpers for the headers of an answer and the values of a
// request's headers, shared by the request pipeline, the response cache and compression (one
// definition each, so the files can also be compiled together in one unity batch).
// Thread-safety: pure functions.
#pragma once

#include <algorithm>
#include <cctype>
#include <string_view>

#include "townhall/server/http.h"

namespace townhall::server {

// Header names compare without regard to case (RFC 9110 §5.1).
inline bool same_header_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

inline bool has_header(const HttpResponse& r, std::string_view name) {
  return std::any_of(r.headers.begin(), r.headers.end(), [&](const auto& h) { return same_header_name(h.first, name); });
}

inline void drop_header(HttpResponse& r, std::string_view name) {
  std::erase_if(r.headers, [&](const auto& h) { return same_header_name(h.first, name); });
}

// Without the optional whitespace (spaces and tabs, RFC 9110 §5.6.3) around a header value's part.
inline std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace townhall::server
