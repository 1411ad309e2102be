#include "database_option.h"

#include <filesystem>
#include <iostream>

#include "townhall/audit/audit_key.h"
#include "townhall/store/open_store.h"
#include "townhall/store/postgres_store.h"

namespace townhall::cli {

Result<std::string> database_path(const Args& args, const std::string& fallback) {
  if (auto db = args.option("db")) {
    if (db->empty()) return invalid_argument("--db", "must name the database file or a postgresql:// URL");
    return *db;
  }
  if (!fallback.empty()) return fallback;
  return invalid_argument("--db", "is required (the database file)");
}

std::string audit_key_path(const Args& args, const std::string& db) {
  return args.option("audit-key").value_or(default_audit_key_path(db));
}

Result<std::unique_ptr<Store>> open_database(const Args& args, DbUse use, SqliteOptions options,
                                             const std::string& fallback) {
  auto path = database_path(args, fallback);
  if (!path) return path.error();
  if (auto key = args.option("audit-key"); key && key->empty()) {
    return invalid_argument("--audit-key", "must name the audit key file");
  }
  const bool postgres = is_postgres_url(*path);
  // A PostgreSQL database has no file to put its audit key beside: only --audit-key (or the
  // URL's audit_key=) names one.
  options.audit_key_file = postgres ? args.option("audit-key").value_or("") : audit_key_path(args, *path);
  options.read_only = use == DbUse::kRead;
  options.create = use == DbUse::kWriteNew || (use == DbUse::kWrite && args.flag("create"));
  std::error_code ec;
  const bool existed = postgres || std::filesystem::exists(*path, ec);
  auto store = open_store(*path, options);
  if (!store) {
    Error e = store.error();
    e.field = "--db";
    if (e.code == ErrorCode::kNotFound && use == DbUse::kWrite) e.message += " (give --create to make a new one)";
    return e;
  }
  if (!existed) {
    std::cerr << "townhall: made a new Townhall database at " << *path << " (its audit key: "
              << options.audit_key_file << ")\n";
  }
  return store;
}

Result<std::shared_ptr<const HolidayCalendars>> holidays_option(const Args& args) {
  if (!args.option("db")) return std::shared_ptr<const HolidayCalendars>{};
  auto store = open_database(args, DbUse::kRead);
  if (!store) return store.error();
  return stored_holidays(**store);
}

}  // namespace townhall::cli
