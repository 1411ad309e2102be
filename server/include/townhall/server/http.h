// townhall/server/http.h — HTTP requests and responses as plain values, with no Beast in sight.
//
// The Beast layer (http_server.cpp) converts to and from these, so route logic compiles quickly
// and is testable without sockets. Header names the API reads are pulled out into fields.
// Thread-safety: plain values.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace townhall::server {

struct HttpRequest {
  std::string method;        // "GET", "POST", ...
  std::string target;        // path and query, e.g. "/api/v1/consultations?status=open"
  std::string authorization; // header values, empty when absent
  std::string content_type;
  std::string idempotency_key;
  std::string if_match;
  std::string cookie;           // the Cookie header (web pages: session and CSRF)
  std::string accept_language;  // the Accept-Language header (web pages: language negotiation)
  std::string accept_encoding;  // the Accept-Encoding header (gzip for text answers)
  std::string if_none_match;    // the If-None-Match header (304 for a public answer not changed)
  // The connection's peer address ("192.0.2.7", "2001:db8::1"; empty in process), and the
  // X-Forwarded-Proto and X-Forwarded-For headers. The forwarded ones are believed only when the
  // peer is a trusted proxy (ApiOptions::trusted_proxies): anyone else can send them.
  std::string client_address;
  std::string forwarded_proto;
  std::string forwarded_for;
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Allow, ETag, Set-Cookie...)
  // When set, gzip-codes `body` faster than from scratch (a page whose layout was coded ahead of
  // time), or gives nothing and the whole body is coded as usual.
  std::function<std::optional<std::string>(std::string_view body)> gzip_body = nullptr;
};

// Completes a request; may be called from any thread, exactly once.
using Respond = std::function<void(HttpResponse)>;

}  // namespace townhall::server
