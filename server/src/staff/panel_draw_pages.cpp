// The staff console's panel draws (panel_pages.h): a form (consultation, size, seed, quotas as the
// CLI's quotas CSV), a preview drawn without recording anything — the commitment, each eligible
// member's selection probability, the drawn panel and who was left out — and then "Invite them",
// which makes the same draw again (same seed) and records the invitations, audited as the staff
// member. Both run panel::draw_and_invite, the one draw the CLI and the API make.
//
// A draw can take minutes (LEXIMIN), so it runs on the server's slow-work thread: the POST answers
// at once with a See Other to the draw's own page, which says it is running until it is done. Its
// result is kept in this process (the latest kKeptDraws), for the staff member who started it.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>

#include "staff/panel_pages.h"
#include "townhall/access/token.h"
#include "townhall/consultations/status.h"
#include "townhall/panel/draw.h"
#include "townhall/util/csv_table.h"

namespace townhall::server::staff {

namespace {

// Each kept draw holds every eligible member's probability, so only a few are kept.
constexpr size_t kKeptDraws = 16;
// As the API's draws: a draw stops after this long rather than hold the queue of slow work.
constexpr double kConsoleDrawSeconds = 300;

struct ConsoleDraw {
  int64_t staff_id = 0;
  bool invite = false;                  // records invitations (else a preview)
  std::string previewed_from;           // the preview an invitation run came from
  panel::DrawRequest request;
  nlohmann::json form;                  // what was typed, to show beside the result
  bool done = false;
  nlohmann::json result;                // the page data once done
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

std::mutex draws_mu;
std::map<std::string, std::shared_ptr<ConsoleDraw>>& console_draws() {
  static std::map<std::string, std::shared_ptr<ConsoleDraw>> m;
  return m;
}

void keep_draw(const std::string& id, std::shared_ptr<ConsoleDraw> d) {
  std::lock_guard lock(draws_mu);
  auto& m = console_draws();
  // Bounded: the oldest finished draw goes first (a running one is never dropped).
  while (m.size() >= kKeptDraws) {
    auto oldest = m.end();
    for (auto it = m.begin(); it != m.end(); ++it) {
      if (it->second->done && (oldest == m.end() || it->second->started < oldest->second->started)) oldest = it;
    }
    if (oldest == m.end()) break;
    m.erase(oldest);
  }
  m[id] = std::move(d);
}

std::shared_ptr<ConsoleDraw> find_draw(const std::string& id) {
  std::lock_guard lock(draws_mu);
  auto& m = console_draws();
  auto it = m.find(id);
  return it == m.end() ? nullptr : it->second;
}

std::string probability_text(double p) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.4f", p);
  return buf;
}

// The page data of a finished draw: the core's figures, with members' names beside their ids.
nlohmann::json draw_page_data(Api::Impl& api, const ConsoleDraw& d, const Result<panel::DrawOutcome, panel::DrawError>& out) {
  nlohmann::json data = {{"ok", false}, {"invite", d.invite}};
  if (!out) {
    const panel::DrawError& e = out.error();
    data["problem"] = e.message;
    nlohmann::json relax = nlohmann::json::array();
    for (const auto& q : e.relaxation) {
      relax.push_back({{"category", q.category}, {"value", q.value}, {"min", q.min}, {"max", q.max},
                       {"new_min", q.new_min}, {"new_max", q.new_max}});
    }
    data["relaxation"] = relax;
    data["has_relaxation"] = !relax.empty();
    if (e.excluded.is_object()) data["excluded_summary"] = e.excluded.value("summary", "");
    return data;
  }
  std::map<int64_t, std::string> names;
  if (auto members = api.store.list_members()) {
    for (const auto& m : *members) names[m.id] = m.personal.value("name", "");
  }
  const auto& r = out->result;
  nlohmann::json drawn = nlohmann::json::array(), ids = nlohmann::json::array();
  for (int64_t id : r.selected) {
    drawn.push_back({{"id", id}, {"name", names[id]}});
    ids.push_back(id);
  }
  std::vector<std::pair<std::string, double>> probs = r.selection.probabilities;
  std::stable_sort(probs.begin(), probs.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  nlohmann::json probabilities = nlohmann::json::array();
  for (const auto& [id, p] : probs) {
    int64_t member = 0;
    try {
      member = std::stoll(id);
    } catch (const std::exception&) {
    }
    const bool chosen = std::find(r.selected.begin(), r.selected.end(), member) != r.selected.end();
    probabilities.push_back({{"id", id}, {"name", names[member]}, {"p", probability_text(p)}, {"drawn", chosen}});
  }
  data["ok"] = true;
  data["selected"] = drawn;
  data["selected_ids"] = ids;
  data["size"] = r.selected.size();
  data["eligible"] = r.eligible;
  data["excluded_summary"] = out->pool.exclusion_summary();
  data["commitment"] = r.selection.commitment;
  data["seed"] = std::to_string(r.selection.seed);
  data["algorithm"] = r.selection.algorithm;
  data["min_probability"] = probability_text(r.selection.min_probability);
  data["panels"] = r.selection.panels_in_support;
  data["probabilities"] = probabilities;
  data["recorded"] = out->invitations_recorded;
  return data;
}

void start_draw(Api::Impl& api, const std::string& id, std::shared_ptr<ConsoleDraw> d, const User& user) {
  keep_draw(id, d);
  api.slow.post([&api, d, user]() {
    nlohmann::json data;
    try {
      auto out = panel::draw_and_invite(api.store, d->request, Actor::of(user), !d->invite);
      data = draw_page_data(api, *d, out);
    } catch (const std::exception& e) {
      data = {{"ok", false}, {"invite", d->invite}, {"problem", std::string("The draw stopped: ") + e.what()}};
    }
    std::lock_guard lock(draws_mu);
    d->result = std::move(data);
    d->done = true;
  });
}

// The consultations a draw may be for: every one that is not a draft.
Result<nlohmann::json> draw_consultations(Api::Impl& api, const std::string& chosen) {
  ConsultationQuery q;
  q.statuses = public_statuses();
  q.sort = "created";
  q.limit = 100;
  auto page = api.store.list_consultations(q);
  if (!page) return page.error();
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : page->items) {
    out.push_back({{"id", r.id}, {"title", r.document.value("title", r.id)}, {"selected", r.id == chosen}});
  }
  return out;
}

Result<HttpResponse> draw_form_page(Api::Impl& api, StaffContext& sc, const nlohmann::json& form, const nlohmann::json& errors) {
  auto consultations = draw_consultations(api, form.value("consultation", ""));
  if (!consultations) return consultations.error();
  nlohmann::json data = form;
  data["consultations"] = *consultations;
  data["errors"] = errors;
  for (const auto& e : errors) data[e["href"].get<std::string>().substr(1) + "_error"] = e["message"];
  StaffPage p;
  p.title = "Draw a panel";
  p.back = "/staff/panel";
  if (!errors.empty()) {
    p.has_error = true;
    p.status = 422;
  }
  return render_staff_page(sc, "staff_panel_draw", data, p);
}

std::optional<int64_t> whole_number(const std::string& text, int64_t min, int64_t max) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  const int64_t v = std::stoll(text);
  if (v < min || v > max) return std::nullopt;
  return v;
}

}  // namespace

// GET /staff/panel/draws
Result<HttpResponse> get_panel_draw_form(Api::Impl& api, StaffContext& sc) {
  return draw_form_page(api, sc, {{"size", ""}, {"seed", ""}, {"quotas", ""}, {"consultation", ""}},
                        nlohmann::json::array());
}

// POST /staff/panel/draws
Result<HttpResponse> post_panel_draw(Api::Impl& api, StaffContext& sc) {
  nlohmann::json form = {{"consultation", pages::form_value(sc.form, "consultation")},
                         {"size", pages::form_value(sc.form, "size")},
                         {"seed", pages::form_value(sc.form, "seed")},
                         {"quotas", pages::form_value(sc.form, "quotas")},
                         {"household", pages::form_value(sc.form, "household") == "yes"}};
  nlohmann::json errors = nlohmann::json::array();
  auto error = [&](const std::string& field, const std::string& message) {
    errors.push_back({{"href", "#" + field}, {"message", message}});
  };
  panel::DrawRequest r;
  r.consultation_id = form["consultation"].get<std::string>();
  if (r.consultation_id.empty()) error("consultation", "Choose the consultation the panel is drawn for");
  else if (!api.store.get_consultation(r.consultation_id)) error("consultation", "There is no such consultation");
  auto size = whole_number(form["size"].get<std::string>(), 1, 100000);
  if (!size) error("size", "Enter the panel size as a whole number from 1");
  std::optional<int64_t> seed;
  if (!form["seed"].get<std::string>().empty()) {
    seed = whole_number(form["seed"].get<std::string>(), 0, INT64_MAX);
    if (!seed) error("seed", "Enter the seed as a whole number, or leave it empty for a random one");
  }
  auto table = csv::parse_csv(form["quotas"].get<std::string>(), "quotas");
  Result<std::vector<selection::Category>> quotas = table ? selection::parse_quotas(*table) : Result<std::vector<selection::Category>>(table.error());
  if (form["quotas"].get<std::string>().empty()) error("quotas", "Enter the quotas, one row per value");
  else if (!quotas) error("quotas", quotas.error().message);
  if (!errors.empty()) return draw_form_page(api, sc, form, errors);

  r.quotas = std::move(*quotas);
  r.size = static_cast<int>(*size);
  r.seed = seed ? static_cast<uint64_t>(*seed) : std::random_device{}();
  r.households = form["household"].get<bool>();
  r.policy = panel::ContactPolicy{api.options.policy.panel_max_invitations, api.options.policy.panel_window_days};
  r.today = api.today();
  r.max_seconds = kConsoleDrawSeconds;
  auto d = std::make_shared<ConsoleDraw>();
  d->staff_id = sc.staff->user.id;
  d->request = std::move(r);
  form["seed"] = std::to_string(d->request.seed);
  d->form = form;
  const std::string id = new_bearer_token().substr(0, 24);
  start_draw(api, id, d, sc.staff->user);
  return pages::redirect("/staff/panel/draws/" + id);
}

// GET /staff/panel/draws/{draw}
Result<HttpResponse> get_panel_draw_result(Api::Impl&, StaffContext& sc) {
  const std::string id = sc.ctx.params["id"];
  auto d = find_draw(id);
  StaffPage p;
  p.back = "/staff/panel/draws";
  if (!d || d->staff_id != sc.staff->user.id) {
    p.title = "No such draw";
    p.status = 404;
    return render_staff_page(sc, "staff_message",
                             {{"heading", "No such draw"},
                              {"text", "This server has no draw at this address for you: it may have been made on "
                                       "another server, or before the server restarted. Draw again."}},
                             p);
  }
  nlohmann::json data;
  {
    std::lock_guard lock(draws_mu);
    data = d->done ? d->result : nlohmann::json{{"running", true}};
  }
  data["id"] = id;
  data["form"] = d->form;
  data["invite"] = d->invite;
  data["preview"] = !d->invite;
  data["running"] = !d->done;
  if (d->invite && data.value("ok", false)) {
    if (auto from = find_draw(d->previewed_from)) {
      std::lock_guard lock(draws_mu);
      data["changed"] = from->result.value("selected_ids", nlohmann::json()) != data["selected_ids"];
    }
  }
  p.title = d->invite ? "Invitations" : "Draw preview";
  return render_staff_page(sc, "staff_panel_draw_result", data, p);
}

// POST /staff/panel/draws/{draw}/invite
Result<HttpResponse> post_panel_draw_invite(Api::Impl& api, StaffContext& sc) {
  const std::string from_id = sc.ctx.params["id"];
  auto from = find_draw(from_id);
  if (!from || from->staff_id != sc.staff->user.id || from->invite) {
    StaffPage p;
    p.title = "No such draw";
    p.status = 404;
    return render_staff_page(sc, "staff_message", {{"heading", "No such draw"}, {"text", "Draw again, then invite."}}, p);
  }
  {
    std::lock_guard lock(draws_mu);
    if (!from->done || !from->result.value("ok", false)) {
      StaffPage p;
      p.title = "Nothing to invite";
      p.status = 409;
      return render_staff_page(sc, "staff_message",
                               {{"heading", "Nothing to invite"}, {"text", "The preview has not given a panel to invite."}}, p);
    }
  }
  auto d = std::make_shared<ConsoleDraw>();
  d->staff_id = sc.staff->user.id;
  d->invite = true;
  d->previewed_from = from_id;
  d->request = from->request;
  d->request.today = api.today();
  d->form = from->form;
  const std::string id = new_bearer_token().substr(0, 24);
  start_draw(api, id, d, sc.staff->user);
  return pages::redirect("/staff/panel/draws/" + id);
}

}  // namespace townhall::server::staff
