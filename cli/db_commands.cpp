// `townhall db copy`: moves a council from SQLite to PostgreSQL.
#include <iostream>

#include "cli.h"
#include "townhall/audit/audit_key.h"
#include "townhall/store/open_store.h"
#include "townhall/store/postgres_store.h"

namespace townhall::cli {
namespace {

TOWNHALL_COMMAND("db copy",
                 "db copy --from PATH --to postgresql://… [--audit-key FILE]  (copies every table of the SQLite "
                 "database PATH into an empty PostgreSQL database in one transaction, then verifies the copy's audit "
                 "chain with the audit key, by default the one beside PATH; the SQLite file is only read — retire it "
                 "once servers use the copy, as both would be sealed with the same key)",
                 OptionSpec{{"from", "to", "audit-key"}, {}, 0, 0}, [](const Args& a) {
                   auto from = a.option("from");
                   if (!from || from->empty()) return bad_input(invalid_argument("--from", "must name the SQLite database"));
                   auto to = a.option("to");
                   if (!to || !is_postgres_url(*to)) {
                     return bad_input(invalid_argument("--to", "must be a PostgreSQL URL (postgresql://…)"));
                   }
                   const std::string key = a.option("audit-key").value_or(default_audit_key_path(*from));
                   auto copied = copy_sqlite_to_postgres(*from, *to, key);
                   if (!copied) return bad_input(copied.error());
                   if (a.json()) {
                     nlohmann::json tables = nlohmann::json::object();
                     for (const auto& [table, rows] : copied->tables) tables[table] = rows;
                     std::cout << nlohmann::json{{"tables", tables},
                                                 {"audit", audit_state_id(copied->audit.state)},
                                                 {"audit_entries", copied->audit.entries}}
                                      .dump()
                               << "\n";
                   } else {
                     for (const auto& [table, rows] : copied->tables) std::cout << table << ": " << rows << " rows\n";
                     std::cout << "audit log " << audit_state_id(copied->audit.state) << ": " << copied->audit.entries
                               << " entries, head " << copied->audit.head_seq;
                     if (!copied->audit.problem.empty()) std::cout << " (" << copied->audit.problem << ")";
                     std::cout << "\ncopied " << *from << " to " << database_for_display(*to) << "\n";
                   }
                   return kExitOk;
                 });

}  // namespace
}  // namespace townhall::cli
