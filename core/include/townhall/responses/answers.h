// townhall/responses/answers.h — checks a response's answers against the consultation's questions.
//
// Answers are a JSON object keyed by question id. Per question type:
//   single_choice   a string that is one of the options
//   multiple_choice a non-empty array of distinct options
//   scale           an integer from min to max (defaults 1..5)
//   free_text       a string of at most max_length characters (default 10,000)
//   ranking         an array of distinct options (a full or partial order, most preferred first)
//   yes_no          true or false
// A required question must be answered; an answer to an unknown question is an error. Errors name
// the field as a JSON pointer under `pointer_prefix` (e.g. "/answers/q2").
//
// The rules are applied by one implementation to answers held either as nlohmann::json or as
// FlatAnswers (the submission hot path); QuestionRules are the questions compiled once, so a
// server can keep them with its cached consultation.
// Thread-safety: pure functions; QuestionRules are immutable once compiled.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/error.h"
#include "townhall/responses/flat_answers.h"

namespace townhall {

inline constexpr const char* kQuestionTypes[] = {"single_choice", "multiple_choice", "scale",
                                                 "free_text",     "ranking",         "yes_no"};

// What checking an answer needs of one question.
struct QuestionRule {
  enum class Type { kSingleChoice, kMultipleChoice, kScale, kFreeText, kRanking, kYesNo, kUnknown };
  std::string id;
  Type type = Type::kUnknown;
  std::string type_name;             // as written (named in the error for an unknown type)
  bool required = false;
  std::vector<std::string> options;  // option values: strings, or objects' string "value"
  int64_t min = 1, max = 5;          // scale
  int64_t max_length = 10000;        // free_text, in characters
};
using QuestionRules = std::vector<QuestionRule>;

QuestionRules compile_questions(const std::vector<nlohmann::json>& questions);

Status validate_answers(const QuestionRules& rules, const nlohmann::json& answers,
                        std::string_view pointer_prefix = "/answers");
// The same rules over a parsed flat object. A key given twice is reported as an error here
// (nlohmann would keep the last value); callers that must match nlohmann exactly check
// FlatAnswers::has_duplicate_keys() first.
Status validate_answers(const QuestionRules& rules, const FlatAnswers& answers,
                        std::string_view pointer_prefix = "/answers");
Status validate_answers(const std::vector<nlohmann::json>& questions, const nlohmann::json& answers,
                        std::string_view pointer_prefix = "/answers");

}  // namespace townhall
