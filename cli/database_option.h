// cli/database_option.h — how commands open the database named by --db, so that every command
// refuses a missing, empty or foreign file the same way, and only the commands that say so make
// a new database.
#pragma once

#include <memory>
#include <string>

#include "cli.h"
#include "townhall/store/sqlite_store.h"

namespace townhall::cli {

enum class DbUse {
  kRead,      // reads only: never creates nor changes a file (a read-only store)
  kWrite,     // changes an existing Townhall database; with --create, makes a new one
  kWriteNew,  // changes the database, making it when there is none (`demo seed`)
};

// Opens --db PATH (or `fallback` when --db is not given and the fallback is not empty) with
// --audit-key FILE. Says on stderr when it made a new database, and where its audit key is.
Result<std::unique_ptr<Store>> open_database(const Args& args, DbUse use, SqliteOptions options = {},
                                             const std::string& fallback = "");

// The bank holidays the commands count with: those imported into --db PATH (`calendar import`),
// read without changing the file; the built-in table (null) when --db is not given.
Result<std::shared_ptr<const HolidayCalendars>> holidays_option(const Args& args);

// The database path: --db, else `fallback`; kInvalidArgument naming --db when neither is given.
Result<std::string> database_path(const Args& args, const std::string& fallback = "");

// The audit key file: --audit-key FILE, else the one beside the database.
std::string audit_key_path(const Args& args, const std::string& db);

}  // namespace townhall::cli
