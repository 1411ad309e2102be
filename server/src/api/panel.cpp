// The Citizens' Panel over the API: joining, importing, members, their own data, invitations,
// the questions a member is still asked, and repeated questions; panel members' email addresses.
#include <algorithm>
#include <iostream>
#include <regex>

#include "http/api_impl.h"
#include "pages/page_kit.h"
#include "api/handlers.h"
#include "api/api_kit.h"
#include "townhall/consultations/repeat_questions.h"
#include "townhall/consultations/status.h"
#include "townhall/i18n/locale.h"
#include "townhall/i18n/text.h"
#include "townhall/panel/contact_policy.h"
#include "townhall/panel/member_data.h"
#include "townhall/panel/member_import.h"
#include "townhall/selection/prng.h"
#include "townhall/panel/sign_in_email.h"
#include "townhall/access/token.h"

namespace townhall::server {

namespace {

panel::ContactPolicy contact_policy_of(const Api::Impl& api) {
  return panel::ContactPolicy{api.options.policy.panel_max_invitations, api.options.policy.panel_window_days};
}

// The member the caller is (panel_member) or names (?person_id= for officers).
Result<panel::Member> member_for(Api::Impl& api, RequestContext& ctx) {
  if (ctx.user.role == Role::kPanelMember) return api.store.member_by_user(ctx.user.id);
  auto it = ctx.query.find("person_id");
  if (it == ctx.query.end() || it->second.empty()) {
    return invalid_argument("person_id", "say whose questions: ?person_id=N");
  }
  ctx.params["person_id"] = it->second;
  auto id = id_param(ctx, "person_id", "person");
  if (!id) return id.error();
  return api.store.member_by_person(*id);
}

HttpResponse erased_response(Api::Impl& api, int64_t member_id, const User& user) {
  auto e = api.store.erase_member(member_id, AuditEvent{actor_of(user), "panel.erase", "panel_member", "", {}});
  if (!e) return error_response(e.error());
  return json_response(200, e->to_json());
}

HttpResponse member_data_response(Api::Impl& api, int64_t member_id) {
  auto held = panel::member_data(api.store, api.store, api.store, member_id);
  if (!held) return error_response(held.error());
  return json_response(200, *held);
}

// The consultations asked (not drafts) as the repeated-question check needs them.
Result<std::vector<AskedConsultation>> asked_consultations(Api::Impl& api) {
  ConsultationQuery q;
  q.statuses = public_statuses();
  q.sort = "created";
  q.limit = 100;
  std::vector<AskedConsultation> out;
  for (q.offset = 0;; q.offset += q.limit) {
    auto page = api.store.list_consultations(q);
    if (!page) return page.error();
    for (const auto& r : page->items) {
      auto opens = Date::parse(r.document.value("opens", ""));
      if (!opens) continue;
      AskedConsultation a;
      a.id = r.id;
      a.title = r.document.value("title", "");
      a.audience = r.document.value("audience", "");
      a.opens = *opens;
      if (auto w = r.document.find("wards"); w != r.document.end()) a.wards = w->get<std::vector<std::string>>();
      if (auto l = r.document.find("languages"); l != r.document.end() && !l->empty()) a.language = (*l)[0];
      if (auto qs = r.document.find("questions"); qs != r.document.end()) a.questions = qs->get<std::vector<nlohmann::json>>();
      out.push_back(std::move(a));
    }
    if (page->items.empty() || q.offset + q.limit >= page->total) break;
  }
  return out;
}
}  // namespace

std::optional<std::string> email_address(std::string_view text) {
  auto nfc = i18n::normalize_for_storage(text, "email");
  if (!nfc) return std::nullopt;
  std::string value = *nfc;
  size_t b = value.find_first_not_of(" \t"), e = value.find_last_not_of(" \t");
  value = b == std::string::npos ? "" : value.substr(b, e - b + 1);
  static const std::regex kEmail(R"(^[^@\s]+@[^@\s]+\.[^@\s]+$)");
  if (value.size() > 254 || !std::regex_match(value, kEmail) || !panel::sign_in_key(value)) return std::nullopt;
  return value;
}

std::string email_language(const HttpRequest& request) {
  return i18n::negotiate_language(request.accept_language, i18n::CatalogSet::builtin().locales());
}

Status send_email_confirmation(Api::Impl& api, const panel::Member& member, const std::string& email, const std::string& lang) {
  pages::Localiser loc(lang);
  OutboxEmail mail;
  if (auto owner = api.store.member_by_email(email); owner && owner->id != member.id) {
    // Taken: no claim, no link. Only the owner hears of it, at the address they proved, so
    // nobody learns from this whether the address is a member's.
    mail.to = owner->personal.value("email", email);
    mail.subject = loc.text("email.in_use_subject");
    mail.body = loc.text("email.in_use_body", {{"link", api.options.public_url + "/" + lang + "/panel/sign-in"}}) + "\n";
  } else {
    const int64_t now = now_seconds(api);
    auto live = api.store.live_email_confirmations(member.id, now);
    if (!live) return live.error();
    if (*live >= pages::kSignInLinksOutstanding) {
      std::cout << "townhall: email confirmation for member " << member.id << " not sent: " << *live
                << " unused links already outstanding" << std::endl;
      return Status::Ok();
    }
    std::string secret = new_bearer_token();
    EmailConfirmation c{hash_token("panel-confirm-email\n" + secret), member.id, email, now + pages::kEmailConfirmationSeconds};
    if (auto st = api.store.put_email_confirmation(c); !st) return st.error();
    mail.to = email;
    mail.subject = loc.text("email.confirm_subject");
    mail.body = loc.text("email.confirm_body", {{"link", api.options.public_url + "/" + lang + "/panel/confirm-email/" + secret}}) + "\n";
  }
  auto id = api.store.add_outbox_email(mail);
  if (!id) return id.error();
  std::cout << "townhall: outbox: email " << *id << " (panel email confirmation) queued" << std::endl;
  return Status::Ok();
}

panel::FactValidity fact_validity(const Api::Impl& api) {
  panel::FactValidity v;
  v.default_months = api.options.policy.panel_fact_valid_months;
  return v;
}

Result<PanelJoin> join_panel(Api::Impl& api, const nlohmann::json& form, const HttpRequest& request, const User& user,
                            const std::string& lang) {
  panel::ImportOptions o;
  o.today = api.today();
  o.channel = "online";
  o.validity = fact_validity(api);
  auto m = panel::member_from_join(form, o);
  if (!m) return m.error();
  // The address is a claim until the link emailed to it is pressed (see send_email_confirmation).
  m->email_verified = false;
  std::optional<std::string> email;
  if (m->personal.contains("email")) {
    email = email_address(m->personal["email"].get<std::string>());
    if (!email) return invalid_argument("/email", "'" + m->personal["email"].get<std::string>() + "' is not an email address");
    m->personal["email"] = *email;
  }
  // One client may not fill the panel with made-up members, nor anyone's inbox with links.
  std::vector<RateCheck> limits = {{&api.join_limiter, client_of(api, request)}};
  if (email) {
    for (auto& c : email_checks(api, request, *email)) limits.push_back(std::move(c));
  }
  PanelJoin out;
  if (auto d = take_all(api, limits); !d.allowed) {
    out.refused = d;
    return out;
  }
  out.token = new_bearer_token();
  m->user_token_hash = hash_token(out.token);
  auto added = api.store.add_member(*m, AuditEvent{actor_of(user), "panel.join", "panel_member", "", {}});
  if (!added) return added.error();
  out.facts_kept = added->fact_consent ? m->facts.size() : 0;
  if (email) {
    if (auto st = send_email_confirmation(api, *added, *email, lang); !st) return st.error();
    out.email_sent = true;
  }
  out.member = std::move(*added);
  return out;
}

// POST /api/v1/panel/join
void post_panel_join(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto joined = join_panel(api, ctx.body, ctx.request, ctx.user, email_language(ctx.request));
  if (!joined) return respond(error_response(joined.error()));
  if (joined->refused) return respond(too_many_requests(*joined->refused));
  nlohmann::json body = {{"member_id", joined->member.id},
                         {"person_id", joined->member.person_id},
                         {"facts_kept", joined->facts_kept},
                         {"token", joined->token}};
  if (joined->email_sent) body["email_confirmation"] = "sent";
  auto res = json_response(201, body);
  res.headers.emplace_back("Location", "/api/v1/me/panel");
  respond(std::move(res));
}

// POST /api/v1/panel/import
void post_panel_import(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  const std::string source = ctx.body.value("source", "members.csv");
  auto table = csv::parse_csv(ctx.body["csv"].get<std::string>(), source);
  if (!table) return respond(error_response(table.error()));
  panel::ImportOptions o;
  o.today = api.today();
  o.channel = ctx.body.value("channel", "import");
  o.validity = fact_validity(api);
  auto members = panel::members_from_csv(*table, o);
  if (!members) return respond(error_response(members.error()));
  auto added = api.store.import_members(*members, AuditEvent{actor_of(ctx.user), "panel.import", "panel_member", source, {}});
  if (!added) {
    Error e = added.error();
    // "/3/external_id" or "/3/email" → the CSV row and column that clashed.
    if (e.field.size() > 1 && e.field[0] == '/') {
      size_t row = std::stoul(e.field.substr(1));
      const std::string column = e.field.find("/email") != std::string::npos ? "email" : "id";
      e.message = csv::csv_location(*table, row, column) + ": " + e.message;
      e.field = column;
    }
    return respond(error_response(e));
  }
  nlohmann::json ids = nlohmann::json::array();
  for (const auto& m : *added) ids.push_back(m.id);
  respond(json_response(201, {{"imported", added->size()}, {"member_ids", ids}}));
}

// GET /api/v1/panel/members
void get_panel_members(Api::Impl& api, RequestContext&, Respond& respond) {
  auto all = api.store.list_members();
  if (!all) return respond(error_response(all.error()));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& m : *all) items.push_back(m.to_json());
  respond(json_response(200, {{"items", items}, {"total", all->size()}}));
}

// GET /api/v1/panel/members/{id}
void get_panel_members_id(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto id = id_param(ctx, "id", "panel member");
  if (!id) return respond(error_response(id.error()));
  respond(member_data_response(api, *id));
}

// DELETE /api/v1/panel/members/{id}
void delete_panel_members_id(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto id = id_param(ctx, "id", "panel member");
  if (!id) return respond(error_response(id.error()));
  respond(erased_response(api, *id, ctx.user));
}

// GET /api/v1/me/panel
void get_me_panel(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto m = api.store.member_by_user(ctx.user.id);
  if (!m) return respond(error_response(m.error()));
  respond(member_data_response(api, m->id));
}

// A member's new email address counts once the link emailed to it is pressed. The answer is the
// same whether or not another member has the address (that member is told instead).
void put_me_panel_email(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto m = api.store.member_by_user(ctx.user.id);
  if (!m) return respond(error_response(m.error()));
  auto email = email_address(ctx.body["email"].get<std::string>());
  if (!email) {
    return respond(problem(422, "invalid-argument", "Invalid request",
                           "'" + ctx.body["email"].get<std::string>() + "' is not an email address", "/email"));
  }
  auto res = json_response(202, {{"email_confirmation", "sent"},
                                 {"detail", "A link has gone to the new address; the change takes effect when it is pressed."}});
  const auto current = m->personal.contains("email") && m->personal["email"].is_string()
                           ? panel::sign_in_key(m->personal["email"].get<std::string>())
                           : std::nullopt;
  if (m->email_verified && current == panel::sign_in_key(*email)) {
    // Their own proven address, spelt differently: nothing to prove, nothing to send.
    nlohmann::json personal = m->personal;
    personal["email"] = *email;
    if (auto st = api.store.update_person(m->person_id, personal,
                                          AuditEvent{actor_of(ctx.user), "panel.details", "panel_member",
                                                     std::to_string(m->id), {{"field", "email"}}});
        !st) {
      return respond(error_response(st.error()));
    }
    return respond(std::move(res));
  }
  if (auto d = take_all(api, email_checks(api, ctx.request, *email)); !d.allowed) return respond(too_many_requests(d));
  if (auto st = send_email_confirmation(api, *m, *email, email_language(ctx.request)); !st) {
    return respond(error_response(st.error()));
  }
  respond(std::move(res));
}

// DELETE /api/v1/me/panel
void delete_me_panel(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto m = api.store.member_by_user(ctx.user.id);
  if (!m) return respond(error_response(m.error()));
  respond(erased_response(api, m->id, ctx.user));
}

// GET /api/v1/consultations/{id}/my-questions
void get_consultations_id_my_questions(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto c = api.cached(ctx.params["id"]);
  if (!c) return respond(error_response(c.error()));
  if ((*c)->status == ConsultationStatus::kDraft) {
    return respond(problem(404, "not-found", "Not found", "no consultation \"" + ctx.params["id"] + "\""));
  }
  auto m = member_for(api, ctx);
  if (!m) {
    const Error& e = m.error();
    return respond(e.code == ErrorCode::kInvalidArgument
                       ? problem(400, "invalid-query", "Invalid query parameter", e.message, "?" + e.field)
                       : error_response(e));
  }
  auto facts = api.store.member_facts(m->id);
  if (!facts) return respond(error_response(facts.error()));
  auto items = panel::questions_for_member((*c)->questions, *facts, api.today());
  int64_t known = std::count_if(items.begin(), items.end(), [](const nlohmann::json& q) { return q.value("known", false); });
  respond(json_response(200, {{"items", items}, {"known", known}, {"person_id", m->person_id}}));
}

// POST /api/v1/panel/invitations
void post_panel_invitations(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  const std::string cid = ctx.body["consultation_id"];
  auto c = api.store.get_consultation(cid);
  if (!c) {
    Error e = c.error();
    e.field = "/consultation_id";
    return respond(error_response(e));
  }
  std::vector<int64_t> candidates;
  if (ctx.body.contains("member_ids")) {
    for (const auto& id : ctx.body["member_ids"]) {
      auto m = api.store.get_member(id.get<int64_t>());
      if (!m) return respond(problem(422, "unknown-member", "Unknown member", m.error().message, "/member_ids"));
      candidates.push_back(m->id);
    }
  } else {
    auto all = api.store.list_members();
    if (!all) return respond(error_response(all.error()));
    for (const auto& m : *all) candidates.push_back(m.id);
  }
  const Date today = api.today();
  const auto policy = contact_policy_of(api);
  auto recent = api.store.invitations_since(policy.window_start(today));
  if (!recent) return respond(error_response(recent.error()));
  // Invitations to this consultation before the window count as "already invited" too.
  auto screen = panel::screen_contacts(candidates, *recent, policy, today, cid);
  std::vector<int64_t> invite = screen.eligible;
  uint64_t seed = ctx.body.value("seed", uint64_t{0});
  if (ctx.body.contains("sample")) {
    // A simple random sample (partial Fisher–Yates with the documented xoshiro256**).
    selection::Xoshiro256 rng(seed);
    size_t k = std::min<size_t>(ctx.body["sample"].get<size_t>(), invite.size());
    for (size_t i = 0; i < k; ++i) std::swap(invite[i], invite[i + rng.below(invite.size() - i)]);
    invite.resize(k);
    std::sort(invite.begin(), invite.end());
  }
  std::vector<panel::Invitation> rows;
  for (int64_t id : invite) rows.push_back({id, cid, today});
  nlohmann::json detail = {{"consultation_id", cid}, {"invited", invite.size()},
                           {"excluded", screen.excluded.size()}, {"policy", policy.describe()}};
  if (auto st = api.store.record_invitations(
          rows, policy, AuditEvent{actor_of(ctx.user), "panel.invite", "consultation", cid, detail});
      !st) {
    return respond(error_response(st.error()));
  }
  nlohmann::json body = screen.summary();
  body["invited"] = invite;
  body["policy"] = policy.describe();
  body["sent_on"] = today.iso();
  if (ctx.body.contains("sample")) body["seed"] = seed;
  respond(json_response(201, body));
}

// GET /api/v1/consultations/{id}/repeated-questions
void get_consultations_id_repeated_questions(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto rec = api.store.get_consultation(ctx.params["id"]);
  if (!rec) return respond(error_response(rec.error()));
  auto earlier = asked_consultations(api);
  if (!earlier) return respond(error_response(earlier.error()));
  RepeatCheckOptions o{api.options.policy.panel_repeat_question_months, api.options.policy.panel_repeat_question_similarity};
  nlohmann::json items = nlohmann::json::array();
  for (const auto& r : find_repeated_questions(rec->document, rec->id, *earlier, api.today(), o)) items.push_back(r.to_json());
  respond(json_response(200, {{"items", items},
                              {"months", o.months},
                              {"threshold", o.threshold}}));
}

}  // namespace townhall::server
