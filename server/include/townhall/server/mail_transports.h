// townhall/server/mail_transports.h — the mail services Townhall can hand its outbox to: an SMTP
// server (the council's own relay, or any provider; STARTTLS and password authentication), or
// GOV.UK Notify's HTTP API, which most councils already use. Both use libcurl.
//
// A transport only sends; when to send and what to do after a failure is decided by the core
// (townhall/mail/delivery.h). Secrets (the SMTP password, the Notify API key) are read from files
// by the CLI, never given on the command line, and never appear in an error.
// Thread-safety: one transport object is used by one delivery worker at a time.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "townhall/error.h"
#include "townhall/mail/transport.h"

namespace townhall::server {

struct SmtpSettings {
  // smtp://host[:port] (STARTTLS is required unless allow_plain_text) or smtps://host[:port]
  // (TLS from the start).
  std::string url;
  std::string from;  // the sender's address, e.g. haveyoursay@example.gov.uk
  std::string from_name;  // shown beside it, e.g. "Example Council"; may be empty
  std::string username, password;  // both empty: no authentication
  std::string ca_file;  // PEM certificates to trust instead of the system's ("" = the system's)
  // Only for a relay on this machine: send without TLS. Refused with a username, so a password
  // never crosses the network in clear.
  bool allow_plain_text = false;
  std::chrono::seconds timeout{60};
};

struct NotifySettings {
  std::string base_url = "https://api.notifications.service.gov.uk";
  std::string api_key;      // "{key name}-{service id}-{secret}", as Notify issues it
  std::string template_id;  // an email template whose subject is ((subject)) and body ((body))
  std::string ca_file;      // as for SMTP
  std::chrono::seconds timeout{30};
};

// Checked settings: the error names the option (--smtp-url, --mail-from, --notify-key-file...).
Result<std::unique_ptr<MailTransport>> smtp_transport(SmtpSettings settings);
Result<std::unique_ptr<MailTransport>> notify_transport(NotifySettings settings);

// The RFC 5322 message an SMTP transport sends for `email` (exposed for tests): UTF-8 text in
// base64, the subject as an encoded word when it is not plain ASCII.
std::string smtp_message(const SmtpSettings& settings, const OutboxEmail& email, const std::string& date,
                         const std::string& message_id);

}  // namespace townhall::server
