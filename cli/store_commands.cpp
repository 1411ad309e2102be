// `townhall users add` and `townhall audit verify`: administration of the store.
#include <iostream>

#include "cli.h"
#include "townhall/store/sqlite_store.h"
#include "townhall/store/token.h"

namespace townhall::cli {
namespace {

Result<std::unique_ptr<Store>> open_store(const Args& a) {
  auto db = a.option("db");
  if (!db) return invalid_argument("--db", "is required (the database file)");
  return open_sqlite_store(*db);
}

TOWNHALL_COMMAND("users add", "users add --db PATH --role ROLE [--name NAME]  (prints the new bearer token once)",
                 OptionSpec{{"db", "role", "name"}, {}, 0, 0}, [](const Args& a) {
                   auto role_text = a.option("role");
                   if (!role_text) return bad_input(invalid_argument("--role", "is required"));
                   auto role = parse_role(*role_text, "--role");
                   if (!role) return bad_input(role.error());
                   auto store = open_store(a);
                   if (!store) return bad_input(store.error());
                   std::string token = new_bearer_token();
                   auto user = (*store)->add_user(*role, a.option("name").value_or(role_id(*role)),
                                                  hash_token(token));
                   if (!user) return bad_input(user.error());
                   if (a.json()) {
                     std::cout << nlohmann::json{{"id", user->id}, {"name", user->name},
                                                 {"role", role_id(user->role)}, {"token", token}}.dump()
                               << "\n";
                   } else {
                     std::cout << token << "\n";
                     std::cerr << "townhall: user " << user->id << " (" << user->name << ", "
                               << role_id(user->role) << ") added; the token is shown only once\n";
                   }
                   return kExitOk;
                 });

TOWNHALL_COMMAND("audit verify", "audit verify --db PATH  (checks the hash chain; exit 1 names the first bad entry)",
                 OptionSpec{{"db"}, {}, 0, 0}, [](const Args& a) {
                   auto store = open_store(a);
                   if (!store) return bad_input(store.error());
                   auto v = (*store)->verify_audit();
                   if (!v) return bad_input(v.error());
                   if (a.json()) {
                     nlohmann::json j = {{"ok", v->ok}, {"entries", v->entries}, {"problem", v->problem}};
                     if (v->first_bad_seq) j["first_bad_seq"] = *v->first_bad_seq;
                     std::cout << j.dump() << "\n";
                   } else if (v->ok) {
                     std::cout << "audit log intact: " << v->entries << " entries\n";
                   } else {
                     std::cout << "AUDIT LOG BROKEN at entry " << *v->first_bad_seq << ": " << v->problem << "\n";
                   }
                   return v->ok ? kExitOk : kExitBreach;
                 });

}  // namespace
}  // namespace townhall::cli
