// Internal to townhall_server: the console's pages about a consultation's responses — the table
// with its filters, one response, an officer keying in a paper, phone or face-to-face response,
// the CSV and Excel exports, and the charts. They read through the core's response store and
// analysis; an entry goes through the same core submission as the API's.
// Thread-safety: the functions are safe from any thread.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "staff/staff_kit.h"
#include "townhall/responses/store.h"

namespace townhall::server::staff {

// Every route of these pages: readers see them; writers may also key in responses.
std::vector<StaffRoute> responses_routes(const std::set<Role>& readers, const std::set<Role>& writers);

// The channels a response may come by, with the words the console uses for them.
struct ChannelName {
  const char* id;
  const char* label;
};
const std::vector<ChannelName>& response_channels();
std::string channel_label(const std::string& id);

// The filter of the responses table as its GET form gives it (channel, language, from, to, q),
// or the fields it cannot read, each as {"href": "#<field>", "message": ...}.
struct FilterForm {
  ResponseFilter filter;
  nlohmann::json values = nlohmann::json::object();  // what was typed, to show again
  nlohmann::json errors = nlohmann::json::array();
  std::string query;  // the filter as a query string ("channel=paper&from=2026-03-01"), "" for none
};
FilterForm read_filter_form(const std::map<std::string, std::string>& query);

// The consultation's questions as a JSON array (its id "not found" as the console says it).
Result<nlohmann::json> questions_of(Api::Impl& api, const std::string& consultation_id);

// Handlers (responses_export.cpp, responses_charts.cpp).
Result<HttpResponse> get_responses_csv(Api::Impl& api, StaffContext& sc);
Result<HttpResponse> get_responses_xlsx(Api::Impl& api, StaffContext& sc);
Result<HttpResponse> get_response_charts(Api::Impl& api, StaffContext& sc);

}  // namespace townhall::server::staff
