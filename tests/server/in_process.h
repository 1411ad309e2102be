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

#include "townhall/consultations/store.h"
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

// A request as a browser without JavaScript sends it, carrying `cookie` ("name=value" or ""): a
// POST is form-encoded, and a Set-Cookie for `session_cookie` in the answer replaces `cookie`, as
// the browser would keep it.
inline HttpResponse browser_request(Api& api, const std::string& method, const std::string& target,
                                    const std::string& body, std::string& cookie,
                                    const std::string& session_cookie = "th_session") {
  HttpRequest r;
  r.method = method;
  r.target = target;
  r.cookie = cookie;
  r.body = body;
  if (method == "POST") r.content_type = "application/x-www-form-urlencoded";
  HttpResponse out = handle_and_wait(api, r);
  for (const auto& [k, v] : out.headers) {
    if (k == "Set-Cookie" && v.rfind(session_cookie + "=", 0) == 0) cookie = v.substr(0, v.find(';'));
  }
  return out;
}

// Moves the stored draft `id` to open without the lifecycle's checks: tests of the residents'
// pages need an open consultation whatever its dates.
inline void open_without_checks(ConsultationStore& store, const std::string& id) {
  for (auto [from, to] : {std::pair{ConsultationStatus::kDraft, ConsultationStatus::kScheduled},
                          std::pair{ConsultationStatus::kScheduled, ConsultationStatus::kOpen}}) {
    TransitionRecord t;
    t.consultation_id = id;
    t.from = from;
    t.to = to;
    ASSERT_TRUE(store.transition_consultation(t).ok());
  }
}

}  // namespace townhall::server::testing
