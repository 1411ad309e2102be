// ForwardPlanRegisterStore over PostgreSQL: key decisions in key_decisions, the other records in
// forward_plan_records (migration 2), changed and checked in one transaction that holds the
// register's advisory lock, so servers sharing the database change it one at a time.
#include "database.h"
#include "townhall/util/json_parse.h"

namespace townhall::postgres {
namespace {

// "register" in ASCII: the key of the advisory lock that serialises changes of the register.
constexpr const char* kRegisterLock = "SELECT pg_advisory_xact_lock(8243114418939408242)";

std::vector<RegisterRecord> read_register_rows(Tx& tx) {
  std::vector<RegisterRecord> out;
  auto decisions = tx.exec("SELECT id, document FROM key_decisions ORDER BY id");
  for (int i = 0; i < decisions.size(); ++i) {
    out.push_back({RecordKind::kKeyDecision, decisions.str(i, 0), parse_stored_json(decisions.str(i, 1))});
  }
  for (RecordKind kind : {RecordKind::kMeeting, RecordKind::kUrgencyReport, RecordKind::kScrutinyReferral}) {
    auto q = tx.exec("SELECT id, document FROM forward_plan_records WHERE kind=$1 ORDER BY id", {record_kind_id(kind)});
    for (int i = 0; i < q.size(); ++i) out.push_back({kind, q.str(i, 0), parse_stored_json(q.str(i, 1))});
  }
  return out;
}

Status apply_register_change_rows(Tx& tx, const RegisterChange& change, std::vector<RegisterRecord>& records) {
  const bool decision = change.kind == RecordKind::kKeyDecision;
  if (!change.document) {
    auto gone = decision ? tx.exec("DELETE FROM key_decisions WHERE id=$1 RETURNING id", {change.id})
                         : tx.exec("DELETE FROM forward_plan_records WHERE id=$1 AND kind=$2 RETURNING id",
                                   {change.id, record_kind_id(change.kind)});
    if (gone.empty()) {
      return Error{ErrorCode::kNotFound, "id", std::string("no ") + record_kind_id(change.kind) + " \"" + change.id + "\""};
    }
    std::erase_if(records, [&](const RegisterRecord& r) { return r.kind == change.kind && r.id == change.id; });
    return Status::Ok();
  }
  if (decision) {
    tx.exec("INSERT INTO key_decisions(id, document, updated_at) VALUES ($1,$2,$3) "
            "ON CONFLICT(id) DO UPDATE SET document=excluded.document, updated_at=excluded.updated_at",
            {change.id, change.document->dump(), now_rfc3339_utc()});
  } else {
    tx.exec("INSERT INTO forward_plan_records(kind, id, document, updated_at) VALUES ($1,$2,$3,$4) "
            "ON CONFLICT(kind, id) DO UPDATE SET document=excluded.document, updated_at=excluded.updated_at",
            {record_kind_id(change.kind), change.id, change.document->dump(), now_rfc3339_utc()});
  }
  for (auto& r : records) {
    if (r.kind == change.kind && r.id == change.id) {
      r.document = *change.document;
      return Status::Ok();
    }
  }
  auto at = records.begin();
  while (at != records.end() && (at->kind < change.kind || (at->kind == change.kind && at->id < change.id))) ++at;
  records.insert(at, RegisterRecord{change.kind, change.id, *change.document});
  return Status::Ok();
}

}  // namespace

Result<std::vector<RegisterRecord>> PgStore::register_records() {
  return read("cannot read the Forward Plan register",
              [&](Tx& tx) -> Result<std::vector<RegisterRecord>> { return read_register_rows(tx); }, true);
}

Status PgStore::change_register(const std::vector<RegisterChange>& changes, const RegisterCheck& check,
                                const AuditEvent& audit) {
  return write("cannot change the Forward Plan register", [&](Tx& tx) -> Status {
    tx.exec(kRegisterLock);
    std::vector<RegisterRecord> records = read_register_rows(tx);
    for (const auto& change : changes) {
      if (auto st = apply_register_change_rows(tx, change, records); !st) return st;
    }
    if (auto st = check(records); !st) return st;
    append_audit_locked(tx, audit);
    return Status::Ok();
  });
}

}  // namespace townhall::postgres
