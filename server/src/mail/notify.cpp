// Sending an outbox email through the GOV.UK Notify API (POST /v2/notifications/email), with the
// JSON Web Token Notify asks for on every request (HS256, the service id as issuer, signed with
// the API key's secret, valid for 30 seconds from its issue time).
#include <cctype>
#include <ctime>

#include <nlohmann/json.hpp>

#include "mail/curl_kit.h"
#include "townhall/server/mail_transports.h"
#include "townhall/util/hmac.h"
#include "townhall/util/json_parse.h"

namespace townhall::server {

namespace {

using mail::base64;

std::string hex_to_bytes(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

bool uuid_shaped(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

size_t collect(char* data, size_t size, size_t count, void* out) {
  auto* body = static_cast<std::string*>(out);
  const size_t n = size * count;
  if (body->size() + n > 64 * 1024) return 0;  // a Notify answer is small; anything bigger is not Notify
  body->append(data, n);
  return n;
}

class NotifyTransport final : public MailTransport {
 public:
  NotifyTransport(NotifySettings s, std::string service_id, std::string secret)
      : s_(std::move(s)), service_id_(std::move(service_id)), secret_(std::move(secret)) {}

  std::string describe() const override { return "GOV.UK Notify " + s_.base_url; }

  SendOutcome send(const OutboxEmail& email) override {
    if (!mail::plain_address(email.to)) {
      return {SendOutcome::Kind::kPermanent, "", "the address cannot be sent to"};
    }
    const nlohmann::json request = {
        {"email_address", email.to},
        {"template_id", s_.template_id},
        {"personalisation", {{"subject", email.subject}, {"body", email.body}}},
        {"reference", "townhall-outbox-" + std::to_string(email.id)},
    };
    const std::string payload = request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    auto handle = mail::new_handle(static_cast<long>(s_.timeout.count()), s_.ca_file, "http,https");
    CURL* c = handle.get();
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    const std::string url = s_.base_url + "/v2/notifications/email";
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    const std::string auth = "Authorization: Bearer " + token(std::time(nullptr));
    mail::CurlList headers(curl_slist_append(nullptr, "Content-Type: application/json"));
    curl_slist_append(headers.get(), auth.c_str());
    curl_slist_append(headers.get(), "User-Agent: townhall");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, payload.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(payload.size()));
    std::string answer;
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
    const CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK) {
      return {SendOutcome::Kind::kTransient, "", std::string("GOV.UK Notify could not be reached: ") +
                                                     (error[0] ? error : curl_easy_strerror(rc))};
    }
    auto parsed = parse_json(answer, "GOV.UK Notify's answer");
    const nlohmann::json body = parsed ? *parsed : nlohmann::json();
    if (status == 201) {
      std::string id = body.is_object() && body.contains("id") && body["id"].is_string() ? body["id"].get<std::string>() : "";
      return {SendOutcome::Kind::kAccepted, id, ""};
    }
    std::string what = "GOV.UK Notify answered " + std::to_string(status);
    if (body.is_object() && body.contains("errors") && body["errors"].is_array() && !body["errors"].empty() &&
        body["errors"][0].is_object()) {
      const auto& e = body["errors"][0];
      if (e.contains("error") && e["error"].is_string()) what += " " + e["error"].get<std::string>();
      if (e.contains("message") && e["message"].is_string()) what += ": " + e["message"].get<std::string>().substr(0, 300);
    }
    // 400: this request can never succeed as it is (a bad address, a team-only key); 403: the
    // key is wrong (the council's setting to fix, so kept for a retry); 429 and 5xx: later.
    if (status == 400) return {SendOutcome::Kind::kPermanent, "", what};
    if (status == 403) return {SendOutcome::Kind::kTransient, "", what + "; check the Notify API key"};
    return {SendOutcome::Kind::kTransient, "", what};
  }

 private:
  std::string token(std::time_t now) const {
    const std::string header = base64(R"({"typ":"JWT","alg":"HS256"})", true);
    const std::string claims = base64(nlohmann::json{{"iss", service_id_}, {"iat", static_cast<int64_t>(now)}}.dump(), true);
    const std::string signing_input = header + "." + claims;
    return signing_input + "." + base64(hex_to_bytes(hmac_sha256_hex(secret_, signing_input)), true);
  }

  NotifySettings s_;
  std::string service_id_, secret_;
};

}  // namespace

Result<std::unique_ptr<MailTransport>> notify_transport(NotifySettings s) {
  // A key is "{name}-{service id}-{secret}": two UUIDs at the end, after a name of any length.
  std::string key = s.api_key;
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r' || key.back() == ' ')) key.pop_back();
  if (key.size() < 74 || key[key.size() - 37] != '-' || !uuid_shaped(key.substr(key.size() - 73, 36)) ||
      !uuid_shaped(key.substr(key.size() - 36))) {
    return invalid_argument("--notify-key-file", "does not hold a GOV.UK Notify API key (name-serviceid-secret)");
  }
  if (!uuid_shaped(s.template_id)) {
    return invalid_argument("--notify-template", "must be the id of a Notify email template (a UUID)");
  }
  while (!s.base_url.empty() && s.base_url.back() == '/') s.base_url.pop_back();
  if ((s.base_url.rfind("https://", 0) != 0 && s.base_url.rfind("http://", 0) != 0) ||
      s.base_url.find_first_of(" \t\r\n\"<>") != std::string::npos) {
    return invalid_argument("--notify-url", "must be Notify's address, like https://api.notifications.service.gov.uk");
  }
  std::string service_id = key.substr(key.size() - 73, 36);
  std::string secret = key.substr(key.size() - 36);
  return std::unique_ptr<MailTransport>(new NotifyTransport(std::move(s), std::move(service_id), std::move(secret)));
}

}  // namespace townhall::server
