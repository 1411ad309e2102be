// townhall/store/open_store.h — opens a Townhall database by what the caller was given: a
// PostgreSQL URL (postgresql://… or postgres://…, postgres_store.h) or else the path of an SQLite
// file (sqlite_store.h), as `townhall serve --db`, the CLI and townhall.open() in Python accept.
// Thread-safety: open_store may be called from any thread; the Store it gives is thread-safe.
#pragma once

#include <memory>
#include <string>

#include "townhall/store/sqlite_store.h"

namespace townhall {

// For a PostgreSQL URL the SQLite options that have a meaning there are carried over (create,
// target_version, idempotency_retention_days, audit_key_file, create_audit_key, read_only).
Result<std::unique_ptr<Store>> open_store(const std::string& url_or_path, const SqliteOptions& options = {});

// The database as logs and messages may name it: a path as it is; a URL without its password
// (postgresql://user:secret@host/db -> postgresql://user:***@host/db) nor a password= parameter.
std::string database_for_display(const std::string& url_or_path);

}  // namespace townhall
