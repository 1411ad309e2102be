// townhall/analysis/response_counts.h — how a consultation's responses answered each question, and
// how many came by each channel and in each language, for the staff console's charts.
//
// Per question: how many answered it and, for a question with choices, how many chose each option
// (a single choice, each point of a scale, yes and no, each option of a multiple choice — one
// response may choose several — and, for a ranking, how many ranked each option first). Free text
// has only the number who answered. The responses are read a page at a time (response_table.h
// turns each page into columns), so memory does not grow with the consultation.
// Thread-safety: as safe as the store given.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/error.h"
#include "townhall/responses/store.h"

namespace townhall::analysis {

struct OptionCount {
  std::string label;
  int64_t count = 0;
};

struct QuestionCounts {
  std::string id, text, type;
  int64_t answered = 0;
  std::vector<OptionCount> options;  // in the question's order; empty for free text
};

struct ResponseCounts {
  int64_t responses = 0;
  std::vector<QuestionCounts> questions;
  std::vector<OptionCount> channels;   // online, paper, phone, face_to_face, event
  std::vector<OptionCount> languages;  // in order of first appearance
};

Result<ResponseCounts> count_answers(ResponseStore& store, const std::string& consultation_id,
                                     const nlohmann::json& questions);

}  // namespace townhall::analysis
