#include "townhall/store/sqlite_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>
#include <set>
#include <unordered_map>

#include "sqlite_panel.h"
#include "townhall/store/analysis_reader.h"
#include "townhall/store/audit_key.h"
#include "townhall/panel/sign_in_email.h"
#include "townhall/store/token.h"
#include "townhall/util/json_parse.h"
#include "townhall/util/siphash.h"

namespace townhall {
namespace {

// Each migration moves the schema from version i to i+1. Never edit a released migration: add one.
const std::vector<const char*>& migrations() {
  static const std::vector<const char*> m = {
      // 1: the original schema.
      R"SQL(
CREATE TABLE users(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK(role IN ('panel_member','officer','governance','admin')),
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL);
CREATE TABLE people(
  id INTEGER PRIMARY KEY,
  data TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE equality_data(
  person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
  answers TEXT NOT NULL,
  updated_at TEXT NOT NULL);
CREATE TABLE consultations(
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK(status IN ('draft','scheduled','open','closed','outcome_published')),
  title TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  opens TEXT,
  closes TEXT,
  document TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL);
CREATE INDEX consultations_status ON consultations(status, opens);
CREATE TABLE consultation_wards(
  consultation_id TEXT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  ward TEXT NOT NULL,
  PRIMARY KEY(consultation_id, ward));
CREATE INDEX consultation_wards_ward ON consultation_wards(ward);
CREATE TABLE consultation_topics(
  consultation_id TEXT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  topic TEXT NOT NULL,
  PRIMARY KEY(consultation_id, topic));
CREATE INDEX consultation_topics_topic ON consultation_topics(topic);
CREATE TABLE questions(
  consultation_id TEXT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  question_id TEXT NOT NULL,
  type TEXT NOT NULL,
  definition TEXT NOT NULL,
  PRIMARY KEY(consultation_id, question_id));
CREATE TABLE responses(
  id INTEGER PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE,
  consultation_id TEXT NOT NULL REFERENCES consultations(id),
  channel TEXT NOT NULL,
  person_id INTEGER REFERENCES people(id),
  submitted_by INTEGER REFERENCES users(id),
  entered_by INTEGER REFERENCES users(id),
  answers TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE INDEX responses_consultation ON responses(consultation_id);
CREATE TABLE idempotency_keys(
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  response_id INTEGER NOT NULL REFERENCES responses(id),
  created_at TEXT NOT NULL,
  PRIMARY KEY(scope, key));
CREATE TABLE key_decisions(
  id TEXT PRIMARY KEY,
  document TEXT NOT NULL,
  updated_at TEXT NOT NULL);
CREATE TABLE notices(
  id INTEGER PRIMARY KEY,
  key_decision_id TEXT NOT NULL REFERENCES key_decisions(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  document TEXT NOT NULL,
  published_on TEXT);
CREATE TABLE audit_log(
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject_kind TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)SQL",
      // 2: the audit head (detects deletion of the newest entries) and a response listing index.
      R"SQL(
CREATE TABLE audit_head(
  singleton INTEGER PRIMARY KEY CHECK(singleton = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL);
INSERT INTO audit_head(singleton, seq, hash)
  SELECT 1, COALESCE(MAX(seq), 0),
         COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '') FROM audit_log;
CREATE INDEX responses_created ON responses(consultation_id, created_at);
)SQL",
      // 3: responses_created (consultation_id, created_at) serves every lookup responses_consultation
      // did; one index fewer to update on the response hot path.
      R"SQL(
DROP INDEX responses_consultation;
)SQL",
      // 4: the language a response was given in (BCP 47), so analysts can split results by it.
      // Responses stored before this migration were all given through the English-only API.
      R"SQL(
ALTER TABLE responses ADD COLUMN language TEXT NOT NULL DEFAULT 'en-GB';
)SQL",
      // 5 (server-rest): per-language versions of a consultation's content, its events and public
      // meetings, and an index to find a person's responses when their data is erased.
      R"SQL(
CREATE TABLE consultation_translations(
  consultation_id TEXT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  lang TEXT NOT NULL,
  document TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY(consultation_id, lang));
CREATE TABLE consultation_meetings(
  id INTEGER PRIMARY KEY,
  consultation_id TEXT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  starts TEXT NOT NULL,
  document TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL);
CREATE INDEX consultation_meetings_consultation ON consultation_meetings(consultation_id, starts);
CREATE INDEX responses_person ON responses(person_id) WHERE person_id IS NOT NULL;
-- Idempotency keys clustered on their primary key: one B-tree to search and insert per response
-- instead of a rowid table plus its key index.
CREATE TABLE idempotency_keys_v5(
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  response_id INTEGER NOT NULL REFERENCES responses(id),
  created_at TEXT NOT NULL,
  PRIMARY KEY(scope, key)) WITHOUT ROWID;
INSERT INTO idempotency_keys_v5(scope, key, request_hash, response_id, created_at)
  SELECT scope, key, request_hash, response_id, created_at FROM idempotency_keys;
DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_v5 RENAME TO idempotency_keys;
)SQL",
      // 6 (pages): responses in progress on the web pages, and the email outbox.
      R"SQL(
CREATE TABLE pages_drafts(
  key TEXT PRIMARY KEY,
  consultation_id TEXT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  language TEXT NOT NULL,
  answers TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL);
CREATE TABLE pages_outbox(
  id INTEGER PRIMARY KEY,
  to_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL);
)SQL",
      // 7 (panel): Citizens' Panel membership — members (a person, optionally a
      // panel_member user), their ask-once facts with provenance, and invitations for contact
      // limits. Facts are personal/equality data and stay out of the response tables.
      R"SQL(
CREATE TABLE panel_members(
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL UNIQUE REFERENCES people(id),
  user_id INTEGER UNIQUE REFERENCES users(id),
  external_id TEXT UNIQUE,
  channel TEXT NOT NULL,
  joined_on TEXT NOT NULL,
  fact_consent INTEGER NOT NULL CHECK(fact_consent IN (0, 1)),
  created_at TEXT NOT NULL);
CREATE TABLE panel_facts(
  member_id INTEGER NOT NULL REFERENCES panel_members(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  channel TEXT NOT NULL,
  source TEXT NOT NULL,
  recorded_on TEXT NOT NULL,
  consent INTEGER NOT NULL CHECK(consent IN (0, 1)),
  valid_until TEXT,
  PRIMARY KEY(member_id, key));
CREATE TABLE panel_invitations(
  id INTEGER PRIMARY KEY,
  member_id INTEGER NOT NULL REFERENCES panel_members(id) ON DELETE CASCADE,
  consultation_id TEXT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  sent_on TEXT NOT NULL,
  UNIQUE(member_id, consultation_id));
CREATE INDEX panel_invitations_sent ON panel_invitations(sent_on);
)SQL",
      // 8 (pages-panel): panel members' sign-in links and browser sessions on the web pages. Only a
      // SHA-256 of each secret is kept; erasing the member erases them.
      R"SQL(
CREATE TABLE pages_member_tokens(
  kind TEXT NOT NULL CHECK(kind IN ('sign_in', 'session')),
  hash TEXT NOT NULL,
  member_id INTEGER NOT NULL REFERENCES panel_members(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY(kind, hash)) WITHOUT ROWID;
CREATE INDEX pages_member_tokens_member ON pages_member_tokens(member_id);
)SQL",
      // 9: idempotency keys become an append-only log in rowid order. Each new key was
      // an insert at a random place of the (scope, key) B-tree, about one WAL page per response; now
      // it lands on the table's last page. Lookups go to an index in memory built from this table
      // at open (SqliteStore::load_keys), and keys older than the retention window are pruned.
      R"SQL(
CREATE TABLE idempotency_keys_v9(
  id INTEGER PRIMARY KEY,
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  response_id INTEGER NOT NULL REFERENCES responses(id),
  created_at TEXT NOT NULL);
INSERT INTO idempotency_keys_v9(scope, key, request_hash, response_id, created_at)
  SELECT scope, key, request_hash, response_id, created_at FROM idempotency_keys ORDER BY created_at, response_id;
DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_v9 RENAME TO idempotency_keys;
)SQL",
      // 10: a response's idempotency key is kept in its own row. The separate key
      // table cost a second B-tree insert and a foreign-key probe of responses per submission,
      // about a third of the writer's time per response. The in-memory index now points at
      // response ids; keys past the retention window are cleared from their rows.
      R"SQL(
ALTER TABLE responses ADD COLUMN idempotency_scope TEXT;
ALTER TABLE responses ADD COLUMN idempotency_key TEXT;
ALTER TABLE responses ADD COLUMN request_hash TEXT;
UPDATE responses SET idempotency_scope = k.scope, idempotency_key = k.key, request_hash = k.request_hash
  FROM idempotency_keys AS k WHERE k.response_id = responses.id;
DROP TABLE idempotency_keys;
)SQL",
      // 11: a panel member's sign-in address is unique and proven. email_key is the
      // member's email in comparison form (townhall_email_key: trimmed, ICU case-folded, NFC);
      // email_verified says it is proven (the council's list, or the member pressed a link emailed
      // to it), and only a proven address signs in — one member per address. Addresses waiting
      // for their link are kept apart, as are the deployment's secrets.
      //
      // Until now nothing was unique and the sign-in page took the lowest member id whose email
      // matched ignoring ASCII case. Every address found here keeps its data on every member
      // holding it; its sign-in goes to ONE of them: a member the council entered (imported, or
      // added from paper, phone or an event) before one who joined online — the issue's attack
      // was an online join made ahead of the council's import of the same person — and among
      // equals the lowest id, the member those sign-ins opened so far. The other holders keep the
      // address as an unproven claim, which signs in nobody until that address is free again.
      // Members who joined online before this version keep signing in with an address that was
      // theirs alone, as they did.
      R"SQL(
ALTER TABLE panel_members ADD COLUMN email_key TEXT;
ALTER TABLE panel_members ADD COLUMN email_verified INTEGER NOT NULL DEFAULT 0 CHECK(email_verified IN (0, 1));
UPDATE panel_members SET email_key =
  (SELECT townhall_email_key(json_extract(p.data, '$.email')) FROM people p WHERE p.id = panel_members.person_id);
UPDATE panel_members SET email_verified = 1 WHERE email_key IS NOT NULL AND id =
  (SELECT m.id FROM panel_members m WHERE m.email_key = panel_members.email_key
   ORDER BY (m.channel = 'online' AND m.external_id IS NULL), m.id LIMIT 1);
CREATE UNIQUE INDEX panel_members_sign_in ON panel_members(email_key) WHERE email_verified = 1;
CREATE TABLE panel_email_confirmations(
  hash TEXT PRIMARY KEY,
  member_id INTEGER NOT NULL REFERENCES panel_members(id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  created_at TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX panel_email_confirmations_member ON panel_email_confirmations(member_id);
CREATE TABLE site_secrets(
  name TEXT PRIMARY KEY,
  secret TEXT NOT NULL,
  created_at TEXT NOT NULL) WITHOUT ROWID;
)SQL",
      // 12: the audit log is sealed with the council's audit key, kept outside the database
      // (townhall/store/audit_key.h): each entry from `sealed_from` on carries an HMAC of its hash,
      // and audit_sealing records which key seals the log and from which entry (sealed itself, so
      // it cannot be moved without the key). Entries written before stay verifiable by their hashes.
      R"SQL(
ALTER TABLE audit_log ADD COLUMN seal TEXT;
CREATE TABLE audit_sealing(
  singleton INTEGER PRIMARY KEY CHECK(singleton = 1),
  public_key TEXT NOT NULL,
  sealed_from INTEGER NOT NULL,
  sealed_at TEXT NOT NULL,
  seal TEXT NOT NULL);
CREATE TRIGGER audit_sealing_no_update BEFORE UPDATE ON audit_sealing
  BEGIN SELECT RAISE(ABORT, 'audit_sealing is written once'); END;
CREATE TRIGGER audit_sealing_no_delete BEFORE DELETE ON audit_sealing
  BEGIN SELECT RAISE(ABORT, 'audit_sealing is written once'); END;
)SQL",
  };
  return m;
}

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

// A full disk (SQLITE_FULL, or a write that failed with ENOSPC, EDQUOT or EFBIG — a quota or a
// file size limit) is kStorageFull: the request was sound, nothing was stored, and it can be
// retried once space is freed. Anything else is kIo. `db` (the failed call's connection, used
// under the store's mutex) gives the errno of a failed write.
Error store_error(const std::string& what, const std::exception& e, sqlite3* db) {
  if (const auto* se = dynamic_cast<const SQLite::Exception*>(&e)) {
    const int code = se->getErrorCode() & 0xff;  // the primary code, whether or not extended codes are on
    if (code == SQLITE_FULL || (code == SQLITE_IOERR && db != nullptr && is_out_of_space(write_errno(db)))) {
      return Error{ErrorCode::kStorageFull, "", what + ": the disk holding the database is full"};
    }
  }
  return Error{ErrorCode::kIo, "", what + ": " + e.what()};
}

// The first schema version whose audit log is sealed.
constexpr int kSealedAuditVersion = 12;

}  // namespace

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
    SQLite::Database probe(uri, SQLite::OPEN_READONLY | SQLite::OPEN_URI | SQLite::OPEN_NOMUTEX);
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

namespace {

Error not_found(const std::string& kind, const std::string& id) {
  return Error{ErrorCode::kNotFound, "", "no " + kind + " \"" + id + "\""};
}

std::optional<int64_t> opt_int(SQLite::Column c) {
  if (c.isNull()) return std::nullopt;
  return c.getInt64();
}

std::string str_or_empty(const nlohmann::json& doc, const char* key) {
  auto it = doc.find(key);
  return (it != doc.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

std::vector<std::string> strings_of(const nlohmann::json& doc, const char* key) {
  std::vector<std::string> out;
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_array()) return out;
  for (const auto& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
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

class SqliteStore final : public Store {
 public:
  SqliteStore(const std::string& path, const SqliteOptions& options, bool create)
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

  ~SqliteStore() override {
    {
      std::lock_guard lock(ckpt_mu_);
      ckpt_stop_ = true;
    }
    ckpt_cv_.notify_all();
    if (checkpointer_.joinable()) checkpointer_.join();
    // Closing the last connection checkpoints the rest and removes the WAL file.
  }

  Status migrate(int target) {
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
      for (int v = current; v < target; ++v) db_.exec(migrations()[static_cast<size_t>(v)]);
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
  Status read_version(int latest) {
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

  int schema_version() override {
    std::lock_guard lock(mu_);
    return version_;
  }

  // At open, after the migrations: loads the audit key (making one when the log has never been
  // sealed and the options allow it) and, on a writable store whose log is not sealed yet, seals
  // it from its next entry on. A missing or unusable key never stops the store: entries are then
  // written unsealed and verify_audit() says why the log cannot be verified.
  Status init_audit(const SqliteOptions& options, const std::string& path) {
    std::lock_guard lock(mu_);
    if (options.audit_key_file.empty() && (path == ":memory:" || path.empty())) {
      // A database that lives and dies with the process has nothing to seal against, and a key
      // file named after it would be shared by every such database in the working directory.
      audit_key_unavailable_ = "an in-memory database has no audit key";
      return Status::Ok();
    }
    audit_key_path_ = options.audit_key_file.empty() ? default_audit_key_path(path) : options.audit_key_file;
    try {
      if (version_ >= kSealedAuditVersion) sealing_ = read_sealing_locked();
      auto key = AuditKey::load(audit_key_path_);
      if (!key && key.error().code == ErrorCode::kNotFound && !read_only_ && options.create_audit_key &&
          !sealing_ && version_ >= kSealedAuditVersion) {
        key = AuditKey::create(audit_key_path_);
        // Another process opening the same new database may have made it a moment ago.
        if (!key && key.error().code == ErrorCode::kConflict) key = AuditKey::load(audit_key_path_);
      }
      if (key) {
        audit_key_ = *key;
      } else {
        audit_key_unavailable_ = key.error().code == ErrorCode::kNotFound
                                     ? "no audit key at " + audit_key_path_
                                     : "the audit key cannot be used: " + key.error().describe();
      }
      if (!audit_key_ || read_only_ || version_ < kSealedAuditVersion) return Status::Ok();
      if (!sealing_) {
        auto mark = audit_key_->read_head_mark();
        if (!mark) {
          audit_key_unavailable_ = "the audit key's head mark cannot be read (" + mark.error().describe() +
                                   "), so the log is not sealed with it";
          return Status::Ok();
        }
        if (*mark) {
          // The key already seals a log: sealing this one too would mix two logs' head marks.
          audit_key_unavailable_ = "the audit key at " + audit_key_path_ +
                                   " already seals another log; give each database its own key";
          return Status::Ok();
        }
        seal_log_locked();
      }
      sealing_with_key_ = sealing_ && sealing_->public_key == audit_key_->public_key();
    } catch (const std::exception& e) {
      return io_error("cannot set up the audit log's seal", e);
    }
    return Status::Ok();
  }

  // ---- users -------------------------------------------------------------------------------
  Result<User> add_user(Role role, const std::string& name, const std::string& token_hash) override {
    if (role == Role::kPublic) return invalid_argument("role", "the public role needs no user or token");
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      SQLite::Statement q(db_, "INSERT INTO users(name, role, token_hash, created_at) VALUES (?,?,?,?)");
      q.bind(1, name);
      q.bind(2, role_id(role));
      q.bind(3, token_hash);
      q.bind(4, now_rfc3339_utc());
      q.exec();
      User u{db_.getLastInsertRowid(), name, role};
      AuditEvent ev{"system", "user.add", "user", std::to_string(u.id),
                    {{"name", name}, {"role", role_id(role)}}};
      append_audit_locked(ev);
      tx.commit();
      return u;
    } catch (const std::exception& e) {
      return io_error("cannot add user", e);
    }
  }

  std::optional<User> user_by_token_hash(const std::string& token_hash) override {
    std::lock_guard lock(mu_);
    SQLite::Statement q(db_, "SELECT id, name, role FROM users WHERE token_hash = ?");
    q.bind(1, token_hash);
    if (!q.executeStep()) return std::nullopt;
    auto role = parse_role(q.getColumn(2).getString());
    if (!role) return std::nullopt;
    return User{q.getColumn(0).getInt64(), q.getColumn(1).getString(), *role};
  }

  // ---- people ------------------------------------------------------------------------------
  Result<int64_t> add_person(const nlohmann::json& personal_data) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Statement q(db_, "INSERT INTO people(data, created_at) VALUES (?, ?)");
      q.bind(1, personal_data.dump());
      q.bind(2, now_rfc3339_utc());
      q.exec();
      return db_.getLastInsertRowid();
    } catch (const std::exception& e) {
      return io_error("cannot add person", e);
    }
  }

  Status set_equality_data(int64_t person_id, const nlohmann::json& answers) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Statement q(db_,
                          "INSERT INTO equality_data(person_id, answers, updated_at) VALUES (?,?,?) "
                          "ON CONFLICT(person_id) DO UPDATE SET answers=excluded.answers, "
                          "updated_at=excluded.updated_at");
      q.bind(1, person_id);
      q.bind(2, answers.dump());
      q.bind(3, now_rfc3339_utc());
      q.exec();
    } catch (const SQLite::Exception& e) {
      if (e.getErrorCode() == SQLITE_CONSTRAINT) return not_found("person", std::to_string(person_id));
      return io_error("cannot store equality data", e);
    }
    return Status::Ok();
  }

  Status update_person(int64_t person_id, const nlohmann::json& personal_data, const AuditEvent& audit) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      SQLite::Statement q(db_, "UPDATE people SET data=? WHERE id=?");
      q.bind(1, personal_data.dump());
      q.bind(2, person_id);
      if (q.exec() == 0) return not_found("person", std::to_string(person_id));
      sqlite_panel::email_changed(db_, person_id, personal_data);
      append_audit_locked(audit);
      tx.commit();
    } catch (const std::exception& e) {
      return io_error("cannot update person", e);
    }
    return Status::Ok();
  }

  Result<PersonRecord> get_person(int64_t person_id) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_);  // one consistent snapshot
      SQLite::Statement q(db_, "SELECT data, created_at FROM people WHERE id=?");
      q.bind(1, person_id);
      if (!q.executeStep()) return not_found("person", std::to_string(person_id));
      PersonRecord p;
      p.id = person_id;
      p.personal_data = parse_stored_json(q.getColumn(0).getString());
      p.created_at = q.getColumn(1).getString();
      SQLite::Statement e(db_, "SELECT answers FROM equality_data WHERE person_id=?");
      e.bind(1, person_id);
      if (e.executeStep()) p.equality_data = parse_stored_json(e.getColumn(0).getString());
      SQLite::Statement n(db_, "SELECT COUNT(*) FROM responses WHERE person_id=?");
      n.bind(1, person_id);
      if (n.executeStep()) p.responses = n.getColumn(0).getInt64();
      return p;
    } catch (const std::exception& e) {
      return io_error("cannot read person", e);
    }
  }

  Status erase_person(int64_t person_id, const AuditEvent& audit) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      if (auto member = sqlite_panel::member_where(db_, "person_id", person_id)) {
        // A Citizens' Panel member: their facts, invitations and sign-in go with them.
        panel::Erasure e = sqlite_panel::erase(db_, *member);
        AuditEvent ev = audit;
        ev.subject_id = std::to_string(person_id);
        ev.detail["panel"] = e.to_json();
        append_audit_locked(ev);
        tx.commit();
        return Status::Ok();
      }
      SQLite::Statement unlink(db_, "UPDATE responses SET person_id=NULL WHERE person_id=?");
      unlink.bind(1, person_id);
      unlink.exec();
      SQLite::Statement eq(db_, "DELETE FROM equality_data WHERE person_id=?");
      eq.bind(1, person_id);
      eq.exec();
      SQLite::Statement del(db_, "DELETE FROM people WHERE id=?");
      del.bind(1, person_id);
      if (del.exec() == 0) return not_found("person", std::to_string(person_id));
      AuditEvent ev = audit;
      ev.subject_id = std::to_string(person_id);
      append_audit_locked(ev);
      tx.commit();
    } catch (const std::exception& e) {
      return io_error("cannot erase person", e);
    }
    return Status::Ok();
  }

  // ---- translations ------------------------------------------------------------------------
  Result<TranslationRecord> put_translation(const std::string& consultation_id, const std::string& lang,
                                            const nlohmann::json& document, const AuditEvent& audit) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      auto cur = get_locked(consultation_id);
      if (!cur) return cur.error();
      if (has_status(cur->status, ConsultationStatus::kClosed) || has_status(cur->status, ConsultationStatus::kOutcomePublished)) {
        return Error{ErrorCode::kConflict, "/status",
                     "consultation " + consultation_id + " is " + cur->status + "; its translations can no longer change"};
      }
      std::string now = now_rfc3339_utc();
      SQLite::Statement q(db_,
                          "INSERT INTO consultation_translations(consultation_id, lang, document, updated_at) "
                          "VALUES (?,?,?,?) ON CONFLICT(consultation_id, lang) DO UPDATE SET "
                          "document=excluded.document, updated_at=excluded.updated_at");
      q.bind(1, consultation_id);
      q.bind(2, lang);
      q.bind(3, document.dump());
      q.bind(4, now);
      q.exec();
      AuditEvent ev = audit;
      ev.subject_id = consultation_id;
      append_audit_locked(ev);
      tx.commit();
      return TranslationRecord{consultation_id, lang, document, now};
    } catch (const std::exception& e) {
      return io_error("cannot store translation", e);
    }
  }

  Result<TranslationRecord> get_translation(const std::string& consultation_id, const std::string& lang) override {
    std::lock_guard lock(mu_);
    try {
      auto cur = get_locked(consultation_id);
      if (!cur) return cur.error();
      SQLite::Statement q(db_,
                          "SELECT document, updated_at FROM consultation_translations "
                          "WHERE consultation_id=? AND lang=?");
      q.bind(1, consultation_id);
      q.bind(2, lang);
      if (!q.executeStep()) return not_found("translation", consultation_id + "/" + lang);
      return TranslationRecord{consultation_id, lang, parse_stored_json(q.getColumn(0).getString()),
                               q.getColumn(1).getString()};
    } catch (const std::exception& e) {
      return io_error("cannot read translation", e);
    }
  }

  Result<std::vector<TranslationRecord>> list_translations(const std::string& consultation_id) override {
    std::lock_guard lock(mu_);
    try {
      auto cur = get_locked(consultation_id);
      if (!cur) return cur.error();
      std::vector<TranslationRecord> out;
      SQLite::Statement q(db_,
                          "SELECT lang, document, updated_at FROM consultation_translations "
                          "WHERE consultation_id=? ORDER BY lang");
      q.bind(1, consultation_id);
      while (q.executeStep()) {
        out.push_back(TranslationRecord{consultation_id, q.getColumn(0).getString(),
                                        parse_stored_json(q.getColumn(1).getString()), q.getColumn(2).getString()});
      }
      return out;
    } catch (const std::exception& e) {
      return io_error("cannot list translations", e);
    }
  }

  Status delete_translation(const std::string& consultation_id, const std::string& lang,
                            const AuditEvent& audit) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      auto cur = get_locked(consultation_id);
      if (!cur) return cur.error();
      if (!has_status(cur->status, ConsultationStatus::kDraft) && !has_status(cur->status, ConsultationStatus::kScheduled)) {
        return Error{ErrorCode::kConflict, "/status",
                     "consultation " + consultation_id + " is " + cur->status + "; its translations can no longer be removed"};
      }
      SQLite::Statement del(db_, "DELETE FROM consultation_translations WHERE consultation_id=? AND lang=?");
      del.bind(1, consultation_id);
      del.bind(2, lang);
      if (del.exec() == 0) return not_found("translation", consultation_id + "/" + lang);
      AuditEvent ev = audit;
      ev.subject_id = consultation_id;
      append_audit_locked(ev);
      tx.commit();
    } catch (const std::exception& e) {
      return io_error("cannot delete translation", e);
    }
    return Status::Ok();
  }

  // ---- meetings ----------------------------------------------------------------------------
  Result<MeetingRecord> add_meeting(const std::string& consultation_id, const nlohmann::json& document,
                                    const AuditEvent& audit) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      auto cur = get_locked(consultation_id);
      if (!cur) return cur.error();
      std::string now = now_rfc3339_utc();
      SQLite::Statement q(db_,
                          "INSERT INTO consultation_meetings(consultation_id, starts, document, created_at, updated_at) "
                          "VALUES (?,?,?,?,?)");
      q.bind(1, consultation_id);
      q.bind(2, meeting_starts(document));
      q.bind(3, document.dump());
      q.bind(4, now);
      q.bind(5, now);
      q.exec();
      MeetingRecord m{db_.getLastInsertRowid(), consultation_id, document, now, now};
      AuditEvent ev = audit;
      ev.subject_id = consultation_id;
      ev.detail["meeting_id"] = m.id;
      append_audit_locked(ev);
      tx.commit();
      return m;
    } catch (const std::exception& e) {
      return io_error("cannot add meeting", e);
    }
  }

  Result<MeetingRecord> update_meeting(const std::string& consultation_id, int64_t meeting_id,
                                       const nlohmann::json& document, const AuditEvent& audit) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      auto cur = get_meeting_locked(consultation_id, meeting_id);
      if (!cur) return cur.error();
      std::string now = now_rfc3339_utc();
      SQLite::Statement q(db_,
                          "UPDATE consultation_meetings SET starts=?, document=?, updated_at=? "
                          "WHERE id=? AND consultation_id=?");
      q.bind(1, meeting_starts(document));
      q.bind(2, document.dump());
      q.bind(3, now);
      q.bind(4, meeting_id);
      q.bind(5, consultation_id);
      q.exec();
      AuditEvent ev = audit;
      ev.subject_id = consultation_id;
      ev.detail["meeting_id"] = meeting_id;
      append_audit_locked(ev);
      tx.commit();
      return MeetingRecord{meeting_id, consultation_id, document, cur->created_at, now};
    } catch (const std::exception& e) {
      return io_error("cannot update meeting", e);
    }
  }

  Status delete_meeting(const std::string& consultation_id, int64_t meeting_id, const AuditEvent& audit) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      auto cur = get_meeting_locked(consultation_id, meeting_id);
      if (!cur) return cur.error();
      SQLite::Statement del(db_, "DELETE FROM consultation_meetings WHERE id=? AND consultation_id=?");
      del.bind(1, meeting_id);
      del.bind(2, consultation_id);
      del.exec();
      AuditEvent ev = audit;
      ev.subject_id = consultation_id;
      ev.detail["meeting_id"] = meeting_id;
      append_audit_locked(ev);
      tx.commit();
    } catch (const std::exception& e) {
      return io_error("cannot delete meeting", e);
    }
    return Status::Ok();
  }

  Result<MeetingRecord> get_meeting(const std::string& consultation_id, int64_t meeting_id) override {
    std::lock_guard lock(mu_);
    return get_meeting_locked(consultation_id, meeting_id);
  }

  Result<std::vector<MeetingRecord>> list_meetings(const std::string& consultation_id) override {
    std::lock_guard lock(mu_);
    try {
      auto cur = get_locked(consultation_id);
      if (!cur) return cur.error();
      std::vector<MeetingRecord> out;
      SQLite::Statement q(db_,
                          "SELECT id, document, created_at, updated_at FROM consultation_meetings "
                          "WHERE consultation_id=? ORDER BY starts, id");
      q.bind(1, consultation_id);
      while (q.executeStep()) {
        out.push_back(MeetingRecord{q.getColumn(0).getInt64(), consultation_id,
                                    parse_stored_json(q.getColumn(1).getString()), q.getColumn(2).getString(),
                                    q.getColumn(3).getString()});
      }
      return out;
    } catch (const std::exception& e) {
      return io_error("cannot list meetings", e);
    }
  }

  // ---- consultations -----------------------------------------------------------------------
  Result<ConsultationRecord> create_consultation(const nlohmann::json& document,
                                                 const AuditEvent& audit) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      int64_t seq = 1;
      {
        SQLite::Statement q(db_, "SELECT COALESCE(MAX(seq), 0) + 1 FROM consultations");
        if (q.executeStep()) seq = q.getColumn(0).getInt64();
      }
      std::string id = "c-" + std::to_string(seq);
      std::string now = now_rfc3339_utc();
      SQLite::Statement ins(db_,
                            "INSERT INTO consultations(id, seq, status, title, summary, opens, closes, "
                            "document, version, created_at, updated_at) VALUES (?,?,'draft',?,?,?,?,?,1,?,?)");
      ins.bind(1, id);
      ins.bind(2, seq);
      bind_indexed(ins, 3, document);
      ins.bind(7, document.dump());
      ins.bind(8, now);
      ins.bind(9, now);
      ins.exec();
      write_children(id, document);
      AuditEvent ev = audit;
      ev.subject_id = id;
      append_audit_locked(ev);
      tx.commit();
      return ConsultationRecord{id, to_string(ConsultationStatus::kDraft), document, 1, now, now};
    } catch (const std::exception& e) {
      return io_error("cannot create consultation", e);
    }
  }

  Result<ConsultationRecord> get_consultation(const std::string& id) override {
    std::lock_guard lock(mu_);
    return get_locked(id);
  }

  Result<ConsultationRecord> update_consultation(const std::string& id, const nlohmann::json& document,
                                                 int64_t expected_version,
                                                 const AuditEvent& audit) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      auto cur = get_locked(id);
      if (!cur) return cur.error();
      if (!has_status(cur->status, ConsultationStatus::kDraft)) {
        return Error{ErrorCode::kConflict, "/status",
                     "consultation " + id + " is " + cur->status + "; only a draft can be edited"};
      }
      if (expected_version != 0 && expected_version != cur->version) {
        return Error{ErrorCode::kConflict, "/version",
                     "consultation " + id + " has changed (version " + std::to_string(cur->version) +
                         ", you sent " + std::to_string(expected_version) + "); reload and retry"};
      }
      std::string now = now_rfc3339_utc();
      SQLite::Statement up(db_,
                           "UPDATE consultations SET title=?, summary=?, opens=?, closes=?, document=?, "
                           "version=version+1, updated_at=? WHERE id=?");
      bind_indexed(up, 1, document);
      up.bind(5, document.dump());
      up.bind(6, now);
      up.bind(7, id);
      up.exec();
      write_children(id, document);
      AuditEvent ev = audit;
      ev.subject_id = id;
      append_audit_locked(ev);
      tx.commit();
      return ConsultationRecord{id, to_string(ConsultationStatus::kDraft), document, cur->version + 1, cur->created_at, now};
    } catch (const std::exception& e) {
      return io_error("cannot update consultation", e);
    }
  }

  Status delete_consultation(const std::string& id, const AuditEvent& audit) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      auto cur = get_locked(id);
      if (!cur) return cur.error();
      if (!has_status(cur->status, ConsultationStatus::kDraft)) {
        return Error{ErrorCode::kConflict, "/status",
                     "consultation " + id + " is " + cur->status + "; only a draft can be deleted"};
      }
      SQLite::Statement del(db_, "DELETE FROM consultations WHERE id=?");
      del.bind(1, id);
      del.exec();
      AuditEvent ev = audit;
      ev.subject_id = id;
      append_audit_locked(ev);
      tx.commit();
    } catch (const std::exception& e) {
      return io_error("cannot delete consultation", e);
    }
    return Status::Ok();
  }

  Result<ConsultationRecord> transition_consultation(const TransitionRecord& t) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      auto cur = get_locked(t.consultation_id);
      if (!cur) return cur.error();
      if (cur->status != t.from) {
        return Error{ErrorCode::kConflict, "/status",
                     "consultation " + t.consultation_id + " is " + cur->status + ", not " + t.from};
      }
      if (t.expected_version != 0 && t.expected_version != cur->version) {
        return Error{ErrorCode::kConflict, "/version",
                     "consultation " + t.consultation_id + " has changed; reload and retry"};
      }
      nlohmann::json doc = cur->document;
      if (t.document_patch.is_object()) {
        for (auto it = t.document_patch.begin(); it != t.document_patch.end(); ++it) doc[it.key()] = it.value();
      }
      std::string now = now_rfc3339_utc();
      SQLite::Statement up(db_,
                           "UPDATE consultations SET status=?, title=?, summary=?, opens=?, closes=?, "
                           "document=?, version=version+1, updated_at=? WHERE id=?");
      up.bind(1, t.to);
      bind_indexed(up, 2, doc);
      up.bind(6, doc.dump());
      up.bind(7, now);
      up.bind(8, t.consultation_id);
      up.exec();
      for (const auto& ev : t.audit) append_audit_locked(ev);
      tx.commit();
      return ConsultationRecord{t.consultation_id, t.to, doc, cur->version + 1, cur->created_at, now};
    } catch (const std::exception& e) {
      return io_error("cannot change consultation status", e);
    }
  }

  Result<ConsultationPage> list_consultations(const ConsultationQuery& query) override {
    static const std::map<std::string, std::string, std::less<>> kSort = {
        {"opens", "c.opens"}, {"closes", "c.closes"}, {"title", "c.title COLLATE NOCASE"},
        {"created", "c.seq"}};
    std::string sort = query.sort.empty() ? "-opens" : query.sort;
    bool desc = sort[0] == '-';
    std::string key = desc ? sort.substr(1) : sort;
    auto sit = kSort.find(key);
    if (sit == kSort.end()) {
      return invalid_argument("sort", "cannot sort by \"" + key + "\" (use opens, closes, title or created, "
                                      "with a leading '-' for descending)");
    }
    if (query.limit < 1 || query.limit > 100) return invalid_argument("limit", "must be between 1 and 100");
    if (query.offset < 0) return invalid_argument("offset", "must not be negative");

    std::string where = " WHERE 1=1";
    std::vector<std::string> params;
    if (!query.statuses.empty()) {
      where += " AND c.status IN (";
      for (size_t i = 0; i < query.statuses.size(); ++i) {
        where += i ? ",?" : "?";
        params.push_back(query.statuses[i]);
      }
      where += ")";
    }
    if (!query.ward.empty()) {
      where += " AND EXISTS (SELECT 1 FROM consultation_wards w WHERE w.consultation_id=c.id AND w.ward=?)";
      params.push_back(query.ward);
    }
    if (!query.topic.empty()) {
      where += " AND EXISTS (SELECT 1 FROM consultation_topics t WHERE t.consultation_id=c.id AND t.topic=?)";
      params.push_back(query.topic);
    }
    if (!query.search.empty()) {
      std::string pattern = "%";
      for (char ch : query.search) {
        if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
        pattern += ch;
      }
      pattern += "%";
      where += " AND (c.title LIKE ? ESCAPE '\\' OR c.summary LIKE ? ESCAPE '\\')";
      params.push_back(pattern);
      params.push_back(pattern);
    }
    std::lock_guard lock(mu_);
    try {
      ConsultationPage page;
      {
        SQLite::Statement q(db_, "SELECT COUNT(*) FROM consultations c" + where);
        for (size_t i = 0; i < params.size(); ++i) q.bind(static_cast<int>(i + 1), params[i]);
        if (q.executeStep()) page.total = q.getColumn(0).getInt64();
      }
      std::string order = sit->second + (desc ? " DESC" : " ASC") + ", c.seq " + (desc ? "DESC" : "ASC");
      SQLite::Statement q(db_,
                          "SELECT c.id, c.status, c.document, c.version, c.created_at, c.updated_at "
                          "FROM consultations c" + where + " ORDER BY " + order + " LIMIT ? OFFSET ?");
      int n = 1;
      for (const auto& p : params) q.bind(n++, p);
      q.bind(n++, query.limit);
      q.bind(n, query.offset);
      while (q.executeStep()) page.items.push_back(row_to_record(q));
      return page;
    } catch (const std::exception& e) {
      return io_error("cannot list consultations", e);
    }
  }

  Result<std::vector<nlohmann::json>> questions(const std::string& consultation_id) override {
    std::lock_guard lock(mu_);
    try {
      auto cur = get_locked(consultation_id);
      if (!cur) return cur.error();
      std::vector<nlohmann::json> out;
      SQLite::Statement q(db_, "SELECT definition FROM questions WHERE consultation_id=? ORDER BY position");
      q.bind(1, consultation_id);
      while (q.executeStep()) out.push_back(parse_stored_json(q.getColumn(0).getString()));
      return out;
    } catch (const std::exception& e) {
      return io_error("cannot read questions", e);
    }
  }

  // ---- responses ---------------------------------------------------------------------------
  std::vector<Result<StoredResponse>> submit_responses_in_place(std::vector<ResponseSubmission>& batch) override {
    std::vector<Result<StoredResponse>> out;
    out.reserve(batch.size());
    std::lock_guard lock(mu_);
    if (keys_.enabled) {
      try {
        prune_keys_locked(false);
      } catch (const std::exception&) {
        // Pruning is housekeeping: the keys stay honoured, and the next batch tries again.
      }
    }
    int64_t keys_before = -1;
    batch_keys_.clear();
    try {
      prepare_hot();
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      if (keys_.enabled) {
        load_new_keys_locked();  // keys another connection wrote since our last batch
        keys_before = keys_.last_row;
      }
      std::map<std::string, std::string> status_cache;
      std::string now = now_rfc3339_utc();
      // Ids are given here (as SQLite would: one above the largest) so each reference can carry
      // its response's serial number; the write lock taken above makes them ours.
      max_response_id_->reset();
      max_response_id_->executeStep();
      int64_t next_id = max_response_id_->getColumn(0).getInt64() + 1;
      max_response_id_->reset();
      for (auto& s : batch) out.push_back(submit_one(s, now, status_cache, next_id));
      tx.commit();
      if (keys_.enabled && keys_.last_row > keys_before) note_key_second(now, keys_.last_row);
    } catch (const std::exception& e) {
      // The whole transaction rolled back: nothing in this batch was stored, and the index forgets
      // the keys it learnt from it.
      for (const auto& [fp, row] : batch_keys_) forget_key(fp, row);
      if (keys_before >= 0) keys_.last_row = keys_before;
      out.clear();
      for (size_t i = 0; i < batch.size(); ++i) out.push_back(io_error("cannot store response", e));
    }
    return out;
  }

  Result<std::vector<StoredResponse>> list_responses(const std::string& consultation_id, int64_t limit,
                                                     int64_t offset) override {
    if (limit < 1 || limit > 1000) return invalid_argument("limit", "must be between 1 and 1000");
    if (offset < 0) return invalid_argument("offset", "must not be negative");
    std::lock_guard lock(mu_);
    try {
      auto cur = get_locked(consultation_id);
      if (!cur) return cur.error();
      std::vector<StoredResponse> out;
      SQLite::Statement q(db_, std::string(kResponseColumns) + " WHERE consultation_id=? ORDER BY id LIMIT ? OFFSET ?");
      q.bind(1, consultation_id);
      q.bind(2, limit);
      q.bind(3, offset);
      while (q.executeStep()) out.push_back(row_to_response(q));
      return out;
    } catch (const std::exception& e) {
      return io_error("cannot list responses", e);
    }
  }

  Result<StoredResponse> response_by_reference(const std::string& reference) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Statement q(db_, std::string(kResponseColumns) + " WHERE reference=?");
      q.bind(1, reference);
      if (!q.executeStep()) return not_found("response", reference);
      return row_to_response(q);
    } catch (const std::exception& e) {
      return io_error("cannot read response", e);
    }
  }

  Result<int64_t> count_responses(const std::string& consultation_id) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Statement q(db_, "SELECT COUNT(*) FROM responses WHERE consultation_id=?");
      q.bind(1, consultation_id);
      q.executeStep();
      return q.getColumn(0).getInt64();
    } catch (const std::exception& e) {
      return io_error("cannot count responses", e);
    }
  }

  // ---- web-page drafts and the outbox -------------------------------------------------------
  Status save_draft(const ResponseDraft& draft) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Statement q(db_,
                          "INSERT INTO pages_drafts(key, consultation_id, language, answers, email, updated_at) "
                          "VALUES (?,?,?,?,?,?) ON CONFLICT(key) DO UPDATE SET consultation_id=excluded.consultation_id, "
                          "language=excluded.language, answers=excluded.answers, email=excluded.email, "
                          "updated_at=excluded.updated_at");
      q.bind(1, draft.key);
      q.bind(2, draft.consultation_id);
      q.bind(3, draft.language);
      q.bind(4, draft.answers.dump());
      q.bind(5, draft.email);
      q.bind(6, now_rfc3339_utc());
      q.exec();
    } catch (const SQLite::Exception& e) {
      if (e.getErrorCode() == SQLITE_CONSTRAINT) return not_found("consultation", draft.consultation_id);
      return io_error("cannot save draft", e);
    }
    return Status::Ok();
  }

  Result<ResponseDraft> get_draft(const std::string& key) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Statement q(db_,
                          "SELECT consultation_id, language, answers, email, updated_at FROM pages_drafts WHERE key=?");
      q.bind(1, key);
      if (!q.executeStep()) return not_found("draft", "(hidden)");
      return ResponseDraft{key, q.getColumn(0).getString(), q.getColumn(1).getString(),
                           parse_stored_json(q.getColumn(2).getString()), q.getColumn(3).getString(),
                           q.getColumn(4).getString()};
    } catch (const std::exception& e) {
      return io_error("cannot read draft", e);
    }
  }

  Status delete_draft(const std::string& key) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Statement q(db_, "DELETE FROM pages_drafts WHERE key=?");
      q.bind(1, key);
      q.exec();
    } catch (const std::exception& e) {
      return io_error("cannot delete draft", e);
    }
    return Status::Ok();
  }

  Status put_member_token(const MemberToken& t) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Statement q(db_, "INSERT INTO pages_member_tokens(kind, hash, member_id, expires_at, created_at) VALUES (?,?,?,?,?)");
      q.bind(1, t.kind);
      q.bind(2, t.hash);
      q.bind(3, t.member_id);
      q.bind(4, t.expires_at);
      q.bind(5, now_rfc3339_utc());
      q.exec();
    } catch (const SQLite::Exception& e) {
      if (e.getErrorCode() == SQLITE_CONSTRAINT) return not_found("panel member", std::to_string(t.member_id));
      return io_error("cannot store sign-in token", e);
    }
    return Status::Ok();
  }

  Result<int64_t> member_token(const std::string& kind, const std::string& hash, int64_t now, bool consume) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      // Expired links and sessions are not kept (data minimisation), whoever's they are.
      SQLite::Statement purge(db_, "DELETE FROM pages_member_tokens WHERE expires_at <= ?");
      purge.bind(1, now);
      purge.exec();
      SQLite::Statement q(db_, "SELECT member_id, expires_at FROM pages_member_tokens WHERE kind=? AND hash=?");
      q.bind(1, kind);
      q.bind(2, hash);
      if (!q.executeStep()) {
        tx.commit();  // keep the purge
        return Error{ErrorCode::kNotFound, "", "no such " + kind + " token (or it has expired)"};
      }
      int64_t member_id = q.getColumn(0).getInt64();
      q.reset();
      if (consume) {
        SQLite::Statement del(db_, "DELETE FROM pages_member_tokens WHERE kind=? AND hash=?");
        del.bind(1, kind);
        del.bind(2, hash);
        del.exec();
      }
      tx.commit();
      return member_id;
    } catch (const std::exception& e) {
      return io_error("cannot read sign-in token", e);
    }
  }

  Result<int64_t> live_member_tokens(const std::string& kind, int64_t member_id, int64_t now) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Statement q(db_, "SELECT count(*) FROM pages_member_tokens WHERE kind=? AND member_id=? AND expires_at > ?");
      q.bind(1, kind);
      q.bind(2, member_id);
      q.bind(3, now);
      q.executeStep();
      return q.getColumn(0).getInt64();
    } catch (const std::exception& e) {
      return io_error("cannot count sign-in tokens", e);
    }
  }

  Status delete_member_token(const std::string& kind, const std::string& hash) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Statement q(db_, "DELETE FROM pages_member_tokens WHERE kind=? AND hash=?");
      q.bind(1, kind);
      q.bind(2, hash);
      q.exec();
    } catch (const std::exception& e) {
      return io_error("cannot delete sign-in token", e);
    }
    return Status::Ok();
  }

  Result<panel::Member> member_by_email(const std::string& email) override {
    auto key = panel::sign_in_key(email);
    if (!key) return Error{ErrorCode::kNotFound, "email", "no panel member with that email address"};
    std::lock_guard lock(mu_);
    try {
      auto m = sqlite_panel::member_with_sign_in_key(db_, *key);
      if (!m) return Error{ErrorCode::kNotFound, "email", "no panel member with that email address"};
      return *m;
    } catch (const std::exception& e) {
      return io_error("cannot find panel member", e);
    }
  }

  Status put_email_confirmation(const EmailConfirmation& c) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Statement q(db_,
                          "INSERT INTO panel_email_confirmations(hash, member_id, email, expires_at, created_at) "
                          "VALUES (?,?,?,?,?)");
      q.bind(1, c.hash);
      q.bind(2, c.member_id);
      q.bind(3, c.email);
      q.bind(4, c.expires_at);
      q.bind(5, now_rfc3339_utc());
      q.exec();
    } catch (const SQLite::Exception& e) {
      if (e.getErrorCode() == SQLITE_CONSTRAINT) return not_found("panel member", std::to_string(c.member_id));
      return io_error("cannot store email confirmation", e);
    }
    return Status::Ok();
  }

  // The live confirmation with this hash, after deleting every expired one; the caller holds mu_
  // inside a transaction.
  std::optional<EmailConfirmation> live_confirmation_locked(const std::string& hash, int64_t now) {
    SQLite::Statement purge(db_, "DELETE FROM panel_email_confirmations WHERE expires_at <= ?");
    purge.bind(1, now);
    purge.exec();
    SQLite::Statement q(db_, "SELECT member_id, email, expires_at FROM panel_email_confirmations WHERE hash=?");
    q.bind(1, hash);
    if (!q.executeStep()) return std::nullopt;
    return EmailConfirmation{hash, q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getInt64()};
  }

  Result<EmailConfirmation> email_confirmation(const std::string& hash, int64_t now) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      auto c = live_confirmation_locked(hash, now);
      tx.commit();  // keep the purge
      if (!c) return Error{ErrorCode::kNotFound, "", "no such email confirmation (or it has expired)"};
      return *c;
    } catch (const std::exception& e) {
      return io_error("cannot read email confirmation", e);
    }
  }

  Result<panel::Member> confirm_email(const std::string& hash, int64_t now, const AuditEvent& audit) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      auto c = live_confirmation_locked(hash, now);
      if (!c) {
        tx.commit();
        return Error{ErrorCode::kNotFound, "", "no such email confirmation (or it has expired)"};
      }
      SQLite::Statement used(db_, "DELETE FROM panel_email_confirmations WHERE hash=?");
      used.bind(1, hash);
      used.exec();
      auto key = panel::sign_in_key(c->email);
      auto holder = key ? sqlite_panel::member_with_sign_in_key(db_, *key) : std::nullopt;
      if (!key || (holder && holder->id != c->member_id)) {
        tx.commit();  // the link is used up either way
        return Error{ErrorCode::kConflict, "email", "another panel member signs in with this email address"};
      }
      auto m = sqlite_panel::member_where(db_, "id", c->member_id);
      if (!m) {
        tx.commit();
        return not_found("panel member", std::to_string(c->member_id));
      }
      m->personal["email"] = c->email;
      SQLite::Statement person(db_, "UPDATE people SET data=? WHERE id=?");
      person.bind(1, m->personal.dump());
      person.bind(2, m->person_id);
      person.exec();
      SQLite::Statement member(db_, "UPDATE panel_members SET email_key=?, email_verified=1 WHERE id=?");
      member.bind(1, *key);
      member.bind(2, m->id);
      member.exec();
      // Older requests for other addresses are void: the member just chose this one.
      SQLite::Statement others(db_, "DELETE FROM panel_email_confirmations WHERE member_id=?");
      others.bind(1, m->id);
      others.exec();
      m->email_verified = true;
      AuditEvent ev = audit;
      ev.subject_kind = "panel_member";
      ev.subject_id = std::to_string(m->id);
      append_audit_locked(ev);
      tx.commit();
      return *m;
    } catch (const SQLite::Exception& e) {
      if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE) {
        return Error{ErrorCode::kConflict, "email", "another panel member signs in with this email address"};
      }
      return io_error("cannot confirm email address", e);
    } catch (const std::exception& e) {
      return io_error("cannot confirm email address", e);
    }
  }

  Result<int64_t> live_email_confirmations(int64_t member_id, int64_t now) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Statement q(db_, "SELECT count(*) FROM panel_email_confirmations WHERE member_id=? AND expires_at > ?");
      q.bind(1, member_id);
      q.bind(2, now);
      q.executeStep();
      return q.getColumn(0).getInt64();
    } catch (const std::exception& e) {
      return io_error("cannot count email confirmations", e);
    }
  }

  Result<std::string> site_secret(const std::string& name) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      SQLite::Statement ins(db_, "INSERT INTO site_secrets(name, secret, created_at) VALUES (?,?,?) ON CONFLICT(name) DO NOTHING");
      ins.bind(1, name);
      ins.bind(2, new_bearer_token());
      ins.bind(3, now_rfc3339_utc());
      ins.exec();
      SQLite::Statement q(db_, "SELECT secret FROM site_secrets WHERE name=?");
      q.bind(1, name);
      q.executeStep();
      std::string secret = q.getColumn(0).getString();
      tx.commit();
      return secret;
    } catch (const std::exception& e) {
      return io_error("cannot read the site secret", e);
    }
  }

  Result<int64_t> add_outbox_email(const OutboxEmail& email) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Statement q(db_, "INSERT INTO pages_outbox(to_address, subject, body, created_at) VALUES (?,?,?,?)");
      q.bind(1, email.to);
      q.bind(2, email.subject);
      q.bind(3, email.body);
      q.bind(4, now_rfc3339_utc());
      q.exec();
      return db_.getLastInsertRowid();
    } catch (const std::exception& e) {
      return io_error("cannot write to the outbox", e);
    }
  }

  Result<std::vector<OutboxEmail>> outbox() override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Statement q(db_, "SELECT id, to_address, subject, body, created_at FROM pages_outbox ORDER BY id");
      std::vector<OutboxEmail> out;
      while (q.executeStep()) {
        out.push_back(OutboxEmail{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                                  q.getColumn(3).getString(), q.getColumn(4).getString()});
      }
      return out;
    } catch (const std::exception& e) {
      return io_error("cannot read the outbox", e);
    }
  }

  // ---- key decisions -----------------------------------------------------------------------
  Result<nlohmann::json> put_key_decision(const std::string& id, const nlohmann::json& doc,
                                          const AuditEvent& audit) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      SQLite::Statement q(db_,
                          "INSERT INTO key_decisions(id, document, updated_at) VALUES (?,?,?) "
                          "ON CONFLICT(id) DO UPDATE SET document=excluded.document, updated_at=excluded.updated_at");
      q.bind(1, id);
      q.bind(2, doc.dump());
      q.bind(3, now_rfc3339_utc());
      q.exec();
      AuditEvent ev = audit;
      ev.subject_id = id;
      append_audit_locked(ev);
      tx.commit();
      return doc;
    } catch (const std::exception& e) {
      return io_error("cannot store key decision", e);
    }
  }

  Result<nlohmann::json> get_key_decision(const std::string& id) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Statement q(db_, "SELECT document FROM key_decisions WHERE id=?");
      q.bind(1, id);
      if (!q.executeStep()) return not_found("key decision", id);
      return parse_stored_json(q.getColumn(0).getString());
    } catch (const std::exception& e) {
      return io_error("cannot read key decision", e);
    }
  }

  Result<std::vector<nlohmann::json>> list_key_decisions() override {
    std::lock_guard lock(mu_);
    try {
      std::vector<nlohmann::json> out;
      SQLite::Statement q(db_, "SELECT document FROM key_decisions ORDER BY id");
      while (q.executeStep()) out.push_back(parse_stored_json(q.getColumn(0).getString()));
      return out;
    } catch (const std::exception& e) {
      return io_error("cannot list key decisions", e);
    }
  }

  // ---- Citizens' Panel (SQL in sqlite_panel.cpp) ---------------------------------------------
  Result<panel::Member> add_member(const panel::NewMember& member, const AuditEvent& audit) override {
    auto all = import_members({member}, audit);
    if (!all) {
      Error e = all.error();
      if (e.field.rfind("/0", 0) == 0) e.field = e.field.substr(2);
      return e;
    }
    return all->front();
  }

  Result<std::vector<panel::Member>> import_members(const std::vector<panel::NewMember>& members,
                                                    const AuditEvent& audit) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      std::vector<panel::Member> out;
      std::string now = now_rfc3339_utc();
      for (size_t i = 0; i < members.size(); ++i) {
        auto m = sqlite_panel::insert_member(db_, members[i], now, "/" + std::to_string(i));
        if (!m) return m.error();  // the transaction rolls back: nothing of the batch is kept
        out.push_back(std::move(*m));
      }
      AuditEvent ev = audit;
      if (out.size() == 1) {
        ev.subject_id = std::to_string(out[0].id);
      } else {
        ev.detail["members"] = out.size();
      }
      append_audit_locked(ev);
      tx.commit();
      return out;
    } catch (const SQLite::Exception& e) {
      if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE) {
        return Error{ErrorCode::kConflict, "", std::string("a member or sign-in token is already on the panel: ") + e.what()};
      }
      return io_error("cannot add panel members", e);
    } catch (const std::exception& e) {
      return io_error("cannot add panel members", e);
    }
  }

  Result<panel::Member> member_lookup(const char* column, int64_t value) {
    std::lock_guard lock(mu_);
    try {
      auto m = sqlite_panel::member_where(db_, column, value);
      if (!m) return not_found(std::string("panel member with ") + column, std::to_string(value));
      return *m;
    } catch (const std::exception& e) {
      return io_error("cannot read panel member", e);
    }
  }
  Result<panel::Member> get_member(int64_t member_id) override { return member_lookup("id", member_id); }
  Result<panel::Member> member_by_person(int64_t person_id) override { return member_lookup("person_id", person_id); }
  Result<panel::Member> member_by_user(int64_t user_id) override { return member_lookup("user_id", user_id); }

  Result<std::vector<panel::Member>> list_members() override {
    std::lock_guard lock(mu_);
    try {
      return sqlite_panel::all_members(db_);
    } catch (const std::exception& e) {
      return io_error("cannot list panel members", e);
    }
  }

  Status link_member_user(int64_t member_id, int64_t user_id, const AuditEvent& audit) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      SQLite::Statement q(db_, "UPDATE panel_members SET user_id=? WHERE id=?");
      q.bind(1, user_id);
      q.bind(2, member_id);
      if (q.exec() == 0) return not_found("panel member", std::to_string(member_id));
      AuditEvent ev = audit;
      ev.subject_id = std::to_string(member_id);
      append_audit_locked(ev);
      tx.commit();
    } catch (const SQLite::Exception& e) {
      if (e.getErrorCode() == SQLITE_CONSTRAINT) {
        return Error{ErrorCode::kConflict, "user_id", "user " + std::to_string(user_id) + " is unknown or linked to another member"};
      }
      return io_error("cannot link panel member", e);
    }
    return Status::Ok();
  }

  Result<std::vector<panel::Fact>> member_facts(int64_t member_id) override {
    std::lock_guard lock(mu_);
    try {
      if (!sqlite_panel::member_where(db_, "id", member_id)) return not_found("panel member", std::to_string(member_id));
      return sqlite_panel::facts_of(db_, member_id);
    } catch (const std::exception& e) {
      return io_error("cannot read facts", e);
    }
  }

  Result<std::vector<std::pair<int64_t, std::vector<panel::Fact>>>> all_member_facts() override {
    std::lock_guard lock(mu_);
    try {
      return sqlite_panel::facts_of_all(db_);
    } catch (const std::exception& e) {
      return io_error("cannot read facts", e);
    }
  }

  Status record_facts(int64_t member_id, const std::vector<panel::Fact>& facts, const AuditEvent& audit) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      if (!sqlite_panel::member_where(db_, "id", member_id)) return not_found("panel member", std::to_string(member_id));
      sqlite_panel::upsert_facts(db_, member_id, facts);
      AuditEvent ev = audit;
      ev.subject_id = std::to_string(member_id);
      nlohmann::json keys = nlohmann::json::array();  // keys and provenance only: values are personal data
      for (const auto& f : facts) keys.push_back({{"key", f.key}, {"channel", f.channel}, {"source", f.source}});
      ev.detail["facts"] = keys;
      append_audit_locked(ev);
      tx.commit();
    } catch (const std::exception& e) {
      return io_error("cannot record facts", e);
    }
    return Status::Ok();
  }

  Status record_invitations(const std::vector<panel::Invitation>& invitations, const panel::ContactPolicy& limit,
                            const AuditEvent& audit) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      if (auto over = sqlite_panel::over_contact_limit(db_, invitations, limit)) return *over;
      sqlite_panel::insert_invitations(db_, invitations);
      append_audit_locked(audit);
      tx.commit();
    } catch (const SQLite::Exception& e) {
      if (e.getErrorCode() == SQLITE_CONSTRAINT) {
        return Error{ErrorCode::kNotFound, "", std::string("unknown member or consultation: ") + e.what()};
      }
      return io_error("cannot record invitations", e);
    }
    return Status::Ok();
  }

  Result<std::vector<panel::Invitation>> invitations_since(Date since) override {
    std::lock_guard lock(mu_);
    try {
      return sqlite_panel::invitations_where(db_, "sent_on >= ?", since.iso());
    } catch (const std::exception& e) {
      return io_error("cannot read invitations", e);
    }
  }

  Result<std::vector<panel::Invitation>> member_invitations(int64_t member_id) override {
    std::lock_guard lock(mu_);
    try {
      return sqlite_panel::invitations_where(db_, "member_id = ?", std::to_string(member_id));
    } catch (const std::exception& e) {
      return io_error("cannot read invitations", e);
    }
  }

  Result<std::vector<StoredResponse>> responses_of_person(int64_t person_id) override {
    std::lock_guard lock(mu_);
    try {
      std::vector<StoredResponse> out;
      SQLite::Statement q(db_, std::string(kResponseColumns) + " WHERE person_id=? ORDER BY id");
      q.bind(1, person_id);
      while (q.executeStep()) out.push_back(row_to_response(q));
      return out;
    } catch (const std::exception& e) {
      return io_error("cannot list responses", e);
    }
  }

  Result<panel::Erasure> erase_member(int64_t member_id, const AuditEvent& audit) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      auto m = sqlite_panel::member_where(db_, "id", member_id);
      if (!m) return not_found("panel member", std::to_string(member_id));
      panel::Erasure e = sqlite_panel::erase(db_, *m);
      AuditEvent ev = audit;
      ev.subject_id = std::to_string(member_id);
      ev.detail = e.to_json();
      append_audit_locked(ev);
      tx.commit();
      return e;
    } catch (const std::exception& e) {
      return io_error("cannot erase panel member", e);
    }
  }

  // ---- audit -------------------------------------------------------------------------------
  Result<AuditEntry> append_audit(const AuditEvent& event) override {
    std::lock_guard lock(mu_);
    try {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      AuditEntry e = append_audit_locked(event);
      tx.commit();
      return e;
    } catch (const std::exception& e) {
      return io_error("cannot append to the audit log", e);
    }
  }

  Result<std::vector<AuditEntry>> audit_entries() override {
    std::lock_guard lock(mu_);
    try {
      return read_audit_locked();
    } catch (const std::exception& e) {
      return io_error("cannot read the audit log", e);
    }
  }

  Result<AuditVerification> verify_audit() override {
    std::lock_guard lock(mu_);
    try {
      AuditKeyView key;
      key.key = audit_key_.get();
      key.unavailable = audit_key_unavailable_;
      // The head mark first: it moves only after a commit, so the snapshot below reaches it.
      if (audit_key_) key.head_mark = audit_key_->read_head_mark();
      SQLite::Transaction tx(db_);  // one consistent snapshot
      auto entries = read_audit_locked();
      int64_t head_seq = 0;
      std::string head_hash;
      if (version_ >= 2) {
        SQLite::Statement h(db_, "SELECT seq, hash FROM audit_head WHERE singleton=1");
        if (!h.executeStep()) {
          AuditVerification v;
          v.state = AuditState::kBroken;
          v.ok = false;
          v.first_bad_seq = 1;
          v.problem = "the audit log's head record is missing";
          return v;
        }
        head_seq = h.getColumn(0).getInt64();
        head_hash = h.getColumn(1).getString();
      } else if (!entries.empty()) {  // before the head was recorded, the last entry is the head
        head_seq = entries.back().seq;
        head_hash = entries.back().hash;
      }
      std::optional<AuditSealing> sealing;
      if (version_ >= kSealedAuditVersion) sealing = read_sealing_locked();
      return verify_audit_log(entries, head_seq, head_hash, sealing, key);
    } catch (const std::exception& e) {
      return io_error("cannot read the audit log", e);
    }
  }

 private:
  static constexpr const char* kResponseColumns =
      "SELECT id, reference, consultation_id, channel, person_id, submitted_by, entered_by, answers, "
      "created_at, language FROM responses";

  // Binds title, summary, opens, closes at positions first..first+3.
  static void bind_indexed(SQLite::Statement& q, int first, const nlohmann::json& doc) {
    q.bind(first, str_or_empty(doc, "title"));
    q.bind(first + 1, str_or_empty(doc, "summary"));
    std::string opens = str_or_empty(doc, "opens"), closes = str_or_empty(doc, "closes");
    if (opens.empty()) q.bind(first + 2); else q.bind(first + 2, opens);
    if (closes.empty()) q.bind(first + 3); else q.bind(first + 3, closes);
  }

  void write_children(const std::string& id, const nlohmann::json& doc) {
    for (const char* table : {"consultation_wards", "consultation_topics", "questions"}) {
      SQLite::Statement del(db_, std::string("DELETE FROM ") + table + " WHERE consultation_id=?");
      del.bind(1, id);
      del.exec();
    }
    std::set<std::string> wards, topics;
    for (auto& w : strings_of(doc, "wards")) wards.insert(w);
    for (auto& t : strings_of(doc, "topics")) topics.insert(t);
    for (const auto& w : wards) {
      SQLite::Statement q(db_, "INSERT INTO consultation_wards(consultation_id, ward) VALUES (?,?)");
      q.bind(1, id);
      q.bind(2, w);
      q.exec();
    }
    for (const auto& t : topics) {
      SQLite::Statement q(db_, "INSERT INTO consultation_topics(consultation_id, topic) VALUES (?,?)");
      q.bind(1, id);
      q.bind(2, t);
      q.exec();
    }
    auto qs = doc.find("questions");
    if (qs != doc.end() && qs->is_array()) {
      int pos = 0;
      for (const auto& question : *qs) {
        SQLite::Statement q(db_,
                            "INSERT INTO questions(consultation_id, position, question_id, type, definition) "
                            "VALUES (?,?,?,?,?)");
        q.bind(1, id);
        q.bind(2, pos++);
        q.bind(3, str_or_empty(question, "id"));
        q.bind(4, str_or_empty(question, "type"));
        q.bind(5, question.dump());
        q.exec();
      }
    }
  }

  static ConsultationRecord row_to_record(SQLite::Statement& q) {
    ConsultationRecord r;
    r.id = q.getColumn(0).getString();
    r.status = q.getColumn(1).getString();
    r.document = parse_stored_json(q.getColumn(2).getString());
    r.version = q.getColumn(3).getInt64();
    r.created_at = q.getColumn(4).getString();
    r.updated_at = q.getColumn(5).getString();
    return r;
  }

  Result<ConsultationRecord> get_locked(const std::string& id) {
    try {
      SQLite::Statement q(db_,
                          "SELECT id, status, document, version, created_at, updated_at FROM consultations "
                          "WHERE id=?");
      q.bind(1, id);
      if (!q.executeStep()) return not_found("consultation", id);
      return row_to_record(q);
    } catch (const std::exception& e) {
      return io_error("cannot read consultation", e);
    }
  }

  // "YYYY-MM-DD HH:MM", the sort key of a meeting.
  static std::string meeting_starts(const nlohmann::json& doc) {
    return str_or_empty(doc, "date") + " " + str_or_empty(doc, "starts_at");
  }

  Result<MeetingRecord> get_meeting_locked(const std::string& consultation_id, int64_t meeting_id) {
    try {
      auto cur = get_locked(consultation_id);
      if (!cur) return cur.error();
      SQLite::Statement q(db_,
                          "SELECT document, created_at, updated_at FROM consultation_meetings "
                          "WHERE id=? AND consultation_id=?");
      q.bind(1, meeting_id);
      q.bind(2, consultation_id);
      if (!q.executeStep()) return not_found("meeting", consultation_id + "/" + std::to_string(meeting_id));
      return MeetingRecord{meeting_id, consultation_id, parse_stored_json(q.getColumn(0).getString()),
                           q.getColumn(1).getString(), q.getColumn(2).getString()};
    } catch (const std::exception& e) {
      return io_error("cannot read meeting", e);
    }
  }

  static StoredResponse row_to_response(SQLite::Statement& q) {
    StoredResponse r;
    r.id = q.getColumn(0).getInt64();
    r.reference = q.getColumn(1).getString();
    r.consultation_id = q.getColumn(2).getString();
    r.channel = q.getColumn(3).getString();
    r.person_id = opt_int(q.getColumn(4));
    r.submitted_by = opt_int(q.getColumn(5));
    r.entered_by = opt_int(q.getColumn(6));
    r.answers = parse_stored_json(q.getColumn(7).getString());
    r.created_at = q.getColumn(8).getString();
    r.language = q.getColumn(9).getString();
    return r;
  }

  void prepare_hot() {
    if (insert_response_) return;
    // From schema 10 the idempotency key is part of the response row (columns 11-13); before it,
    // in the idempotency_keys table (only staged-upgrade tests still write to such a schema).
    insert_response_ = std::make_unique<SQLite::Statement>(
        db_, keys_in_rows()
                 ? "INSERT INTO responses(id, reference, consultation_id, channel, person_id, submitted_by, "
                   "entered_by, answers, created_at, language, idempotency_scope, idempotency_key, request_hash) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
                 : "INSERT INTO responses(id, reference, consultation_id, channel, person_id, submitted_by, "
                   "entered_by, answers, created_at, language) VALUES (?,?,?,?,?,?,?,?,?,?)");
    max_response_id_ = std::make_unique<SQLite::Statement>(db_, "SELECT COALESCE(MAX(id), 0) FROM responses");
    if (!keys_in_rows()) {
      insert_key_ = std::make_unique<SQLite::Statement>(
          db_, "INSERT INTO idempotency_keys(scope, key, request_hash, response_id, created_at) VALUES (?,?,?,?,?)");
      find_key_ = std::make_unique<SQLite::Statement>(
          db_, "SELECT request_hash, response_id FROM idempotency_keys WHERE scope=? AND key=?");
    }
    find_response_ = std::make_unique<SQLite::Statement>(db_, std::string(kResponseColumns) + " WHERE id=?");
    status_of_ = std::make_unique<SQLite::Statement>(db_, "SELECT status FROM consultations WHERE id=?");
  }

  Result<StoredResponse> submit_one(ResponseSubmission& s, const std::string& now,
                                    std::map<std::string, std::string>& status_cache, int64_t& next_id) {
    // Replays first: a retry after the consultation closed still gets its original answer.
    uint64_t fingerprint = 0;
    if (!s.idempotency_key.empty()) {
      std::optional<std::pair<std::string, int64_t>> earlier;  // request hash, response id
      if (keys_.enabled) {
        fingerprint = key_fingerprint(s.idempotency_scope, s.idempotency_key);
        earlier = find_key_in_index(s, fingerprint);
      } else {
        find_key_->reset();
        find_key_->clearBindings();
        find_key_->bindNoCopy(1, s.idempotency_scope);
        find_key_->bindNoCopy(2, s.idempotency_key);
        if (find_key_->executeStep()) {
          earlier.emplace(find_key_->getColumn(0).getString(), find_key_->getColumn(1).getInt64());
        }
        find_key_->reset();
      }
      if (earlier) {
        if (earlier->first != s.request_hash) {
          return Error{ErrorCode::kConflict, "Idempotency-Key",
                       "this Idempotency-Key was already used for a different response"};
        }
        find_response_->reset();
        find_response_->bind(1, earlier->second);
        if (!find_response_->executeStep()) {
          find_response_->reset();
          return Error{ErrorCode::kIo, "", "the response of this Idempotency-Key is missing"};
        }
        StoredResponse r = row_to_response(*find_response_);
        find_response_->reset();
        r.replayed = true;
        return r;
      }
    }
    auto it = status_cache.find(s.consultation_id);
    if (it == status_cache.end()) {
      status_of_->reset();
      status_of_->bindNoCopy(1, s.consultation_id);
      std::string status = status_of_->executeStep() ? status_of_->getColumn(0).getString() : "";
      status_of_->reset();
      it = status_cache.emplace(s.consultation_id, status).first;
    }
    if (it->second.empty()) return not_found("consultation", s.consultation_id);
    if (!has_status(it->second, ConsultationStatus::kOpen)) {
      return Error{ErrorCode::kConflict, "/status",
                   "consultation " + s.consultation_id + " is " + it->second + ", not open for responses"};
    }
    // Every check that can refuse this submission ran above, so nothing below leaves a partial
    // write: the response insert either fails whole (then nothing of it is stored) or succeeds,
    // and the idempotency key cannot clash (it was looked up in this same transaction).
    bool inserted = false;
    try {
      StoredResponse r;
      // Text is bound without copying (bindNoCopy): every string below outlives the statement's
      // execution, and each use of the statement rebinds all of its parameters first.
      // The caller may have serialised the answers already (off this writer thread).
      if (s.answers_text.empty()) s.answers_text = s.answers.dump();
      const std::string& answers_text = s.answers_text;
      r.id = next_id;
      for (int attempt = 0;; ++attempt) {
        r.reference = response_reference(r.id);
        auto& q = *insert_response_;
        q.reset();
        q.clearBindings();
        q.bind(1, r.id);
        q.bindNoCopy(2, r.reference);
        q.bindNoCopy(3, s.consultation_id);
        q.bindNoCopy(4, s.channel);
        if (s.person_id) q.bind(5, *s.person_id);
        if (s.submitted_by) q.bind(6, *s.submitted_by);
        if (s.entered_by) q.bind(7, *s.entered_by);
        q.bindNoCopy(8, answers_text);
        q.bindNoCopy(9, now);
        q.bindNoCopy(10, s.language);
        if (keys_in_rows() && !s.idempotency_key.empty()) {
          q.bindNoCopy(11, s.idempotency_scope);
          q.bindNoCopy(12, s.idempotency_key);
          q.bindNoCopy(13, s.request_hash);
        }
        try {
          q.exec();
          break;
        } catch (const SQLite::Exception& e) {
          q.reset();
          // The serial makes a reference unique among new ones; a clash with an older, wholly
          // random reference (databases from before serial references) gets fresh random digits.
          if (e.getExtendedErrorCode() != SQLITE_CONSTRAINT_UNIQUE || attempt >= 3) throw;
        }
      }
      ++next_id;
      inserted = true;
      insert_response_->reset();
      if (keys_.enabled) {
        keys_.last_row = r.id;
        if (!s.idempotency_key.empty()) {
          // Batch mates with the same key find it from here on; forgotten again if the batch fails.
          keys_.rows.emplace(fingerprint, r.id);
          batch_keys_.emplace_back(fingerprint, r.id);
        }
      } else if (!s.idempotency_key.empty()) {
        auto& k = *insert_key_;
        k.reset();
        k.bindNoCopy(1, s.idempotency_scope);
        k.bindNoCopy(2, s.idempotency_key);
        k.bindNoCopy(3, s.request_hash);
        k.bind(4, r.id);
        k.bindNoCopy(5, now);
        k.exec();
        k.reset();
      }
      r.consultation_id = s.consultation_id;
      r.channel = s.channel;
      r.language = s.language;
      r.person_id = s.person_id;
      r.submitted_by = s.submitted_by;
      r.entered_by = s.entered_by;
      r.answers = std::move(s.answers);  // the batch is ours; if the transaction fails, nothing reads it again
      r.created_at = now;
      return r;
    } catch (const SQLite::Exception& e) {
      insert_response_->reset();
      // A refused response row (e.g. an unknown person id) is this submission's own error; any
      // failure after the row went in aborts the whole batch so nothing partial is committed.
      if (!inserted && e.getErrorCode() == SQLITE_CONSTRAINT && e.getExtendedErrorCode() != SQLITE_CONSTRAINT_UNIQUE) {
        return Error{ErrorCode::kInvalidArgument, "", std::string("response refused: ") + e.what()};
      }
      throw;
    }
  }

  // ---- the in-memory idempotency-key index ------------------------------------------------------
 public:
  // At open, after the migrations: builds the index from the responses within the retention
  // window and clears the keys that expired.
  Status init_keys(const SqliteOptions& options) {
    std::lock_guard lock(mu_);
    try {
      if (!keys_in_rows()) return Status::Ok();  // an older schema (staged-upgrade tests): SQL lookups
      keys_.enabled = true;
      keys_.sip = random_sip_key();
      keys_.retention_days = std::max(0, options.idempotency_retention_days);
      keys_.rows.reserve(1 << 16);
      keys_.last_row = keys_.pruned_upto = first_response_to_index() - 1;
      load_new_keys_locked();
      prune_keys_locked(true);
    } catch (const std::exception& e) {
      return io_error("cannot load the idempotency keys", e);
    }
    return Status::Ok();
  }

 private:
  uint64_t key_fingerprint(const std::string& scope, const std::string& key) {
    fingerprint_buf_.assign(scope);
    fingerprint_buf_.push_back('\n');
    fingerprint_buf_.append(key);
    return siphash24(keys_.sip, fingerprint_buf_);
  }

  bool keys_in_rows() const { return version_ >= 10; }

  // The created_at (as now_rfc3339_utc writes it) of a response stored `days` days ago.
  static std::string created_at_days_ago(int days) {
    std::time_t cut = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()) -
                      static_cast<std::time_t>(days) * 86400;
    std::tm tm{};
    gmtime_r(&cut, &tm);
    char out[32];
    std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return out;
  }

  // Responses are numbered in the order they were stored, so created_at grows with the id. The
  // index starts at the first response created within the retention window (less a day, in case
  // the clock was ever stepped back), found by bisection, so opening a large database reads only
  // the recent rows rather than the whole table.
  int64_t first_response_to_index() {
    if (keys_.retention_days <= 0) return 1;
    const std::string cutoff = created_at_days_ago(keys_.retention_days + 1);
    SQLite::Statement bounds(db_, "SELECT COALESCE(MIN(id), 1), COALESCE(MAX(id), 0) FROM responses");
    bounds.executeStep();
    int64_t lo = bounds.getColumn(0).getInt64(), hi = bounds.getColumn(1).getInt64() + 1;
    SQLite::Statement at(db_, "SELECT created_at FROM responses WHERE id >= ? ORDER BY id LIMIT 1");
    while (lo < hi) {  // the first id whose created_at is at or after the cutoff
      int64_t mid = lo + (hi - lo) / 2;
      at.reset();
      at.bind(1, mid);
      if (at.executeStep() && at.getColumn(0).getString() < cutoff) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  // The request hash and response id stored with this submission's (scope, key), if any.
  std::optional<std::pair<std::string, int64_t>> find_key_in_index(const ResponseSubmission& s, uint64_t fingerprint) {
    auto [it, end] = keys_.rows.equal_range(fingerprint);
    if (it == end) return std::nullopt;  // the common case: a new key, no database read at all
    if (!key_row_) {
      key_row_ = std::make_unique<SQLite::Statement>(
          db_,
          "SELECT idempotency_scope, idempotency_key, request_hash, id FROM responses "
          "WHERE id=? AND idempotency_key IS NOT NULL");
    }
    auto& q = *key_row_;
    while (it != end) {
      q.reset();
      q.bind(1, it->second);
      if (!q.executeStep()) {
        it = keys_.rows.erase(it);
        continue;
      }
      if (q.getColumn(0).getString() == s.idempotency_scope && q.getColumn(1).getString() == s.idempotency_key) {
        std::pair<std::string, int64_t> found{q.getColumn(2).getString(), q.getColumn(3).getInt64()};
        q.reset();
        return found;
      }
      ++it;
    }
    q.reset();
    return std::nullopt;
  }

  void forget_key(uint64_t fingerprint, int64_t row) {
    auto [it, end] = keys_.rows.equal_range(fingerprint);
    for (; it != end; ++it) {
      if (it->second == row) {
        keys_.rows.erase(it);
        return;
      }
    }
  }

  void note_key_second(const std::string& created_at, int64_t row) {
    // A clock stepping back joins the later second, so `seconds` stays in both orders.
    if (!keys_.seconds.empty() && keys_.seconds.back().first >= created_at) {
      keys_.seconds.back().second = row;
    } else {
      keys_.seconds.emplace_back(created_at, row);
    }
  }

  // Adds the keys of the responses after keys_.last_row to the index: all those within the
  // retention window at open, later the few that another connection (e.g. a CLI import) wrote
  // since our last batch.
  void load_new_keys_locked() {
    if (!new_keys_) {
      new_keys_ = std::make_unique<SQLite::Statement>(
          db_,
          "SELECT id, idempotency_scope, idempotency_key, created_at FROM responses "
          "WHERE id > ? AND idempotency_key IS NOT NULL ORDER BY id");
    }
    auto& q = *new_keys_;
    q.reset();
    q.bind(1, keys_.last_row);
    while (q.executeStep()) {
      const int64_t row = q.getColumn(0).getInt64();
      fingerprint_buf_.assign(static_cast<const char*>(q.getColumn(1).getBlob()),
                              static_cast<size_t>(q.getColumn(1).getBytes()));
      fingerprint_buf_.push_back('\n');
      fingerprint_buf_.append(static_cast<const char*>(q.getColumn(2).getBlob()),
                              static_cast<size_t>(q.getColumn(2).getBytes()));
      keys_.rows.emplace(siphash24(keys_.sip, fingerprint_buf_), row);
      keys_.last_row = row;
      const char* created = static_cast<const char*>(q.getColumn(3).getBlob());
      const size_t created_len = static_cast<size_t>(q.getColumn(3).getBytes());
      if (keys_.seconds.empty() || keys_.seconds.back().first.compare(0, std::string::npos, created, created_len) < 0) {
        keys_.seconds.emplace_back(std::string(created, created_len), row);
      } else {
        keys_.seconds.back().second = row;
      }
    }
    q.reset();
  }

  // Clears the keys older than the retention window from their responses and from the index: at
  // open, then at most once an hour before a batch. Only the rows indexed since the last pruning
  // are visited.
  void prune_keys_locked(bool now) {
    if (keys_.retention_days <= 0 || keys_.seconds.empty()) return;
    const auto t = std::chrono::steady_clock::now();
    if (!now && t - keys_.last_prune < std::chrono::hours(1)) return;
    keys_.last_prune = t;
    const std::string cutoff = created_at_days_ago(keys_.retention_days);
    int64_t upto = 0;
    for (const auto& [created, row] : keys_.seconds) {
      if (created >= cutoff) break;
      upto = row;
    }
    if (upto <= keys_.pruned_upto) return;
    {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      SQLite::Statement clear(db_,
                              "UPDATE responses SET idempotency_scope=NULL, idempotency_key=NULL, request_hash=NULL "
                              "WHERE id > ? AND id <= ? AND idempotency_key IS NOT NULL");
      clear.bind(1, keys_.pruned_upto);
      clear.bind(2, upto);
      clear.exec();
      tx.commit();
    }
    keys_.pruned_upto = upto;
    while (!keys_.seconds.empty() && keys_.seconds.front().second <= upto) keys_.seconds.pop_front();
    for (auto it = keys_.rows.begin(); it != keys_.rows.end();) {
      it = it->second <= upto ? keys_.rows.erase(it) : std::next(it);
    }
  }

  AuditEntry append_audit_locked(const AuditEvent& event) {
    int64_t seq = 1;
    std::string prev = kAuditGenesisHash;
    if (version_ >= 2) {
      SQLite::Statement h(db_, "SELECT seq, hash FROM audit_head WHERE singleton=1");
      if (h.executeStep() && h.getColumn(0).getInt64() > 0) {
        seq = h.getColumn(0).getInt64() + 1;
        prev = h.getColumn(1).getString();
      }
    } else {
      SQLite::Statement h(db_, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
      if (h.executeStep()) {
        seq = h.getColumn(0).getInt64() + 1;
        prev = h.getColumn(1).getString();
      }
    }
    AuditEntry e;
    e.seq = seq;
    e.at = now_rfc3339_utc();
    e.event = event;
    e.prev_hash = prev;
    e.hash = audit_hash(prev, seq, e.at, event);
    if (sealing_with_key_) e.seal = audit_key_->seal(audit_seal_text(seq, e.hash));
    const bool sealed_schema = version_ >= kSealedAuditVersion;
    SQLite::Statement ins(db_, sealed_schema
                                   ? "INSERT INTO audit_log(seq, at, actor, action, subject_kind, subject_id, detail, "
                                     "prev_hash, hash, seal) VALUES (?,?,?,?,?,?,?,?,?,?)"
                                   : "INSERT INTO audit_log(seq, at, actor, action, subject_kind, subject_id, detail, "
                                     "prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)");
    ins.bind(1, e.seq);
    ins.bind(2, e.at);
    ins.bind(3, event.actor);
    ins.bind(4, event.action);
    ins.bind(5, event.subject_kind);
    ins.bind(6, event.subject_id);
    ins.bind(7, event.detail.dump());
    ins.bind(8, e.prev_hash);
    ins.bind(9, e.hash);
    if (sealed_schema) {
      if (e.seal.empty()) ins.bind(10);
      else ins.bind(10, e.seal);
    }
    ins.exec();
    if (sealing_with_key_ && !head_mark_frozen_) {
      // The mark must name an entry of this very chain before it may move on. If it names an
      // entry this log no longer has (or has with another hash), entries were cut off or rewritten:
      // the mark is the evidence, and it stays where it is.
      auto mark = audit_key_->read_head_mark();
      if (mark && *mark) {
        const AuditHeadMark& m = **mark;
        bool in_chain = m.sealed_from == sealing_->sealed_from && m.seq < seq;
        if (in_chain && m.seq >= 1) {
          SQLite::Statement q(db_, "SELECT hash FROM audit_log WHERE seq=?");
          q.bind(1, m.seq);
          in_chain = q.executeStep() && q.getColumn(0).getString() == m.hash;
        }
        if (!in_chain) head_mark_frozen_ = true;
      }
      // Recorded once the transaction commits (on_wal_commit), never for one that rolls back.
      if (!head_mark_frozen_) pending_mark_ = AuditHeadMark{sealing_->sealed_from, seq, e.hash};
    }
    if (version_ >= 2) {
      SQLite::Statement up(db_, "UPDATE audit_head SET seq=?, hash=? WHERE singleton=1");
      up.bind(1, e.seq);
      up.bind(2, e.hash);
      up.exec();
    }
    return e;
  }

  std::vector<AuditEntry> read_audit_locked() {
    std::vector<AuditEntry> out;
    const bool sealed_schema = version_ >= kSealedAuditVersion;
    SQLite::Statement q(db_, sealed_schema
                                 ? "SELECT seq, at, actor, action, subject_kind, subject_id, detail, prev_hash, hash, "
                                   "seal FROM audit_log ORDER BY seq"
                                 : "SELECT seq, at, actor, action, subject_kind, subject_id, detail, prev_hash, hash "
                                   "FROM audit_log ORDER BY seq");
    while (q.executeStep()) {
      AuditEntry e;
      e.seq = q.getColumn(0).getInt64();
      e.at = q.getColumn(1).getString();
      e.event.actor = q.getColumn(2).getString();
      e.event.action = q.getColumn(3).getString();
      e.event.subject_kind = q.getColumn(4).getString();
      e.event.subject_id = q.getColumn(5).getString();
      // An edited row may hold anything; the chain check reports it, so it is read, not thrown.
      try {
        e.event.detail = parse_stored_json(q.getColumn(6).getString(), "audit detail");
      } catch (const std::exception&) {
        e.event.detail = nlohmann::json(q.getColumn(6).getString());
      }
      e.prev_hash = q.getColumn(7).getString();
      e.hash = q.getColumn(8).getString();
      if (sealed_schema && !q.getColumn(9).isNull()) e.seal = q.getColumn(9).getString();
      out.push_back(std::move(e));
    }
    return out;
  }

  std::optional<AuditSealing> read_sealing_locked() {
    SQLite::Statement q(db_, "SELECT public_key, sealed_from, sealed_at, seal FROM audit_sealing WHERE singleton=1");
    if (!q.executeStep()) return std::nullopt;
    return AuditSealing{q.getColumn(0).getString(), q.getColumn(1).getInt64(), q.getColumn(2).getString(),
                        q.getColumn(3).getString()};
  }

  // Seals the log from its next entry on with audit_key_, and starts the key's head mark at the
  // current head. Another process may have sealed it a moment ago; then its record is taken.
  void seal_log_locked() {
    int64_t head_seq = 0;
    std::string head_hash;
    {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      sealing_ = read_sealing_locked();
      if (sealing_) return;
      SQLite::Statement h(db_, "SELECT seq, hash FROM audit_head WHERE singleton=1");
      if (h.executeStep()) {
        head_seq = h.getColumn(0).getInt64();
        head_hash = h.getColumn(1).getString();
      }
      AuditSealing s{audit_key_->public_key(), head_seq + 1, now_rfc3339_utc(), ""};
      s.seal = audit_key_->seal(audit_sealing_text(s));
      SQLite::Statement ins(db_,
                            "INSERT INTO audit_sealing(singleton, public_key, sealed_from, sealed_at, seal) "
                            "VALUES (1,?,?,?,?)");
      ins.bind(1, s.public_key);
      ins.bind(2, s.sealed_from);
      ins.bind(3, s.sealed_at);
      ins.bind(4, s.seal);
      ins.exec();
      tx.commit();
      sealing_ = s;
    }
    // A failure here leaves the log without a head mark; verify_audit() then says so.
    (void)audit_key_->advance_head_mark(AuditHeadMark{sealing_->sealed_from, head_seq, head_hash});
  }

  // Called by SQLite after every commit on db_ with the number of frames in the WAL.
  static int on_wal_commit(void* self, sqlite3* db, const char*, int frames) {
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

  static void on_rollback(void* self) { static_cast<SqliteStore*>(self)->pending_mark_.reset(); }

  // A second connection that copies committed WAL frames into the database file, so that the WAL
  // file restarts from its beginning (see checkpoint_and_restart).
  void checkpoint_loop(const std::string& path, SqliteOptions options) {
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
  int checkpoint_and_restart(sqlite3* conn) {
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

  // Inside the store (with mu_ held), errors also look at the connection's files (see store_error).
  Error io_error(const std::string& what, const std::exception& e) { return store_error(what, e, db_.getHandle()); }

  // The copy of the WAL's last kTailFrames pauses the writer (once per checkpoint_frames_).
  static constexpr int kTailFrames = 256;
  static constexpr int kMaxUnlockedPasses = 4;
  static constexpr int kMaxWalFrames = 262144;

  std::mutex mu_;
  SQLite::Database db_;
  const bool read_only_;
  int version_ = 0;
  // The audit seal (see init_audit).
  std::string audit_key_path_;
  std::shared_ptr<const AuditKey> audit_key_;
  std::string audit_key_unavailable_;  // why audit_key_ is null, or why it does not seal
  std::optional<AuditSealing> sealing_;
  bool sealing_with_key_ = false;      // new entries are sealed with audit_key_
  bool head_mark_frozen_ = false;      // the head mark names an entry this log lacks: keep it
  std::optional<AuditHeadMark> pending_mark_;  // to record when the current transaction commits
  std::mutex ckpt_mu_;
  std::condition_variable ckpt_cv_;
  bool ckpt_wanted_ = false;
  bool ckpt_stop_ = false;
  std::atomic<int> wal_frames_{0};  // frames in the WAL after the last commit on db_
  int checkpoint_frames_ = 32768;    // SqliteOptions::wal_checkpoint_frames
  std::thread checkpointer_;
  std::unique_ptr<SQLite::Statement> insert_response_, insert_key_, find_key_, find_response_, status_of_,
      max_response_id_, key_row_, new_keys_;

  // Recent idempotency keys in memory (schema 10 on, keys in the response rows): the SipHash of
  // scope + "\n" + key (under a key drawn at open, so clients cannot aim at one bucket) -> the
  // response holding it. A fingerprint match is confirmed against the row, so a collision costs
  // one more row read, never a wrong answer; a row whose key was cleared (pruned by another
  // connection) drops the entry.
  struct KeyIndex {
    bool enabled = false;
    SipKey sip;
    std::unordered_multimap<uint64_t, int64_t> rows;
    // (created_at, the last row written in that second), in row order: where pruning cuts.
    std::deque<std::pair<std::string, int64_t>> seconds;
    int64_t last_row = 0;     // the largest response id read or written
    int64_t pruned_upto = 0;  // keys of responses up to this id are cleared or were never indexed
    int retention_days = 7;
    std::chrono::steady_clock::time_point last_prune;
  } keys_;
  std::vector<std::pair<uint64_t, int64_t>> batch_keys_;  // index entries added by the current batch
  std::string fingerprint_buf_;
};

}  // namespace

int sqlite_latest_schema_version() { return static_cast<int>(migrations().size()); }

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
  std::unique_ptr<SqliteStore> store;
  try {
    store = std::make_unique<SqliteStore>(path, options, *kind == DatabaseFileKind::kMissing);
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
