// The accessibility statement and the privacy notice.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include "http/api_impl.h"
#include "pages/page_kit.h"
#include "pages/handlers.h"
#include "pages/consultation_content.h"
#include "townhall/consultations/status.h"
#include "townhall/consultations/translation.h"
#include "townhall/i18n/catalog.h"
#include "townhall/i18n/locale.h"
#include "townhall/panel/ask_once.h"
#include "townhall/responses/answers.h"
#include "townhall/submissions/submit.h"
#include "townhall/access/token.h"
#include "townhall/util/json_schema.h"
#include "townhall/util/sha256.h"

namespace townhall::server {

namespace {

// A contact as the statement and notice print it: a name, an email link, a phone link, an address.
nlohmann::json council_contact(const nlohmann::json& c) {
  // Only the parts given: the templates' sections print any string, even an empty one.
  nlohmann::json out = nlohmann::json::object();
  for (const char* key : {"name", "email", "phone"}) {
    if (c.contains(key)) out[key] = c[key];
  }
  std::string tel;
  for (char ch : c.value("phone", "")) {
    if ((ch >= '0' && ch <= '9') || ch == '+') tel += ch;
  }
  out["tel"] = tel;
  nlohmann::json lines = nlohmann::json::array();
  std::istringstream in(c.value("postal_address", ""));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  out["address_lines"] = lines;
  out["has_address"] = !lines.empty();
  return out;
}

}  // namespace

// GET /{lang}/accessibility: the council's statement (the GOV.UK model's parts) when the server
// has a council configuration, the catalogs' generic text otherwise.
Result<HttpResponse> get_accessibility_page(Api::Impl& api, RequestContext&, const Localiser& loc) {
  const auto& council = api.options.council;
  if (council.empty()) {
    return text_page(loc, 200, "accessibility.title",
                     {"accessibility.intro", "accessibility.standard", "accessibility.known_issues",
                      "accessibility.contact"},
                     "/accessibility");
  }
  const auto& a = council["accessibility"];
  const std::string name = council["council"]["name"];
  nlohmann::json data = {
      {"applies", loc.html("accessibility.applies", {{"council", isolate(name)}})},
      {"compliance", loc.html("accessibility.compliance", {{"status", a["compliance"].get<std::string>()}})},
      {"problems", a.value("non_accessible_content", nlohmann::json::array())},
      {"contact", council_contact(a["contact"])},
      {"enforcement", loc.html("accessibility.enforcement", {{"body", a.value("enforcement_body", "ehrc")}})},
      {"prepared", loc.html("accessibility.prepared", {{"date", *doc_date(a, "prepared_on")}})}};
  data["has_problems"] = !data["problems"].empty();
  if (auto reviewed = doc_date(a, "reviewed_on")) data["reviewed"] = loc.html("accessibility.reviewed", {{"date", *reviewed}});
  merge(data, content_attrs());
  PageOptions o;
  o.title = loc.text("accessibility.title");
  o.rest_path = "/accessibility";
  return pages::render_page(loc, "accessibility_statement", data, o);
}

// GET /{lang}/privacy: the council's notice (controller, lawful basis, retention, the data
// protection officer, the right to complain to the ICO) when configured, else the generic text.
Result<HttpResponse> get_privacy_page(Api::Impl& api, RequestContext&, const Localiser& loc) {
  const auto& council = api.options.council;
  if (council.empty()) {
    return text_page(loc, 200, "privacy.title",
                     {"privacy.who", "privacy.what", "privacy.why", "privacy.how_long", "privacy.panel", "privacy.rights"},
                     "/privacy");
  }
  const auto& p = council["privacy"];
  nlohmann::json data = {
      {"controller", loc.html("privacy.controller", {{"controller", isolate(p["controller"].get<std::string>())}})},
      {"lawful_basis", p["lawful_basis"]},
      {"retention", p["retention"]},
      {"dpo", council_contact(p["dpo"])}};
  if (p.contains("ico_registration")) {
    data["ico_registration"] = loc.html("privacy.ico_registration", {{"number", p["ico_registration"].get<std::string>()}});
  }
  merge(data, content_attrs());
  PageOptions o;
  o.title = loc.text("privacy.title");
  o.rest_path = "/privacy";
  return pages::render_page(loc, "privacy_notice", data, o);
}

}  // namespace townhall::server
