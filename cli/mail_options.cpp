#include "mail_options.h"

#include "townhall/server/mail_transports.h"

namespace townhall::cli {

const std::set<std::string>& mail_value_options() {
  static const std::set<std::string> names = {"smtp-url",        "mail-from",       "mail-from-name", "smtp-user",
                                              "smtp-password-file", "smtp-ca-file", "notify-key-file",
                                              "notify-template", "notify-url",      "notify-ca-file"};
  return names;
}

const std::set<std::string>& mail_flag_options() {
  static const std::set<std::string> names = {"smtp-plain-text"};
  return names;
}

namespace {

// A secret from a file, without the line end an editor adds.
Result<std::string> secret_file(const std::string& path, const std::string& option) {
  auto text = read_file(path);
  if (!text) return invalid_argument(option, text.error().message);
  std::string s = *text;
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  if (s.empty()) return invalid_argument(option, "the file " + path + " is empty");
  return s;
}

}  // namespace

Result<std::unique_ptr<MailTransport>> mail_transport_option(const Args& a) {
  const bool smtp = a.option("smtp-url").has_value();
  const bool notify = a.option("notify-key-file").has_value();
  if (smtp && notify) {
    return invalid_argument("--notify-key-file", "give one way to send email: --smtp-url or --notify-key-file");
  }
  if (smtp) {
    server::SmtpSettings s;
    s.url = *a.option("smtp-url");
    auto from = a.option("mail-from");
    if (!from) return invalid_argument("--mail-from", "is required with --smtp-url");
    s.from = *from;
    s.from_name = a.option("mail-from-name").value_or("");
    s.username = a.option("smtp-user").value_or("");
    if (auto path = a.option("smtp-password-file")) {
      auto secret = secret_file(*path, "--smtp-password-file");
      if (!secret) return secret.error();
      s.password = *secret;
    }
    s.ca_file = a.option("smtp-ca-file").value_or("");
    s.allow_plain_text = a.flag("smtp-plain-text");
    return server::smtp_transport(std::move(s));
  }
  if (notify) {
    server::NotifySettings s;
    auto key = secret_file(*a.option("notify-key-file"), "--notify-key-file");
    if (!key) return key.error();
    s.api_key = *key;
    auto template_id = a.option("notify-template");
    if (!template_id) return invalid_argument("--notify-template", "is required with --notify-key-file");
    s.template_id = *template_id;
    if (auto url = a.option("notify-url")) s.base_url = *url;
    s.ca_file = a.option("notify-ca-file").value_or("");
    return server::notify_transport(std::move(s));
  }
  for (const char* name : {"mail-from", "smtp-user", "smtp-password-file", "smtp-ca-file", "notify-template",
                           "notify-url", "notify-ca-file"}) {
    if (a.option(name)) return invalid_argument(std::string("--") + name, "needs --smtp-url or --notify-key-file");
  }
  return std::unique_ptr<MailTransport>();
}

}  // namespace townhall::cli
