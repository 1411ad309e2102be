#include "townhall/responses/answers.h"

#include <set>
#include <string>

#include "townhall/util/json_schema.h"

namespace townhall {
namespace {

std::set<std::string> options_of(const nlohmann::json& q) {
  std::set<std::string> out;
  auto it = q.find("options");
  if (it != q.end() && it->is_array()) {
    for (const auto& o : *it) {
      if (o.is_string()) out.insert(o.get<std::string>());
      else if (o.is_object() && o.contains("value") && o["value"].is_string()) out.insert(o["value"].get<std::string>());
    }
  }
  return out;
}

int64_t int_or(const nlohmann::json& q, const char* key, int64_t fallback) {
  auto it = q.find(key);
  return (it != q.end() && it->is_number_integer()) ? it->get<int64_t>() : fallback;
}

// Counts code points of valid UTF-8 text.
size_t utf8_length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

Status check_distinct_options(const nlohmann::json& a, const std::set<std::string>& options,
                              const std::string& field, bool need_one) {
  if (!a.is_array()) return invalid_argument(field, "must be an array of options");
  if (need_one && a.empty()) return invalid_argument(field, "choose at least one option");
  std::set<std::string> seen;
  for (size_t i = 0; i < a.size(); ++i) {
    std::string f = field + "/" + std::to_string(i);
    if (!a[i].is_string()) return invalid_argument(f, "must be a string");
    auto v = a[i].get<std::string>();
    if (!options.count(v)) return invalid_argument(f, "\"" + v + "\" is not one of the options");
    if (!seen.insert(v).second) return invalid_argument(f, "\"" + v + "\" is given twice");
  }
  return Status::Ok();
}

}  // namespace

Status validate_answers(const std::vector<nlohmann::json>& questions, const nlohmann::json& answers,
                        std::string_view pointer_prefix) {
  std::string prefix(pointer_prefix);
  if (!answers.is_object()) return invalid_argument(prefix, "answers must be an object keyed by question id");
  std::set<std::string> known;
  for (const auto& q : questions) {
    std::string id = q.value("id", "");
    std::string type = q.value("type", "");
    known.insert(id);
    std::string field = prefix + "/" + json_pointer_token(id);
    auto it = answers.find(id);
    if (it == answers.end() || it->is_null()) {
      if (q.value("required", false)) return invalid_argument(field, "this question must be answered");
      continue;
    }
    const auto& a = *it;
    if (type == "single_choice") {
      if (!a.is_string()) return invalid_argument(field, "must be one option (a string)");
      if (!options_of(q).count(a.get<std::string>())) {
        return invalid_argument(field, "\"" + a.get<std::string>() + "\" is not one of the options");
      }
    } else if (type == "multiple_choice") {
      if (auto st = check_distinct_options(a, options_of(q), field, true); !st) return st;
    } else if (type == "ranking") {
      if (auto st = check_distinct_options(a, options_of(q), field, true); !st) return st;
    } else if (type == "scale") {
      int64_t lo = int_or(q, "min", 1), hi = int_or(q, "max", 5);
      if (!a.is_number_integer()) return invalid_argument(field, "must be a whole number");
      int64_t v = a.get<int64_t>();
      if (v < lo || v > hi) {
        return invalid_argument(field, "must be from " + std::to_string(lo) + " to " + std::to_string(hi));
      }
    } else if (type == "free_text") {
      if (!a.is_string()) return invalid_argument(field, "must be text");
      int64_t max_len = int_or(q, "max_length", 10000);
      if (static_cast<int64_t>(utf8_length(a.get<std::string>())) > max_len) {
        return invalid_argument(field, "is longer than " + std::to_string(max_len) + " characters");
      }
    } else if (type == "yes_no") {
      if (!a.is_boolean()) return invalid_argument(field, "must be true (yes) or false (no)");
    } else {
      return invalid_argument(field, "question has an unknown type \"" + type + "\"");
    }
  }
  for (auto it = answers.begin(); it != answers.end(); ++it) {
    if (!known.count(it.key())) {
      return invalid_argument(prefix + "/" + json_pointer_token(it.key()), "there is no question \"" + it.key() + "\"");
    }
  }
  return Status::Ok();
}

}  // namespace townhall
