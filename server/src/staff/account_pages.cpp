// The staff accounts pages (account_pages.h). No rule of accounts is here: who may be made, which
// passwords are accepted, who may change whom and that an administrator is always left are the
// core's (townhall/access/staff.h); these pages parse the forms and show the answers.
#include "staff/account_pages.h"

#include "townhall/access/password.h"
#include "townhall/access/token.h"

namespace townhall::server::staff {
namespace {

const char* role_label(Role r) {
  switch (r) {
    case Role::kOfficer: return "Engagement officer";
    case Role::kGovernance: return "Governance officer";
    case Role::kAdmin: return "Administrator";
    default: return "Panel member";
  }
}

std::optional<Role> staff_role_of(const std::string& text) {
  auto r = parse_role(text);
  if (!r || (*r != Role::kOfficer && *r != Role::kGovernance && *r != Role::kAdmin)) return std::nullopt;
  return *r;
}

nlohmann::json role_options(Role selected) {
  nlohmann::json out = nlohmann::json::array();
  for (Role r : {Role::kOfficer, Role::kGovernance, Role::kAdmin}) {
    out.push_back({{"value", role_id(r)}, {"label", role_label(r)}, {"checked", r == selected}});
  }
  return out;
}

// The key that counts an account's failed sign-ins (sign_in_staff counts "account:<id>").
std::string failure_key(int64_t user_id) { return "account:" + std::to_string(user_id); }

// Adds an error for `field` to the page data: the summary's link and the field's message.
void add_error(nlohmann::json& data, const std::string& field, const std::string& message) {
  data["errors"].push_back({{"href", "#" + field}, {"message", message}});
  data[field + "_error"] = message;
}

// The message of a core error, as a sentence an administrator reads next to the field.
std::string sentence(const Error& e) {
  std::string m = e.message;
  if (!m.empty()) m[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(m[0])));
  return m;
}

Result<HttpResponse> account_list(Api::Impl& api, StaffContext& sc) {
  auto accounts = api.store.staff_accounts();
  if (!accounts) return accounts.error();
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& a : *accounts) {
    rows.push_back({{"id", a.user.id},
                    {"name", a.user.name},
                    {"username", a.username},
                    {"email", a.email},
                    {"role", role_label(a.user.role)},
                    {"disabled", !a.disabled_at.empty()},
                    {"you", a.user.id == sc.staff->user.id}});
  }
  StaffPage p;
  p.title = "Staff accounts";
  p.back = "/staff";
  nlohmann::json data = {{"accounts", rows}, {"count", rows.size()}};
  if (sc.ctx.query.count("added")) data["added"] = sc.ctx.query.at("added");
  return render_staff_page(sc, "staff_accounts", data, p);
}

HttpResponse new_account_form(const StaffContext& sc, nlohmann::json data, int status) {
  StaffPage p;
  p.title = "Add a staff account";
  p.back = "/staff/accounts";
  p.status = status;
  p.has_error = data.contains("errors") && !data["errors"].empty();
  Role selected = staff_role_of(data.value("role", "")).value_or(Role::kOfficer);
  data["roles"] = role_options(selected);
  return render_staff_page(sc, "staff_account_new", std::move(data), p);
}

Result<HttpResponse> get_new_account(Api::Impl&, StaffContext& sc) {
  return new_account_form(sc, {{"errors", nlohmann::json::array()}}, 200);
}

Result<HttpResponse> post_new_account(Api::Impl& api, StaffContext& sc) {
  NewStaffAccount a;
  a.name = pages::form_value(sc.form, "name");
  a.username = pages::form_value(sc.form, "username");
  a.email = pages::form_value(sc.form, "email");
  const std::string role_text = pages::form_value(sc.form, "role");
  const std::string password = pages::form_value(sc.form, "password");
  nlohmann::json data = {{"name", a.name}, {"username", a.username}, {"email", a.email}, {"role", role_text},
                         {"errors", nlohmann::json::array()}};
  auto role = staff_role_of(role_text);
  if (!role) {
    add_error(data, "role", "Choose the role of the account");
    return new_account_form(sc, data, 422);
  }
  a.role = *role;
  if (a.username.empty()) add_error(data, "username", "Enter a user name");
  if (password.empty()) add_error(data, "password", "Enter a first password for the account");
  if (!data["errors"].empty()) return new_account_form(sc, data, 422);
  auto made = add_staff_account(api.store, a, password, hash_token(new_bearer_token()), Actor::of(sc.staff->user));
  if (!made) {
    const Error& e = made.error();
    if (e.code != ErrorCode::kInvalidArgument && e.code != ErrorCode::kConflict) return e;
    const std::string field = (e.field == "name" || e.field == "username" || e.field == "email") ? e.field : "password";
    add_error(data, field, sentence(e));
    return new_account_form(sc, data, 422);
  }
  return pages::redirect("/staff/accounts?added=" + made->username);
}

HttpResponse account_page(Api::Impl& api, const StaffContext& sc, const StaffAccount& a, nlohmann::json data,
                          int status) {
  StaffPage p;
  p.title = a.user.name;
  p.back = "/staff/accounts";
  p.status = status;
  p.has_error = data.contains("errors") && !data["errors"].empty();
  if (!data.contains("errors")) data["errors"] = nlohmann::json::array();
  const int64_t now = now_seconds(api);
  const SignInPolicy policy;
  int64_t failures = 0, wait = 0;
  if (auto f = api.store.sign_in_failures({failure_key(a.user.id)}, now - policy.forget_after_seconds); f && !f->empty()) {
    failures = f->front().failures;
    wait = sign_in_wait(policy, policy.free_account_failures, failures, f->front().last_failure, now);
  }
  data.update({{"id", a.user.id},
               {"name", a.user.name},
               {"username", a.username},
               {"email", a.email},
               {"role", role_label(a.user.role)},
               {"roles", role_options(a.user.role)},
               {"created", format_date(a.created_at.substr(0, 10))},
               {"disabled", !a.disabled_at.empty()},
               {"disabled_on", a.disabled_at.empty() ? "" : format_date(a.disabled_at.substr(0, 10))},
               {"you", a.user.id == sc.staff->user.id},
               {"failures", failures},
               {"has_failures", failures > 0},
               {"locked_minutes", wait > 0 ? (wait + 59) / 60 : 0},
               {"locked", wait > 0}});
  return render_staff_page(sc, "staff_account", std::move(data), p);
}

Result<StaffAccount> account_of_path(Api::Impl& api, const StaffContext& sc) {
  auto id = id_param(sc.ctx, "user_id", "staff account");
  if (!id) return id.error();
  return api.store.staff_account(*id);
}

Result<HttpResponse> get_account(Api::Impl& api, StaffContext& sc) {
  auto a = account_of_path(api, sc);
  if (!a) return a.error();
  nlohmann::json data = nlohmann::json::object();
  if (sc.ctx.query.count("saved")) data["saved"] = true;
  return account_page(api, sc, *a, data, 200);
}

// POST /staff/accounts/{user_id}: the role and whether the account is enabled.
Result<HttpResponse> post_account(Api::Impl& api, StaffContext& sc) {
  auto a = account_of_path(api, sc);
  if (!a) return a.error();
  nlohmann::json data = {{"errors", nlohmann::json::array()}};
  auto role = staff_role_of(pages::form_value(sc.form, "role"));
  const std::string state = pages::form_value(sc.form, "state");
  if (!role) add_error(data, "role", "Choose the role of the account");
  if (state != "enabled" && state != "disabled") add_error(data, "state", "Choose whether the account may sign in");
  if (!data["errors"].empty()) return account_page(api, sc, *a, data, 422);
  auto st = change_staff_account(api.store, a->user.id, *role, state == "disabled", sc.staff->user);
  if (!st) {
    const Error& e = st.error();
    if (e.code != ErrorCode::kInvalidArgument && e.code != ErrorCode::kConflict) return e;
    add_error(data, e.field == "disabled" ? "state" : "role", sentence(e));
    return account_page(api, sc, *a, data, 409);
  }
  return pages::redirect("/staff/accounts/" + std::to_string(a->user.id) + "?saved");
}

// POST /staff/accounts/{user_id}/password: a new password the administrator passes on.
Result<HttpResponse> post_account_password(Api::Impl& api, StaffContext& sc) {
  auto a = account_of_path(api, sc);
  if (!a) return a.error();
  nlohmann::json data = {{"errors", nlohmann::json::array()}};
  const std::string password = pages::form_value(sc.form, "password");
  if (password.empty()) {
    add_error(data, "password", "Enter the new password");
    return account_page(api, sc, *a, data, 422);
  }
  auto st = set_staff_password(api.store, a->username, password, Actor::of(sc.staff->user));
  if (!st) {
    if (st.error().code != ErrorCode::kInvalidArgument) return st.error();
    add_error(data, "password", sentence(st.error()));
    return account_page(api, sc, *a, data, 422);
  }
  return pages::redirect("/staff/accounts/" + std::to_string(a->user.id) + "?saved");
}

// POST /staff/accounts/{user_id}/unlock: forgets the account's failed sign-ins, so someone who
// was slowed down by a guesser (or by their own typing) may sign in at once.
Result<HttpResponse> post_account_unlock(Api::Impl& api, StaffContext& sc) {
  auto a = account_of_path(api, sc);
  if (!a) return a.error();
  if (auto st = api.store.clear_sign_in_failures({failure_key(a->user.id)}); !st) return st.error();
  return pages::redirect("/staff/accounts/" + std::to_string(a->user.id) + "?saved");
}

}  // namespace

std::vector<StaffRoute> account_routes(const std::set<Role>& admins) {
  return {
      {"GET", "/staff/accounts", admins, account_list},
      {"GET", "/staff/accounts/new", admins, get_new_account},
      // Making an account hashes its password: on the password thread, like a sign-in.
      {"POST", "/staff/accounts/new", admins, post_new_account, true},
      {"GET", "/staff/accounts/{user_id}", admins, get_account},
      {"POST", "/staff/accounts/{user_id}", admins, post_account},
      {"POST", "/staff/accounts/{user_id}/password", admins, post_account_password, true},
      {"POST", "/staff/accounts/{user_id}/unlock", admins, post_account_unlock},
  };
}

}  // namespace townhall::server::staff
