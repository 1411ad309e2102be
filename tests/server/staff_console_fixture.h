// What the staff console's in-process tests share: a server over a fresh database with a console
// account for each staff role (olivia the officer, gwen of governance, adam the administrator),
// a browser that keeps its cookies, and signing in through the pages or straight into a session.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "in_process.h"
#include "townhall/access/staff.h"
#include "townhall/access/token.h"
#include "townhall/server/api.h"
#include "townhall/store/sqlite_store.h"

namespace townhall::server {

inline constexpr const char* kPassword = "a long staff password";

using testing::csrf_of;
using testing::form_escape;

inline std::string set_cookie(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == "Set-Cookie" && v.rfind(name + "=", 0) == 0) return v;
  return "";
}

inline nlohmann::json eight_weeks() {
  return {{"title", "Library opening hours"},
          {"big_decision", true},
          {"opens", "2026-03-02"},
          {"closes", "2026-04-27"},
          {"summary", "We want to change library opening hours."},
          {"proposal", "Open on Saturday afternoons."},
          {"reasons", "Money is short."},
          {"options_considered",
           {{{"option", "Keep the hours"}},
            {{"option", "Close on Mondays"}, {"rejected", true}, {"reason", "Fewer people could visit."}}}},
          {"channels", {"online", "paper"}}};
}

// A browser: keeps its cookies as a browser would (by name; Max-Age=0 deletes).
struct Browser {
  std::map<std::string, std::string> cookies;
  std::string client = "192.0.2.10";
  std::string forwarded_proto;

  std::string cookie_header() const {
    std::string out;
    for (const auto& [k, v] : cookies) out += (out.empty() ? "" : "; ") + k + "=" + v;
    return out;
  }
  void keep(const HttpResponse& r) {
    for (const auto& [k, v] : r.headers) {
      if (k != "Set-Cookie") continue;
      std::string pair = v.substr(0, v.find(';'));
      std::string name = pair.substr(0, pair.find('='));
      if (v.find("Max-Age=0") != std::string::npos) cookies.erase(name);
      else cookies[name] = pair.substr(pair.find('=') + 1);
    }
  }
};

class StaffConsoleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::make_temp_dir("townhall-staff");
    store = std::move(open_sqlite_store(dir + "/t.db", SqliteOptions::creating())).value();
    make_api({});
    for (auto [role, username] : {std::pair{Role::kOfficer, "olivia"}, std::pair{Role::kGovernance, "gwen"},
                                  std::pair{Role::kAdmin, "adam"}}) {
      NewStaffAccount n;
      n.role = role;
      n.username = username;
      n.name = std::string(username) + " (test)";
      n.email = std::string(username) + "@example.gov.uk";
      auto a = add_staff_account(*store, n, kPassword, hash_token(new_bearer_token()), Actor::system("test"));
      ASSERT_TRUE(a.ok()) << a.error().describe();
      users[role_id(role)] = a->user;
    }
  }
  void make_api(ApiOptions o) {
    api.reset();
    o.now_seconds = [this] { return clock; };
    o.today = [] { return Date::from_ymd(2026, 1, 5); };
    api = std::make_unique<Api>(*store, o);
  }
  void TearDown() override {
    api.reset();
    std::filesystem::remove_all(dir);
  }

  HttpResponse call(Browser& b, const std::string& method, const std::string& target, const std::string& body = "") {
    HttpRequest r;
    r.method = method;
    r.target = target;
    r.cookie = b.cookie_header();
    r.client_address = b.client;
    r.forwarded_proto = b.forwarded_proto;
    r.body = body;
    if (method == "POST") r.content_type = "application/x-www-form-urlencoded";
    HttpResponse out = testing::handle_and_wait(*api, r);
    b.keep(out);
    return out;
  }

  // Signs in through the pages; the answer to the POST.
  HttpResponse sign_in(Browser& b, const std::string& name, const std::string& password) {
    auto form = call(b, "GET", "/staff/sign-in");
    EXPECT_EQ(form.status, 200);
    return call(b, "POST", "/staff/sign-in",
                "csrf=" + csrf_of(form.body) + "&name=" + form_escape(name) + "&password=" + form_escape(password));
  }

  // A browser signed in as `role` without going through the password (fast): a session stored as
  // sign_in_staff stores one.
  Browser session_for(const std::string& role) {
    Browser b;
    std::string secret = new_bearer_token();
    StaffSession s;
    s.hash = staff_session_hash(secret);
    s.user_id = users.at(role).id;
    s.client = b.client;
    s.created_at = s.last_seen_at = clock;
    s.expires_at = clock + 3600;
    EXPECT_TRUE(store->put_staff_session(s).ok());
    b.cookies["th_staff"] = secret;
    return b;
  }

  std::string dir;
  int64_t clock = 1'800'000'000;
  std::unique_ptr<Store> store;
  std::unique_ptr<Api> api;
  std::map<std::string, User> users;
};

}  // namespace townhall::server
