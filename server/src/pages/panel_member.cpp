// The Citizens' Panel member pages: sign in by emailed link, what we hold, change it, confirm a
// new email address, sign out, delete.
#include <algorithm>
#include <iostream>

#include "http/api_impl.h"
#include "pages/page_kit.h"
#include "pages/handlers.h"
#include "pages/consultation_content.h"
#include "townhall/i18n/locale.h"
#include "townhall/i18n/text.h"
#include "townhall/panel/member_data.h"
#include "townhall/panel/member_import.h"
#include "townhall/panel/sign_in_email.h"
#include "townhall/access/token.h"

namespace townhall::server {

namespace {

constexpr size_t kFactMaxLength = 200;

// The personal details a member can change on the pages (people.data); other keys from an import
// file are shown but changed only by the council.
const std::vector<std::string> kPersonalFields = {"name", "email", "phone", "address"};

std::string sign_in_hash(const std::string& secret) { return hash_token("panel-sign-in\n" + secret); }

// A catalog label for a known key ("panel.fact_tenure"), or the key itself (also when `prefix` is "").
std::string label_html(const Localiser& loc, const std::string& prefix, const std::string& key) {
  if (prefix.empty()) return pages::escape_html(key);
  std::string k = prefix + key;
  if (i18n::CatalogSet::builtin().format(i18n::kDefaultLocale, k, {})) return loc.html(k);
  return pages::escape_html(key);
}

std::string date_html(const Localiser& loc, const std::string& iso) {
  auto d = Date::parse(iso.substr(0, 10));
  return d ? pages::escape_html(i18n::format_date(loc.lang(), *d)) : pages::escape_html(iso);
}

std::string value_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ", ") + value_text(x);
    return out;
  }
  return v.dump();
}

// Label/value rows of an object: the keys in `first` in that order, then the others alphabetically.
nlohmann::json rows_of(const Localiser& loc, const nlohmann::json& object, const std::string& label_prefix,
                       const std::vector<std::string>& first = {}) {
  nlohmann::json rows = nlohmann::json::array();
  if (!object.is_object()) return rows;
  auto add = [&](const std::string& key) {
    rows.push_back({{"key", key}, {"label", label_html(loc, label_prefix, key)}, {"value", value_text(object[key])}});
  };
  for (const auto& key : first) {
    if (object.contains(key)) add(key);
  }
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (std::find(first.begin(), first.end(), it.key()) == first.end()) add(it.key());
  }
  return rows;
}

// The "What the council holds about you" page from member_data().
nlohmann::json me_data(Api::Impl& api, const Localiser& loc, const nlohmann::json& held) {
  nlohmann::json facts = nlohmann::json::array();
  for (const auto& f : held["facts"]) {
    const std::string key = f["key"];
    std::string channel = f.value("channel", "");
    facts.push_back({{"key", key},
                     {"label", label_html(loc, "panel.fact_", key)},
                     {"value", value_text(f["value"])},
                     {"channel", label_html(loc, "panel.channel_", channel)},
                     {"recorded", date_html(loc, f.value("recorded_on", ""))},
                     {"consent", loc.html(f.value("consent", false) ? "common.yes" : "common.no")},
                     {"until", f.contains("valid_until") ? date_html(loc, f["valid_until"].get<std::string>())
                                                         : loc.html("panel.no_end_date")}});
  }
  auto title_of = [&](const std::string& id) {
    auto c = api.store.get_consultation(id);
    return c ? c->document.value("title", id) : id;
  };
  nlohmann::json invitations = nlohmann::json::array();
  for (const auto& i : held["invitations"]) {
    std::string id = i["consultation_id"];
    invitations.push_back({{"id", id}, {"title", title_of(id)}, {"date", date_html(loc, i.value("sent_on", ""))}});
  }
  nlohmann::json responses = nlohmann::json::array();
  for (const auto& r : held["responses"]) {
    std::string id = r["consultation_id"];
    responses.push_back({{"reference", r["reference"]},
                         {"id", id},
                         {"title", title_of(id)},
                         {"date", date_html(loc, r.value("created_at", ""))}});
  }
  nlohmann::json equality = rows_of(loc, held["equality_data"], "");
  nlohmann::json personal = rows_of(loc, held["member"]["personal"], "panel.field_", kPersonalFields);
  for (auto& row : personal) {
    const std::string key = row["key"];
    row["changeable"] = std::find(std::begin(kPersonalFields), std::end(kPersonalFields), key) != std::end(kPersonalFields);
  }
  return {{"personal", personal},
          {"facts", facts},
          {"has_facts", !facts.empty()},
          {"equality", equality},
          {"has_equality", !equality.empty()},
          {"invitations", invitations},
          {"has_invitations", !invitations.empty()},
          {"responses", responses},
          {"has_responses", !responses.empty()},
          {"clang", "en-GB"},
          {"cdir", "ltr"}};
}

// The value a fact edit form gives, checked as the join form checks it; `error_key` set otherwise.
std::optional<nlohmann::json> fact_from_form(const std::string& key, const nlohmann::json& old, const std::string& raw,
                                             Date today, std::string& error_key) {
  std::string text = raw;
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.erase(0, 1);
  if (text.empty()) {
    error_key = "error.enter_answer";
    return std::nullopt;
  }
  if (text.size() > kFactMaxLength) {
    error_key = "error.too_long";
    return std::nullopt;
  }
  if (old.is_number_integer()) {
    try {
      size_t used = 0;
      long long v = std::stoll(text, &used);
      if (used == text.size()) return nlohmann::json(static_cast<int64_t>(v));
    } catch (const std::exception&) {
    }
    error_key = "error.enter_answer";
    return std::nullopt;
  }
  if (old.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    size_t start = 0;
    while (start <= text.size()) {
      size_t comma = text.find(',', start);
      if (comma == std::string::npos) comma = text.size();
      std::string part = text.substr(start, comma - start);
      size_t b = part.find_first_not_of(' '), e = part.find_last_not_of(' ');
      if (b != std::string::npos) out.push_back(part.substr(b, e - b + 1));
      start = comma + 1;
    }
    return out;
  }
  // Strings go through the join form's checks (postcode shape and spelling, NFC).
  panel::ImportOptions o;
  o.today = today;
  o.channel = "online";
  auto m = panel::member_from_join({{"name", "-"}, {"consent", true}, {"facts", {{key, text}}}}, o);
  if (!m || m->facts.empty()) {
    error_key = key == "postcode" ? "error.postcode_invalid" : "error.enter_answer";
    return std::nullopt;
  }
  return m->facts.front().value;
}

// A signed-in member's POST with a valid CSRF token; nullopt with `fail` set otherwise (the
// refusal of the form, or the sign-in redirect). The form is checked first, as on every other
// page, so a POST that is not a form with its token is refused whoever sends it.
struct MemberPost {
  panel::Member member;
  pages::Session session;
  pages::FormFields form;
};

// The signed-in member, or a redirect to the sign-in page in `fail`.
std::optional<panel::Member> member_of(Api::Impl& api, RequestContext& ctx, const Localiser& loc, HttpResponse& fail) {
  auto m = pages::signed_in_member(api, ctx.request);
  if (!m) fail = pages::redirect("/" + loc.lang() + "/panel/sign-in");
  return m;
}

// A POST's form after its CSRF token is checked; nullopt with `fail` (403/400) otherwise.
std::optional<pages::FormFields> posted_form(RequestContext& ctx, const Localiser& loc, const pages::Session& session,
                        HttpResponse& fail) {
  auto form = pages::parse_form(ctx.request.content_type, ctx.request.body);
  if (!form || !pages::csrf_valid(session, pages::form_value(*form, "csrf"))) {
    fail = pages::with_session(pages::text_page(loc, form ? 403 : 400, "error.form_expired_title", {"error.form_expired"}, ""),
                               session);
    return std::nullopt;
  }
  return std::move(form).value();
}

std::optional<MemberPost> member_post(Api::Impl& api, RequestContext& ctx, const Localiser& loc,
                                             HttpResponse& fail) {
  auto session = pages::session_of(api, ctx.request);
  auto form = posted_form(ctx, loc, session, fail);
  if (!form) return std::nullopt;
  auto m = member_of(api, ctx, loc, fail);
  if (!m) return std::nullopt;
  return MemberPost{std::move(*m), std::move(session), std::move(*form)};
}

auto sign_in_page(const Localiser& loc, const pages::Session& session, const std::string& email, bool invalid) {
  nlohmann::json d = {{"email", email}, {"csrf", pages::csrf_token(session)}};
  PageOptions o;
  o.title = loc.text("panel.sign_in_title");
  o.rest_path = "/panel/sign-in";
  if (invalid) pages::add_field_error(d, o, loc.html("error.email_invalid"), "email");
  return pages::with_session(pages::render_page(loc, "panel_sign_in", d, o), session);
}

// A sign-in link opens a page with a button; only the button's POST uses the link up. Mail
  // scanners and link previews fetch links with GET, and must not burn a resident's one-time link.
auto link_member(Api::Impl& api, const std::string& secret, bool consume) {
  return secret.size() < 32 || secret.size() > 128
             ? Result<int64_t>(Error{ErrorCode::kNotFound, "", "no such link"})
             : api.store.member_token("sign_in", sign_in_hash(secret), now_seconds(api), consume);
}

auto link_expired(const Localiser& loc) {
  return pages::text_page(loc, 410, "error.link_expired", {"panel.sign_in_again"}, "/panel/sign-in");
}

// An emailed link proving an address (joining, or a new address): a page with a button, as for
  // sign-in links; only the button's POST uses it up. It does not sign anyone in.
auto confirmation_hash(const std::string& secret) { return hash_token("panel-confirm-email\n" + secret);
}

auto live_confirmation(Api::Impl& api, const std::string& secret) {
  return secret.size() < 32 || secret.size() > 128
             ? Result<EmailConfirmation>(Error{ErrorCode::kNotFound, "", "no such link"})
             : api.store.email_confirmation(confirmation_hash(secret), now_seconds(api));
}

auto confirmation_expired(const Localiser& loc) {
  return pages::text_page(loc, 410, "error.link_expired", {}, "");
}

// Changing one fact. The form is a text box: lists are comma-separated, numbers stay numbers.
auto fact_page(const Localiser& loc, const pages::Session& session, const std::string& key, const std::string& value,
                      const std::string& error_key) {
  nlohmann::json d = {{"key", key},          {"label", label_html(loc, "panel.fact_", key)},
                      {"value", value},      {"csrf", pages::csrf_token(session)},
                      {"action", "facts/" + key}, {"fact", true}, {"input_type", "text"}};
  PageOptions o;
  o.title = loc.text(i18n::CatalogSet::builtin().format(i18n::kDefaultLocale, "panel.fact_" + key, {}) ? "panel.fact_" + key
                                                                                                        : "panel.me_title");
  o.back = "/" + loc.lang() + "/panel/me";
  o.rest_path = "/panel/me/facts/" + key;
  if (!error_key.empty()) {
    pages::add_field_error(d, o, loc.html(error_key, {{"max", static_cast<int64_t>(kFactMaxLength)}}), "value");
  }
  return pages::with_session(pages::render_page(loc, "panel_fact", d, o), session);
}

// The member's fact `key`, or the 404 page in `fail`.
std::optional<panel::Fact> fact_of(Api::Impl& api, const panel::Member& m, const std::string& key, const Localiser& loc,
                        HttpResponse& fail) {
  auto facts = api.store.member_facts(m.id);
  if (!facts) {
    fail = pages::error_page(loc, facts.error());
    return std::nullopt;
  }
  if (const auto* f = panel::find_fact(*facts, key)) return *f;
  fail = pages::not_found_page(loc.lang());
  return std::nullopt;
}

// Changing one personal detail (name, email, phone, address): one text box, like a fact.
auto detail_page(const Localiser& loc, const pages::Session& session, const std::string& field,
                        const std::string& value, const std::string& error_key) {
  nlohmann::json d = {{"key", field},
                      {"label", label_html(loc, "panel.field_", field)},
                      {"value", value},
                      {"csrf", pages::csrf_token(session)},
                      {"action", "details/" + field},
                      {"fact", false},
                      {"input_type", field == "email" ? "email" : field == "phone" ? "tel" : "text"},
                      {"autocomplete", field == "name"    ? "name"
                                       : field == "email" ? "email"
                                       : field == "phone" ? "tel"
                                                          : "street-address"}};
  PageOptions o;
  o.title = loc.text("panel.field_" + field);
  o.back = "/" + loc.lang() + "/panel/me";
  o.rest_path = "/panel/me/details/" + field;
  if (!error_key.empty()) {
    pages::add_field_error(d, o, loc.html(error_key, {{"max", static_cast<int64_t>(kFactMaxLength)}}), "value");
  }
  return pages::with_session(pages::render_page(loc, "panel_fact", d, o), session);
}

auto known_field(const std::string& field) {
  return std::find(kPersonalFields.begin(), kPersonalFields.end(), field) != kPersonalFields.end();
}

}  // namespace

// GET /{lang}/panel/sign-in
Result<HttpResponse> get_panel_sign_in_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  if (pages::signed_in_member(api, ctx.request)) return pages::redirect("/" + loc.lang() + "/panel/me");
  return sign_in_page(loc, pages::session_of(api, ctx.request), "", false);
}

// POST /{lang}/panel/sign-in
Result<HttpResponse> post_panel_sign_in_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  auto session = pages::session_of(api, ctx.request);
  HttpResponse fail;
  auto form = posted_form(ctx, loc, session, fail);
  if (!form) return fail;
  const std::string typed = pages::form_value(*form, "email");
  auto email = email_address(typed);
  if (!email) return sign_in_page(loc, session, typed, true);
  // Every request counts, member or not, so a refusal says nothing about the address.
  if (auto d = take_all(api, email_checks(api, ctx.request, *email)); !d.allowed) {
    return pages::too_many_requests_page(loc, d, session);
  }
  // The same page follows whether or not the address is a member's (no membership oracle).
  if (auto m = api.store.member_by_email(*email)) {
    auto outstanding = api.store.live_member_tokens("sign_in", m->id, now_seconds(api));
    if (!outstanding) return pages::error_page(loc, outstanding.error());
    if (*outstanding >= pages::kSignInLinksOutstanding) {
      std::cout << "townhall: panel sign-in link for member " << m->id << " not sent: " << *outstanding
                << " unused links already outstanding" << std::endl;
      return pages::with_session(pages::redirect("/" + loc.lang() + "/panel/check-email"), session);
    }
    std::string secret = new_bearer_token();
    MemberToken t{"sign_in", sign_in_hash(secret), m->id, now_seconds(api) + pages::kSignInLinkSeconds};
    if (auto st = api.store.put_member_token(t); !st) return pages::error_page(loc, st.error());
    OutboxEmail mail;
    // To the address the member proved, not the spelling typed here: two spellings that
    // compare equal (case folding) need not be one mailbox.
    mail.to = m->personal.value("email", *email);
    mail.subject = loc.text("email.sign_in_subject");
    mail.body = loc.text("email.sign_in_body", {{"link", api.options.public_url + "/" + loc.lang() + "/panel/sign-in/" + secret}}) + "\n";
    auto id = api.store.add_outbox_email(mail);
    if (!id) return pages::error_page(loc, id.error());
    std::cout << "townhall: outbox: email " << *id << " (panel sign-in link) queued" << std::endl;
  }
  return pages::with_session(pages::redirect("/" + loc.lang() + "/panel/check-email"), session);
}

// GET /{lang}/panel/check-email
Result<HttpResponse> get_panel_check_email_page(RequestContext&, const Localiser& loc) {
  return pages::text_page(loc, 200, "panel.check_email_title", {"panel.check_email"}, "/panel/check-email", false);
}

// GET /{lang}/panel/sign-in/{token}
Result<HttpResponse> get_panel_sign_in_token_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  const std::string& secret = ctx.params["token"];
  if (!link_member(api, secret, false)) return link_expired(loc);
  auto session = pages::session_of(api, ctx.request);
  PageOptions o;
  o.title = loc.text("panel.sign_in_title");
  o.rest_path = "/panel/sign-in";
  return pages::with_session(
      pages::render_page(loc, "panel_sign_in_confirm", {{"secret", secret}, {"csrf", pages::csrf_token(session)}}, o),
      session);
}

// POST /{lang}/panel/sign-in/{token}
Result<HttpResponse> post_panel_sign_in_token_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  auto session = pages::session_of(api, ctx.request);
  HttpResponse fail;
  if (!posted_form(ctx, loc, session, fail)) return fail;
  auto member = link_member(api, ctx.params["token"], true);
  if (!member) return link_expired(loc);
  HttpResponse r = pages::redirect("/" + loc.lang() + "/panel/me");
  pages::start_member_session(api, ctx.request, *member, r);
  return r;
}

// GET /{lang}/panel/confirm-email/{token}
Result<HttpResponse> get_panel_confirm_email_token_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  const std::string& secret = ctx.params["token"];
  auto c = live_confirmation(api, secret);
  if (!c) return confirmation_expired(loc);
  auto session = pages::session_of(api, ctx.request);
  PageOptions o;
  o.title = loc.text("panel.confirm_email_title");
  return pages::with_session(
      pages::render_page(loc, "panel_confirm_email",
                         {{"secret", secret},
                          {"csrf", pages::csrf_token(session)},
                          {"text", loc.html("panel.confirm_email_text", {{"email", c->email}})}},
                         o),
      session);
}

// POST /{lang}/panel/confirm-email/{token}
Result<HttpResponse> post_panel_confirm_email_token_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  auto session = pages::session_of(api, ctx.request);
  HttpResponse fail;
  if (!posted_form(ctx, loc, session, fail)) return fail;
  const std::string& secret = ctx.params["token"];
  if (secret.size() < 32 || secret.size() > 128) return confirmation_expired(loc);
  auto m = api.store.confirm_email(confirmation_hash(secret), now_seconds(api),
                                   AuditEvent{"panel member (emailed link)", "panel.email_confirmed", "panel_member", "", {}});
  if (!m) {
    if (m.error().code == ErrorCode::kNotFound) return confirmation_expired(loc);
    if (m.error().code != ErrorCode::kConflict) return pages::error_page(loc, m.error());
    // Only whoever reads this mailbox gets here: telling them the address is in use is safe.
    return pages::with_session(pages::text_page(loc, 409, "panel.email_in_use_title", {"panel.email_in_use"}, ""), session);
  }
  return pages::with_session(pages::redirect("/" + loc.lang() + "/panel/email-confirmed"), session);
}

// GET /{lang}/panel/email-confirmed
Result<HttpResponse> get_panel_email_confirmed_page(RequestContext&, const Localiser& loc) {
  return pages::text_page(loc, 200, "panel.email_confirmed_title", {"panel.email_confirmed"}, "/panel/email-confirmed");
}

// GET /{lang}/panel/email-sent
Result<HttpResponse> get_panel_email_sent_page(RequestContext&, const Localiser& loc) {
  return pages::text_page(loc, 200, "panel.check_email_title", {"panel.email_change_sent"}, "/panel/email-sent", false);
}

// GET /{lang}/panel/me
Result<HttpResponse> get_panel_me_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  HttpResponse fail;
  auto m = member_of(api, ctx, loc, fail);
  if (!m) return fail;
  auto held = panel::member_data(api.store, api.store, api.store, m->id);
  if (!held) return pages::error_page(loc, held.error());
  auto session = pages::session_of(api, ctx.request);
  nlohmann::json d = me_data(api, loc, *held);
  d["csrf"] = pages::csrf_token(session);
  PageOptions o;
  o.title = loc.text("panel.me_title");
  o.rest_path = "/panel/me";
  return pages::with_session(pages::render_page(loc, "panel_me", d, o), session);
}

// GET /{lang}/panel/me/facts/{key}
Result<HttpResponse> get_panel_me_facts_key_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  HttpResponse fail;
  auto m = member_of(api, ctx, loc, fail);
  if (!m) return fail;
  auto f = fact_of(api, *m, ctx.params["key"], loc, fail);
  if (!f) return fail;
  return fact_page(loc, pages::session_of(api, ctx.request), f->key, value_text(f->value), "");
}

// POST /{lang}/panel/me/facts/{key}
Result<HttpResponse> post_panel_me_facts_key_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  HttpResponse fail;
  auto post = member_post(api, ctx, loc, fail);
  if (!post) return fail;
  const panel::Member* m = &post->member;
  auto f = fact_of(api, *m, ctx.params["key"], loc, fail);
  if (!f) return fail;
  std::string raw = pages::form_value(post->form, "value"), error_key;
  auto value = fact_from_form(f->key, f->value, raw, api.today(), error_key);
  if (!value) return fact_page(loc, post->session, f->key, raw, error_key);
  panel::Fact nf;
  nf.key = f->key;
  nf.value = *value;
  nf.channel = "online";
  nf.source = "panel member pages";
  nf.recorded_on = api.today();
  nf.consent = m->fact_consent;
  nf.valid_until = fact_validity(api).until(nf.key, nf.recorded_on);
  if (auto st = api.store.record_facts(m->id, {nf}, AuditEvent{"panel member " + std::to_string(m->id) + " (web pages)",
                                                               "panel.facts", "panel_member", "", {}});
      !st) {
    return pages::error_page(loc, st.error());
  }
  return pages::with_session(pages::redirect("/" + loc.lang() + "/panel/me"), post->session);
}

// GET /{lang}/panel/me/details/{field}
Result<HttpResponse> get_panel_me_details_field_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  HttpResponse fail;
  auto m = member_of(api, ctx, loc, fail);
  if (!m) return fail;
  const std::string& field = ctx.params["field"];
  if (!known_field(field)) return pages::not_found_page(loc.lang());
  return detail_page(loc, pages::session_of(api, ctx.request), field, value_text(m->personal.value(field, nlohmann::json(""))), "");
}

// POST /{lang}/panel/me/details/{field}
Result<HttpResponse> post_panel_me_details_field_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  HttpResponse fail;
  auto post = member_post(api, ctx, loc, fail);
  if (!post) return fail;
  const std::string& field = ctx.params["field"];
  if (!known_field(field)) return pages::not_found_page(loc.lang());
  std::string raw = pages::form_value(post->form, "value");
  auto text = i18n::normalize_for_storage(raw, field);
  std::string value = text ? *text : raw;
  size_t b = value.find_first_not_of(" \t"), e = value.find_last_not_of(" \t");
  value = b == std::string::npos ? "" : value.substr(b, e - b + 1);
  std::string error_key;
  if (!text) {
    error_key = "error.enter_answer";
  } else if (value.size() > kFactMaxLength) {
    error_key = "error.too_long";
  } else if (field == "email" && !email_address(value)) {
    error_key = "error.email_invalid";  // the sign-in address: it cannot be blank
  } else if (field == "name" && value.empty()) {
    error_key = "error.enter_answer";
  }
  if (!error_key.empty()) return detail_page(loc, post->session, field, raw, error_key);
  const panel::Member& m = post->member;
  auto current = m.personal.contains("email") && m.personal["email"].is_string()
                     ? panel::sign_in_key(m.personal["email"].get<std::string>())
                     : std::nullopt;
  if (field == "email" && current != panel::sign_in_key(value)) {
    // A new sign-in address counts once the link emailed to it is pressed. The next page
    // is the same whether or not another member has the address (who is told instead).
    if (auto d = take_all(api, email_checks(api, ctx.request, value)); !d.allowed) {
      return pages::too_many_requests_page(loc, d, post->session);
    }
    if (auto st = send_email_confirmation(api, m, value, loc.lang()); !st) return pages::error_page(loc, st.error());
    return pages::with_session(pages::redirect("/" + loc.lang() + "/panel/email-sent"), post->session);
  }
  nlohmann::json personal = post->member.personal;
  if (value.empty()) {
    personal.erase(field);  // phone or address removed
  } else {
    personal[field] = value;
  }
  // The audit entry names the field, never the value (it is personal data).
  if (auto st = api.store.update_person(post->member.person_id, personal,
                                        AuditEvent{"panel member " + std::to_string(post->member.id) + " (web pages)",
                                                   "panel.details", "panel_member",
                                                   std::to_string(post->member.id), {{"field", field}}});
      !st) {
    return pages::error_page(loc, st.error());
  }
  return pages::with_session(pages::redirect("/" + loc.lang() + "/panel/me"), post->session);
}

// POST /{lang}/panel/sign-out
Result<HttpResponse> post_panel_sign_out_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  auto session = pages::session_of(api, ctx.request);
  HttpResponse fail;
  auto form = posted_form(ctx, loc, session, fail);
  if (!form) return fail;
  HttpResponse r = pages::redirect("/" + loc.lang() + "/panel/signed-out");
  pages::end_member_session(api, ctx.request, r);
  return pages::with_session(std::move(r), session);
}

// GET /{lang}/panel/signed-out
Result<HttpResponse> get_panel_signed_out_page(RequestContext&, const Localiser& loc) {
  return pages::text_page(loc, 200, "panel.signed_out_title", {"panel.sign_in_again"}, "/panel/signed-out");
}

// GET /{lang}/panel/me/delete
Result<HttpResponse> get_panel_me_delete_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  HttpResponse fail;
  auto m = member_of(api, ctx, loc, fail);
  if (!m) return fail;
  auto session = pages::session_of(api, ctx.request);
  PageOptions o;
  o.title = loc.text("panel.delete_title");
  o.back = "/" + loc.lang() + "/panel/me";
  o.rest_path = "/panel/me/delete";
  return pages::with_session(pages::render_page(loc, "panel_delete", {{"csrf", pages::csrf_token(session)}}, o), session);
}

// POST /{lang}/panel/me/delete
Result<HttpResponse> post_panel_me_delete_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  HttpResponse fail;
  auto post = member_post(api, ctx, loc, fail);
  if (!post) return fail;
  const int64_t id = post->member.id;
  auto erased = api.store.erase_member(
      id, AuditEvent{"panel member " + std::to_string(id) + " (web pages)", "panel.erase", "panel_member", "", {}});
  if (!erased) return pages::error_page(loc, erased.error());
  HttpResponse r = pages::redirect("/" + loc.lang() + "/panel/deleted");
  pages::end_member_session(api, ctx.request, r);  // its row went with the member
  return pages::with_session(std::move(r), post->session);
}

// GET /{lang}/panel/deleted
Result<HttpResponse> get_panel_deleted_page(RequestContext&, const Localiser& loc) {
  return pages::text_page(loc, 200, "panel.deleted_title", {"panel.deleted"}, "/panel/deleted");
}

}  // namespace townhall::server
