// townhall/responses/store.h — where residents' responses are kept.
//
// A response refers to a person only by id; personal and equality data live elsewhere
// (store/people_store.h). Submissions are written in batches, all successful ones in ONE
// transaction (group commit, store/response_committer.h), each only while its consultation's
// state is one the caller's guard allows (consultations/editing.h: responses_allowed()).
//
// Errors: kNotFound for unknown consultations and references, kConflict for a state the guard
// refuses or an idempotency key reused with a different body, kIo (kStorageFull when the disk is
// full) for database trouble.
// Thread-safety: implementations must be safe to call from many threads at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/consultations/status.h"
#include "townhall/date.h"
#include "townhall/error.h"

namespace townhall {

struct ResponseSubmission {
  std::string consultation_id;
  std::string channel = "online";  // online | paper | phone | face_to_face | event
  std::string language = "en-GB";  // BCP 47 tag of the language the response was given in
  std::optional<int64_t> person_id;
  std::optional<int64_t> submitted_by;  // user id of the caller (absent for anonymous)
  std::optional<int64_t> entered_by;    // officer who keyed in a paper/phone/face-to-face response
  nlohmann::json answers = nlohmann::json::object();
  // answers.dump(), when the caller has made it already (the server does, on its I/O thread, so
  // the single writer thread does not); empty = the store serialises `answers` itself.
  std::string answers_text;
  std::string idempotency_key;    // empty = none
  std::string idempotency_scope;  // whose key it is ("user:3", "public")
  std::string request_hash;       // SHA-256 of the request body, to spot a reused key
};

struct StoredResponse {
  int64_t id = 0;
  std::string reference;  // "TH-7K2M-Q9XD"
  std::string consultation_id;
  std::string channel;
  std::string language;
  std::optional<int64_t> person_id, submitted_by, entered_by;
  nlohmann::json answers;
  std::string created_at;
  bool replayed = false;  // true when an idempotency key matched an earlier submission

  nlohmann::json to_json() const;
};

// Which of a consultation's responses to read, for the staff console's table and exports. Every
// condition left empty matches everything. Dates are whole days in UTC (the stored times are UTC),
// both ends included.
struct ResponseFilter {
  std::string channel;    // "paper", ...; "" = any
  std::string language;   // BCP 47 tag exactly as stored; "" = any
  std::optional<Date> received_from, received_to;
  // Text the answers contain (ASCII letters in any case). It is looked for in the answers as
  // stored, so it is best for words a resident wrote, not for punctuation.
  std::string text;
  int64_t after_id = 0;   // only responses with a larger id (to read a long list page by page)
  int64_t limit = 50;     // 1..1000
  int64_t offset = 0;
};

struct ResponsePage {
  std::vector<StoredResponse> items;  // in the order they were stored
  int64_t total = 0;                  // how many match, ignoring after_id, limit and offset
};

class ResponseStore {
 public:
  virtual ~ResponseStore() = default;

  // Each submission in the batch succeeds or fails on its own, and all successful ones are
  // committed in ONE transaction before this returns (group commit). A submission whose
  // consultation is in a state `accepting` does not allow is refused (a replay of an earlier
  // submission by its idempotency key is answered whatever the state is now). The batch is taken
  // by value so the answers move into the results instead of being copied.
  std::vector<Result<StoredResponse>> submit_responses(std::vector<ResponseSubmission> batch,
                                                       const StatusGuard& accepting) {
    return submit_responses_in_place(batch, accepting);
  }
  // The same, leaving the submissions to the caller: their answers move into the results and
  // the rest is left for the caller to free (the group commit frees them off its writer thread).
  virtual std::vector<Result<StoredResponse>> submit_responses_in_place(std::vector<ResponseSubmission>& batch,
                                                                        const StatusGuard& accepting) = 0;
  // One page of a consultation's responses in the order they were stored.
  virtual Result<std::vector<StoredResponse>> list_responses(const std::string& consultation_id,
                                                             int64_t limit = 100, int64_t offset = 0) = 0;
  // One page of the responses that match `filter` (kInvalidArgument naming "limit" or "offset"
  // for a page out of range, kNotFound for an unknown consultation).
  virtual Result<ResponsePage> find_responses(const std::string& consultation_id, const ResponseFilter& filter) = 0;
  // The response with this quotable reference ("TH-00A1-Q9XD"), for enquiries by phone or letter.
  virtual Result<StoredResponse> response_by_reference(const std::string& reference) = 0;
  virtual Result<int64_t> count_responses(const std::string& consultation_id) = 0;
  // The responses linked to a person (for "what do you hold about me").
  virtual Result<std::vector<StoredResponse>> responses_of_person(int64_t person_id) = 0;
};

}  // namespace townhall
