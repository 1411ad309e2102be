// townhall/store/sqlite_store.h — the embedded Store over SQLite (SQLiteCpp).
//
// Opening a file sets WAL journaling, foreign keys ON and a busy timeout, then applies the
// versioned migrations that the file lacks, in one transaction (table `schema_version`). An older
// file is upgraded in place; a file written by a newer Townhall (a version above the latest known
// migration) is refused with an error saying so, and is not touched.
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
};

// The newest schema version this build knows.
int sqlite_latest_schema_version();

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path,
                                                 const SqliteOptions& options = {});

}  // namespace townhall
