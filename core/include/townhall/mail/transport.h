// townhall/mail/transport.h — what hands an email to a mail service: SMTP, GOV.UK Notify, or a
// test's fake. The core decides when to send and what to do with the answer (delivery.h); a
// transport only sends.
// Thread-safety: one transport is used by one delivery worker at a time.
#pragma once

#include <string>

#include "townhall/mail/outbox.h"

namespace townhall {

// What one attempt came to.
struct SendOutcome {
  enum class Kind {
    kAccepted,   // the mail service took it; nothing more to do
    kTransient,  // try again later: the service is down, busy or rate limiting
    kPermanent,  // trying again cannot help: the address is refused, or the credentials are wrong
  };
  Kind kind = Kind::kAccepted;
  std::string reference;  // the service's id for the email, when accepted and it gives one
  std::string error;      // what went wrong, for the outbox and the log (never contains a secret)
};

class MailTransport {
 public:
  virtual ~MailTransport() = default;
  // "SMTP smtp://mail.example.gov.uk:587", "GOV.UK Notify": for the log.
  virtual std::string describe() const = 0;
  virtual SendOutcome send(const OutboxEmail& email) = 0;
};

}  // namespace townhall
