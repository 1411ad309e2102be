// townhall policy show — the effective policy (the charter's defaults with a council's settings).
#include <iostream>

#include "cli.h"
#include "options.h"

namespace townhall::cli {
namespace {

int show(const Args& args) {
  auto policy = policy_option(args);
  if (!policy) return bad_input(policy.error());
  // Text and JSON are the same document: the policy file format is already readable.
  std::cout << policy->to_json().dump(2) << "\n";
  return kExitOk;
}

TOWNHALL_COMMAND("policy show", "policy show [--policy POLICY.json] [--json]   (validate a policy file and print the effective settings)",
                 OptionSpec{{"policy"}, {}, 0, 0}, show);

}  // namespace
}  // namespace townhall::cli
