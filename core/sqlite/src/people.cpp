// PeopleStore over SQLite: personal data (people) and equality data (equality_data), apart from
// the responses that refer to them.
#include "database.h"
#include "panel_tables.h"
#include "townhall/util/json_parse.h"

namespace townhall::sqlite {

Result<int64_t> SqliteStore::add_person(const nlohmann::json& personal_data) {
  return write("cannot add person", [&]() -> Result<int64_t> {
    SQLite::Statement q(db_, "INSERT INTO people(data, created_at) VALUES (?, ?)");
    q.bind(1, personal_data.dump());
    q.bind(2, now_rfc3339_utc());
    q.exec();
    return db_.getLastInsertRowid();
  });
}

Status SqliteStore::set_equality_data(int64_t person_id, const nlohmann::json& answers) {
  return write(
      "cannot store equality data",
      [&]() -> Status {
        SQLite::Statement q(db_,
                            "INSERT INTO equality_data(person_id, answers, updated_at) VALUES (?,?,?) "
                            "ON CONFLICT(person_id) DO UPDATE SET answers=excluded.answers, "
                            "updated_at=excluded.updated_at");
        q.bind(1, person_id);
        q.bind(2, answers.dump());
        q.bind(3, now_rfc3339_utc());
        q.exec();
        return Status::Ok();
      },
      on_constraint(not_found("person", std::to_string(person_id))));
}

Status SqliteStore::update_person(int64_t person_id, const nlohmann::json& personal_data, const AuditEvent& audit) {
  return write("cannot update person", [&]() -> Status {
    SQLite::Statement q(db_, "UPDATE people SET data=? WHERE id=?");
    q.bind(1, personal_data.dump());
    q.bind(2, person_id);
    if (q.exec() == 0) return not_found("person", std::to_string(person_id));
    panel_tables::email_changed(db_, person_id, personal_data);
    append_audit_locked(audit);
    return Status::Ok();
  });
}

Result<PersonRecord> SqliteStore::get_person(int64_t person_id) {
  return read("cannot read person", [&]() -> Result<PersonRecord> {
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
  });
}

Status SqliteStore::erase_person(int64_t person_id, const AuditEvent& audit) {
  return write("cannot erase person", [&]() -> Status {
    if (auto member = panel_tables::member_where(db_, "person_id", person_id)) {
      // A Citizens' Panel member: their facts, invitations and sign-in go with them.
      panel::Erasure e = panel_tables::erase(db_, *member);
      AuditEvent ev = audit;
      ev.subject_id = std::to_string(person_id);
      ev.detail["panel"] = e.to_json();
      append_audit_locked(ev);
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
    return Status::Ok();
  });
}


}  // namespace townhall::sqlite
