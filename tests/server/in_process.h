// Helpers for the in-process server tests: a temporary directory for a SQLite store, and one
// request through Api::handle, waiting for its answer (response submissions complete on the
// committer's writer thread).
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <string>

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

}  // namespace townhall::server::testing
