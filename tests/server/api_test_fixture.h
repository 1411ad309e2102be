// What the in-process API tests share: a server over a fresh database with a user of every role,
// and reading a response's headers.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>

#include "../core/exception_test_util.h"
#include "in_process.h"
#include "townhall/access/token.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"

namespace townhall::server {

// Every value of the response's header `name`, in order.
inline std::vector<std::string> header_values(const HttpResponse& r, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& [k, v] : r.headers)
    if (k == name) out.push_back(v);
  return out;
}

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::make_temp_dir("townhall-api");
    store = std::move(open_sqlite_store(dir + "/t.db", SqliteOptions::creating())).value();
    ApiOptions o;
    o.body_limit = 4096;
    api = std::make_unique<Api>(*store, o);
    for (Role r : {Role::kPanelMember, Role::kOfficer, Role::kGovernance, Role::kAdmin}) {
      std::string t = new_bearer_token();
      auto u = store->add_user(r, role_id(r), hash_token(t));
      ASSERT_TRUE(u.ok());
      tokens[r] = t;
      users[r] = *u;
    }
  }
  void TearDown() override {
    api.reset();
    std::filesystem::remove_all(dir);
  }

  HttpResponse call(const std::string& method, const std::string& target, Role role = Role::kPublic,
                    const std::string& body = "", const std::string& content_type = "application/json",
                    const std::string& accept_language = "") {
    HttpRequest r;
    r.method = method;
    r.target = target;
    r.accept_language = accept_language;
    if (role != Role::kPublic) r.authorization = "Bearer " + tokens[role];
    r.body = body;
    if (!body.empty()) r.content_type = content_type;
    return testing::handle_and_wait(*api, r);
  }

  // The "exception" member of a step to `to` of consultation `id`, naming a request the officer
  // (Role::kOfficer) asked for and a second officer with a console account approved.
  std::string approved_exception_member(const std::string& id, ConsultationStatus to,
                                        const std::string& reason = "The test runs before the published dates") {
    if (approver.id == 0) approver = townhall::testing::add_staff_officer(*store, "approver");
    const int64_t request = townhall::testing::approved_exception(*store, id, to, reason, users[Role::kOfficer], approver);
    return R"("exception":{"request_id":)" + std::to_string(request) + "}";
  }

  nlohmann::json problem_of(const HttpResponse& r) {
    EXPECT_EQ(r.content_type, "application/problem+json") << r.body;
    auto j = nlohmann::json::parse(r.body);
    EXPECT_EQ(j["status"], r.status);
    EXPECT_TRUE(j.contains("type") && j.contains("title") && j.contains("detail"));
    return j;
  }

  std::string dir;
  std::unique_ptr<Store> store;
  std::unique_ptr<Api> api;
  std::map<Role, std::string> tokens;
  std::map<Role, User> users;
  User approver;  // a console officer, added by the first approved_exception_member()
};

}  // namespace townhall::server
