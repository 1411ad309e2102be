// townhall/panel/ask_once.h — "ask once": a question bound to a fact is not asked again while the
// member's fact is valid (docs/design.md §2.5), on every channel.
//
// A consultation question may carry `fact_key` (consultation-draft.schema.json). For a member:
//  - questions_for_member() marks each fact-bound question whose fact is valid (consented, not
//    expired, and an answer the question accepts) as `known`, with the fact's value as `prefill`
//    and its provenance, so a form can skip it or show it pre-filled for confirmation;
//  - apply_ask_once() completes a submitted response: a fact-bound question the member did not
//    answer is filled from the valid fact; an answer the member did give becomes the fact (with
//    the response as its provenance), so the next consultation will not ask it.
// The API, the officer-entered channel (by person id) and the CLI all go through these two.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/date.h"
#include "townhall/panel/fact.h"

namespace townhall::panel {

// How long a fact given in a response stays valid, by key (months; 0 = no expiry).
struct FactValidity {
  int default_months = 24;
  std::vector<std::pair<std::string, int>> per_key;  // e.g. {"age_band", 12}
  int months_for(const std::string& key) const;
  // recorded_on + months (clamped to the month's last day); nullopt when months is 0.
  std::optional<Date> until(const std::string& key, Date recorded_on) const;
};

// The fact a question is bound to ("" when none).
std::string fact_key_of(const nlohmann::json& question);

// True when `fact` may stand in for an answer to `question` today: valid on `today` and an answer
// the question accepts (a single_choice fact must still be one of the options).
bool fact_answers(const nlohmann::json& question, const Fact& fact, Date today);

// The questions as a member sees them: each fact-bound question gets "known": true/false, and when
// known, "prefill" (the value) and "fact" (its provenance: channel, source, recorded_on, valid_until).
std::vector<nlohmann::json> questions_for_member(const std::vector<nlohmann::json>& questions,
                                                 const std::vector<Fact>& facts, Date today);

// Ids of the questions the member still has to be asked (not known).
std::vector<std::string> questions_to_ask(const std::vector<nlohmann::json>& questions,
                                          const std::vector<Fact>& facts, Date today);

struct AskOnceOutcome {
  nlohmann::json answers;             // the submitted answers plus those filled from facts
  std::vector<std::string> filled;    // question ids answered from a fact
  std::vector<Fact> updates;          // facts given (or changed) in this response, to record
};

// `channel` and `source` are the provenance of facts given in this response (e.g. "online",
// "response to c-3"); `consent` is whether the member agreed to facts being kept.
AskOnceOutcome apply_ask_once(const std::vector<nlohmann::json>& questions, const nlohmann::json& answers,
                              const std::vector<Fact>& facts, Date today, const std::string& channel,
                              const std::string& source, bool consent, const FactValidity& validity = {});

}  // namespace townhall::panel
