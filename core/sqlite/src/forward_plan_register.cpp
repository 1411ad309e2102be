// ForwardPlanRegisterStore over SQLite: key decisions in key_decisions, the other records in
// forward_plan_records (migration 16), changed and checked in one IMMEDIATE transaction.
#include "database.h"
#include "townhall/util/json_parse.h"

namespace townhall::sqlite {
namespace {

std::vector<RegisterRecord> read_register_locked(SQLite::Database& db) {
  std::vector<RegisterRecord> out;
  SQLite::Statement decisions(db, "SELECT id, document FROM key_decisions ORDER BY id");
  while (decisions.executeStep()) {
    out.push_back({RecordKind::kKeyDecision, decisions.getColumn(0).getString(),
                   parse_stored_json(decisions.getColumn(1).getString())});
  }
  for (RecordKind kind : {RecordKind::kMeeting, RecordKind::kUrgencyReport, RecordKind::kScrutinyReferral}) {
    SQLite::Statement q(db, "SELECT id, document FROM forward_plan_records WHERE kind=? ORDER BY id");
    q.bind(1, record_kind_id(kind));
    while (q.executeStep()) {
      out.push_back({kind, q.getColumn(0).getString(), parse_stored_json(q.getColumn(1).getString())});
    }
  }
  return out;
}

// Applies one change to the table and to `records` (the register as it will be).
Status apply_register_change_locked(SQLite::Database& db, const RegisterChange& change, std::vector<RegisterRecord>& records) {
  const bool decision = change.kind == RecordKind::kKeyDecision;
  if (!change.document) {
    SQLite::Statement q(db, decision ? "DELETE FROM key_decisions WHERE id=?"
                                     : "DELETE FROM forward_plan_records WHERE id=? AND kind=?");
    q.bind(1, change.id);
    if (!decision) q.bind(2, record_kind_id(change.kind));
    if (q.exec() == 0) return Error{ErrorCode::kNotFound, "id", std::string("no ") + record_kind_id(change.kind) + " \"" + change.id + "\""};
    std::erase_if(records, [&](const RegisterRecord& r) { return r.kind == change.kind && r.id == change.id; });
    return Status::Ok();
  }
  SQLite::Statement q(db, decision
                              ? "INSERT INTO key_decisions(id, document, updated_at) VALUES (?,?,?) ON CONFLICT(id) DO "
                                "UPDATE SET document=excluded.document, updated_at=excluded.updated_at"
                              : "INSERT INTO forward_plan_records(id, document, updated_at, kind) VALUES (?,?,?,?) ON "
                                "CONFLICT(kind, id) DO UPDATE SET document=excluded.document, updated_at=excluded.updated_at");
  q.bind(1, change.id);
  q.bind(2, change.document->dump());
  q.bind(3, now_rfc3339_utc());
  if (!decision) q.bind(4, record_kind_id(change.kind));
  q.exec();
  for (auto& r : records) {
    if (r.kind == change.kind && r.id == change.id) {
      r.document = *change.document;
      return Status::Ok();
    }
  }
  // Kept in the order register_records() reads: by kind, then id.
  auto at = records.begin();
  while (at != records.end() && (at->kind < change.kind || (at->kind == change.kind && at->id < change.id))) ++at;
  records.insert(at, RegisterRecord{change.kind, change.id, *change.document});
  return Status::Ok();
}

}  // namespace

Result<std::vector<RegisterRecord>> SqliteStore::register_records() {
  return read("cannot read the Forward Plan register", [&]() -> Result<std::vector<RegisterRecord>> {
    SQLite::Transaction snapshot(db_, SQLite::TransactionBehavior::DEFERRED);
    return read_register_locked(db_);
  });
}

Status SqliteStore::change_register(const std::vector<RegisterChange>& changes, const RegisterCheck& check,
                                    const AuditEvent& audit) {
  return write("cannot change the Forward Plan register", [&]() -> Status {
    std::vector<RegisterRecord> records = read_register_locked(db_);
    for (const auto& change : changes) {
      if (auto st = apply_register_change_locked(db_, change, records); !st) return st;
    }
    if (auto st = check(records); !st) return st;
    append_audit_locked(audit);
    return Status::Ok();
  });
}

}  // namespace townhall::sqlite
