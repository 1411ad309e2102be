// AuditLog over PostgreSQL: the hash-chained audit_log with its head (audit_head) and the seal of
// the audit key (audit_sealing). Every audited write of the other capabilities appends its entry
// through append_audit_locked inside its own transaction, after locking the head row: writers on
// any number of connections and servers append one after another, never beside each other.
#include "database.h"
#include "townhall/util/json_parse.h"

namespace townhall::postgres {

Result<AuditEntry> PgStore::append_audit(const AuditEvent& event) {
  return write("cannot append to the audit log", [&](Tx& tx) -> Result<AuditEntry> {
    return append_audit_locked(tx, event);
  });
}

Result<std::vector<AuditEntry>> PgStore::audit_entries() {
  return read("cannot read the audit log", [&](Tx& tx) -> Result<std::vector<AuditEntry>> {
    return read_audit_locked(tx);
  }, true);
}

Result<AuditVerification> PgStore::verify_audit() {
  AuditKeyView key;
  key.key = audit_key_.get();
  key.unavailable = audit_key_unavailable_;
  // The head mark first: it moves only after a commit, so the snapshot below reaches it.
  if (audit_key_) key.head_mark = audit_key_->read_head_mark();
  return read("cannot read the audit log", [&](Tx& tx) -> Result<AuditVerification> {
    auto entries = read_audit_locked(tx);
    auto h = tx.exec("SELECT seq, hash FROM audit_head WHERE singleton=1");
    if (h.empty()) {
      AuditVerification v;
      v.state = AuditState::kBroken;
      v.ok = false;
      v.first_bad_seq = 1;
      v.problem = "the audit log's head record is missing";
      return v;
    }
    return verify_audit_log(entries, h.i64(0, 0), h.str(0, 1), read_sealing_locked(tx), key);
  }, true);
}

// At open, after the migrations: loads the audit key named by the options (making one when the
// log has never been sealed and the options allow it) and, on a writable store whose log is not
// sealed yet, seals it from its next entry on. Without a key the log is written unsealed and
// verify_audit() says why.
Status PgStore::init_audit() {
  if (options_.audit_key_file.empty()) {
    audit_key_unavailable_ = "no audit key file was given for this PostgreSQL database";
    return Status::Ok();
  }
  const std::string& path = options_.audit_key_file;
  try {
    sealing_ = read("cannot read the audit seal", [&](Tx& tx) -> Result<std::optional<AuditSealing>> {
      return read_sealing_locked(tx);
    }).value();
    auto choice = choose_audit_key(path, !options_.read_only && options_.create_audit_key, !options_.read_only,
                                   sealing_.has_value());
    audit_key_unavailable_ = choice.unavailable;
    if (!choice.key) return Status::Ok();
    audit_key_ = choice.key;
    if (options_.read_only) return Status::Ok();
    if (!sealing_) {
      if (!choice.seal_now) return Status::Ok();
      seal_log();
    }
    sealing_with_key_ = sealing_ && sealing_->public_key == audit_key_->public_key();
  } catch (const std::exception& e) {
    return store_error("cannot set up the audit log's seal", e);
  }
  return Status::Ok();
}

AuditEntry PgStore::append_audit_locked(Tx& tx, const AuditEvent& event) {
  // The lock on the head row is held until this transaction ends: the next writer reads the
  // head this one leaves.
  auto h = tx.exec("SELECT seq, hash FROM audit_head WHERE singleton=1 FOR UPDATE");
  if (h.empty()) throw std::runtime_error("the audit log's head record is missing");
  int64_t seq = 1;
  std::string prev = kAuditGenesisHash;
  if (h.i64(0, 0) > 0) {
    seq = h.i64(0, 0) + 1;
    prev = h.str(0, 1);
  }
  AuditEntry e;
  e.seq = seq;
  e.at = now_rfc3339_utc();
  e.event = event;
  e.prev_hash = prev;
  e.hash = audit_hash(prev, seq, e.at, event);
  if (sealing_with_key_) e.seal = audit_key_->seal(audit_seal_text(seq, e.hash));
  tx.exec("INSERT INTO audit_log(seq, at, actor, action, subject_kind, subject_id, detail, prev_hash, hash, seal) "
          "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)",
          {e.seq, e.at, event.actor, event.action, event.subject_kind, event.subject_id, event.detail.dump(),
           e.prev_hash, e.hash, e.seal.empty() ? pq::Param(nullptr) : pq::Param(e.seal)});
  if (sealing_with_key_ && !head_mark_frozen_) {
    // The mark must name an entry of this very chain before it may move on; if it names one this
    // log lacks (or has with another hash), entries were cut off or rewritten, and it stays.
    auto mark = audit_key_->read_head_mark();
    if (mark && *mark) {
      const AuditHeadMark& m = **mark;
      bool in_chain = m.sealed_from == sealing_->sealed_from && m.seq < seq;
      if (in_chain && m.seq >= 1) {
        auto q = tx.exec("SELECT hash FROM audit_log WHERE seq=$1", {m.seq});
        in_chain = !q.empty() && q.str(0, 0) == m.hash;
      }
      if (!in_chain) head_mark_frozen_ = true;
    }
    if (!head_mark_frozen_) tx.mark = AuditHeadMark{sealing_->sealed_from, seq, e.hash};
  }
  tx.exec("UPDATE audit_head SET seq=$1, hash=$2 WHERE singleton=1", {e.seq, e.hash});
  return e;
}

std::vector<AuditEntry> PgStore::read_audit_locked(Tx& tx) {
  std::vector<AuditEntry> out;
  auto q = tx.exec(
      "SELECT seq, at, actor, action, subject_kind, subject_id, detail, prev_hash, hash, seal FROM audit_log "
      "ORDER BY seq");
  out.reserve(static_cast<size_t>(q.size()));
  for (int i = 0; i < q.size(); ++i) {
    AuditEntry e;
    e.seq = q.i64(i, 0);
    e.at = q.str(i, 1);
    e.event.actor = q.str(i, 2);
    e.event.action = q.str(i, 3);
    e.event.subject_kind = q.str(i, 4);
    e.event.subject_id = q.str(i, 5);
    // An edited row may hold anything; the chain check reports it, so it is read, not thrown.
    try {
      e.event.detail = parse_stored_json(q.str(i, 6), "audit detail");
    } catch (const std::exception&) {
      e.event.detail = nlohmann::json(q.str(i, 6));
    }
    e.prev_hash = q.str(i, 7);
    e.hash = q.str(i, 8);
    if (!q.null(i, 9)) e.seal = q.str(i, 9);
    out.push_back(std::move(e));
  }
  return out;
}

std::optional<AuditSealing> PgStore::read_sealing_locked(Tx& tx) {
  auto q = tx.exec("SELECT public_key, sealed_from, sealed_at, seal FROM audit_sealing WHERE singleton=1");
  if (q.empty()) return std::nullopt;
  return AuditSealing{q.str(0, 0), q.i64(0, 1), q.str(0, 2), q.str(0, 3)};
}

// Seals the log from its next entry on with audit_key_, and starts the key's head mark at the
// current head. Another server may have sealed it a moment ago; then its record is taken.
void PgStore::seal_log() {
  int64_t head_seq = 0;
  std::string head_hash;
  auto done = write("cannot seal the audit log", [&](Tx& tx) -> Status {
    auto h = tx.exec("SELECT seq, hash FROM audit_head WHERE singleton=1 FOR UPDATE");
    sealing_ = read_sealing_locked(tx);
    if (sealing_) return Status::Ok();
    if (!h.empty()) {
      head_seq = h.i64(0, 0);
      head_hash = h.str(0, 1);
    }
    AuditSealing s{audit_key_->public_key(), head_seq + 1, now_rfc3339_utc(), ""};
    s.seal = audit_key_->seal(audit_sealing_text(s));
    tx.exec("INSERT INTO audit_sealing(singleton, public_key, sealed_from, sealed_at, seal) VALUES (1,$1,$2,$3,$4)",
            {s.public_key, s.sealed_from, s.sealed_at, s.seal});
    sealing_ = s;
    return Status::Ok();
  });
  if (!done) throw std::runtime_error(done.error().describe());
  // A failure here leaves the log without a head mark; verify_audit() then says so.
  (void)audit_key_->advance_head_mark(AuditHeadMark{sealing_->sealed_from, head_seq, head_hash});
}

}  // namespace townhall::postgres
