// AuditLog over SQLite: the hash-chained audit_log with its head (audit_head) and, from schema 12,
// the seal of the audit key (audit_sealing). Every audited write of the other capabilities appends
// its entry through append_audit_locked, inside its own transaction.
#include "database.h"
#include "townhall/util/json_parse.h"

namespace townhall::sqlite {

// ---- audit -------------------------------------------------------------------------------
Result<AuditEntry> SqliteStore::append_audit(const AuditEvent& event) {
  return write("cannot append to the audit log", [&]() -> Result<AuditEntry> {
    AuditEntry e = append_audit_locked(event);
    return e;
  });
}

Result<std::vector<AuditEntry>> SqliteStore::audit_entries() {
  return read("cannot read the audit log", [&]() -> Result<std::vector<AuditEntry>> {
    return read_audit_locked();
  });
}

Result<AuditVerification> SqliteStore::verify_audit() {
  return read("cannot read the audit log", [&]() -> Result<AuditVerification> {
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
  });
}

// At open, after the migrations: loads the audit key (making one when the log has never been
// sealed and the options allow it) and, on a writable store whose log is not sealed yet, seals
// it from its next entry on. A missing or unusable key never stops the store: entries are then
// written unsealed and verify_audit() says why the log cannot be verified.
Status SqliteStore::init_audit(const SqliteOptions& options, const std::string& path) {
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
    const bool sealable = version_ >= kSealedAuditVersion;
    auto choice = choose_audit_key(audit_key_path_, !read_only_ && options.create_audit_key && sealable,
                                   !read_only_ && sealable, sealing_.has_value());
    audit_key_unavailable_ = choice.unavailable;
    if (!choice.key) return Status::Ok();
    audit_key_ = choice.key;
    if (read_only_ || !sealable) return Status::Ok();
    if (!sealing_) {
      if (!choice.seal_now) return Status::Ok();
      seal_log_locked();
    }
    sealing_with_key_ = sealing_ && sealing_->public_key == audit_key_->public_key();
  } catch (const std::exception& e) {
    return io_error("cannot set up the audit log's seal", e);
  }
  return Status::Ok();
}

AuditEntry SqliteStore::append_audit_locked(const AuditEvent& event) {
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

std::vector<AuditEntry> SqliteStore::read_audit_locked() {
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

std::optional<AuditSealing> SqliteStore::read_sealing_locked() {
  SQLite::Statement q(db_, "SELECT public_key, sealed_from, sealed_at, seal FROM audit_sealing WHERE singleton=1");
  if (!q.executeStep()) return std::nullopt;
  return AuditSealing{q.getColumn(0).getString(), q.getColumn(1).getInt64(), q.getColumn(2).getString(),
                      q.getColumn(3).getString()};
}

// Seals the log from its next entry on with audit_key_, and starts the key's head mark at the
// current head. Another process may have sealed it a moment ago; then its record is taken.
void SqliteStore::seal_log_locked() {
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

}  // namespace townhall::sqlite
