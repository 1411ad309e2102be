// What the store tests share: a database file in a directory of its own, removed afterwards.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "townhall/store/sqlite_store.h"

namespace townhall::testing_store {

class TempDb {
 public:
  TempDb() {
    char tmpl[] = "/tmp/townhall-store-XXXXXX";
    dir_ = mkdtemp(tmpl);
    path_ = dir_ + "/t.db";
  }
  ~TempDb() { std::filesystem::remove_all(dir_); }
  const std::string& path() const { return path_; }

 private:
  std::string dir_, path_;
};

// Opens (making when new) the database at `path`.
inline std::unique_ptr<Store> open_ok(const std::string& path, SqliteOptions o = {}) {
  o.create = true;
  auto s = open_sqlite_store(path, o);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().describe());
  return std::move(s).value();
}

}  // namespace townhall::testing_store
