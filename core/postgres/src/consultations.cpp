// ConsultationStore over PostgreSQL: consultations (document plus the indexed columns and the
// wards, topics and questions tables of the hub listing), their translations and meetings. A
// write that depends on a consultation's state locks its row first (FOR UPDATE), so the state it
// checked is the state it writes over.
#include <set>

#include "database.h"
#include "townhall/util/json_parse.h"

namespace townhall::postgres {
namespace {

std::vector<std::string> strings_of(const nlohmann::json& doc, const char* key) {
  std::vector<std::string> out;
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_array()) return out;
  for (const auto& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

pq::Param text_or_null(const std::string& s) { return s.empty() ? pq::Param(nullptr) : pq::Param(s); }

constexpr const char* kRecordColumns = "SELECT id, status, document, version, created_at, updated_at FROM consultations";

ConsultationRecord row_to_record(const pq::Rows& q, int i) {
  ConsultationRecord r;
  r.id = q.str(i, 0);
  r.status = stored_status(q.str(i, 1));
  r.document = parse_stored_json(q.str(i, 2));
  r.version = q.i64(i, 3);
  r.created_at = q.str(i, 4);
  r.updated_at = q.str(i, 5);
  return r;
}

}  // namespace

// Translations.
Result<TranslationRecord> PgStore::put_translation(const std::string& consultation_id, const std::string& lang,
                                                   const nlohmann::json& document, const StatusGuard& only_if,
                                                   const AuditEvent& audit) {
  return write("cannot store translation", [&](Tx& tx) -> Result<TranslationRecord> {
    auto cur = get_locked(tx, consultation_id, true);
    if (!cur) return cur.error();
    if (!only_if.allows(cur->status)) return only_if.refuse(consultation_id, cur->status);
    std::string now = now_rfc3339_utc();
    tx.exec("INSERT INTO consultation_translations(consultation_id, lang, document, updated_at) VALUES ($1,$2,$3,$4) "
            "ON CONFLICT(consultation_id, lang) DO UPDATE SET document=excluded.document, updated_at=excluded.updated_at",
            {consultation_id, lang, document.dump(), now});
    AuditEvent ev = audit;
    ev.subject_id = consultation_id;
    append_audit_locked(tx, ev);
    return TranslationRecord{consultation_id, lang, document, now};
  });
}

Result<TranslationRecord> PgStore::get_translation(const std::string& consultation_id, const std::string& lang) {
  return read("cannot read translation", [&](Tx& tx) -> Result<TranslationRecord> {
    auto cur = get_locked(tx, consultation_id);
    if (!cur) return cur.error();
    auto q = tx.exec("SELECT document, updated_at FROM consultation_translations WHERE consultation_id=$1 AND lang=$2",
                     {consultation_id, lang});
    if (q.empty()) return not_found("translation", consultation_id + "/" + lang);
    return TranslationRecord{consultation_id, lang, parse_stored_json(q.str(0, 0)), q.str(0, 1)};
  });
}

Result<std::vector<TranslationRecord>> PgStore::list_translations(const std::string& consultation_id) {
  return read("cannot list translations", [&](Tx& tx) -> Result<std::vector<TranslationRecord>> {
    auto cur = get_locked(tx, consultation_id);
    if (!cur) return cur.error();
    std::vector<TranslationRecord> out;
    auto q = tx.exec("SELECT lang, document, updated_at FROM consultation_translations WHERE consultation_id=$1 "
                     "ORDER BY lang",
                     {consultation_id});
    for (int i = 0; i < q.size(); ++i) {
      out.push_back(TranslationRecord{consultation_id, q.str(i, 0), parse_stored_json(q.str(i, 1)), q.str(i, 2)});
    }
    return out;
  });
}

Status PgStore::delete_translation(const std::string& consultation_id, const std::string& lang,
                                   const StatusGuard& only_if, const AuditEvent& audit) {
  return write("cannot delete translation", [&](Tx& tx) -> Status {
    auto cur = get_locked(tx, consultation_id, true);
    if (!cur) return cur.error();
    if (!only_if.allows(cur->status)) return only_if.refuse(consultation_id, cur->status);
    auto del = tx.exec("DELETE FROM consultation_translations WHERE consultation_id=$1 AND lang=$2",
                       {consultation_id, lang});
    if (del.affected() == 0) return not_found("translation", consultation_id + "/" + lang);
    AuditEvent ev = audit;
    ev.subject_id = consultation_id;
    append_audit_locked(tx, ev);
    return Status::Ok();
  });
}

// Events and public meetings.
Result<MeetingRecord> PgStore::add_meeting(const std::string& consultation_id, const nlohmann::json& document,
                                           const AuditEvent& audit) {
  return write("cannot add meeting", [&](Tx& tx) -> Result<MeetingRecord> {
    auto cur = get_locked(tx, consultation_id, true);
    if (!cur) return cur.error();
    std::string now = now_rfc3339_utc();
    auto q = tx.exec("INSERT INTO consultation_meetings(consultation_id, starts, document, created_at, updated_at) "
                     "VALUES ($1,$2,$3,$4,$5) RETURNING id",
                     {consultation_id, meeting_starts(document), document.dump(), now, now});
    MeetingRecord m{q.i64(0, 0), consultation_id, document, now, now};
    AuditEvent ev = audit;
    ev.subject_id = consultation_id;
    ev.detail["meeting_id"] = m.id;
    append_audit_locked(tx, ev);
    return m;
  });
}

Result<MeetingRecord> PgStore::update_meeting(const std::string& consultation_id, int64_t meeting_id,
                                              const nlohmann::json& document, const AuditEvent& audit) {
  return write("cannot update meeting", [&](Tx& tx) -> Result<MeetingRecord> {
    auto cur = get_meeting_locked(tx, consultation_id, meeting_id);
    if (!cur) return cur.error();
    std::string now = now_rfc3339_utc();
    tx.exec("UPDATE consultation_meetings SET starts=$1, document=$2, updated_at=$3 WHERE id=$4 AND consultation_id=$5",
            {meeting_starts(document), document.dump(), now, meeting_id, consultation_id});
    AuditEvent ev = audit;
    ev.subject_id = consultation_id;
    ev.detail["meeting_id"] = meeting_id;
    append_audit_locked(tx, ev);
    return MeetingRecord{meeting_id, consultation_id, document, cur->created_at, now};
  });
}

Status PgStore::delete_meeting(const std::string& consultation_id, int64_t meeting_id, const AuditEvent& audit) {
  return write("cannot delete meeting", [&](Tx& tx) -> Status {
    auto cur = get_meeting_locked(tx, consultation_id, meeting_id);
    if (!cur) return cur.error();
    tx.exec("DELETE FROM consultation_meetings WHERE id=$1 AND consultation_id=$2", {meeting_id, consultation_id});
    AuditEvent ev = audit;
    ev.subject_id = consultation_id;
    ev.detail["meeting_id"] = meeting_id;
    append_audit_locked(tx, ev);
    return Status::Ok();
  });
}

Result<MeetingRecord> PgStore::get_meeting(const std::string& consultation_id, int64_t meeting_id) {
  return read("cannot read meeting", [&](Tx& tx) { return get_meeting_locked(tx, consultation_id, meeting_id); });
}

Result<std::vector<MeetingRecord>> PgStore::list_meetings(const std::string& consultation_id) {
  return read("cannot list meetings", [&](Tx& tx) -> Result<std::vector<MeetingRecord>> {
    auto cur = get_locked(tx, consultation_id);
    if (!cur) return cur.error();
    std::vector<MeetingRecord> out;
    auto q = tx.exec("SELECT id, document, created_at, updated_at FROM consultation_meetings "
                     "WHERE consultation_id=$1 ORDER BY starts, id",
                     {consultation_id});
    for (int i = 0; i < q.size(); ++i) {
      out.push_back(MeetingRecord{q.i64(i, 0), consultation_id, parse_stored_json(q.str(i, 1)), q.str(i, 2), q.str(i, 3)});
    }
    return out;
  });
}

// Consultations.
Result<ConsultationRecord> PgStore::create_consultation(const nlohmann::json& document, const AuditEvent& audit) {
  return write("cannot create consultation", [&](Tx& tx) -> Result<ConsultationRecord> {
    const int64_t seq = tx.exec("SELECT nextval('consultations_seq')").i64(0, 0);
    std::string id = "c-" + std::to_string(seq);
    std::string now = now_rfc3339_utc();
    tx.exec("INSERT INTO consultations(id, seq, status, title, summary, opens, closes, document, version, created_at, "
            "updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,1,$9,$10)",
            {id, seq, to_string(ConsultationStatus::kDraft), str_or_empty(document, "title"),
             str_or_empty(document, "summary"), text_or_null(str_or_empty(document, "opens")),
             text_or_null(str_or_empty(document, "closes")), document.dump(), now, now});
    write_children(tx, id, document);
    AuditEvent ev = audit;
    ev.subject_id = id;
    append_audit_locked(tx, ev);
    return ConsultationRecord{id, ConsultationStatus::kDraft, document, 1, now, now};
  });
}

Result<ConsultationRecord> PgStore::get_consultation(const std::string& id) {
  return read("cannot read consultation", [&](Tx& tx) { return get_locked(tx, id); });
}

Result<ConsultationRecord> PgStore::update_consultation(const std::string& id, const nlohmann::json& document,
                                                        int64_t expected_version, const StatusGuard& only_if,
                                                        const AuditEvent& audit) {
  return write("cannot update consultation", [&](Tx& tx) -> Result<ConsultationRecord> {
    auto cur = get_locked(tx, id, true);
    if (!cur) return cur.error();
    if (!only_if.allows(cur->status)) return only_if.refuse(id, cur->status);
    if (expected_version != 0 && expected_version != cur->version) {
      return Error{ErrorCode::kConflict, "/version",
                   "consultation " + id + " has changed (version " + std::to_string(cur->version) +
                       ", you sent " + std::to_string(expected_version) + "); reload and retry"};
    }
    std::string now = now_rfc3339_utc();
    tx.exec("UPDATE consultations SET title=$1, summary=$2, opens=$3, closes=$4, document=$5, version=version+1, "
            "updated_at=$6 WHERE id=$7",
            {str_or_empty(document, "title"), str_or_empty(document, "summary"),
             text_or_null(str_or_empty(document, "opens")), text_or_null(str_or_empty(document, "closes")),
             document.dump(), now, id});
    write_children(tx, id, document);
    AuditEvent ev = audit;
    ev.subject_id = id;
    append_audit_locked(tx, ev);
    return ConsultationRecord{id, cur->status, document, cur->version + 1, cur->created_at, now};
  });
}

Status PgStore::delete_consultation(const std::string& id, const StatusGuard& only_if, const AuditEvent& audit) {
  return write("cannot delete consultation", [&](Tx& tx) -> Status {
    auto cur = get_locked(tx, id, true);
    if (!cur) return cur.error();
    if (!only_if.allows(cur->status)) return only_if.refuse(id, cur->status);
    tx.exec("DELETE FROM consultations WHERE id=$1", {id});
    AuditEvent ev = audit;
    ev.subject_id = id;
    append_audit_locked(tx, ev);
    return Status::Ok();
  });
}

Result<ConsultationRecord> PgStore::transition_consultation(const TransitionRecord& t) {
  return write("cannot change consultation status", [&](Tx& tx) -> Result<ConsultationRecord> {
    auto cur = get_locked(tx, t.consultation_id, true);
    if (!cur) return cur.error();
    if (cur->status != t.from) {
      return Error{ErrorCode::kConflict, "/status",
                   "consultation " + t.consultation_id + " is " + to_string(cur->status) + ", not " + to_string(t.from)};
    }
    if (t.expected_version != 0 && t.expected_version != cur->version) {
      return Error{ErrorCode::kConflict, "/version", "consultation " + t.consultation_id + " has changed; reload and retry"};
    }
    nlohmann::json doc = cur->document;
    if (t.document_patch.is_object()) {
      for (auto it = t.document_patch.begin(); it != t.document_patch.end(); ++it) doc[it.key()] = it.value();
    }
    std::string now = now_rfc3339_utc();
    if (version_ >= kActualDatesVersion) {
      // When it really opened and closed, kept in columns too for reports over many consultations.
      tx.exec("UPDATE consultations SET status=$1, title=$2, summary=$3, opens=$4, closes=$5, document=$6, "
              "version=version+1, updated_at=$7, opened_at=COALESCE($9, opened_at), "
              "closed_at=COALESCE($10, closed_at) WHERE id=$8",
              {to_string(t.to), str_or_empty(doc, "title"), str_or_empty(doc, "summary"),
               text_or_null(str_or_empty(doc, "opens")), text_or_null(str_or_empty(doc, "closes")), doc.dump(), now,
               t.consultation_id, text_or_null(str_or_empty(t.document_patch, "opened_at")),
               text_or_null(str_or_empty(t.document_patch, "closed_at"))});
    } else {
      // A database held at an older schema (PostgresOptions::target_version) has no such columns.
      tx.exec("UPDATE consultations SET status=$1, title=$2, summary=$3, opens=$4, closes=$5, document=$6, "
              "version=version+1, updated_at=$7 WHERE id=$8",
              {to_string(t.to), str_or_empty(doc, "title"), str_or_empty(doc, "summary"),
               text_or_null(str_or_empty(doc, "opens")), text_or_null(str_or_empty(doc, "closes")), doc.dump(), now,
               t.consultation_id});
    }
    for (const auto& ev : t.audit) append_audit_locked(tx, ev);
    return ConsultationRecord{t.consultation_id, t.to, doc, cur->version + 1, cur->created_at, now};
  });
}

Result<ConsultationPage> PgStore::list_consultations(const ConsultationQuery& query) {
  // SQLite's NOCASE folds ASCII only, as lower() does under the "C" collation of these columns.
  static const std::map<std::string, std::string, std::less<>> kSort = {
      {"opens", "c.opens"}, {"closes", "c.closes"}, {"title", "lower(c.title)"}, {"created", "c.seq"}};
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

  std::string where = " WHERE true";
  std::vector<pq::Param> params;
  auto next = [&] { return "$" + std::to_string(params.size() + 1); };
  if (query.statuses && query.statuses->empty()) where += " AND false";
  if (query.statuses && !query.statuses->empty()) {
    where += " AND c.status IN (";
    for (size_t i = 0; i < query.statuses->size(); ++i) {
      where += (i ? "," : "") + next();
      params.emplace_back(to_string((*query.statuses)[i]));
    }
    where += ")";
  }
  if (!query.ward.empty()) {
    where += " AND EXISTS (SELECT 1 FROM consultation_wards w WHERE w.consultation_id=c.id AND w.ward=" + next() + ")";
    params.emplace_back(query.ward);
  }
  if (!query.topic.empty()) {
    where += " AND EXISTS (SELECT 1 FROM consultation_topics t WHERE t.consultation_id=c.id AND t.topic=" + next() + ")";
    params.emplace_back(query.topic);
  }
  if (!query.search.empty()) {
    std::string pattern = "%";
    for (char ch : query.search) {
      if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
      pattern += ch;
    }
    pattern += "%";
    // ILIKE under the "C" collation folds ASCII letters only, as SQLite's LIKE does.
    const std::string p = next();
    where += " AND (c.title ILIKE " + p + " ESCAPE '\\' OR c.summary ILIKE " + p + " ESCAPE '\\')";
    params.emplace_back(pattern);
  }
  return read("cannot list consultations", [&](Tx& tx) -> Result<ConsultationPage> {
    ConsultationPage page;
    page.total = tx.c.exec_v("SELECT COUNT(*) FROM consultations c" + where, params).i64(0, 0);
    // SQLite puts NULLs first going up and last going down; so does this.
    std::string order = sit->second + (desc ? " DESC NULLS LAST" : " ASC NULLS FIRST") + ", c.seq " + (desc ? "DESC" : "ASC");
    auto all = params;
    std::string limit = next();
    all.emplace_back(query.limit);
    std::string offset = "$" + std::to_string(all.size() + 1);
    all.emplace_back(query.offset);
    auto q = tx.c.exec_v("SELECT c.id, c.status, c.document, c.version, c.created_at, c.updated_at FROM consultations c" +
                             where + " ORDER BY " + order + " LIMIT " + limit + " OFFSET " + offset,
                         all);
    for (int i = 0; i < q.size(); ++i) page.items.push_back(row_to_record(q, i));
    return page;
  }, true);
}

Result<std::vector<nlohmann::json>> PgStore::questions(const std::string& consultation_id) {
  return read("cannot read questions", [&](Tx& tx) -> Result<std::vector<nlohmann::json>> {
    auto cur = get_locked(tx, consultation_id);
    if (!cur) return cur.error();
    std::vector<nlohmann::json> out;
    auto q = tx.exec("SELECT definition FROM questions WHERE consultation_id=$1 ORDER BY position", {consultation_id});
    for (int i = 0; i < q.size(); ++i) out.push_back(parse_stored_json(q.str(i, 0)));
    return out;
  });
}

void PgStore::write_children(Tx& tx, const std::string& id, const nlohmann::json& doc) {
  for (const char* table : {"consultation_wards", "consultation_topics", "questions"}) {
    tx.exec(std::string("DELETE FROM ") + table + " WHERE consultation_id=$1", {id});
  }
  std::set<std::string> wards, topics;
  for (auto& w : strings_of(doc, "wards")) wards.insert(w);
  for (auto& t : strings_of(doc, "topics")) topics.insert(t);
  for (const auto& w : wards) tx.exec("INSERT INTO consultation_wards(consultation_id, ward) VALUES ($1,$2)", {id, w});
  for (const auto& t : topics) tx.exec("INSERT INTO consultation_topics(consultation_id, topic) VALUES ($1,$2)", {id, t});
  auto qs = doc.find("questions");
  if (qs != doc.end() && qs->is_array()) {
    int pos = 0;
    for (const auto& question : *qs) {
      tx.exec("INSERT INTO questions(consultation_id, position, question_id, type, definition) VALUES ($1,$2,$3,$4,$5)",
              {id, pos++, str_or_empty(question, "id"), str_or_empty(question, "type"), question.dump()});
    }
  }
}

Result<ConsultationRecord> PgStore::get_locked(Tx& tx, const std::string& id, bool lock) {
  auto q = tx.exec(std::string(kRecordColumns) + " WHERE id=$1" + (lock ? " FOR UPDATE" : ""), {id});
  if (q.empty()) return not_found("consultation", id);
  return row_to_record(q, 0);
}

Result<MeetingRecord> PgStore::get_meeting_locked(Tx& tx, const std::string& consultation_id, int64_t meeting_id) {
  auto cur = get_locked(tx, consultation_id);
  if (!cur) return cur.error();
  auto q = tx.exec("SELECT document, created_at, updated_at FROM consultation_meetings WHERE id=$1 AND consultation_id=$2",
                   {meeting_id, consultation_id});
  if (q.empty()) return not_found("meeting", consultation_id + "/" + std::to_string(meeting_id));
  return MeetingRecord{meeting_id, consultation_id, parse_stored_json(q.str(0, 0)), q.str(0, 1), q.str(0, 2)};
}

}  // namespace townhall::postgres
