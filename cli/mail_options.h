// cli/mail_options.h — the options that say where the outbox is delivered, shared by
// `townhall serve` and `townhall outbox deliver`:
//   SMTP:   --smtp-url smtp://HOST[:PORT]|smtps://HOST[:PORT] --mail-from ADDRESS [--mail-from-name NAME]
//           [--smtp-user USER --smtp-password-file FILE] [--smtp-ca-file PEM] [--smtp-plain-text]
//   Notify: --notify-key-file FILE --notify-template ID [--notify-url URL] [--notify-ca-file PEM]
// Secrets are read from files, so they never show in the process list or the shell's history.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "cli.h"
#include "townhall/mail/transport.h"

namespace townhall::cli {

// The option names above, for a command's OptionSpec.
const std::set<std::string>& mail_value_options();
const std::set<std::string>& mail_flag_options();

// The transport the options describe; nullptr when none is given (the outbox is only written).
// An error names the option: both SMTP and Notify given, a missing file, a malformed key or URL.
Result<std::unique_ptr<MailTransport>> mail_transport_option(const Args& args);

}  // namespace townhall::cli
