#include <gtest/gtest.h>

#include "cli_test_util.h"

namespace townhall::testing {
namespace {

TEST(Cli, UnknownCommandIsBadInput) {
  auto r = run_cli("frobnicate");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown command"), std::string::npos);
}

TEST(Cli, HelpListsCommands) {
  auto r = run_cli("help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Usage: townhall"), std::string::npos);
}

}  // namespace
}  // namespace townhall::testing
