// The Forward Plan as JSON (schemas/forward-plan.schema.json, parse_forward_plan) and the
// compliance rules run over whatever it accepts.
// Properties: no crash or exception; errors name a JSON pointer; an accepted plan written back with
// forward_plan_to_json() parses to an equal plan (the header's promise).
#include "fuzz_support.h"
#include "townhall/forward_plan/forward_plan.h"
#include "townhall/forward_plan/forward_plan_rules.h"
#include "townhall/util/json_schema.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace townhall;
  using fuzz::fail;
  std::string_view text = fuzz::as_text(data, size);
  if (fuzz::json_depth(text) > fuzz::kMaxJsonDepth) return -1;
  Result<nlohmann::json> doc = parse_json(text);
  if (!doc) return 0;
  auto plan = parse_forward_plan(*doc);
  if (!plan) {
    if (plan.error().field.empty() || plan.error().field.front() != '/') fail("an error without a JSON pointer", plan.error().describe());
    return 0;
  }
  static const CharterPolicy policy = CharterPolicy::defaults();
  (void)check_forward_plan(*plan, policy, Date::from_ymd(2025, 6, 1));
  (void)check_forward_plan(*plan, policy, Date::from_ymd(2200, 12, 31));
  nlohmann::json written = forward_plan_to_json(*plan);
  auto again = parse_forward_plan(written);
  if (!again) fail("forward_plan_to_json() wrote a plan parse_forward_plan() refuses", written.dump() + "\n" + again.error().describe());
  if (!(*again == *plan)) fail("a plan changed on its way through forward_plan_to_json()", std::string(text));
  return 0;
}
