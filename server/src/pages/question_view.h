// Internal to townhall_server: the template data of one question page ("question.mustache"), the
// residents' response journey's and the staff preview's alike: the question in the page's
// language, its GOV.UK hint, its choices with the answer given shown as chosen.
// Thread-safety: plain functions over the values given.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pages/consultation_content.h"

namespace townhall::server {

// The question page's template data for question `index` of `qs` (the English definitions;
// `content.questions` the same localised), with `value` (or the free text `raw_text`) shown as
// the answer. Its `hint` is the question's hint text or false, with `hint_lang`/`hint_dir`.
nlohmann::json question_view_data(const Localiser& loc, const std::string& id, const std::vector<nlohmann::json>& qs,
                                  const Content& content, size_t index, const nlohmann::json& value,
                                  const std::string& raw_text);

// Sets `described_by`, the answer's aria-describedby as GOV.UK Frontend builds it: the hint's id
// ("answer-hint") when there is a hint, then the error message's ("answer-error") when
// `has_error`; false when neither.
void set_question_described_by(nlohmann::json& data, bool has_error);

}  // namespace townhall::server
