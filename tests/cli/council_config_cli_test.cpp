// `townhall serve --council-config FILE` refuses, before it starts, a council configuration that
// does not match schemas/council-config.schema.json, naming the field.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli_test_util.h"

namespace {

using townhall::testing::run_cli;
using townhall::testing::shell_quote;

const std::string kSample = std::string(TOWNHALL_SOURCE_DIR) + "/config/council.sample.json";

nlohmann::json sample() {
  std::ifstream in(kSample);
  return nlohmann::json::parse(in);
}

std::string write_temp(const std::string& text) {
  char path[] = "/tmp/townhall-council-XXXXXX";
  int fd = mkstemp(path);
  close(fd);
  std::ofstream(path) << text;
  return path;
}

TEST(CouncilConfigCli, ServeRefusesABadConfigurationNamingTheField) {
  auto missing = sample();
  missing["privacy"].erase("dpo");
  auto partial = sample();
  partial["accessibility"].erase("non_accessible_content");  // partial compliance must list them
  auto bad_email = sample();
  bad_email["accessibility"]["contact"]["email"] = "not an address";
  for (const auto& [doc, field] : {std::pair{missing, std::string("/privacy")},
                                   std::pair{partial, std::string("/accessibility")},
                                   std::pair{bad_email, std::string("/accessibility/contact/email")}}) {
    std::string path = write_temp(doc.dump());
    auto r = run_cli("serve --db /nonexistent/never.db --port 0 --council-config " + shell_quote(path));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(field), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("council configuration"), std::string::npos) << r.err;
    std::remove(path.c_str());
  }
  std::string path = write_temp("{ not json");
  auto r = run_cli("serve --db /nonexistent/never.db --port 0 --council-config " + shell_quote(path));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--council-config"), std::string::npos) << r.err;
  std::remove(path.c_str());
}

}  // namespace
