// Who is asking (the client's address, behind a trusted proxy or not; HTTPS) and the rate limits
// on what sends email or creates records (api_impl.h).
#include <algorithm>
#include <cctype>
#include <chrono>

#include "http/api_impl.h"
#include "http/header_kit.h"
#include "townhall/panel/sign_in_email.h"

namespace townhall::server {

namespace {

bool is_trusted_proxy(const Api::Impl& api, const std::string& peer) {
  return !peer.empty() &&
         std::find(api.options.trusted_proxies.begin(), api.options.trusted_proxies.end(), peer) != api.options.trusted_proxies.end();
}

// "::ffff:192.0.2.7" → "192.0.2.7"; an IPv6 address → its /64 network ("2001:db8:1:2::/64"),
// since one household or phone is handed a whole /64; anything else as it is.
std::string client_key(std::string address) {
  while (!address.empty() && (address.back() == ' ' || address.back() == '\t')) address.pop_back();
  while (!address.empty() && (address.front() == ' ' || address.front() == '\t')) address.erase(0, 1);
  if (address.size() > 2 && address.front() == '[' && address.find(']') != std::string::npos) {
    address = address.substr(1, address.find(']') - 1);  // "[2001:db8::1]:443"
  }
  static const std::string kMapped = "::ffff:";
  if (address.rfind(kMapped, 0) == 0 && address.find('.') != std::string::npos) return address.substr(kMapped.size());
  if (address.find(':') == std::string::npos) return address;
  // Expand "::" enough to take the first four groups.
  std::vector<std::string> head, tail;
  size_t gap = address.find("::");
  auto split = [](const std::string& text, std::vector<std::string>& out) {
    size_t i = 0;
    while (i <= text.size() && !text.empty()) {
      size_t c = text.find(':', i);
      if (c == std::string::npos) c = text.size();
      out.push_back(text.substr(i, c - i));
      i = c + 1;
    }
  };
  split(gap == std::string::npos ? address : address.substr(0, gap), head);
  if (gap != std::string::npos) split(address.substr(gap + 2), tail);
  std::vector<std::string> groups = head;
  if (gap != std::string::npos) {
    while (groups.size() + tail.size() < 8) groups.push_back("0");
    groups.insert(groups.end(), tail.begin(), tail.end());
  }
  if (groups.size() < 4) return address;
  std::string out;
  for (size_t i = 0; i < 4; ++i) {
    std::string g = groups[i];
    for (auto& c : g) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    while (g.size() > 1 && g.front() == '0') g.erase(0, 1);
    out += g + ":";
  }
  return out + ":/64";
}

}  // namespace

std::string client_of(const Api::Impl& api, const HttpRequest& request) {
  std::string address = request.client_address;
  if (is_trusted_proxy(api, address) && !request.forwarded_for.empty()) {
    // The proxy appends the address it saw last; earlier entries are whatever the client sent.
    const std::string& f = request.forwarded_for;
    size_t comma = f.rfind(',');
    address = comma == std::string::npos ? f : f.substr(comma + 1);
  }
  return client_key(address);
}

bool served_over_https(const Api::Impl& api, const HttpRequest& request) {
  if (api.options.public_url.rfind("https://", 0) == 0) return true;
  if (!is_trusted_proxy(api, request.client_address)) return false;
  std::string proto = request.forwarded_proto.substr(0, request.forwarded_proto.find(','));
  return same_header_name(trim_ows(proto), "https");
}

int64_t now_seconds(const Api::Impl& api) {
  if (api.options.now_seconds) return api.options.now_seconds();
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

RateDecision take_all(const Api::Impl& api, const std::vector<RateCheck>& checks) {
  const int64_t now = now_seconds(api);
  RateDecision refused{true, 0};
  for (const auto& c : checks) {
    auto d = c.limiter->check(c.key, now);
    if (!d.allowed) refused = {false, std::max(refused.retry_after_seconds, d.retry_after_seconds)};
  }
  if (!refused.allowed) return refused;
  // Another request may have taken the last one in between: then this one is refused too (and
  // whatever it took stays taken, which errs on the side of the limit).
  for (const auto& c : checks) {
    auto d = c.limiter->take(c.key, now);
    if (!d.allowed) refused = {false, std::max(refused.retry_after_seconds, d.retry_after_seconds)};
  }
  return refused;
}

std::vector<RateCheck> email_checks(Api::Impl& api, const HttpRequest& request, const std::string& email) {
  return {{&api.email_address_limiter, panel::sign_in_key(email).value_or(email)},
          {&api.email_client_limiter, client_of(api, request)}};
}

HttpResponse too_many_requests(const RateDecision& d) {
  auto res = problem(429, "too-many-requests", "Too many requests",
                     "Too many requests of this kind from here or for this address; try again in " +
                         std::to_string(d.retry_after_seconds) + " seconds.");
  res.headers.emplace_back("Retry-After", std::to_string(d.retry_after_seconds));
  return res;
}

}  // namespace townhall::server
