#include "townhall/responses/answers.h"

#include <set>
#include <string>

#include "townhall/util/json_schema.h"

namespace townhall {
namespace {

// The option values of a question: strings, or objects with a string "value".
const nlohmann::json* options_of(const nlohmann::json& q) {
  auto it = q.find("options");
  return (it != q.end() && it->is_array()) ? &*it : nullptr;
}

bool is_option(const nlohmann::json* options, const std::string& v) {
  if (options == nullptr) return false;
  for (const auto& o : *options) {
    if (o.is_string() && o.get_ref<const std::string&>() == v) return true;
    if (o.is_object()) {
      auto it = o.find("value");
      if (it != o.end() && it->is_string() && it->get_ref<const std::string&>() == v) return true;
    }
  }
  return false;
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

template <class Field>
Status check_distinct_options(const nlohmann::json& a, const nlohmann::json* options, const Field& field, bool need_one) {
  if (!a.is_array()) return invalid_argument(field(), "must be an array of options");
  if (need_one && a.empty()) return invalid_argument(field(), "choose at least one option");
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_string()) return invalid_argument(field() + "/" + std::to_string(i), "must be a string");
    const auto& v = a[i].get_ref<const std::string&>();
    if (!is_option(options, v)) {
      return invalid_argument(field() + "/" + std::to_string(i), "\"" + v + "\" is not one of the options");
    }
    for (size_t j = 0; j < i; ++j) {
      if (a[j].get_ref<const std::string&>() == v) {
        return invalid_argument(field() + "/" + std::to_string(i), "\"" + v + "\" is given twice");
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Status validate_answers(const std::vector<nlohmann::json>& questions, const nlohmann::json& answers,
                        std::string_view pointer_prefix) {
  std::string prefix(pointer_prefix);
  if (!answers.is_object()) return invalid_argument(prefix, "answers must be an object keyed by question id");
  static const std::string kEmpty;
  auto text_of = [](const nlohmann::json& q, const char* key) -> const std::string& {
    auto it = q.find(key);
    return (it != q.end() && it->is_string()) ? it->get_ref<const std::string&>() : kEmpty;
  };
  for (const auto& q : questions) {
    const std::string& id = text_of(q, "id");
    const std::string& type = text_of(q, "type");
    auto it = answers.find(id);
    if (it == answers.end() || it->is_null()) {
      if (q.value("required", false)) {
        return invalid_argument(prefix + "/" + json_pointer_token(id), "this question must be answered");
      }
      continue;
    }
    // The pointer is only spelled out when there is an error to report.
    auto field = [&] { return prefix + "/" + json_pointer_token(id); };
    const auto& a = *it;
    if (type == "single_choice") {
      if (!a.is_string()) return invalid_argument(field(), "must be one option (a string)");
      if (!is_option(options_of(q), a.get_ref<const std::string&>())) {
        return invalid_argument(field(), "\"" + a.get<std::string>() + "\" is not one of the options");
      }
    } else if (type == "multiple_choice") {
      if (auto st = check_distinct_options(a, options_of(q), field, true); !st) return st;
    } else if (type == "ranking") {
      if (auto st = check_distinct_options(a, options_of(q), field, true); !st) return st;
    } else if (type == "scale") {
      int64_t lo = int_or(q, "min", 1), hi = int_or(q, "max", 5);
      if (!a.is_number_integer()) return invalid_argument(field(), "must be a whole number");
      int64_t v = a.get<int64_t>();
      if (v < lo || v > hi) {
        return invalid_argument(field(), "must be from " + std::to_string(lo) + " to " + std::to_string(hi));
      }
    } else if (type == "free_text") {
      if (!a.is_string()) return invalid_argument(field(), "must be text");
      int64_t max_len = int_or(q, "max_length", 10000);
      if (static_cast<int64_t>(utf8_length(a.get_ref<const std::string&>())) > max_len) {
        return invalid_argument(field(), "is longer than " + std::to_string(max_len) + " characters");
      }
    } else if (type == "yes_no") {
      if (!a.is_boolean()) return invalid_argument(field(), "must be true (yes) or false (no)");
    } else {
      return invalid_argument(field(), "question has an unknown type \"" + type + "\"");
    }
  }
  for (auto it = answers.begin(); it != answers.end(); ++it) {
    bool known = false;
    for (const auto& q : questions) known = known || text_of(q, "id") == it.key();
    if (!known) {
      return invalid_argument(prefix + "/" + json_pointer_token(it.key()), "there is no question \"" + it.key() + "\"");
    }
  }
  return Status::Ok();
}

}  // namespace townhall
