// The Forward Plan kept as CSV (docs/forward-plan-csv.md, parse_forward_plan_csv) and the
// compliance check of such a file.
// Properties: no crash or exception; errors are kInvalidCsv naming a column; an accepted plan is a
// valid JSON plan (forward_plan_to_json() then parse_forward_plan() gives it back unchanged).
#include "fuzz_support.h"
#include "townhall/compliance/compliance.h"
#include "townhall/forward_plan/forward_plan.h"
#include "townhall/forward_plan/forward_plan_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace townhall;
  using fuzz::fail;
  std::string_view text = fuzz::as_text(data, size);
  auto plan = parse_forward_plan_csv(text);
  if (!plan) {
    if (plan.error().code != ErrorCode::kInvalidCsv) fail("a CSV error with another code", plan.error().describe());
    return 0;
  }
  static const CharterPolicy policy = CharterPolicy::defaults();
  (void)check_forward_plan(*plan, policy, Date::from_ymd(2025, 6, 1));
  (void)check_forward_plan_csv(text, policy, Date::from_ymd(2025, 6, 1));
  // A NUL in a cell is left to the hostile-input suite: the schema's length checks (valijson)
  // count a string only up to its first NUL, so the round trip below would report it again.
  if (text.find('\0') != std::string_view::npos) return 0;
  nlohmann::json written = forward_plan_to_json(*plan);
  auto again = parse_forward_plan(written);
  if (!again) fail("a plan read from CSV is not a valid JSON plan", std::string(text) + "\n" + again.error().describe());
  if (!(*again == *plan)) fail("a plan read from CSV changed on its way through JSON", text);
  return 0;
}
