// PeopleStore over PostgreSQL: personal data (people) and equality data (equality_data), apart
// from the responses that refer to them.
#include "panel_tables.h"
#include "townhall/util/json_parse.h"

namespace townhall::postgres {

Result<int64_t> PgStore::add_person(const nlohmann::json& personal_data) {
  return write("cannot add person", [&](Tx& tx) -> Result<int64_t> {
    return tx.exec("INSERT INTO people(data, created_at) VALUES ($1, $2) RETURNING id",
                   {personal_data.dump(), now_rfc3339_utc()})
        .i64(0, 0);
  });
}

Status PgStore::set_equality_data(int64_t person_id, const nlohmann::json& answers) {
  return write(
      "cannot store equality data",
      [&](Tx& tx) -> Status {
        tx.exec("INSERT INTO equality_data(person_id, answers, updated_at) VALUES ($1,$2,$3) "
                "ON CONFLICT(person_id) DO UPDATE SET answers=excluded.answers, updated_at=excluded.updated_at",
                {person_id, answers.dump(), now_rfc3339_utc()});
        return Status::Ok();
      },
      on_integrity(not_found("person", std::to_string(person_id))));
}

Status PgStore::update_person(int64_t person_id, const nlohmann::json& personal_data, const AuditEvent& audit) {
  return write("cannot update person", [&](Tx& tx) -> Status {
    if (tx.exec("UPDATE people SET data=$1 WHERE id=$2", {personal_data.dump(), person_id}).affected() == 0) {
      return not_found("person", std::to_string(person_id));
    }
    panel_tables::email_changed(tx, person_id, personal_data);
    append_audit_locked(tx, audit);
    return Status::Ok();
  });
}

Result<PersonRecord> PgStore::get_person(int64_t person_id) {
  return read("cannot read person", [&](Tx& tx) -> Result<PersonRecord> {
    auto q = tx.exec("SELECT data, created_at FROM people WHERE id=$1", {person_id});
    if (q.empty()) return not_found("person", std::to_string(person_id));
    PersonRecord p;
    p.id = person_id;
    p.personal_data = parse_stored_json(q.str(0, 0));
    p.created_at = q.str(0, 1);
    auto e = tx.exec("SELECT answers FROM equality_data WHERE person_id=$1", {person_id});
    if (!e.empty()) p.equality_data = parse_stored_json(e.str(0, 0));
    p.responses = tx.exec("SELECT COUNT(*) FROM responses WHERE person_id=$1", {person_id}).i64(0, 0);
    return p;
  }, true);
}

Status PgStore::erase_person(int64_t person_id, const AuditEvent& audit) {
  return write("cannot erase person", [&](Tx& tx) -> Status {
    if (auto member = panel_tables::member_where(tx, "person_id", person_id, true)) {
      // A Citizens' Panel member: their facts, invitations and sign-in go with them.
      panel::Erasure e = panel_tables::erase(tx, *member);
      AuditEvent ev = audit;
      ev.subject_id = std::to_string(person_id);
      ev.detail["panel"] = e.to_json();
      append_audit_locked(tx, ev);
      return Status::Ok();
    }
    tx.exec("UPDATE responses SET person_id=NULL WHERE person_id=$1", {person_id});
    tx.exec("DELETE FROM equality_data WHERE person_id=$1", {person_id});
    if (tx.exec("DELETE FROM people WHERE id=$1", {person_id}).affected() == 0) {
      return not_found("person", std::to_string(person_id));
    }
    AuditEvent ev = audit;
    ev.subject_id = std::to_string(person_id);
    append_audit_locked(tx, ev);
    return Status::Ok();
  });
}

}  // namespace townhall::postgres
