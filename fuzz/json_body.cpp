// The JSON entry points: parse_json and validate_against_schema over every schema in schemas/ that
// a request body or an input file is checked against.
// Input: the schema's name on the first line ("panel-join"), the document after it.
// Properties: no crash or exception; a refused document's error names a field that is in it (a JSON
// pointer into the document); an accepted document is accepted again after dump() and parse_json.
#include "fuzz_support.h"
#include "townhall/util/json_schema.h"

namespace {

constexpr std::string_view kSchemas[] = {
    // request bodies
    "user-create", "consultation-draft", "transition", "response-submission", "key-decision", "panel-join",
    "panel-import", "panel-invitations", "panel-draw", "panel-report", "consultation-translation", "meeting",
    // files (CLI, policy, checks)
    "charter-policy", "check-input", "consultation", "forward-plan"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace townhall;
  using fuzz::fail;
  std::string_view input = fuzz::as_text(data, size);
  size_t nl = input.find('\n');
  if (nl == std::string_view::npos) return -1;
  std::string_view name = input.substr(0, nl), text = input.substr(nl + 1);
  std::string schema;
  for (auto s : kSchemas) {
    if (s == name) schema = std::string(s) + ".schema.json";
  }
  if (schema.empty()) return -1;

  // Text that cannot be read (syntax, depth, BOM, NUL byte) is kInvalidJson; a value refused (a
  // number out of range, a control character) is kInvalidArgument naming its place.
  Result<nlohmann::json> doc = parse_json(text, "the request body");
  if (!doc) {
    const Error& e = doc.error();
    if (e.code == ErrorCode::kInvalidArgument) {
      if (e.field.empty() || e.field.front() != '/') fail("a refused value without a JSON pointer", e.describe());
    } else if (e.code != ErrorCode::kInvalidJson) {
      fail("parse_json failed with another code", text);
    }
    return 0;
  }
  if (fuzz::json_depth(text) > fuzz::kMaxJsonDepth) fail("parse_json accepted nesting past its limit", text);
  Status st = validate_against_schema(*doc, schema);
  if (!st) {
    const Error& e = st.error();
    if (e.code != ErrorCode::kSchemaViolation) fail("validation failed with another code", text);
    if (e.field.empty() || e.field.front() != '/') fail("the error's field is not a JSON pointer", e.field);
    if (e.field != "/") {
      bool found = false;
      try {
        found = doc->contains(nlohmann::json::json_pointer(e.field));
      } catch (const nlohmann::json::exception&) {
        fail("the error's field is not a well-formed JSON pointer", std::string(text) + "\n" + e.field);
      }
      if (!found) fail("the error names a field that is not in the document", std::string(text) + "\n" + e.describe());
    }
    return 0;
  }
  auto again = parse_json(doc->dump());
  if (!again || !validate_against_schema(*again, schema)) fail("a valid document is refused after dump()", text);
  return 0;
}
