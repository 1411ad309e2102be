// `townhall demo seed`: realistic demo data for `make serve` — consultations in every lifecycle
// state, with responses, made by the same core functions (and charter checks) the API calls
// (townhall/demo/demo.h, which townhall.demo.seed() calls too).
#include <iostream>

#include "cli.h"
#include "database_option.h"
#include "townhall/demo/demo.h"
#include "townhall/store/open_store.h"
#include "townhall/store/sqlite_store.h"

namespace townhall::cli {
namespace {

TOWNHALL_COMMAND("demo seed",
                 "demo seed --db PATH [--audit-key FILE]  (demo consultations in every state; prints an officer "
                 "token; makes the database when there is none)",
                 OptionSpec{{"db", "audit-key"}, {}, 0, 0}, [](const Args& a) {
                   auto db = database_path(a);
                   if (!db) return bad_input(db.error());
                   auto store = open_database(a, DbUse::kWriteNew);
                   if (!store) return bad_input(store.error());
                   auto seed = seed_demo(**store, Date::today_in_london());
                   if (!seed) return bad_input(seed.error());
                   if (!seed->seeded) {
                     std::cerr << "townhall: " << *db << " already has consultations; not seeding again\n";
                     return kExitOk;
                   }
                   std::cout << seed->officer_token << "\n";
                   std::cerr << "townhall: seeded " << database_for_display(*db) << " with " << seed->consultations
                             << " consultations (2 open, scheduled, closed, outcome published, draft), a panel member "
                                "(panel.member@example.org) and a Forward Plan of "
                             << seed->key_decisions
                             << " key decisions (one short of 28 clear days' notice) and " << seed->meetings
                             << " Cabinet meetings; the officer token above is shown only once\n";
                   return kExitOk;
                 });

}  // namespace
}  // namespace townhall::cli
