// townhall/store/sqlite_store.h — the embedded Store over SQLite (SQLiteCpp), implemented in core/sqlite/.
//
// Opening a file sets WAL journaling, foreign keys ON and a busy timeout, then applies the
// versioned migrations that the file lacks (core/sqlite/migrations/NNN_name.sql, compiled into the
// library), in one transaction (table `schema_version`). An older
// file is upgraded in place; a file written by a newer Townhall (a version above the latest known
// migration) is refused with an error saying so, and is not touched.
//
// Only a Townhall database is ever changed. A file that does not exist, or that holds nothing
// (zero bytes, or an SQLite file without a single table), becomes a new database only when
// SqliteOptions::create says so; otherwise the open fails with kNotFound ("no Townhall database at
// PATH"). Any other file — an SQLite database of another program, or not SQLite at all — is refused
// untouched with kInvalidArgument. A read-only store (SqliteOptions::read_only) changes nothing
// at all and never creates a file.
//
// The audit log is sealed with an audit key kept outside the database (townhall/audit/audit.h,
// audit_key.h). A writable store loads the key, makes one on first use (a new file, mode 0600)
// when the log has never been sealed, and seals the log from its next entry on; a missing or
// unusable key never stops the store — entries are then written unsealed, and verify_audit()
// reports the log as unverified, saying why.
//
// Durability: synchronous=NORMAL in WAL mode (the default here) keeps every committed transaction
// across a crash of the process; a power cut may lose the last commits. synchronous=FULL also
// survives power loss, at the cost of an fsync per commit.
// Thread-safety: one connection guarded by a mutex; every method may be called from any thread.
#pragma once

#include <memory>
#include <string>

#include "townhall/store/store.h"

namespace townhall {

enum class SyncMode { kNormal, kFull };

struct SqliteOptions {
  SyncMode sync = SyncMode::kNormal;
  int busy_timeout_ms = 5000;
  // Apply migrations only up to this version (tests and staged upgrades); 0 = latest.
  int target_version = 0;
  // A background connection checkpoints the WAL once it holds this many frames (pages) and then
  // has it restart from the start of its file; the copy of the last few hundred frames briefly
  // pauses the response writer. The default, 32768 frames (128 MiB of 4 KiB pages), is reached
  // every second or two under a steady 20,000 responses/s (about one frame each).
  int wal_checkpoint_frames = 32768;
  // Idempotency keys are honoured for at least this many days after their response (Stripe keeps
  // them 24 hours); older ones are cleared from their response rows and dropped from the in-memory
  // index at open and then about once an hour. 0 = keep them for ever. The index costs roughly 45
  // bytes of memory per key held, on top of SQLite's page cache, and is built at open from the
  // responses of the window (about 1 s per million keys).
  int idempotency_retention_days = 7;
  // Make a new database when the file does not exist or holds nothing yet (see above).
  bool create = false;
  // Open without changing anything: a read-only SQLite connection, no migrations (an older
  // schema is read as it is: what it lacks fails with kIo), no audit key made, no sealing, no
  // idempotency index, no background checkpoints. Every write fails with kIo.
  bool read_only = false;
  // The audit key file; "" = default_audit_key_path(path), i.e. "PATH.audit-key" beside the database.
  std::string audit_key_file = {};
  // Make the audit key when its file does not exist and the log has never been sealed.
  bool create_audit_key = true;

  // The defaults with `create` set: for a database that may be new.
  static SqliteOptions creating() {
    SqliteOptions o;
    o.create = true;
    return o;
  }
  // The defaults with `read_only` set.
  static SqliteOptions reading() {
    SqliteOptions o;
    o.read_only = true;
    return o;
  }
};

// The newest schema version this build knows.
int sqlite_latest_schema_version();

enum class DatabaseFileKind {
  kMissing,      // no file
  kEmpty,        // zero bytes, or an SQLite file without a single table
  kTownhall,     // a Townhall database (of any schema version)
  kOtherSqlite,  // an SQLite database of another program
  kNotSqlite,    // some other file
};
// What is at `path`, found without changing anything there — not even by making SQLite's -wal and
// -shm files beside it. kInvalidArgument for a directory or another non-regular file, kIo when the
// file cannot be read.
Result<DatabaseFileKind> database_file_kind(const std::string& path);

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path,
                                                 const SqliteOptions& options = {});

}  // namespace townhall
