// townhall/store/web_session_store.h — what the residents' and panel members' web pages keep
// between requests: responses in progress, members' sign-in links and sessions, email addresses
// waiting to be proven and the deployment's secrets. (The emails they send go through the outbox,
// mail/outbox.h.)
//
// Secrets are never stored, only their SHA-256 hashes; expired links and sessions are deleted as
// soon as they are seen. Everything of a panel member here is erased with the member.
// Thread-safety: implementations must be safe to call from many threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/error.h"
#include "townhall/panel/member.h"
#include "townhall/audit/audit.h"

namespace townhall {

// A response in progress on the web pages, kept so a resident can leave and come back. `key` is a
// hash of a browser session secret (or of an emailed resume secret) and the consultation id; the
// secrets themselves are never stored.
struct ResponseDraft {
  std::string key;
  std::string consultation_id;
  std::string language = "en-GB";
  nlohmann::json answers = nlohmann::json::object();
  std::string email;       // where a resume link was last sent ("" = none); deleted with the draft
  std::string updated_at;  // RFC 3339 UTC, set by the store
};

// A panel member's sign-in link ("sign_in", single use) or signed-in browser session ("session")
// on the web pages. Only `hash` (SHA-256 of the secret) is stored; `expires_at` is Unix seconds.
struct MemberToken {
  std::string kind;
  std::string hash;
  int64_t member_id = 0;
  int64_t expires_at = 0;
};

// An email address waiting to be proven by the link emailed to it: the address a member joined
// with, or a new address they asked for. Only `hash` (SHA-256 of the link's secret) is stored;
// `expires_at` is Unix seconds. Erased with the member.
struct EmailConfirmation {
  std::string hash;
  int64_t member_id = 0;
  std::string email;  // as the member typed it (NFC, trimmed)
  int64_t expires_at = 0;
};

class WebSessionStore {
 public:
  virtual ~WebSessionStore() = default;

  // Responses in progress (see ResponseDraft). save_draft inserts or replaces by key; get_draft
  // gives kNotFound when there is none; delete_draft of an absent key is not an error.
  virtual Status save_draft(const ResponseDraft& draft) = 0;
  virtual Result<ResponseDraft> get_draft(const std::string& key) = 0;
  virtual Status delete_draft(const std::string& key) = 0;

  // Panel members' sign-in links and sessions (see MemberToken). member_token gives the member of
  // a live token, kNotFound when it is unknown or expired on `now`; `consume` deletes it (single
  // use). Every token expired on `now` is deleted on the way.
  virtual Status put_member_token(const MemberToken& token) = 0;
  virtual Result<int64_t> member_token(const std::string& kind, const std::string& hash, int64_t now, bool consume) = 0;
  virtual Status delete_member_token(const std::string& kind, const std::string& hash) = 0;
  // How many of this member's tokens of `kind` are live (unexpired, unused) on `now`: the sign-in
  // page sends no more links while a few are outstanding, so nobody can flood a member's inbox.
  virtual Result<int64_t> live_member_tokens(const std::string& kind, int64_t member_id, int64_t now) = 0;

  // Addresses waiting for their emailed link (see EmailConfirmation). email_confirmation gives the
  // live one with this hash, kNotFound when it is unknown or expired on `now` (expired ones are
  // deleted on the way). confirm_email uses it up: its address becomes the member's email and
  // sign-in address and their other pending confirmations go, with `audit` in the same
  // transaction; kConflict (and the confirmation is used up, nothing else changes) when another
  // member signs in with that address already. live_email_confirmations counts a member's
  // unexpired ones, so nobody can flood an inbox.
  virtual Status put_email_confirmation(const EmailConfirmation& confirmation) = 0;
  virtual Result<EmailConfirmation> email_confirmation(const std::string& hash, int64_t now) = 0;
  virtual Result<panel::Member> confirm_email(const std::string& hash, int64_t now, const AuditEvent& audit) = 0;
  virtual Result<int64_t> live_email_confirmations(int64_t member_id, int64_t now) = 0;

  // A random secret of this deployment, made on first use and kept in the database (e.g. the key
  // the web pages authenticate their session cookies with, so they survive a restart). `name`
  // says what it is for; each name has its own secret.
  virtual Result<std::string> site_secret(const std::string& name) = 0;
};

}  // namespace townhall
