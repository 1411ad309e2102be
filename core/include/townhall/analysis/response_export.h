// townhall/analysis/response_export.h — a consultation's responses as the rows of a spreadsheet:
// one row per response, one column per question, for the staff console's CSV and Excel exports.
//
// The columns are the response's reference, when it was received, its channel and language, then
// one per question (headed by the question's text): a single choice or scale its answer, yes/no
// "Yes" or "No", a multiple choice the options chosen in the question's order joined with "; ", a
// ranking the options from most to least preferred joined with "; ", free text as written. An
// unanswered question is an empty cell. The rows are built by response_table.h from the answers,
// so an export says what the analysis reads.
// export_responses reads the store a page at a time (kExportPage responses) and hands each row to
// a sink before reading the next page, so memory does not grow with the consultation.
// Thread-safety: ResponseSheet is immutable after create() and may be shared; export_responses is
// as safe as the store given.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/error.h"
#include "townhall/responses/store.h"

namespace townhall::analysis {

inline constexpr int64_t kExportPage = 500;

struct ExportCell {
  std::string text;
  bool is_number = false;  // text is an integer (a scale's answer) a spreadsheet may store as one
  double number = 0;
};

class ResponseSheet {
 public:
  // `questions`: the consultation's questions array; errors name the question ("/questions/2/type").
  static Result<ResponseSheet> create(const nlohmann::json& questions);

  const std::vector<std::string>& header() const { return header_; }
  // The rows of these responses, in order; an answer that does not fit its question is an error
  // naming it ("/responses/<reference>/answers/<question id>").
  Result<std::vector<std::vector<ExportCell>>> rows(std::span<const StoredResponse> responses) const;

 private:
  nlohmann::json questions_;
  std::vector<std::string> header_;
};

// Every response of the consultation matching `filter` (its limit, offset and after_id are the
// walk's own), in the order they were stored, as rows handed to `sink`; the first error (the
// store's, a bad answer's or the sink's) stops the walk and is returned.
Status export_responses(ResponseStore& store, const std::string& consultation_id, const ResponseSheet& sheet,
                        ResponseFilter filter,
                        const std::function<Status(const std::vector<ExportCell>&)>& sink);

}  // namespace townhall::analysis
