// townhall/analysis/response_table.h — responses as columns, ready for a DataFrame.
//
// Turns a consultation's questions (the `questions` array of a consultation document) and its
// responses (answers keyed by question id, as the store and the API hold them) into one column
// per question, typed so analysts can tabulate without reshaping:
//   single_choice   categorical codes in the question's option order
//   scale           ordered categorical codes over min..max (defaults 1..5)
//   yes_no          boolean with a missing mask
//   multiple_choice one boolean column per option, named "<id>[<option>]" (missing when the
//                   question was not answered)
//   ranking         one integer column per option, named "<id>[<option>]": the option's rank,
//                   1 = most preferred (missing when not ranked)
//   free_text       text with a missing mask
// plus the channel, language and submission time of each response. Codes are int32 (−1 =
// missing) so they can be handed to numpy/pandas without a per-cell object.
// Answers that do not fit their question are errors naming the field (responses/<i>/answers/<id>);
// answers to questions not listed are ignored (a question removed after responses arrived).
// Text is kept as Arrow's large_string layout (offsets + UTF-8 bytes) so it can be handed to
// pyarrow without a per-cell object.
// ResponseTableBuilder takes rows one at a time, either as parsed JSON or as the answers' JSON
// text as the store keeps it: the text goes through a small dedicated parser for the flat
// answers object (strings, integers, booleans, null, arrays of strings), falling back to
// nlohmann::json only for anything else, so reading a million stored rows needs no DOM per row.
// Thread-safety: build_response_table is a pure function; a builder is used by one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/error.h"

namespace townhall::analysis {

enum class ColumnKind { kCategorical, kBoolean, kInteger, kText };

// Strings in Arrow's large_string layout: value i is data[offsets[i], offsets[i+1]).
struct TextValues {
  std::vector<int64_t> offsets{0};
  std::string data;
  void push(std::string_view s) {
    data.append(s);
    offsets.push_back(static_cast<int64_t>(data.size()));
  }
  size_t size() const { return offsets.size() - 1; }
  std::string_view at(size_t i) const {
    return std::string_view(data).substr(static_cast<size_t>(offsets[i]),
                                         static_cast<size_t>(offsets[i + 1] - offsets[i]));
  }
};

struct ResponseColumn {
  std::string name;                   // question id, or "<id>[<option>]"
  std::string question_id;
  std::string question_type;          // single_choice | scale | ...
  ColumnKind kind = ColumnKind::kCategorical;
  bool ordered = false;               // categorical: an ordered scale
  std::vector<std::string> categories;  // categorical: labels in order
  std::vector<int32_t> codes;         // categorical: code per response, −1 missing
  std::vector<uint8_t> values;        // boolean: 0/1
  std::vector<int64_t> integers;      // integer
  TextValues text;                    // text (empty string when missing)
  std::vector<uint8_t> missing;       // boolean/integer/text: 1 = missing
};

// One response as stored: answers object, channel, language (BCP 47, may be empty) and the
// submission time as RFC 3339 UTC text ("2025-03-04T10:15:00Z").
struct ResponseInput {
  const nlohmann::json* answers = nullptr;
  std::string channel;
  std::string language;
  std::string submitted_at;
};

struct ResponseTable {
  size_t rows = 0;
  std::vector<ResponseColumn> columns;          // questions in order, then their option columns
  std::vector<int32_t> channel_codes;           // codes into channel_categories
  std::vector<std::string> channel_categories;  // online, paper, phone, face_to_face, event
  std::vector<int32_t> language_codes;          // −1 when unknown
  std::vector<std::string> language_categories; // in order of first appearance
  std::vector<int64_t> submitted_at_ns;         // nanoseconds since the epoch, UTC; INT64_MIN missing
  TextValues references;                        // quotable references (empty when not known)
};

// Parses "YYYY-MM-DDTHH:MM:SS[.fff]Z" (or an explicit ±HH:MM offset) to ns since the epoch (UTC).
Result<int64_t> parse_rfc3339_ns(std::string_view text, std::string_view field);

Result<ResponseTable> build_response_table(const nlohmann::json& questions,
                                           std::span<const ResponseInput> responses);

// Tables built from the same questions, joined in order (rows of parts[0], then parts[1], …):
// languages keep their order of first appearance over the whole table. Each column is moved into
// its joined form and the parts' copy freed before the next, so memory peaks at about the parts
// plus one column. Parts of different questions are kInvalidArgument.
Result<ResponseTable> concat_response_tables(std::vector<ResponseTable>&& parts);

// Rows added one by one; row i's errors name "/responses/<i>/...". A failed add leaves the
// builder unusable (the table is abandoned with its error).
class ResponseTableBuilder {
 public:
  static Result<ResponseTableBuilder> create(const nlohmann::json& questions);
  ResponseTableBuilder(ResponseTableBuilder&&) noexcept;
  ResponseTableBuilder& operator=(ResponseTableBuilder&&) noexcept;
  ~ResponseTableBuilder();

  void reserve(size_t rows);
  // answers may be null (no answers).
  Status add(const nlohmann::json* answers, std::string_view channel, std::string_view language,
             std::string_view submitted_at, std::string_view reference = {});
  // answers_json: the answers object as JSON text.
  Status add_json_text(std::string_view answers_json, std::string_view channel,
                       std::string_view language, std::string_view submitted_at,
                       std::string_view reference = {});
  size_t rows() const;
  ResponseTable finish() &&;

 private:
  struct Impl;
  explicit ResponseTableBuilder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace townhall::analysis
