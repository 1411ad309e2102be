// Panel draws from the members database, and the pool report.
#include <algorithm>
#include <exception>

#include "http/api_impl.h"
#include "pages/page_kit.h"
#include "api/handlers.h"
#include "api/api_kit.h"
#include "townhall/analysis/census.h"
#include "townhall/util/csv_table.h"
#include "townhall/panel/draw.h"
#include "townhall/panel/recruitment.h"

namespace townhall::server {

namespace {

// A draw stops after this many seconds rather than hold the draw queue (the CLI has no limit).
constexpr double kDrawSeconds = 300;

panel::DrawRequest draw_request(const Api::Impl& api, const nlohmann::json& body, std::vector<selection::Category> quotas) {
  panel::DrawRequest r;
  r.consultation_id = body["consultation_id"];
  r.quotas = std::move(quotas);
  r.size = body["size"];
  r.algorithm = body.value("algorithm", "leximin") == "legacy" ? selection::Algorithm::kLegacy : selection::Algorithm::kLeximin;
  r.seed = body.value("seed", uint64_t{0});
  r.households = body.value("household", false);
  r.policy = panel::ContactPolicy{api.options.policy.panel_max_invitations, api.options.policy.panel_window_days};
  r.today = api.today();
  r.max_seconds = std::min(kDrawSeconds, body.value("max_seconds", kDrawSeconds));
  return r;
}

// The draw (panel/draw.h), mapped to HTTP; runs on the SlowWork thread.
HttpResponse draw(Api::Impl& api, const panel::DrawRequest& r, const User& user) {
  auto drawn = panel::draw_and_invite(api.store, r, Actor::of(user));
  if (!drawn) {
    const panel::DrawError& e = drawn.error();
    if (e.code == ErrorCode::kInfeasible) {
      nlohmann::json relax = nlohmann::json::array();
      for (const auto& q : e.relaxation) {
        relax.push_back({{"category", q.category}, {"value", q.value}, {"min", q.min}, {"max", q.max},
                         {"suggested_min", q.new_min}, {"suggested_max", q.new_max}});
      }
      auto res = problem(409, "infeasible-quotas", "The quotas cannot be met", e.message, "/quotas");
      auto body = nlohmann::json::parse(res.body);
      body["relaxation"] = relax;
      body["excluded"] = e.excluded;
      res.body = body.dump();
      return res;
    }
    if (e.field == "size") return problem(409, "pool-too-small", "Not enough members can be drawn", e.message, "/size");
    if (e.code == ErrorCode::kInternal && e.field == "time-limit") {
      return problem(503, "draw-time-limit", "The draw took too long",
                     e.message + " (a larger max_seconds, fewer or looser quota categories help; `townhall panel draw` "
                                 "has no limit)");
    }
    return error_response(e);
  }
  auto body = drawn->result.to_json(r, drawn->pool);
  body["sent_on"] = r.today.iso();
  return json_response(201, body);
}

HttpResponse report_response(Api::Impl& api, const std::vector<analysis::CategoryTargets>& targets,
                             const std::vector<panel::WardTargets>& wards) {
  auto facts = api.store.all_member_facts();
  if (!facts) return error_response(facts.error());
  const Date today = api.today();
  auto report = panel::pool_report(panel::pool_from_facts(*facts, today), targets, wards);
  if (!report) return error_response(report.error());
  auto body = report->to_json();
  body["as_of"] = today.iso();
  return json_response(200, body);
}

// The census tables are the server's own data, not the request's: without them (no census
// directory configured, or a table missing or unreadable) the report cannot be made whatever is
// asked, so the answer is 503, not a 4xx.
HttpResponse census_unavailable(const Error& e) {
  return problem(503, "census-unavailable", "Census tables unavailable",
                 "This server cannot read its Census 2021 tables: " + e.message);
}

}  // namespace

// POST /api/v1/panel/draws
void post_panel_draws(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto quotas = panel::quotas_from_json(ctx.body["quotas"]);
  if (!quotas) return respond(error_response(quotas.error()));
  const std::string cid = ctx.body["consultation_id"];
  if (auto c = api.store.get_consultation(cid); !c) {
    Error e = c.error();
    e.field = "/consultation_id";
    return respond(error_response(e));
  }
  api.slow.post([&api, r = draw_request(api, ctx.body, std::move(*quotas)), user = ctx.user, respond]() {
    try {
      respond(draw(api, r, user));
    } catch (const std::exception& e) {
      respond(problem(500, "internal", "Internal error", e.what()));
    }
  });
}

// GET /api/v1/panel/report
void get_panel_report(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto query_problem = [](const std::string& name, const std::string& detail) {
    return problem(400, "invalid-query", "Invalid query parameter", detail, "?" + name);
  };
  // A parameter left out takes its default; one given must be a value (empty is not).
  std::map<std::string, std::string> q = {{"census", "ward,ethnicity,tenure"}, {"borough", "E09000020"}, {"by_ward", "true"}};
  for (auto& [name, value] : q) {
    auto it = ctx.query.find(name);
    if (it == ctx.query.end()) continue;
    if (it->second.empty()) return respond(query_problem(name, name + " is empty; leave it out for the default " + value));
    value = it->second;
  }
  if (q["by_ward"] != "true" && q["by_ward"] != "false") return respond(query_problem("by_ward", "by_ward must be true or false"));
  if (q["census"].front() == ',' || q["census"].back() == ',' || q["census"].find(",,") != std::string::npos) {
    return respond(query_problem("census", "census is a comma-separated list of ward, ethnicity, tenure, religion"));
  }
  auto targets = panel::census_report_targets(analysis::default_census_dir(), q["census"], q["borough"], q["by_ward"] == "true");
  if (!targets) {
    const Error& e = targets.error();
    if (e.field == "variable" || e.field == "borough") {
      return respond(query_problem(e.field == "variable" ? "census" : "borough", e.message));
    }
    return respond(census_unavailable(e));
  }
  respond(report_response(api, targets->borough, targets->wards));
}

// Body: {targets?: [{category, value, share}], targets_csv?: "category,value,share\n...",
//        census?: "ward,ethnicity,tenure", borough?: "E09000020", by_ward?: true}
void post_panel_report(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  std::vector<analysis::CategoryTargets> targets;
  std::vector<panel::WardTargets> wards;
  if (ctx.body.contains("census")) {
    auto census = panel::census_report_targets(analysis::default_census_dir(), ctx.body["census"],
                                               ctx.body.value("borough", "E09000020"), ctx.body.value("by_ward", true));
    if (!census) {
      Error e = census.error();
      if (e.field != "variable" && e.field != "borough") return respond(census_unavailable(e));
      e.field = e.field == "variable" ? "/census" : "/borough";
      return respond(problem(422, "invalid-argument", "Invalid request", e.message, e.field));
    }
    targets = std::move(census->borough);
    wards = std::move(census->wards);
  }
  if (ctx.body.contains("targets")) {
    auto own = analysis::targets_from_json(ctx.body["targets"], "targets");
    if (!own) return respond(error_response(own.error()));
    for (auto& t : *own) targets.push_back(std::move(t));
  }
  if (ctx.body.contains("targets_csv")) {
    const std::string source = ctx.body.value("source", "targets.csv");
    auto own = analysis::parse_targets_csv(ctx.body["targets_csv"].get<std::string>(), source);
    if (!own) {
      Error e = own.error();
      e.field = "/targets_csv";  // the message names the row and column of the CSV
      return respond(error_response(e));
    }
    for (auto& t : *own) targets.push_back(std::move(t));
  }
  respond(report_response(api, targets, wards));
}

}  // namespace townhall::server
