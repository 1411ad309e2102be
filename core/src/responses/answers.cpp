#include "townhall/responses/answers.h"

#include <algorithm>
#include <optional>
#include <string>

#include "townhall/util/json_schema.h"

namespace townhall {
namespace {

using Type = QuestionRule::Type;

Type type_of(std::string_view name) {
  if (name == "single_choice") return Type::kSingleChoice;
  if (name == "multiple_choice") return Type::kMultipleChoice;
  if (name == "scale") return Type::kScale;
  if (name == "free_text") return Type::kFreeText;
  if (name == "ranking") return Type::kRanking;
  if (name == "yes_no") return Type::kYesNo;
  return Type::kUnknown;
}

int64_t int_or(const nlohmann::json& q, const char* key, int64_t fallback) {
  auto it = q.find(key);
  return (it != q.end() && it->is_number_integer()) ? it->get<int64_t>() : fallback;
}

// Counts code points of valid UTF-8 text.
size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool is_option(const QuestionRule& q, std::string_view v) {
  return std::find(q.options.begin(), q.options.end(), v) != q.options.end();
}

// ---- the two ways answers are held, behind one small interface -------------------------------
// An answer: is_null, is_string/text, is_bool, is_integer/integer, is_array/size/item_is_string/item.
struct JsonAnswer {
  const nlohmann::json& a;
  bool is_null() const { return a.is_null(); }
  bool is_string() const { return a.is_string(); }
  std::string_view text() const { return a.get_ref<const std::string&>(); }
  bool is_bool() const { return a.is_boolean(); }
  bool is_integer() const { return a.is_number_integer(); }
  int64_t integer() const { return a.get<int64_t>(); }
  bool is_array() const { return a.is_array(); }
  size_t size() const { return a.size(); }
  bool item_is_string(size_t i) const { return a[i].is_string(); }
  std::string_view item(size_t i) const { return a[i].get_ref<const std::string&>(); }
};

struct JsonAnswers {
  const nlohmann::json& answers;
  std::optional<JsonAnswer> find(const std::string& id) const {
    auto it = answers.find(id);
    if (it == answers.end()) return std::nullopt;
    return JsonAnswer{*it};
  }
  template <class F>
  std::optional<std::string> first_key_where(F&& f) const {
    for (auto it = answers.begin(); it != answers.end(); ++it) {
      if (f(std::string_view(it.key()))) return it.key();
    }
    return std::nullopt;
  }
};

struct FlatAnswer {
  const FlatValue& v;
  std::span<const std::string_view> items;
  bool is_null() const { return v.kind == FlatValue::kNull; }
  bool is_string() const { return v.kind == FlatValue::kString; }
  std::string_view text() const { return v.text; }
  bool is_bool() const { return v.kind == FlatValue::kBool; }
  bool is_integer() const { return v.kind == FlatValue::kInteger; }
  int64_t integer() const { return v.integer; }
  bool is_array() const { return v.kind == FlatValue::kStrings; }
  size_t size() const { return items.size(); }
  bool item_is_string(size_t) const { return true; }
  std::string_view item(size_t i) const { return items[i]; }
};

struct FlatView {
  const FlatAnswers& answers;
  std::optional<FlatAnswer> find(const std::string& id) const {
    const FlatValue* v = answers.find(id);
    if (v == nullptr) return std::nullopt;
    return FlatAnswer{*v, answers.strings(*v)};
  }
  // The first such key in byte order, as nlohmann's object (a sorted map) finds it, so that both
  // paths name the same unknown question whatever order the body gives them in.
  template <class F>
  std::optional<std::string> first_key_where(F&& f) const {
    const std::string_view* first = nullptr;
    for (const auto& v : answers.values()) {
      if ((first == nullptr || v.key < *first) && f(v.key)) first = &v.key;
    }
    if (first == nullptr) return std::nullopt;
    return std::string(*first);
  }
};

template <class Answer, class Field>
Status check_distinct_options(const Answer& a, const QuestionRule& q, const Field& field, bool need_one) {
  if (!a.is_array()) return invalid_argument(field(), "must be an array of options");
  if (need_one && a.size() == 0) return invalid_argument(field(), "choose at least one option");
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a.item_is_string(i)) return invalid_argument(field() + "/" + std::to_string(i), "must be a string");
    std::string_view v = a.item(i);
    if (!is_option(q, v)) {
      return invalid_argument(field() + "/" + std::to_string(i), "\"" + std::string(v) + "\" is not one of the options");
    }
    for (size_t j = 0; j < i; ++j) {
      if (a.item(j) == v) {
        return invalid_argument(field() + "/" + std::to_string(i), "\"" + std::string(v) + "\" is given twice");
      }
    }
  }
  return Status::Ok();
}

template <class Answers>
Status check(const QuestionRules& rules, const Answers& answers, std::string_view pointer_prefix) {
  for (const auto& q : rules) {
    // The pointer is only spelled out when there is an error to report.
    auto field = [&] { return std::string(pointer_prefix) + "/" + json_pointer_token(q.id); };
    auto found = answers.find(q.id);
    if (!found || found->is_null()) {
      if (q.required) return invalid_argument(field(), "this question must be answered");
      continue;
    }
    const auto& a = *found;
    switch (q.type) {
      case Type::kSingleChoice:
        if (!a.is_string()) return invalid_argument(field(), "must be one option (a string)");
        if (!is_option(q, a.text())) {
          return invalid_argument(field(), "\"" + std::string(a.text()) + "\" is not one of the options");
        }
        break;
      case Type::kMultipleChoice:
      case Type::kRanking:
        if (auto st = check_distinct_options(a, q, field, true); !st) return st;
        break;
      case Type::kScale: {
        if (!a.is_integer()) return invalid_argument(field(), "must be a whole number");
        int64_t v = a.integer();
        if (v < q.min || v > q.max) {
          return invalid_argument(field(), "must be from " + std::to_string(q.min) + " to " + std::to_string(q.max));
        }
        break;
      }
      case Type::kFreeText:
        if (!a.is_string()) return invalid_argument(field(), "must be text");
        if (static_cast<int64_t>(utf8_length(a.text())) > q.max_length) {
          return invalid_argument(field(), "is longer than " + std::to_string(q.max_length) + " characters");
        }
        break;
      case Type::kYesNo:
        if (!a.is_bool()) return invalid_argument(field(), "must be true (yes) or false (no)");
        break;
      case Type::kUnknown:
        return invalid_argument(field(), "question has an unknown type \"" + q.type_name + "\"");
    }
  }
  auto unknown = answers.first_key_where([&](std::string_view key) {
    return std::none_of(rules.begin(), rules.end(), [&](const QuestionRule& q) { return q.id == key; });
  });
  if (unknown) {
    return invalid_argument(std::string(pointer_prefix) + "/" + json_pointer_token(*unknown),
                            "there is no question \"" + *unknown + "\"");
  }
  return Status::Ok();
}

}  // namespace

QuestionRules compile_questions(const std::vector<nlohmann::json>& questions) {
  QuestionRules out;
  out.reserve(questions.size());
  auto text_of = [](const nlohmann::json& q, const char* key) {
    auto it = q.find(key);
    return (it != q.end() && it->is_string()) ? it->get<std::string>() : std::string();
  };
  for (const auto& q : questions) {
    QuestionRule r;
    r.id = text_of(q, "id");
    r.type_name = text_of(q, "type");
    r.type = type_of(r.type_name);
    auto req = q.find("required");
    r.required = req != q.end() && req->is_boolean() && req->get<bool>();
    if (auto it = q.find("options"); it != q.end() && it->is_array()) {
      for (const auto& o : *it) {
        if (o.is_string()) {
          r.options.push_back(o.get<std::string>());
        } else if (o.is_object()) {
          auto v = o.find("value");
          if (v != o.end() && v->is_string()) r.options.push_back(v->get<std::string>());
        }
      }
    }
    r.min = int_or(q, "min", 1);
    r.max = int_or(q, "max", 5);
    r.max_length = int_or(q, "max_length", 10000);
    out.push_back(std::move(r));
  }
  return out;
}

Status validate_answers(const QuestionRules& rules, const nlohmann::json& answers, std::string_view pointer_prefix) {
  if (!answers.is_object()) {
    return invalid_argument(std::string(pointer_prefix), "answers must be an object keyed by question id");
  }
  return check(rules, JsonAnswers{answers}, pointer_prefix);
}

Status validate_answers(const QuestionRules& rules, const FlatAnswers& answers, std::string_view pointer_prefix) {
  if (auto key = answers.duplicate_key()) {
    return invalid_argument(std::string(pointer_prefix) + "/" + json_pointer_token(*key), "is given twice");
  }
  return check(rules, FlatView{answers}, pointer_prefix);
}

Status validate_answers(const std::vector<nlohmann::json>& questions, const nlohmann::json& answers,
                        std::string_view pointer_prefix) {
  return validate_answers(compile_questions(questions), answers, pointer_prefix);
}

}  // namespace townhall
