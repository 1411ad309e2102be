// townhall/responses/submission_body.h — the plain body of a response submission, read in one pass.
//
// POST /api/v1/consultations/{id}/responses takes {"answers": {...}, "channel": "...",
// "language": "...", "person_id": n} (schemas/response-submission.schema.json). When a
// consultation goes viral nearly every body is the plain case: flat answers, perhaps a channel and
// a language. read_plain_submission() reads exactly that case without a JSON tree and checks what
// the schema checks of it; for anything else — a person_id, an unknown or repeated member, a value
// the schema refuses, answers that are not a flat object, malformed JSON — it returns false and
// the caller takes the general path (parse, schema, handler), which either accepts the body the
// same way or says precisely what is wrong. It never accepts a body the schema would refuse.
//
// The body must already be known to be valid UTF-8.
// Thread-safety: one PlainSubmission per thread; views into the body and into `answers`.
#pragma once

#include <string_view>

#include "townhall/responses/flat_answers.h"

namespace townhall {

struct PlainSubmission {
  FlatAnswers answers;
  std::string_view channel;   // "online" when not given
  std::string_view language;  // "en-GB" when not given
};

bool read_plain_submission(std::string_view body, PlainSubmission& out);

// What read_plain_submission() mirrors of the schema (a test holds the schema file to these).
inline constexpr std::string_view kSubmissionChannels[] = {"online", "paper", "phone", "face_to_face", "event"};
inline constexpr size_t kSubmissionMaxAnswers = 200;
inline constexpr size_t kSubmissionLanguageMaxLength = 35;
// The subtags are counted ({0,11}: all that fit in kSubmissionLanguageMaxLength) rather than left
// open ("*"): the schema validator's std::regex recurses once per repetition, and an open-ended one
// over a long string overflows the stack before maxLength is looked at.
inline constexpr std::string_view kSubmissionLanguagePattern = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,11}$";

}  // namespace townhall
