// The console's Forward Plan CSV import: the file's text pasted into a form (which works without
// JavaScript), recorded by compliance/register.h's import_forward_plan_csv — all rows or none.
#include "staff/staff_kit.h"

#include "townhall/compliance/register.h"

namespace townhall::server::staff {
namespace {

Result<HttpResponse> forward_plan_import_page(StaffContext& sc, const std::string& csv, const std::optional<Error>& error,
                                 const std::string& imported) {
  nlohmann::json data = {{"csv", csv},
                         {"csv_error", error ? nlohmann::json(error->message.substr(0, error->message.find('\n')) +
                                                           (error->message.find('\n') == std::string::npos ? "" : " (and the other rows listed above)"))
                                     : nlohmann::json(false)},
                         {"imported", imported.empty() ? nlohmann::json(false) : nlohmann::json(imported)}};
  StaffPage p;
  p.title = "Import a Forward Plan CSV";
  p.back = "/staff/forward-plan";
  if (error) {
    p.has_error = true;
    p.status = 422;
    // One entry for each bad row (the core's message has one a line).
    nlohmann::json errors = nlohmann::json::array();
    const std::string all = error->message;
    for (size_t start = 0; start <= all.size();) {
      size_t nl = all.find('\n', start);
      std::string line = all.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      if (!line.empty()) errors.push_back({{"href", "#csv"}, {"message", line}});
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
    data["errors"] = errors;
  }
  return render_staff_page(sc, "staff_import", data, p);
}

}  // namespace

// GET /staff/forward-plan/import
Result<HttpResponse> get_forward_plan_import(Api::Impl&, StaffContext& sc) {
  std::string imported;
  if (auto it = sc.ctx.query.find("imported"); it != sc.ctx.query.end() &&
                                                 it->second.find_first_not_of("0123456789") == std::string::npos &&
                                                 !it->second.empty() && it->second.size() < 7) {
    imported = it->second + (it->second == "1" ? " key decision was" : " key decisions were") + " recorded on the Forward Plan.";
  }
  return forward_plan_import_page(sc, "", std::nullopt, imported);
}

// POST /staff/forward-plan/import
Result<HttpResponse> post_forward_plan_import(Api::Impl& api, StaffContext& sc) {
  const std::string csv = pages::form_value(sc.form, "csv");
  if (csv.find_first_not_of(" \r\n\t") == std::string::npos) {
    return forward_plan_import_page(sc, csv, invalid_argument("csv", "Paste the contents of the CSV file"), "");
  }
  auto ids = import_forward_plan_csv(api.store, csv, Actor::of(sc.staff->user));
  if (!ids) return forward_plan_import_page(sc, csv, ids.error(), "");
  return pages::redirect("/staff/forward-plan/import?imported=" + std::to_string(ids->size()));
}

}  // namespace townhall::server::staff
