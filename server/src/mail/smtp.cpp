// Sending an outbox email to an SMTP server through libcurl.
#include <algorithm>
#include <cstring>
#include <ctime>
#include <random>

#include "mail/curl_kit.h"
#include "townhall/server/mail_transports.h"

namespace townhall::server {

namespace {

using mail::base64;
using mail::plain_address;

bool plain_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f;
  });
}

// A header value on one line: line breaks in a subject or name become spaces, so nothing written
// into the outbox can add a header of its own.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\r' || c == '\n' || c == '\t') c = ' ';
  }
  return text;
}

// RFC 2047: ASCII as it is, anything else as UTF-8 encoded words short enough for a header line,
// split between whole characters.
std::string header_text(const std::string& text) {
  const std::string flat = one_line(text);
  if (plain_ascii(flat) && flat.size() <= 900) return flat;
  std::string out;
  size_t i = 0;
  while (i < flat.size()) {
    size_t end = std::min(flat.size(), i + 45);
    while (end < flat.size() && (static_cast<unsigned char>(flat[end]) & 0xC0) == 0x80) --end;  // not inside a character
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(std::string_view(flat).substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string rfc5322_date(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
                months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

// Only has to make Message-IDs unique, not secret.
std::string random_hex() {
  thread_local std::mt19937_64 bits{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(bits()));
  return buf;
}

class SmtpTransport final : public MailTransport {
 public:
  explicit SmtpTransport(SmtpSettings s) : s_(std::move(s)) {}

  std::string describe() const override { return "SMTP " + s_.url; }

  SendOutcome send(const OutboxEmail& email) override {
    if (!plain_address(email.to)) {
      return {SendOutcome::Kind::kPermanent, "", "the address '" + one_line(email.to) + "' cannot be sent to"};
    }
    const std::string domain = s_.from.substr(s_.from.find('@') + 1);
    const std::string message =
        smtp_message(s_, email, rfc5322_date(std::time(nullptr)),
                     "<townhall." + std::to_string(email.id) + "." + random_hex() + "@" + domain + ">");
    auto handle = mail::new_handle(static_cast<long>(s_.timeout.count()), s_.ca_file, "smtp,smtps");
    CURL* c = handle.get();
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(c, CURLOPT_URL, s_.url.c_str());
    if (!s_.allow_plain_text) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    if (!s_.username.empty()) {
      curl_easy_setopt(c, CURLOPT_USERNAME, s_.username.c_str());
      curl_easy_setopt(c, CURLOPT_PASSWORD, s_.password.c_str());
    }
    const std::string from = "<" + s_.from + ">";
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    mail::CurlList rcpt(curl_slist_append(nullptr, ("<" + email.to + ">").c_str()));
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    Reader reader{message, 0};
    curl_easy_setopt(c, CURLOPT_READFUNCTION, &Reader::read);
    curl_easy_setopt(c, CURLOPT_READDATA, &reader);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    const CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    if (rc == CURLE_OK) return {SendOutcome::Kind::kAccepted, "", ""};
    std::string what = error[0] ? error : curl_easy_strerror(rc);
    if (code > 0) what += " (the server answered " + std::to_string(code) + ")";
    // Wrong credentials or a certificate not trusted are the council's settings to fix, not the
    // email's fault: kept for a retry after the fix. A 5xx to the sender, recipient or message
    // is the server refusing this email for good.
    if (rc == CURLE_LOGIN_DENIED || rc == CURLE_USE_SSL_FAILED || rc == CURLE_PEER_FAILED_VERIFICATION ||
        rc == CURLE_SSL_CONNECT_ERROR) {
      return {SendOutcome::Kind::kTransient, "", what + "; check the SMTP settings"};
    }
    if (code >= 500 && code < 600) return {SendOutcome::Kind::kPermanent, "", what};
    return {SendOutcome::Kind::kTransient, "", what};
  }

 private:
  struct Reader {
    const std::string& text;
    size_t at;
    static size_t read(char* buffer, size_t size, size_t count, void* self) {
      auto* r = static_cast<Reader*>(self);
      const size_t n = std::min(size * count, r->text.size() - r->at);
      std::memcpy(buffer, r->text.data() + r->at, n);
      r->at += n;
      return n;
    }
  };
  SmtpSettings s_;
};

}  // namespace

std::string smtp_message(const SmtpSettings& settings, const OutboxEmail& email, const std::string& date,
                         const std::string& message_id) {
  std::string from = "<" + settings.from + ">";
  if (!settings.from_name.empty()) from = header_text(settings.from_name) + " " + from;
  std::string m;
  m += "Date: " + date + "\r\n";
  m += "From: " + from + "\r\n";
  m += "To: <" + email.to + ">\r\n";
  m += "Subject: " + header_text(email.subject) + "\r\n";
  m += "Message-ID: " + message_id + "\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=UTF-8\r\n";
  m += "Content-Transfer-Encoding: base64\r\n";
  // Automated: no out-of-office replies back to a no-reply address.
  m += "Auto-Submitted: auto-generated\r\n";
  m += "\r\n";
  std::string body;
  // Line ends as CRLF, as RFC 5322 wants them, whatever the catalog text had.
  for (size_t i = 0; i < email.body.size(); ++i) {
    if (email.body[i] == '\n' && (i == 0 || email.body[i - 1] != '\r')) body += '\r';
    body += email.body[i];
  }
  const std::string encoded = base64(body);
  for (size_t i = 0; i < encoded.size(); i += 76) m += encoded.substr(i, 76) + "\r\n";
  return m;
}

Result<std::unique_ptr<MailTransport>> smtp_transport(SmtpSettings s) {
  const bool tls_from_start = s.url.rfind("smtps://", 0) == 0;
  if (!tls_from_start && s.url.rfind("smtp://", 0) != 0) {
    return invalid_argument("--smtp-url", "must be smtp://host[:port] (STARTTLS) or smtps://host[:port] (TLS)");
  }
  if (s.url.find_first_of(" \t\r\n\"<>") != std::string::npos || s.url.size() <= std::strlen("smtps://")) {
    return invalid_argument("--smtp-url", "must be smtp://host[:port] or smtps://host[:port]");
  }
  if (!plain_address(s.from)) {
    return invalid_argument("--mail-from", "must be the address emails come from, like haveyoursay@example.gov.uk");
  }
  if (s.username.empty() != s.password.empty()) {
    return invalid_argument(s.username.empty() ? "--smtp-user" : "--smtp-password-file",
                            "give both a user and a password file, or neither");
  }
  if (s.allow_plain_text && !s.username.empty()) {
    return invalid_argument("--smtp-plain-text", "a password is never sent without TLS: use STARTTLS or smtps://");
  }
  if (s.allow_plain_text && tls_from_start) {
    return invalid_argument("--smtp-plain-text", "smtps:// is TLS from the start; leave --smtp-plain-text out");
  }
  return std::unique_ptr<MailTransport>(new SmtpTransport(std::move(s)));
}

}  // namespace townhall::server
