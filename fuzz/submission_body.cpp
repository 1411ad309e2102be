// The plain body of a response submission (responses/submission_body.h) and the flat answers
// reader under it (responses/flat_answers.h), against the general path they stand in for: nlohmann
// parse + response-submission.schema.json + validate_answers over the JSON tree + dump().
// Properties: whatever the plain reader accepts, the general path accepts with the same stored
// text, channel and language; whatever FlatAnswers reads, nlohmann reads as the same object; and
// on those answers both validators give the same verdict, field and message.
#include "fuzz_support.h"
#include "townhall/responses/answers.h"
#include "townhall/responses/flat_answers.h"
#include "townhall/responses/submission_body.h"
#include "townhall/server/api.h"
#include "townhall/util/json_schema.h"

namespace {

using townhall::fuzz::fail;

const std::vector<nlohmann::json>& questions() {
  static const std::vector<nlohmann::json> qs = {
      {{"id", "agree"}, {"type", "yes_no"}, {"text", "Do you agree?"}, {"required", true}},
      {{"id", "days"},
       {"type", "multiple_choice"},
       {"text", "Which days?"},
       {"options", {"mon", "tue", "wed", {{"value", "sat"}, {"label", "Saturday"}}}}},
      {{"id", "why"}, {"type", "free_text"}, {"text", "Why?"}, {"max_length", 12}},
      {{"id", "rating"}, {"type", "scale"}, {"text", "How good?"}, {"min", 1}, {"max", 5}},
      {{"id", "pick"}, {"type", "single_choice"}, {"text", "Pick one"}, {"options", {"a", "b"}}},
      {{"id", "rank"}, {"type", "ranking"}, {"text", "Rank them"}, {"options", {"x", "y", "z"}}},
      {{"id", "essay"}, {"type", "essay"}, {"text", "A type this version does not know"}},
  };
  return qs;
}

const townhall::QuestionRules& rules() {
  static const townhall::QuestionRules r = townhall::compile_questions(questions());
  return r;
}

void same_verdict(const townhall::Status& flat, const townhall::Status& tree, const std::string& body) {
  if (flat.ok() != tree.ok()) fail("the flat and JSON validators disagree on the verdict", body);
  if (!flat.ok() && (flat.error().field != tree.error().field || flat.error().message != tree.error().message)) {
    fail("the flat and JSON validators give different errors",
         body + "\nflat: " + flat.error().describe() + "\njson: " + tree.error().describe());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace townhall;
  const std::string body(fuzz::as_text(data, size));
  // Both readers take text already checked as UTF-8 (the API checks it before either runs).
  if (!server::is_valid_utf8(body) || fuzz::json_depth(body) > fuzz::kMaxJsonDepth) return -1;

  PlainSubmission plain;
  if (read_plain_submission(body, plain)) {
    auto parsed = parse_json(body, "the request body");
    if (!parsed) fail("the plain reader accepted malformed JSON", body);
    if (auto st = validate_against_schema(*parsed, "response-submission.schema.json"); !st) {
      fail("the plain reader accepted a body the schema refuses", body + "\n" + st.error().describe());
    }
    std::string stored;
    plain.answers.append_json(stored);
    const nlohmann::json& answers = (*parsed)["answers"];
    if (stored != answers.dump()) fail("the plain reader stores other text than nlohmann", body + "\n" + stored);
    if (plain.channel != parsed->value("channel", "online")) fail("the plain reader reads another channel", body);
    if (plain.language != parsed->value("language", "en-GB")) fail("the plain reader reads another language", body);
    same_verdict(validate_answers(rules(), plain.answers), validate_answers(questions(), answers), body);
  }

  FlatAnswers flat;
  if (flat.parse(body)) {
    auto parsed = parse_json(body, "the answers");
    if (!parsed || !parsed->is_object()) fail("FlatAnswers read what nlohmann refuses", body);
    if (!flat.has_duplicate_keys()) {
      std::string written;
      flat.append_json(written);
      if (written != parsed->dump()) fail("FlatAnswers writes other text than nlohmann", body + "\n" + written);
      if (flat.values().size() != parsed->size()) fail("FlatAnswers counts other members than nlohmann", body);
      same_verdict(validate_answers(rules(), flat), validate_answers(questions(), *parsed), body);
    }
  }
  return 0;
}
