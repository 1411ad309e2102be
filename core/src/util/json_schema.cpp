#include "townhall/util/json_schema.h"

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

namespace townhall {
namespace embedded::schemas {
std::string_view lookup(std::string_view name);
}

std::string_view embedded_schema(std::string_view file_name) {
  return embedded::schemas::lookup(file_name);
}

namespace {

// Cross-file "$ref": "other.schema.json#/..." resolves to the embedded copy, never the network.
const nlohmann::json* fetch_embedded(const std::string& uri) {
  std::string name = uri;
  if (auto slash = name.find_last_of('/'); slash != std::string::npos) name = name.substr(slash + 1);
  std::string_view text = embedded::schemas::lookup(name);
  if (text.empty()) return nullptr;
  return new nlohmann::json(nlohmann::json::parse(text));
}
void free_embedded(const nlohmann::json* doc) { delete doc; }

struct Compiled {
  nlohmann::json doc;
  valijson::Schema schema;
};

const Compiled& compiled_locked(std::string_view file_name);

// Compiled schemas are never freed, so each thread keeps pointers to the ones it used and takes
// the mutex only on its first use of a schema (no queueing on it in a server's request path).
const Compiled& compiled(std::string_view file_name) {
  thread_local std::vector<std::pair<std::string, const Compiled*>> seen;
  for (const auto& [name, c] : seen) {
    if (name == file_name) return *c;
  }
  const Compiled& c = compiled_locked(file_name);
  seen.emplace_back(std::string(file_name), &c);
  return c;
}

const Compiled& compiled_locked(std::string_view file_name) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<Compiled>, std::less<>> cache;
  std::lock_guard lock(mu);
  if (auto it = cache.find(file_name); it != cache.end()) return *it->second;
  auto c = std::make_unique<Compiled>();
  std::string_view text = embedded::schemas::lookup(file_name);
  if (text.empty()) throw std::logic_error("no embedded schema " + std::string(file_name));
  c->doc = nlohmann::json::parse(text);
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::NlohmannJsonAdapter adapter(c->doc);
  parser.populateSchema(adapter, c->schema, fetch_embedded, free_embedded);
  auto& ref = *c;
  cache.emplace(std::string(file_name), std::move(c));
  return ref;
}

// valijson context ["<root>", "[consultations]", "[0]"] → "/consultations/0".
std::string to_pointer(const std::vector<std::string>& context) {
  std::string out;
  for (const auto& part : context) {
    if (part == "<root>") continue;
    std::string token = part;
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
      token = token.substr(1, token.size() - 2);
    }
    out += "/" + json_pointer_token(token);
  }
  return out;
}

// The schema `ref` points to ("#/definitions/date", "other.schema.json#/properties/title"),
// seen from `root`; `root` becomes the document the target lives in.
const nlohmann::json* schema_follow_ref(const std::string& ref, const nlohmann::json*& root) {
  const size_t hash = ref.find('#');
  if (hash != 0) {
    std::string file = ref.substr(0, hash);
    if (auto slash = file.find_last_of('/'); slash != std::string::npos) file = file.substr(slash + 1);
    if (embedded::schemas::lookup(file).empty()) return nullptr;
    root = &compiled(file).doc;
  }
  if (hash == std::string::npos) return root;
  try {
    const nlohmann::json& target = root->at(nlohmann::json::json_pointer(ref.substr(hash + 1)));
    return &target;
  } catch (const std::exception&) {
    return nullptr;
  }
}

const nlohmann::json* schema_resolve(const nlohmann::json* node, const nlohmann::json*& root) {
  for (int hops = 0; node && node->is_object() && node->contains("$ref") && hops < 16; ++hops) {
    const auto& ref = (*node)["$ref"];
    node = ref.is_string() ? schema_follow_ref(ref.get<std::string>(), root) : nullptr;
  }
  return node;
}

// The part of `schema` that describes the value at the instance path `tokens`.
const nlohmann::json* schema_node_at(const nlohmann::json& schema, const std::vector<std::string>& tokens) {
  const nlohmann::json* root = &schema;
  const nlohmann::json* node = schema_resolve(&schema, root);
  for (const auto& token : tokens) {
    if (!node || !node->is_object()) return nullptr;
    const nlohmann::json* next = nullptr;
    if (auto props = node->find("properties"); props != node->end() && props->contains(token)) {
      next = &(*props)[token];
    } else if (auto items = node->find("items"); items != node->end() && items->is_object()) {
      next = &*items;
    } else if (auto extra = node->find("additionalProperties"); extra != node->end() && extra->is_object()) {
      next = &*extra;
    }
    node = schema_resolve(next, root);
  }
  return node;
}

// What a value described by `node` must be, in words for people: "must be a date like
// 2026-03-01", "must be true or false", "must be one of …"; empty when the schema says too little.
std::string schema_expectation(const nlohmann::json* node) {
  if (!node || !node->is_object()) return "";
  // A keyword of another shape ("type": ["string", "array"]) says nothing this can put in words.
  auto text = [&](const char* key) {
    auto it = node->find(key);
    return it != node->end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  const std::string pattern = text("pattern");
  const std::string description = text("description");
  if (description.find("YYYY-MM-DD") != std::string::npos || pattern.find("-02-29") != std::string::npos) {
    return "must be a date like 2026-03-01";
  }
  if (auto e = node->find("enum"); e != node->end() && e->is_array() && !e->empty()) {
    std::string out = "must be one of ";
    for (size_t i = 0; i < e->size(); ++i) out += (i ? ", " : "") + (*e)[i].dump();
    return out;
  }
  const std::string type = text("type");
  if (type == "string") return "must be text";
  if (type == "integer") return "must be a whole number";
  if (type == "number") return "must be a number";
  if (type == "boolean") return "must be true or false";
  if (type == "array") return "must be a list";
  if (type == "object") return "must be an object";
  return "";
}

// valijson's wording made readable: what the value must be rather than which constraint failed.
std::string schema_error_for_people(const std::string& message, const nlohmann::json* node) {
  const bool shape = message.starts_with("Value type not permitted") || message.starts_with("Failed to match regex") ||
                     message.starts_with("Failed to match against any enum");
  if (shape) {
    if (std::string want = schema_expectation(node); !want.empty()) return want;
  }
  if (message.starts_with("Missing required property '") && message.ends_with("'.")) {
    const size_t start = std::string("Missing required property '").size();
    return "needs the field \"" + message.substr(start, message.size() - 2 - start) + "\"";
  }
  if (message.starts_with("String should be no fewer than 1 ")) return "must not be empty";
  if (message.starts_with("Array should contain no fewer than 1 ")) return "must list at least one";
  return message;
}

// One of valijson's errors as the field it is about (a JSON pointer after `pointer_prefix`) and a
// message for people.
Error schema_error_of(const Compiled& c, const valijson::ValidationResults::Error& best, std::string_view pointer_prefix) {
  std::string pointer = std::string(pointer_prefix) + to_pointer(best.context);
  std::vector<std::string> tokens;
  for (const auto& part : best.context) {
    if (part == "<root>") continue;
    tokens.push_back(part.size() >= 2 && part.front() == '[' && part.back() == ']' ? part.substr(1, part.size() - 2)
                                                                                    : part);
  }
  std::string message = schema_error_for_people(best.description, schema_node_at(c.doc, tokens));
  // Name an unknown key in the pointer itself: "... constraints: 'colour'." The key is everything
  // between the opening quote and the final "'." (it may hold quotes of its own, or be empty).
  static const std::string kUnknown =
      "could not be validated using 'properties' or 'additionalProperties' constraints: '";
  if (auto at = message.find(kUnknown); at != std::string::npos && message.ends_with("'.") &&
                                        message.size() >= at + kUnknown.size() + 2) {
    const size_t start = at + kUnknown.size();
    std::string key = message.substr(start, message.size() - 2 - start);
    pointer += "/" + json_pointer_token(key);
    message = "unknown field \"" + key + "\"";
  }
  return Error{ErrorCode::kSchemaViolation, pointer.empty() ? "/" : pointer, message};
}

// valijson's summary of an error found further down ("Failed to validate item #0 in array."): it
// names no field of its own.
bool schema_summary_error(const valijson::ValidationResults::Error& e) { return e.description.starts_with("Failed to validate"); }

}  // namespace

Status validate_against_schema(const nlohmann::json& doc, std::string_view schema_file,
                               std::string_view pointer_prefix) {
  const Compiled& c = compiled(schema_file);
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(doc);
  if (validator.validate(c.schema, target, &results)) return Status::Ok();

  // The deepest error is the most specific one; summaries like "failed anyOf" sit above it.
  const valijson::ValidationResults::Error* best = nullptr;
  for (const auto& e : results) {
    if (best == nullptr || e.context.size() > best->context.size()) best = &e;
  }
  return schema_error_of(c, *best, pointer_prefix);
}

std::vector<Error> schema_errors(const nlohmann::json& doc, std::string_view schema_file, size_t max_errors,
                                 std::string_view pointer_prefix) {
  std::vector<Error> out;
  const Compiled& c = compiled(schema_file);
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(doc);
  if (validator.validate(c.schema, target, &results) || max_errors == 0) return out;
  const valijson::ValidationResults::Error* best = nullptr;
  std::set<std::string> seen;
  for (const auto& e : results) {
    if (best == nullptr || e.context.size() > best->context.size()) best = &e;
    if (schema_summary_error(e) || out.size() >= max_errors) continue;
    Error one = schema_error_of(c, e, pointer_prefix);
    if (seen.insert(one.field).second) out.push_back(std::move(one));
  }
  // Only summaries (a failed anyOf, say): the most specific of them, as validate_against_schema gives.
  if (out.empty()) out.push_back(schema_error_of(c, *best, pointer_prefix));
  return out;
}

std::string json_pointer_token(std::string_view token) {
  std::string out;
  for (char ch : token) {
    if (ch == '~') out += "~0";
    else if (ch == '/') out += "~1";
    else out += ch;
  }
  return out;
}

}  // namespace townhall
