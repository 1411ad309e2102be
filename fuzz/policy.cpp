// A council's charter policy file (charter-policy.schema.json, CharterPolicy::from_json_text), and
// the charter rules run under whatever settings it accepts — over the repository's example check
// file and Forward Plan, so extreme but valid settings meet real consultations and decisions.
// Properties: no crash or exception; a refused policy names a JSON pointer; an accepted policy
// written back with to_json() reads back to the same JSON.
#include <fstream>
#include <sstream>

#include "fuzz_support.h"
#include "townhall/compliance/compliance.h"
#include "townhall/charter/policy.h"

namespace {

nlohmann::json example(const std::string& name) {
  std::ifstream in(std::string(TOWNHALL_SOURCE_DIR) + "/docs/examples/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace townhall;
  using fuzz::fail;
  static const nlohmann::json check_file = example("check-example.json");
  static const nlohmann::json forward_plan = example("forward-plan.json");
  std::string_view text = fuzz::as_text(data, size);
  if (fuzz::json_depth(text) > fuzz::kMaxJsonDepth) return -1;
  Result<CharterPolicy> policy = CharterPolicy::from_json_text(text);
  if (!policy) {
    // Malformed JSON is named by its byte offset; every other refusal by a JSON pointer.
    if (policy.error().code != ErrorCode::kInvalidJson &&
        (policy.error().field.empty() || policy.error().field.front() != '/')) {
      fail("a policy error without a JSON pointer", policy.error().describe());
    }
    return 0;
  }
  nlohmann::json written = policy->to_json();
  auto again = CharterPolicy::from_json(written);
  if (!again) fail("to_json() wrote a policy from_json() refuses", written.dump() + "\n" + again.error().describe());
  if (again->to_json() != written) fail("a policy changed on its way through to_json()", written.dump());
  for (Date as_of : {Date::from_ymd(2025, 11, 1), Date::from_ymd(2026, 6, 1)}) {
    auto report = check_document(check_file, *policy, as_of);
    if (!report) fail("the example check file fails under a valid policy", report.error().describe());
    auto plan = check_document(forward_plan, *policy, as_of);
    if (!plan) fail("the example Forward Plan fails under a valid policy", plan.error().describe());
  }
  return 0;
}
