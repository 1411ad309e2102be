// `townhall users add`, `townhall audit verify` and `townhall audit anchor`: administration of the
// store and its audit log.
#include <sys/stat.h>

#include <iostream>

#include "cli.h"
#include "database_option.h"
#include "townhall/audit/audit_key.h"
#include "townhall/store/sqlite_store.h"
#include "townhall/access/password.h"
#include "townhall/access/staff.h"
#include "townhall/access/token.h"

namespace townhall::cli {
namespace {

// The first line of standard input, without its line ending: a password piped in, so it never
// appears in the process list or the shell's history.
std::string password_from_stdin() {
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

TOWNHALL_COMMAND("users add",
                 "users add --db PATH --role ROLE [--name NAME] [--username USER [--email EMAIL] --password-stdin] "
                 "[--create] [--audit-key FILE]  (prints the new bearer token once; with --password-stdin the "
                 "user also signs in to the staff console at /staff/ with the user name or email address and "
                 "the password read from the first line of standard input; --create makes the database when "
                 "there is none)",
                 OptionSpec{{"db", "role", "name", "audit-key", "username", "email"}, {"create", "password-stdin"}, 0, 0},
                 [](const Args& a) {
                   auto role_text = a.option("role");
                   if (!role_text) return bad_input(invalid_argument("--role", "is required"));
                   auto role = parse_role(*role_text, "--role");
                   if (!role) return bad_input(role.error());
                   const bool staff = a.flag("password-stdin");
                   if (!staff && (a.option("username") || a.option("email"))) {
                     return bad_input(invalid_argument("--password-stdin",
                                                       "is needed with --username or --email (a console account needs a password)"));
                   }
                   if (staff && !a.option("username")) {
                     return bad_input(invalid_argument("--username", "is required with --password-stdin"));
                   }
                   std::string password = staff ? password_from_stdin() : "";
                   NewStaffAccount n;
                   if (staff) {
                     n.role = *role;
                     n.name = a.option("name").value_or("");
                     n.username = *a.option("username");
                     n.email = a.option("email").value_or("");
                     // Checked before the database is opened (or made): bad input changes nothing.
                     Status st = check_new_staff(n);
                     if (st) st = check_new_password(password);
                     if (!st) {
                       Error e = st.error();
                       e.field = e.field == "password" ? "--password-stdin" : "--" + e.field;
                       return bad_input(e);
                     }
                   }
                   auto store = open_database(a, DbUse::kWrite);
                   if (!store) return bad_input(store.error());
                   std::string token = new_bearer_token();
                   Result<User> user = Error{};
                   std::string username;
                   if (staff) {
                     auto made = add_staff_account(**store, n, password, hash_token(token), Actor::system("townhall users add"));
                     if (!made) {
                       Error e = made.error();
                       if (e.field == "password") e.field = "--password-stdin";
                       else if (!e.field.empty() && e.field[0] != '-') e.field = "--" + e.field;
                       return bad_input(e);
                     }
                     user = made->user;
                     username = made->username;
                   } else {
                     user = (*store)->add_user(*role, a.option("name").value_or(role_id(*role)), hash_token(token));
                   }
                   if (!user) return bad_input(user.error());
                   if (a.json()) {
                     nlohmann::json j{{"id", user->id}, {"name", user->name}, {"role", role_id(user->role)}, {"token", token}};
                     if (staff) j["username"] = username;
                     std::cout << j.dump() << "\n";
                   } else {
                     std::cout << token << "\n";
                     std::cerr << "townhall: user " << user->id << " (" << user->name << ", "
                               << role_id(user->role) << ") added; the token is shown only once"
                               << (staff ? "; they sign in at /staff/sign-in as " + username : std::string()) << "\n";
                   }
                   return kExitOk;
                 });

TOWNHALL_COMMAND("users password",
                 "users password --db PATH --username USER_OR_EMAIL --password-stdin  (sets a console account's "
                 "password from the first line of standard input)",
                 OptionSpec{{"db", "username", "audit-key"}, {"password-stdin"}, 0, 0}, [](const Args& a) {
                   if (!a.option("username")) return bad_input(invalid_argument("--username", "is required"));
                   if (!a.flag("password-stdin")) return bad_input(invalid_argument("--password-stdin", "is required"));
                   std::string password = password_from_stdin();
                   auto store = open_database(a, DbUse::kWrite);
                   if (!store) return bad_input(store.error());
                   auto st = set_staff_password(**store, *a.option("username"), password,
                                                Actor::system("townhall users password"));
                   if (!st) {
                     Error e = st.error();
                     if (e.field == "password") e.field = "--password-stdin";
                     else if (e.field == "username" || e.code == ErrorCode::kNotFound) e.field = "--username";
                     return bad_input(e);
                   }
                   if (!a.json()) std::cerr << "townhall: password changed\n";
                   else std::cout << nlohmann::json{{"changed", true}}.dump() << "\n";
                   return kExitOk;
                 });

// --anchor names a file holding anchor lines (minutes, a Forward Plan) or is an anchor line itself.
Result<std::vector<AuditAnchor>> anchors_option(const std::string& value) {
  struct stat st {};
  std::string text = value;
  if (::stat(value.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    auto file = read_file(value);
    if (!file) return file.error();
    text = std::move(*file);
  }
  auto anchors = parse_audit_anchors(text);
  if (!anchors) {
    Error e = anchors.error();
    e.message = (text == value ? "" : value + ": ") + e.message;
    e.field = "--anchor: " + e.field;
    return e;
  }
  return anchors;
}

std::string describe(const AuditVerification& v) {
  switch (v.state) {
    case AuditState::kIntact: {
      std::string out = "audit log intact: " + std::to_string(v.entries) + " entries";
      if (v.sealed_from) {
        out += *v.sealed_from > v.head_seq ? ", sealed from its next entry on"
                                           : ", sealed from entry " + std::to_string(*v.sealed_from);
        out += " (audit key " + v.public_key.substr(0, 16) + "…)";
      }
      return out;
    }
    case AuditState::kBroken:
      return "AUDIT LOG BROKEN at entry " + std::to_string(v.first_bad_seq.value_or(0)) + ": " + v.problem;
    case AuditState::kUnverified:
      return "AUDIT LOG UNVERIFIED: " + v.problem + " (the hashes of its " + std::to_string(v.entries) +
             " entries hold)";
  }
  return v.problem;
}

TOWNHALL_COMMAND("audit verify",
                 "audit verify --db PATH [--anchor FILE|TEXT] [--audit-key FILE]  (checks the hash chain, the seals "
                 "and that the log extends each anchor; exit 1 names the first bad entry; never changes the file)",
                 OptionSpec{{"db", "anchor", "audit-key"}, {}, 0, 0}, [](const Args& a) {
                   std::vector<AuditAnchor> anchors;
                   if (auto given = a.option("anchor")) {
                     auto parsed = anchors_option(*given);
                     if (!parsed) return bad_input(parsed.error());
                     anchors = std::move(*parsed);
                   }
                   auto store = open_database(a, DbUse::kRead);
                   if (!store) return bad_input(store.error());
                   auto v = (*store)->verify_audit();
                   if (!v) return bad_input(v.error());
                   bool all_ok = v->ok;
                   std::vector<AnchorCheck> checks;
                   if (!anchors.empty()) {
                     auto entries = (*store)->audit_entries();
                     if (!entries) return bad_input(entries.error());
                     for (const auto& anchor : anchors) {
                       checks.push_back(check_audit_anchor(*entries, *v, anchor));
                       all_ok = all_ok && checks.back().ok;
                     }
                   }
                   if (a.json()) {
                     nlohmann::json j = {{"ok", all_ok}, {"state", audit_state_id(v->state)},
                                         {"entries", v->entries}, {"problem", v->problem}};
                     if (v->first_bad_seq) j["first_bad_seq"] = *v->first_bad_seq;
                     if (v->sealed_from) j["sealed_from"] = *v->sealed_from;
                     if (!v->public_key.empty()) j["public_key"] = v->public_key;
                     if (!anchors.empty()) {
                       j["anchors"] = nlohmann::json::array();
                       for (size_t i = 0; i < anchors.size(); ++i) {
                         j["anchors"].push_back({{"entry", anchors[i].seq}, {"at", anchors[i].at},
                                                 {"ok", checks[i].ok}, {"problem", checks[i].problem}});
                       }
                     }
                     std::cout << j.dump() << "\n";
                   } else {
                     std::cout << describe(*v) << "\n";
                     for (size_t i = 0; i < anchors.size(); ++i) {
                       if (checks[i].ok) {
                         std::cout << "anchor of entry " << anchors[i].seq << " (" << anchors[i].at
                                   << "): the log extends it\n";
                       } else {
                         std::cout << "ANCHOR of entry " << anchors[i].seq << " (" << anchors[i].at
                                   << ") FAILS: " << checks[i].problem << "\n";
                       }
                     }
                   }
                   return all_ok ? kExitOk : kExitBreach;
                 });

TOWNHALL_COMMAND("audit anchor",
                 "audit anchor --db PATH [--audit-key FILE]  (prints the signed head of the audit log as one line to "
                 "publish, e.g. in the Forward Plan or the minutes; exit 1 when the log does not verify)",
                 OptionSpec{{"db", "audit-key"}, {}, 0, 0}, [](const Args& a) {
                   auto store = open_database(a, DbUse::kRead);
                   if (!store) return bad_input(store.error());
                   auto v = (*store)->verify_audit();
                   if (!v) return bad_input(v.error());
                   if (!v->ok) {
                     std::cerr << "townhall: the audit log cannot be anchored: " << describe(*v) << "\n";
                     return kExitBreach;
                   }
                   if (v->head_seq == 0) {
                     return bad_input(invalid_argument("--db", "the audit log has no entries yet: there is nothing to anchor"));
                   }
                   auto db = database_path(a);
                   auto key = AuditKey::load(audit_key_path(a, *db));
                   if (!key) return bad_input(key.error());
                   AuditAnchor anchor = make_audit_anchor(**key, v->head_seq, v->head_hash);
                   if (a.json()) {
                     std::cout << anchor.to_json().dump() << "\n";
                   } else {
                     std::cout << anchor.text() << "\n";
                     std::cerr << "townhall: publish the line above (e.g. in the Forward Plan or the minutes); "
                                  "check the log against it later with\n  townhall audit verify --db "
                               << *db << " --anchor '<the line>'\n";
                   }
                   return kExitOk;
                 });

}  // namespace
}  // namespace townhall::cli
