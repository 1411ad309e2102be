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
// Thread-safety: pure function.
#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/error.h"

namespace townhall {

inline constexpr const char* kQuestionTypes[] = {"single_choice", "multiple_choice", "scale",
                                                 "free_text",     "ranking",         "yes_no"};

Status validate_answers(const std::vector<nlohmann::json>& questions, const nlohmann::json& answers,
                        std::string_view pointer_prefix = "/answers");

}  // namespace townhall
