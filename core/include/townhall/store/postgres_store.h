// townhall/store/postgres_store.h — the Store over PostgreSQL (libpq), implemented in
// core/postgres/, for councils that outgrow one machine: several stateless servers over one
// database.
//
// Opening connects to the database named by a libpq URL (postgresql://… or postgres://…) and
// applies the versioned migrations it lacks (core/postgres/migrations/NNN_name.sql, compiled into
// the library) in one transaction under an advisory lock, so servers starting together migrate
// once. A database written by a newer Townhall (a schema version above the latest known) is
// refused with an error saying so and is not touched. A database without a single table in its
// schema becomes a Townhall database only when PostgresOptions::create says so; one holding
// tables of another program is refused untouched with kInvalidArgument.
//
// What the database, not a server, guarantees: an idempotency key is unique per scope (a retry
// that reaches another server is answered with the first response); reference numbers are
// unique; every audited write locks the audit chain's head row (SELECT … FOR UPDATE) in its own
// transaction, so the hash chain stays linear under concurrent writers; a response batch is one
// transaction, acknowledged after COMMIT. The audit key (audit_key.h) is a file named by
// PostgresOptions::audit_key_file; without one the log is written unsealed and verify_audit()
// says why.
//
// Thread-safety: a pool of `pool_size` connections; every method may be called from any thread,
// and a call waits for a free connection when all are busy.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "townhall/store/store.h"

namespace townhall {

struct PostgresOptions {
  // Connections kept open to the server; at most this many calls run at once.
  int pool_size = 8;
  // Idempotency keys are honoured for at least this many days (as SqliteOptions).
  int idempotency_retention_days = 7;
  // Migrate an empty database (no table in its schema) into a Townhall one.
  bool create = false;
  // Apply migrations only up to this version; 0 = latest.
  int target_version = 0;
  // The audit key file; "" = the log is not sealed.
  std::string audit_key_file = {};
  // Make the audit key when its file does not exist and the log has never been sealed.
  bool create_audit_key = true;
  // Change nothing: no migrations (a newer schema is still refused), no key made, no sealing,
  // every connection in read-only transactions (writes fail with kIo).
  bool read_only = false;
};

// The newest PostgreSQL schema version this build knows.
int postgres_latest_schema_version();

// True when `url` names a PostgreSQL database: it starts with postgresql:// or postgres://.
bool is_postgres_url(std::string_view url);

// Townhall's own settings may ride in the URL's query and are taken out before libpq sees it:
// pool_size=N and audit_key=PATH (percent-encoded). Anything else is libpq's (host=, user=, ...).
struct PostgresUrl {
  std::string conninfo;  // the URL for libpq
  PostgresOptions options;
};
// kInvalidArgument naming "pool_size" or "audit_key" when one is malformed.
Result<PostgresUrl> parse_postgres_url(const std::string& url, PostgresOptions defaults = {});

// kInvalidArgument when this build has no PostgreSQL support (libpq was not found).
Result<std::unique_ptr<Store>> open_postgres_store(const std::string& url, const PostgresOptions& options = {});

}  // namespace townhall

namespace townhall {

// What copy_sqlite_to_postgres did.
struct DatabaseCopy {
  std::vector<std::pair<std::string, int64_t>> tables;  // each table and the rows copied, in order
  AuditVerification audit;                               // the copy's audit log, verified after the copy
};

// Copies every table of the SQLite Townhall database at `sqlite_path` into the PostgreSQL database
// at `url`, in one transaction: the target is migrated first when empty and must hold no data
// (kConflict otherwise, and it is left as it was). The source must be at the SQLite schema version
// the PostgreSQL schema mirrors (an older file is refused: open it once with this Townhall to
// upgrade it). After the copy the audit chain of the target is verified with `audit_key_file`
// (the source's key, "" = none: then only the hashes can be checked) and must end at the source's
// head; otherwise kConflict says where it differs. The source is only read.
Result<DatabaseCopy> copy_sqlite_to_postgres(const std::string& sqlite_path, const std::string& url,
                                             const std::string& audit_key_file);

// The SQLite schema version the PostgreSQL schema mirrors.
int postgres_mirrors_sqlite_version();

}  // namespace townhall
