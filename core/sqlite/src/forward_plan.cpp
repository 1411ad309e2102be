// ForwardPlanStore over SQLite: key decisions as their JSON documents.
#include "database.h"
#include "townhall/util/json_parse.h"

namespace townhall::sqlite {

Result<nlohmann::json> SqliteStore::put_key_decision(const std::string& id, const nlohmann::json& doc,
                                                     const AuditEvent& audit) {
  return write("cannot store key decision", [&]() -> Result<nlohmann::json> {
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
    return doc;
  });
}

Result<nlohmann::json> SqliteStore::get_key_decision(const std::string& id) {
  return read("cannot read key decision", [&]() -> Result<nlohmann::json> {
    SQLite::Statement q(db_, "SELECT document FROM key_decisions WHERE id=?");
    q.bind(1, id);
    if (!q.executeStep()) return not_found("key decision", id);
    return parse_stored_json(q.getColumn(0).getString());
  });
}

Result<std::vector<nlohmann::json>> SqliteStore::list_key_decisions() {
  return read("cannot list key decisions", [&]() -> Result<std::vector<nlohmann::json>> {
    std::vector<nlohmann::json> out;
    SQLite::Statement q(db_, "SELECT document FROM key_decisions ORDER BY id");
    while (q.executeStep()) out.push_back(parse_stored_json(q.getColumn(0).getString()));
    return out;
  });
}

}  // namespace townhall::sqlite
