#include "townhall/submissions/submit.h"

#include <algorithm>

#include "townhall/consultations/editing.h"
#include "townhall/consultations/status.h"
#include "townhall/panel/ask_once.h"
#include "townhall/submissions/plain_submission.h"
#include "townhall/util/sha256.h"

namespace townhall {
namespace {

bool is_officer(const User& u) { return u.role == Role::kOfficer || u.role == Role::kAdmin; }

// Who gave the response and on which channel: an officer enters paper, phone and face-to-face
// responses; anyone signed in answering online is recorded as the submitter.
std::optional<SubmitError> set_channel_and_respondent(const User& user, const ResponseTarget& target,
                                                      ResponseSubmission& s) {
  if (s.channel != "online") {
    if (!is_officer(user)) {
      return SubmitError{SubmitRefusal::kChannelNotAllowed,
                         invalid_argument("/channel", "only an officer can enter a " + s.channel + " response")};
    }
    s.entered_by = user.id;
  } else if (user.id != 0) {
    s.submitted_by = user.id;
  }
  if (!target.channels.empty() &&
      std::find(target.channels.begin(), target.channels.end(), s.channel) == target.channels.end()) {
    return SubmitError{SubmitRefusal::kChannelNotOffered,
                       invalid_argument("/channel", "this consultation does not offer the " + s.channel + " channel")};
  }
  return std::nullopt;
}

std::optional<SubmitError> check_open(const ResponseTarget& target, const User& user) {
  if (target.status == ConsultationStatus::kDraft && !sees_drafts(user)) {
    return SubmitError{SubmitRefusal::kNotFound,
                       Error{ErrorCode::kNotFound, "", "no consultation \"" + target.id + "\""}};
  }
  if (target.status != ConsultationStatus::kOpen) {
    return SubmitError{SubmitRefusal::kNotOpen,
                       Error{ErrorCode::kConflict, "/status",
                             "consultation " + target.id + " is " + to_string(target.status) + ", not open for responses"}};
  }
  return std::nullopt;
}

void set_idempotency(ResponseSubmission& s, const User& user, const std::string& key, std::string_view text) {
  if (key.empty()) return;
  s.idempotency_key = key;
  s.idempotency_scope = user.id == 0 ? "public" : "user:" + std::to_string(user.id);
  std::string hashed;
  hashed.reserve(s.consultation_id.size() + 1 + text.size());
  hashed.append(s.consultation_id).append(1, '\n').append(text);
  s.request_hash = sha256_hex(hashed);
}

SubmitError person_not_allowed() {
  return SubmitError{SubmitRefusal::kPersonNotAllowed,
                     invalid_argument("/person_id",
                                      "person_id may name only yourself (a signed-in panel member) or, for an officer "
                                      "entering a paper, phone or face-to-face response, the person who gave it")};
}

}  // namespace

bool sees_drafts(const User& u) {
  return u.role == Role::kOfficer || u.role == Role::kGovernance || u.role == Role::kAdmin;
}

Actor Respondent::actor() const {
  if (user.id == 0 && member) return Actor{"panel member " + std::to_string(member->id), Role::kPanelMember};
  return Actor::of(user);
}

Result<ResponseTarget> load_response_target(ConsultationStore& store, const std::string& consultation_id) {
  auto rec = store.get_consultation(consultation_id);
  if (!rec) return rec.error();
  auto qs = store.questions(consultation_id);
  if (!qs) return qs.error();
  ResponseTarget t;
  t.id = rec->id;
  t.status = rec->status;
  t.questions = std::move(qs).value();
  t.rules = compile_questions(t.questions);
  if (auto ch = rec->document.find("channels"); ch != rec->document.end() && ch->is_array()) {
    for (const auto& c : *ch) {
      if (c.is_string()) t.channels.push_back(c.get<std::string>());
    }
  }
  return t;
}

Result<Submission, SubmitError> check_response(PanelStore& store, const ResponseTarget& target,
                                                    const Respondent& respondent, ResponseRequest request,
                                                    const CharterPolicy& policy, Date today) {
  const User& user = respondent.user;
  if (auto refused = check_open(target, user)) return *refused;
  if (request.idempotency_key.size() > kIdempotencyKeyMaxLength) {
    return SubmitError{SubmitRefusal::kInvalidIdempotencyKey,
                       invalid_argument("", "Idempotency-Key must be at most " +
                                                std::to_string(kIdempotencyKeyMaxLength) + " characters.")};
  }
  Submission out;
  ResponseSubmission& s = out.response;
  s.consultation_id = target.id;
  s.channel = std::move(request.channel);
  s.language = std::move(request.language);
  s.person_id = request.person_id;
  if (auto refused = set_channel_and_respondent(user, target, s)) return *refused;

  // Only a signed-in panel member (naming their own person id) or an officer entering a paper,
  // phone or face-to-face response may attribute a response to a person. Everyone else gets the
  // same refusal whatever the id, so nobody learns from it which ids exist.
  std::optional<panel::Member> member = respondent.member;
  if (user.role == Role::kPanelMember) {
    if (auto mine = store.member_by_user(user.id)) member = std::move(mine).value();
  }
  if (s.person_id && !s.entered_by && (!member || member->person_id != *s.person_id)) return person_not_allowed();

  // Ask once, for the member answering, or the member an officer's entry names.
  const bool bound = std::any_of(target.questions.begin(), target.questions.end(),
                                 [](const nlohmann::json& q) { return !panel::fact_key_of(q).empty(); });
  if (member && !s.entered_by) {
    s.person_id = member->person_id;
  } else if (s.person_id && s.entered_by && bound) {
    if (auto theirs = store.member_by_person(*s.person_id)) member = std::move(theirs).value();
  }
  if (member && bound) {
    auto facts = store.member_facts(member->id);
    if (!facts) return SubmitError{facts.error()};
    panel::FactValidity validity;
    validity.default_months = policy.panel_fact_valid_months;
    auto asked = panel::apply_ask_once(target.questions, request.answers, *facts, today, s.channel,
                                       "response to " + target.id, member->fact_consent, validity);
    request.answers = std::move(asked.answers);
    out.given.member_id = member->id;
    if (member->fact_consent) out.given.facts = std::move(asked.updates);
  }
  out.given.actor = respondent.actor();
  out.audit_entry = s.entered_by.has_value();

  if (auto st = validate_answers(target.rules, request.answers); !st) {
    return SubmitError{SubmitRefusal::kInvalidAnswer, st.error()};
  }
  s.answers = std::move(request.answers);
  s.answers_text = s.answers.dump();
  set_idempotency(s, user, request.idempotency_key, request.idempotency_text);
  return out;
}

std::optional<ResponseSubmission> check_plain_response(const ResponseTarget& target, const User& caller,
                                                       std::string_view channel, std::string_view language,
                                                       const FlatAnswers& answers,
                                                       const std::string& idempotency_key,
                                                       std::string_view idempotency_text) {
  // A panel member's answers go through ask once, which reads them as JSON.
  if (caller.role == Role::kPanelMember) return std::nullopt;
  if (idempotency_key.size() > kIdempotencyKeyMaxLength || check_open(target, caller)) return std::nullopt;
  ResponseSubmission s;
  s.consultation_id = target.id;
  s.channel = channel;
  if (set_channel_and_respondent(caller, target, s)) return std::nullopt;
  if (!validate_answers(target.rules, answers)) return std::nullopt;
  s.language = language;
  answers.append_json(s.answers_text);
  set_idempotency(s, caller, idempotency_key, idempotency_text);
  return s;
}

std::vector<panel::Fact> given_facts_to_record(const GivenFacts& given, const StoredResponse& stored) {
  auto facts = given.facts;
  for (auto& f : facts) f.source = "response " + stored.reference;
  return facts;
}

AuditEvent given_facts_audit(const GivenFacts& given, const StoredResponse& stored) {
  nlohmann::json keys = nlohmann::json::array(), provenance = nlohmann::json::array();
  for (const auto& f : given_facts_to_record(given, stored)) {
    keys.push_back(f.key);
    provenance.push_back({{"key", f.key}, {"channel", f.channel}, {"source", f.source}});
  }
  const std::string member = given.member_id ? std::to_string(*given.member_id) : std::string();
  return AuditEvent{given.actor.who, "panel.facts", "panel_member", member,
                    {{"response", stored.reference}, {"keys", keys}, {"facts", provenance}}};
}

Submission plain_submission(ResponseSubmission checked, const User& caller) {
  Submission out{std::move(checked), {}};
  out.given.actor = Actor::of(caller);
  out.audit_entry = out.response.entered_by.has_value();
  return out;
}

AuditEvent entered_response_audit(const GivenFacts& given, const StoredResponse& stored) {
  return AuditEvent{given.actor.who, "response.entered", "consultation", stored.consultation_id,
                    {{"response", stored.reference}, {"channel", stored.channel}, {"language", stored.language}}};
}

Result<StoredResponse, SubmitError> submit_response(ConsultationStore& consultations, PanelStore& panel,
                                                   SubmissionStore& submissions, const std::string& consultation_id,
                                                   const Respondent& respondent, ResponseRequest request,
                                                   const CharterPolicy& policy, Date today) {
  auto target = load_response_target(consultations, consultation_id);
  if (!target) {
    if (target.error().code == ErrorCode::kNotFound) return SubmitError{SubmitRefusal::kNotFound, target.error()};
    return SubmitError{target.error()};
  }
  auto checked = check_response(panel, *target, respondent, std::move(request), policy, today);
  if (!checked) return checked.error();
  std::vector<Submission> batch;
  batch.push_back(std::move(checked).value());
  auto stored = submissions.submit_in_place(batch, responses_allowed());
  if (stored.empty()) return SubmitError{Error{ErrorCode::kInternal, "", "the store returned no result"}};
  if (!stored.front()) return SubmitError{stored.front().error()};
  return std::move(stored.front()).value();
}

}  // namespace townhall
