// townhall/submissions/submit.h — a response to a consultation, checked and stored the same way
// whoever sends it: the API (anyone, a signed-in user, an officer keying in a paper, phone or
// face-to-face response) and the residents' web pages (perhaps a panel member signed in there).
//
// check_response() applies every rule of a submission, in this order:
//   - a draft is "not found" to a caller who may not see drafts; only an open consultation takes
//     responses;
//   - an idempotency key is at most kIdempotencyKeyMaxLength characters;
//   - only an officer (or admin) enters a response on any channel but online, and the channel is
//     one the consultation offers (when it names its channels);
//   - a person id names only the caller (a signed-in panel member) or, for an officer's entry,
//     the person who gave the response;
//   - ask once: for a panel member (signed in, or named by an officer's entry) the questions their
//     valid facts already answer are answered from those facts, and the facts they give in this
//     response are kept to record once it is stored (when they consented to facts being kept);
//   - the answers, so completed, are valid for the consultation's questions.
// The checked submission and the facts it gives are then stored in one transaction
// (submissions/store.h): by SubmissionStore::submit_in_place, or by the server's group commit
// (ResponseCommitter), which writes many in one. submit_response() does all of it for a caller
// without a group commit.
// Thread-safety: as safe as the stores given (SQLite: any thread); the values are plain.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/charter/policy.h"
#include "townhall/date.h"
#include "townhall/error.h"
#include "townhall/panel/fact.h"
#include "townhall/panel/member.h"
#include "townhall/responses/answers.h"
#include "townhall/responses/flat_answers.h"
#include "townhall/access/role.h"
#include "townhall/consultations/store.h"
#include "townhall/submissions/store.h"
#include "townhall/panel/store.h"
#include "townhall/responses/store.h"

namespace townhall {

inline constexpr size_t kIdempotencyKeyMaxLength = 200;

// What submitting needs of a consultation (a server may keep it cached).
struct ResponseTarget {
  std::string id;
  ConsultationStatus status = ConsultationStatus::kDraft;
  std::vector<nlohmann::json> questions;
  QuestionRules rules;                // the questions compiled for validate_answers
  std::vector<std::string> channels;  // the channels offered; empty = not stated
};
Result<ResponseTarget> load_response_target(ConsultationStore& store, const std::string& consultation_id);

// Who responds. `user` is the caller (id 0, role public when anonymous); `member` a panel member
// signed in on the web pages, who has no bearer token of their own.
struct Respondent {
  User user;
  std::optional<panel::Member> member;

  // Who the audit trail names: the signed-in user, else the panel member, else "public".
  Actor actor() const;
};

struct ResponseRequest {
  std::string channel = "online";  // online | paper | phone | face_to_face | event
  std::string language = "en-GB";
  std::optional<int64_t> person_id;
  nlohmann::json answers = nlohmann::json::object();
  // The client's Idempotency-Key ("" = none) and the text it covers: a key used again with
  // different text is refused by the store.
  std::string idempotency_key;
  std::string_view idempotency_text;
};

// Why a submission was refused, for the front ends to map (the API's status and problem type).
enum class SubmitRefusal {
  kNone,                   // the store's own error (map by code)
  kNotFound,               // no such consultation, or a draft the caller may not see (404)
  kNotOpen,                // the consultation is not open (409 not-open, "/status")
  kInvalidIdempotencyKey,  // the key is too long (400)
  kChannelNotAllowed,      // only an officer enters this channel (403, "/channel")
  kChannelNotOffered,      // the consultation does not offer the channel (422, "/channel")
  kPersonNotAllowed,       // the person id names someone the caller may not answer for (403, "/person_id")
  kInvalidAnswer,          // an answer breaks its question's rules (422, "/answers/<question id>")
};

struct SubmitError : Error {
  SubmitError() = default;
  SubmitError(Error e) : Error(std::move(e)) {}  // NOLINT(implicit): any core error is one
  SubmitError(SubmitRefusal r, Error e) : Error(std::move(e)), refusal(r) {}

  SubmitRefusal refusal = SubmitRefusal::kNone;
};


// Officers, governance and admins see drafts; the public and panel members do not.
bool sees_drafts(const User& user);

// The response ready for the store (answers completed by ask once) and the facts to keep with it.
Result<Submission, SubmitError> check_response(PanelStore& store, const ResponseTarget& target,
                                                    const Respondent& respondent, ResponseRequest request,
                                                    const CharterPolicy& policy, Date today);

// The common case read without a JSON tree (flat answers, no person id, not a panel member): the
// submission ready for the store, or nullopt when check_response must decide (it gives the same
// result for every body this accepts, and the precise refusal for the others).
std::optional<ResponseSubmission> check_plain_response(const ResponseTarget& target, const User& caller,
                                                       std::string_view channel, std::string_view language,
                                                       const FlatAnswers& answers,
                                                       const std::string& idempotency_key,
                                                       std::string_view idempotency_text);

// check_response, then SubmissionStore::submit_in_place.
Result<StoredResponse, SubmitError> submit_response(ConsultationStore& consultations, PanelStore& panel,
                                                   SubmissionStore& submissions, const std::string& consultation_id,
                                                   const Respondent& respondent, ResponseRequest request,
                                                   const CharterPolicy& policy, Date today);

}  // namespace townhall
