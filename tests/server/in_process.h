// Helpers for the in-process server tests: a temporary directory for a SQLite store, one request
// through Api::handle, waiting for its answer (response submissions complete on the committer's
// writer thread), and what a test of the pages needs to fill in a form: the page's CSRF token,
// form encoding and a header of the answer.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "townhall/server/api.h"

namespace townhall::server::testing {

// A fresh directory under /tmp named after `prefix`; removed by remove().
inline std::string make_temp_dir(const std::string& prefix) {
  std::string tmpl = "/tmp/" + prefix + "-XXXXXX";
  return mkdtemp(tmpl.data());
}

inline HttpResponse handle_and_wait(Api& api, const HttpRequest& request) {
  HttpResponse out;
  bool called = false;
  api.handle(request, [&](HttpResponse res) {
    out = std::move(res);
    called = true;
  });
  for (int i = 0; i < 500 && !called; ++i) usleep(2000);
  EXPECT_TRUE(called);
  return out;
}

// The CSRF token of the first form of a page ("" when there is none).
inline std::string csrf_of(const std::string& html) {
  std::smatch m;
  static const std::regex re(R"re(name="csrf" value="([0-9a-f]{64})")re");
  return std::regex_search(html, m, re) ? m[1].str() : "";
}

// `s` encoded for an application/x-www-form-urlencoded body.
inline std::string form_escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// A form body of `fields`, in order.
inline std::string form_body(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) out += (out.empty() ? "" : "&") + form_escape(k) + "=" + form_escape(v);
  return out;
}

// The first value of the answer's header `name` ("" when absent).
inline std::string header_value(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

}  // namespace townhall::server::testing
