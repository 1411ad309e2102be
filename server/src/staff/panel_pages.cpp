// The staff console's Citizens' Panel pages that read: the members with search, recruitment gaps
// against the census, who the contact limits keep from being invited, and the email outbox
// (panel_pages.h). Each reads through the core and shows what it says; nothing here is a rule.
#include "staff/panel_pages.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "townhall/analysis/census.h"
#include "townhall/i18n/text.h"
#include "townhall/mail/outbox.h"
#include "townhall/panel/contact_policy.h"
#include "townhall/panel/recruitment.h"

namespace townhall::server::staff {

namespace {

// A page of members at a time: the list is for finding people, not for reading the whole panel.
constexpr size_t kMembersShown = 200;
constexpr size_t kOutboxShown = 200;

std::string panel_query(const StaffContext& sc, const std::string& name) {
  auto it = sc.ctx.query.find(name);
  return it == sc.ctx.query.end() ? "" : it->second;
}

std::string percent_text(double share) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100 * share);
  return buf;
}

std::string ratio_text(double ratio) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", ratio);
  return buf;
}

std::string fact_text(const std::vector<panel::Fact>& facts, const std::string& key) {
  for (const auto& f : facts) {
    if (f.key == key && f.value.is_string()) return f.value.get<std::string>();
  }
  return "";
}

panel::ContactPolicy console_contact_policy(const Api::Impl& api) {
  return panel::ContactPolicy{api.options.policy.panel_max_invitations, api.options.policy.panel_window_days};
}

}  // namespace

// GET /staff/panel?q=
Result<HttpResponse> get_panel_members(Api::Impl& api, StaffContext& sc) {
  auto members = api.store.list_members();
  if (!members) return members.error();
  auto facts = api.store.all_member_facts();
  if (!facts) return facts.error();
  std::map<int64_t, const std::vector<panel::Fact>*> facts_of;
  for (const auto& [id, f] : *facts) facts_of[id] = &f;
  const std::string q = panel_query(sc, "q");
  // Caseless, in any script: "STRASSE" finds "Straße", "w10" finds "W10 5BA".
  const auto wanted = i18n::caseless_key(q);
  auto matches = [&](const std::string& text) {
    if (!wanted) return true;
    auto key = i18n::caseless_key(text);
    return key && key->find(*wanted) != std::string::npos;
  };
  static const std::vector<panel::Fact> kNoFacts;
  nlohmann::json rows = nlohmann::json::array();
  size_t found = 0;
  for (const auto& m : *members) {
    const auto it = facts_of.find(m.id);
    const auto& f = it == facts_of.end() ? kNoFacts : *it->second;
    const std::string name = m.personal.value("name", ""), email = m.personal.value("email", "");
    const std::string postcode = fact_text(f, "postcode"), ward = fact_text(f, "ward");
    if (!(matches(name) || matches(email) || matches(postcode) || matches(ward))) continue;
    if (++found > kMembersShown) continue;
    rows.push_back({{"id", m.id},
                    {"name", name},
                    {"email", email},
                    {"verified", m.email_verified},
                    {"postcode", postcode},
                    {"ward", ward},
                    {"joined", format_date(m.joined_on.iso())},
                    {"channel", m.channel},
                    {"facts", f.size()}});
  }
  nlohmann::json data = {{"q", q},
                         {"searched", wanted.has_value()},
                         {"members", rows},
                         {"none", rows.empty()},
                         {"found", found},
                         {"total", members->size()},
                         {"more", found > kMembersShown},
                         {"shown", std::min(found, kMembersShown)}};
  StaffPage p;
  p.title = "Citizens' Panel";
  return render_staff_page(sc, "staff_panel_members", data, p);
}

// GET /staff/panel/recruitment?borough=
Result<HttpResponse> get_panel_recruitment(Api::Impl& api, StaffContext& sc) {
  std::string borough = panel_query(sc, "borough");
  if (borough.empty()) borough = "E09000020";
  StaffPage p;
  p.title = "Recruitment gaps";
  p.back = "/staff/panel";
  auto targets = panel::census_report_targets(analysis::default_census_dir(), "ward,ethnicity,tenure", borough, true);
  if (!targets) {
    p.status = targets.error().field == "borough" ? 404 : 503;
    return render_staff_page(sc, "staff_message",
                             {{"heading", "The census targets cannot be read"}, {"text", targets.error().message}}, p);
  }
  auto facts = api.store.all_member_facts();
  if (!facts) return facts.error();
  const Date today = api.today();
  auto report = panel::pool_report(panel::pool_from_facts(*facts, today), targets->borough, targets->wards);
  if (!report) return report.error();
  nlohmann::json categories = nlohmann::json::array();
  for (const auto& c : report->categories) {
    nlohmann::json values = nlohmann::json::array();
    for (const auto& v : c.values) {
      values.push_back({{"value", v.value},
                        {"count", v.count},
                        {"pool", percent_text(v.pool_share)},
                        {"target", percent_text(v.target_share)},
                        {"ratio", c.n > 0 ? ratio_text(v.ratio) : std::string("–")},
                        {"flagged", v.flagged}});
    }
    categories.push_back({{"category", c.category},
                          {"source", c.source},
                          {"n", c.n},
                          {"missing", c.missing},
                          {"unmatched", static_cast<int64_t>(c.unmatched.size())},
                          {"values", values},
                          {"fitted", c.fitted},
                          {"dissimilarity", percent_text(c.dissimilarity)}});
  }
  nlohmann::json gaps = nlohmann::json::array();
  for (const auto& g : report->gaps) {
    gaps.push_back({{"text", g.text}, {"have", g.have}, {"of", g.of}, {"target", percent_text(g.target_share)}});
  }
  nlohmann::json data = {{"members", report->members},
                         {"categories", categories},
                         {"gaps", gaps},
                         {"no_gaps", gaps.empty()},
                         {"as_of", format_date(today.iso())},
                         {"borough", borough},
                         {"kensington", borough == "E09000020"},
                         {"hounslow", borough == "E09000018"}};
  return render_staff_page(sc, "staff_panel_recruitment", data, p);
}

// GET /staff/panel/contact-limits
Result<HttpResponse> get_panel_contact_limits(Api::Impl& api, StaffContext& sc) {
  const auto policy = console_contact_policy(api);
  const Date today = api.today();
  auto members = api.store.list_members();
  if (!members) return members.error();
  auto invitations = api.store.invitations_since(policy.window_start(today));
  if (!invitations) return invitations.error();
  std::vector<int64_t> ids;
  std::map<int64_t, std::string> names;
  for (const auto& m : *members) {
    ids.push_back(m.id);
    names[m.id] = m.personal.value("name", "");
  }
  auto screen = panel::screen_contacts(ids, *invitations, policy, today);
  nlohmann::json held = nlohmann::json::array();
  for (const auto& e : screen.excluded) {
    held.push_back({{"id", e.member_id},
                    {"name", names[e.member_id]},
                    {"invitations", e.invitations_in_window},
                    {"last", format_date(e.last_invited.iso())},
                    {"again", format_date(e.eligible_again.iso())}});
  }
  std::map<std::string, int64_t> by_consultation;
  for (const auto& i : *invitations) ++by_consultation[i.consultation_id];
  nlohmann::json sent = nlohmann::json::array();
  for (const auto& [id, n] : by_consultation) sent.push_back({{"consultation", id}, {"count", n}});
  nlohmann::json data = {{"policy", policy.describe()},
                         {"window_from", format_date(policy.window_start(today).iso())},
                         {"today", format_date(today.iso())},
                         {"eligible", screen.eligible.size()},
                         {"held", held},
                         {"none_held", held.empty()},
                         {"held_count", held.size()},
                         {"sent", sent},
                         {"none_sent", sent.empty()},
                         {"invitations", invitations->size()}};
  StaffPage p;
  p.title = "Contact limits";
  p.back = "/staff/panel";
  return render_staff_page(sc, "staff_panel_contacts", data, p);
}

// GET /staff/panel/outbox?state=
Result<HttpResponse> get_panel_outbox(Api::Impl& api, StaffContext& sc) {
  const std::string state = panel_query(sc, "state");
  if (!state.empty() && state != "queued" && state != "delivered" && state != "failed") {
    StaffPage p;
    p.title = "No such state";
    p.status = 404;
    return render_staff_page(sc, "staff_message",
                             {{"heading", "No such state"}, {"text", "An email is queued, delivered or failed."}}, p);
  }
  auto all = api.store.outbox();
  if (!all) return all.error();
  std::map<std::string, int64_t> counts;
  nlohmann::json rows = nlohmann::json::array();
  // Newest first: what staff look for is what just happened.
  for (auto it = all->rbegin(); it != all->rend(); ++it) {
    const std::string s = delivery_state_id(it->state);
    ++counts[s];
    if ((!state.empty() && s != state) || rows.size() >= kOutboxShown) continue;
    rows.push_back({{"id", it->id},
                    {"to", it->to},
                    {"subject", it->subject},
                    {"state", s},
                    {"tag", it->state == DeliveryState::kDelivered ? "govuk-tag--green"
                            : it->state == DeliveryState::kFailed  ? "govuk-tag--red"
                                                                   : "govuk-tag--blue"},
                    {"attempts", it->attempts},
                    {"error", it->last_error},
                    {"created", it->created_at},
                    {"delivered", it->delivered_at}});
  }
  nlohmann::json data = {{"emails", rows},
                         {"none", rows.empty()},
                         {"state", state},
                         {"queued", counts["queued"]},
                         {"delivered", counts["delivered"]},
                         {"failed", counts["failed"]},
                         {"total", all->size()},
                         {"retention_days", api.options.outbox_retention_days}};
  StaffPage p;
  p.title = "Email outbox";
  p.back = "/staff/panel";
  return render_staff_page(sc, "staff_panel_outbox", data, p);
}

std::vector<StaffRoute> panel_routes(const std::set<Role>& officers) {
  return {
      {"GET", "/staff/panel", officers, get_panel_members},
      {"GET", "/staff/panel/recruitment", officers, get_panel_recruitment},
      {"GET", "/staff/panel/contact-limits", officers, get_panel_contact_limits},
      {"GET", "/staff/panel/outbox", officers, get_panel_outbox},
      {"GET", "/staff/panel/draws", officers, get_panel_draw_form},
      {"POST", "/staff/panel/draws", officers, post_panel_draw},
      {"GET", "/staff/panel/draws/{id}", officers, get_panel_draw_result},
      {"POST", "/staff/panel/draws/{id}/invite", officers, post_panel_draw_invite},
  };
}

}  // namespace townhall::server::staff
