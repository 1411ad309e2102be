// The SQLite database behind open_sqlite_store: what a file at a path is, opening it (pragmas, the
// migrations in core/sqlite/migrations), background WAL checkpoints, and the error mapping every
// capability's writes share.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "database.h"
#include "townhall/panel/sign_in_email.h"
#include "townhall/store/analysis_reader.h"

namespace townhall::embedded::migrations {
const std::vector<std::string_view>& in_order();
}

namespace townhall {
namespace sqlite {
namespace {

bool is_out_of_space(int err) { return err == ENOSPC || err == EDQUOT || err == EFBIG; }

// The errno behind an SQLITE_IOERR. SQLite reports a failed write to the WAL as IOERR_WRITE and
// keeps its errno on that file (sqlite3_system_errno reads errno later, often after other calls
// have changed it), so the files' own last errors are asked too.
int write_errno(sqlite3* db) {
  int err = sqlite3_system_errno(db);
  if (is_out_of_space(err)) return err;
  int file_err = 0;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_LAST_ERRNO, &file_err) == SQLITE_OK && is_out_of_space(file_err)) {
    return file_err;
  }
  sqlite3_file* journal = nullptr;  // the WAL, in WAL mode
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &journal) == SQLITE_OK && journal != nullptr &&
      journal->pMethods != nullptr && journal->pMethods->xFileControl != nullptr &&
      journal->pMethods->xFileControl(journal, SQLITE_FCNTL_LAST_ERRNO, &file_err) == SQLITE_OK) {
    return file_err;
  }
  return err;
}

// townhall_email_key(text): panel::sign_in_key as an SQL function, for migration 11 (NULL for
// anything that is not a non-blank address).
void email_key_sql(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) return sqlite3_result_null(ctx);
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  auto key = panel::sign_in_key(std::string_view(text, static_cast<size_t>(sqlite3_value_bytes(argv[0]))));
  if (!key) return sqlite3_result_null(ctx);
  sqlite3_result_text(ctx, key->data(), static_cast<int>(key->size()), SQLITE_TRANSIENT);
}

}  // namespace

const std::vector<std::string_view>& migrations() { return embedded::migrations::in_order(); }

// A full disk (SQLITE_FULL, or a write that failed with ENOSPC, EDQUOT or EFBIG — a quota or a
// file size limit) is kStorageFull: the request was sound, nothing was stored, and it can be
// retried once space is freed. Anything else is kIo. `db` (the failed call's connection, used
// under the store's mutex) gives the errno of a failed write.
Error store_error(std::string_view what, const std::exception& e, sqlite3* db) {
  if (const auto* se = dynamic_cast<const SQLite::Exception*>(&e)) {
    const int code = se->getErrorCode() & 0xff;  // the primary code, whether or not extended codes are on
    if (code == SQLITE_FULL || (code == SQLITE_IOERR && db != nullptr && is_out_of_space(write_errno(db)))) {
      return Error{ErrorCode::kStorageFull, "", std::string(what) + ": the disk holding the database is full"};
    }
  }
  return Error{ErrorCode::kIo, "", std::string(what) + ": " + e.what()};
}

std::optional<int64_t> opt_int(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getInt64();
}

SqliteStore::SqliteStore(const std::string& path, const SqliteOptions& options, bool create)
    : db_(path, SQLite::OPEN_READWRITE | (create && !options.read_only ? SQLite::OPEN_CREATE : 0) | SQLite::OPEN_NOMUTEX,
          options.busy_timeout_ms),
      read_only_(options.read_only) {
  if (read_only_) {
    // A read-only store still opens the file for writing (SQLite falls back to reading when the
    // file is write-protected) but refuses every write: as the last connection to close it then
    // removes the -wal and -shm files it needed, where an SQLite read-only connection would
    // leave them behind beside a database that no command was asked to change.
    db_.exec("PRAGMA query_only=ON");
    db_.exec("PRAGMA foreign_keys=ON");
    return;  // nothing below may write, nor is there anything to checkpoint
  }
  sqlite3_rollback_hook(db_.getHandle(), &SqliteStore::on_rollback, this);
  db_.exec("PRAGMA journal_mode=WAL");
  db_.exec(options.sync == SyncMode::kFull ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  db_.exec("PRAGMA foreign_keys=ON");
  // Checkpoints run on a background connection (see checkpoint_loop), not inside the commits of
  // this connection: an automatic checkpoint copies thousands of pages and fsyncs while every
  // request waiting on that commit waits too. After the WAL is reset its file is trimmed to
  // 256 MiB (more than the default 32768 frames of 4 KiB at which it is checkpointed), so a
  // restarted WAL rewrites blocks the file already has.
  db_.exec("PRAGMA wal_autocheckpoint=0");
  db_.exec("PRAGMA journal_size_limit=268435456");
  sqlite3_wal_hook(db_.getHandle(), &SqliteStore::on_wal_commit, this);
  sqlite3_create_function_v2(db_.getHandle(), "townhall_email_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                             &email_key_sql, nullptr, nullptr, nullptr);
  checkpoint_frames_ = std::max(1, options.wal_checkpoint_frames);
  checkpointer_ = std::thread([this, path, options] { checkpoint_loop(path, options); });
}

SqliteStore::~SqliteStore() {
  {
    std::lock_guard lock(ckpt_mu_);
    ckpt_stop_ = true;
  }
  ckpt_cv_.notify_all();
  if (checkpointer_.joinable()) checkpointer_.join();
  // Closing the last connection checkpoints the rest and removes the WAL file.
}

Status SqliteStore::migrate(int target) {
  int latest = static_cast<int>(migrations().size());
  if (target <= 0 || target > latest) target = latest;
  if (read_only_) return read_version(latest);
  try {
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    db_.exec("CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)");
    int current = 0;
    {
      SQLite::Statement q(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
      if (q.executeStep()) current = q.getColumn(0).getInt();
    }
    if (current > latest) {
      return Error{ErrorCode::kConflict, "",
                   "database schema version " + std::to_string(current) +
                       " is newer than this Townhall understands (up to " + std::to_string(latest) +
                       "); use a newer Townhall — the file was not changed"};
    }
    for (int v = current; v < target; ++v) db_.exec(std::string(migrations()[static_cast<size_t>(v)]));
    if (target > current) {
      db_.exec("DELETE FROM schema_version");
      SQLite::Statement ins(db_, "INSERT INTO schema_version(version) VALUES (?)");
      ins.bind(1, target);
      ins.exec();
    }
    tx.commit();
    version_ = std::max(current, target);
  } catch (const std::exception& e) {
    return io_error("cannot migrate the database schema", e);
  }
  return Status::Ok();
}

// A read-only store reads the file at the version it has; an older schema lacks what later
// migrations added, and reads of it fail with kIo rather than answer wrongly.
Status SqliteStore::read_version(int latest) {
  try {
    SQLite::Statement q(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
    int current = q.executeStep() ? q.getColumn(0).getInt() : 0;
    if (current > latest) {
      return Error{ErrorCode::kConflict, "",
                   "database schema version " + std::to_string(current) +
                       " is newer than this Townhall understands (up to " + std::to_string(latest) +
                       "); use a newer Townhall"};
    }
    version_ = current;
  } catch (const std::exception& e) {
    return io_error("cannot read the database schema version", e);
  }
  return Status::Ok();
}

int SqliteStore::schema_version() {
  std::lock_guard lock(mu_);
  return version_;
}

// Called by SQLite after every commit on db_ with the number of frames in the WAL.
int SqliteStore::on_wal_commit(void* self, sqlite3* db, const char*, int frames) {
  auto* store = static_cast<SqliteStore*>(self);
  if (store->pending_mark_) {
    // A failure leaves the mark behind the log, which verification does not mind.
    (void)store->audit_key_->advance_head_mark(*store->pending_mark_);
    store->pending_mark_.reset();
  }
  store->wal_frames_.store(frames, std::memory_order_relaxed);
  if (frames >= store->checkpoint_frames_) {
    {
      std::lock_guard lock(store->ckpt_mu_);
      store->ckpt_wanted_ = true;
    }
    store->ckpt_cv_.notify_one();
  }
  // Backstop if the background checkpoints cannot keep up (~1 GiB of WAL): checkpoint here.
  if (frames >= kMaxWalFrames) sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  return SQLITE_OK;
}

void SqliteStore::on_rollback(void* self) { static_cast<SqliteStore*>(self)->pending_mark_.reset(); }

// A second connection that copies committed WAL frames into the database file, so that the WAL
// file restarts from its beginning (see checkpoint_and_restart).
void SqliteStore::checkpoint_loop(const std::string& path, SqliteOptions options) {
  std::unique_ptr<SQLite::Database> conn;
  try {
    conn = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX,
                                              options.busy_timeout_ms);
    // A connection learns that the file is in WAL mode only when it first reads it; until then
    // every checkpoint on it is a no-op (it reports -1 frames), so read the journal mode now.
    conn->exec("PRAGMA journal_mode");
  } catch (const std::exception&) {
    return;  // no background checkpoints; SQLite still checkpoints when the store closes
  }
  int done_at = -1;  // the WAL's frame count when it was last wholly copied
  std::unique_lock lock(ckpt_mu_);
  while (!ckpt_stop_) {
    ckpt_cv_.wait_for(lock, std::chrono::seconds(1), [&] { return ckpt_stop_ || ckpt_wanted_; });
    if (ckpt_stop_) break;
    ckpt_wanted_ = false;
    // Commits made before the last restart may have asked again: only a long WAL that has
    // changed since the last complete checkpoint needs work.
    int frames = wal_frames_.load(std::memory_order_relaxed);
    if (frames < checkpoint_frames_ || frames == done_at) continue;
    lock.unlock();
    done_at = checkpoint_and_restart(conn->getHandle());
    lock.lock();
  }
}

// Copies the WAL into the database while the writer goes on (PASSIVE passes never block it),
// pass after pass until what was appended meanwhile is short; then copies that short tail while
// holding the store mutex, i.e. with the writer paused between two transactions. The WAL is
// then wholly in the database, so the writer's next transaction restarts it at the beginning
// of its file. Without that last step a busy writer always stays ahead of the checkpoints, the
// WAL never restarts and grows for as long as the load lasts, and every page the writer
// appends costs the kernel a new block, zeroed, instead of a rewrite of a cached one.
// Returns the frame count the WAL had when it was wholly copied, -1 when it was not.
int SqliteStore::checkpoint_and_restart(sqlite3* conn) {
  int log = 0, copied = 0;
  for (int pass = 0; pass < kMaxUnlockedPasses; ++pass) {
    if (sqlite3_wal_checkpoint_v2(conn, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) != SQLITE_OK) return -1;
    if (copied < log) return -1;  // a reader still needs older frames: the WAL cannot restart yet
    if (wal_frames_.load(std::memory_order_relaxed) - copied <= kTailFrames) break;
  }
  std::lock_guard writer(mu_);
  if (sqlite3_wal_checkpoint_v2(conn, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) != SQLITE_OK) return -1;
  return copied == log ? log : -1;
}

}  // namespace sqlite

Result<DatabaseFileKind> database_file_kind(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return DatabaseFileKind::kMissing;
    return Error{ErrorCode::kIo, "", "cannot open " + path + ": " + std::strerror(errno)};
  }
  if (S_ISDIR(st.st_mode)) return invalid_argument("", path + " is a directory, not a database file");
  if (!S_ISREG(st.st_mode)) return invalid_argument("", path + " is not a regular file");
  if (st.st_size == 0) return DatabaseFileKind::kEmpty;
  {
    std::ifstream in(path, std::ios::binary);
    char header[16] = {};
    in.read(header, sizeof header);
    if (!in || std::memcmp(header, "SQLite format 3\0", sizeof header) != 0) return DatabaseFileKind::kNotSqlite;
  }
  try {
    // With no WAL beside it the file holds every commit, and `immutable` reads it without making
    // the -wal and -shm files a read-only connection otherwise leaves behind (this file may not be
    // ours). With a WAL, a writer may be at work: read through it.
    std::error_code ec;
    std::string uri = sqlite_read_only_uri(path);
    if (!std::filesystem::exists(path + "-wal", ec)) uri += "&immutable=1";
    // A busy timeout like the store's own: while another process checkpoints or closes the
    // database, a read is refused for a moment ("database is locked"), and a command run beside a
    // working server must wait that out rather than fail.
    SQLite::Database probe(uri, SQLite::OPEN_READONLY | SQLite::OPEN_URI | SQLite::OPEN_NOMUTEX,
                           SqliteOptions{}.busy_timeout_ms);
    SQLite::Statement q(probe, "SELECT name FROM sqlite_master WHERE type='table'");
    std::set<std::string> tables;
    while (q.executeStep()) tables.insert(q.getColumn(0).getString());
    if (tables.empty()) return DatabaseFileKind::kEmpty;
    if (tables.count("schema_version") && tables.count("audit_log") && tables.count("consultations")) {
      return DatabaseFileKind::kTownhall;
    }
  } catch (const SQLite::Exception& e) {
    if (e.getErrorCode() == SQLITE_NOTADB) return DatabaseFileKind::kNotSqlite;
    return Error{ErrorCode::kIo, "", "cannot read " + path + ": " + e.what()};
  }
  return DatabaseFileKind::kOtherSqlite;
}

int sqlite_latest_schema_version() { return static_cast<int>(sqlite::migrations().size()); }

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, const SqliteOptions& options) {
  auto kind = database_file_kind(path);
  if (!kind) return kind.error();
  switch (*kind) {
    case DatabaseFileKind::kTownhall: break;
    case DatabaseFileKind::kOtherSqlite:
      return invalid_argument("", path + " is an SQLite database but not a Townhall one — refusing to change it");
    case DatabaseFileKind::kNotSqlite:
      return invalid_argument("", path + " is not an SQLite database, let alone a Townhall one — refusing to change it");
    case DatabaseFileKind::kMissing:
      if (!options.create || options.read_only) return Error{ErrorCode::kNotFound, "", "no Townhall database at " + path};
      break;
    case DatabaseFileKind::kEmpty:
      if (!options.create || options.read_only) return invalid_argument("", path + " is empty, not a Townhall database");
      break;
  }
  std::unique_ptr<sqlite::SqliteStore> store;
  try {
    store = std::make_unique<sqlite::SqliteStore>(path, options, *kind == DatabaseFileKind::kMissing);
  } catch (const std::exception& e) {
    return Error{ErrorCode::kIo, "", "cannot open database " + path + ": " + e.what()};
  }
  Status st = store->migrate(options.target_version);
  if (st && !options.read_only) st = store->init_keys(options);
  if (st) st = store->init_audit(options, path);
  if (!st) {
    Error err = st.error();
    err.message = path + ": " + err.message;
    return err;
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace townhall
