// ConsultationStore over SQLite: consultations (document plus the indexed columns and the
// wards, topics and questions tables of the hub listing), their translations and meetings.
#include <set>

#include "database.h"
#include "townhall/util/json_parse.h"

namespace townhall::sqlite {
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


// Binds title, summary, opens, closes at positions first..first+3.
void bind_indexed(SQLite::Statement& q, int first, const nlohmann::json& doc) {
  q.bind(first, str_or_empty(doc, "title"));
  q.bind(first + 1, str_or_empty(doc, "summary"));
  std::string opens = str_or_empty(doc, "opens"), closes = str_or_empty(doc, "closes");
  if (opens.empty()) q.bind(first + 2); else q.bind(first + 2, opens);
  if (closes.empty()) q.bind(first + 3); else q.bind(first + 3, closes);
}

ConsultationRecord row_to_record(SQLite::Statement& q) {
  ConsultationRecord r;
  r.id = q.getColumn(0).getString();
  r.status = stored_status(q.getColumn(1).getString());
  r.document = parse_stored_json(q.getColumn(2).getString());
  r.version = q.getColumn(3).getInt64();
  r.created_at = q.getColumn(4).getString();
  r.updated_at = q.getColumn(5).getString();
  return r;
}

}  // namespace

// Translations.
Result<TranslationRecord> SqliteStore::put_translation(const std::string& consultation_id, const std::string& lang,
                                                       const nlohmann::json& document, const StatusGuard& only_if,
                                                       const AuditEvent& audit) {
  return write("cannot store translation", [&]() -> Result<TranslationRecord> {
    auto cur = get_locked(consultation_id);
    if (!cur) return cur.error();
    if (!only_if.allows(cur->status)) return only_if.refuse(consultation_id, cur->status);
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
    return TranslationRecord{consultation_id, lang, document, now};
  });
}

Result<TranslationRecord> SqliteStore::get_translation(const std::string& consultation_id, const std::string& lang) {
  return read("cannot read translation", [&]() -> Result<TranslationRecord> {
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
  });
}

Result<std::vector<TranslationRecord>> SqliteStore::list_translations(const std::string& consultation_id) {
  return read("cannot list translations", [&]() -> Result<std::vector<TranslationRecord>> {
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
  });
}

Status SqliteStore::delete_translation(const std::string& consultation_id, const std::string& lang,
                                       const StatusGuard& only_if, const AuditEvent& audit) {
  return write("cannot delete translation", [&]() -> Status {
    auto cur = get_locked(consultation_id);
    if (!cur) return cur.error();
    if (!only_if.allows(cur->status)) return only_if.refuse(consultation_id, cur->status);
    SQLite::Statement del(db_, "DELETE FROM consultation_translations WHERE consultation_id=? AND lang=?");
    del.bind(1, consultation_id);
    del.bind(2, lang);
    if (del.exec() == 0) return not_found("translation", consultation_id + "/" + lang);
    AuditEvent ev = audit;
    ev.subject_id = consultation_id;
    append_audit_locked(ev);
    return Status::Ok();
  });
}

// Events and public meetings.
Result<MeetingRecord> SqliteStore::add_meeting(const std::string& consultation_id, const nlohmann::json& document,
                                               const AuditEvent& audit) {
  return write("cannot add meeting", [&]() -> Result<MeetingRecord> {
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
    return m;
  });
}

Result<MeetingRecord> SqliteStore::update_meeting(const std::string& consultation_id, int64_t meeting_id,
                                                  const nlohmann::json& document, const AuditEvent& audit) {
  return write("cannot update meeting", [&]() -> Result<MeetingRecord> {
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
    return MeetingRecord{meeting_id, consultation_id, document, cur->created_at, now};
  });
}

Status SqliteStore::delete_meeting(const std::string& consultation_id, int64_t meeting_id, const AuditEvent& audit) {
  return write("cannot delete meeting", [&]() -> Status {
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
    return Status::Ok();
  });
}

Result<MeetingRecord> SqliteStore::get_meeting(const std::string& consultation_id, int64_t meeting_id) {
  std::lock_guard lock(mu_);
  return get_meeting_locked(consultation_id, meeting_id);
}

Result<std::vector<MeetingRecord>> SqliteStore::list_meetings(const std::string& consultation_id) {
  return read("cannot list meetings", [&]() -> Result<std::vector<MeetingRecord>> {
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
  });
}

// Consultations.
Result<ConsultationRecord> SqliteStore::create_consultation(const nlohmann::json& document,
                                                            const AuditEvent& audit) {
  return write("cannot create consultation", [&]() -> Result<ConsultationRecord> {
    int64_t seq = 1;
    {
      SQLite::Statement q(db_, "SELECT COALESCE(MAX(seq), 0) + 1 FROM consultations");
      if (q.executeStep()) seq = q.getColumn(0).getInt64();
    }
    std::string id = "c-" + std::to_string(seq);
    std::string now = now_rfc3339_utc();
    SQLite::Statement ins(db_,
                          "INSERT INTO consultations(id, seq, status, title, summary, opens, closes, "
                          "document, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,1,?,?)");
    ins.bind(1, id);
    ins.bind(2, seq);
    ins.bind(3, to_string(ConsultationStatus::kDraft));
    bind_indexed(ins, 4, document);
    ins.bind(8, document.dump());
    ins.bind(9, now);
    ins.bind(10, now);
    ins.exec();
    write_children(id, document);
    AuditEvent ev = audit;
    ev.subject_id = id;
    append_audit_locked(ev);
    return ConsultationRecord{id, ConsultationStatus::kDraft, document, 1, now, now};
  });
}

Result<ConsultationRecord> SqliteStore::get_consultation(const std::string& id) {
  std::lock_guard lock(mu_);
  return get_locked(id);
}

Result<ConsultationRecord> SqliteStore::update_consultation(const std::string& id, const nlohmann::json& document,
                                                            int64_t expected_version, const StatusGuard& only_if,
                                                            const AuditEvent& audit) {
  return write("cannot update consultation", [&]() -> Result<ConsultationRecord> {
    auto cur = get_locked(id);
    if (!cur) return cur.error();
    if (!only_if.allows(cur->status)) return only_if.refuse(id, cur->status);
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
    return ConsultationRecord{id, cur->status, document, cur->version + 1, cur->created_at, now};
  });
}

Status SqliteStore::delete_consultation(const std::string& id, const StatusGuard& only_if, const AuditEvent& audit) {
  return write("cannot delete consultation", [&]() -> Status {
    auto cur = get_locked(id);
    if (!cur) return cur.error();
    if (!only_if.allows(cur->status)) return only_if.refuse(id, cur->status);
    SQLite::Statement del(db_, "DELETE FROM consultations WHERE id=?");
    del.bind(1, id);
    del.exec();
    AuditEvent ev = audit;
    ev.subject_id = id;
    append_audit_locked(ev);
    return Status::Ok();
  });
}

Result<ConsultationRecord> SqliteStore::transition_consultation(const TransitionRecord& t) {
  return write("cannot change consultation status", [&]() -> Result<ConsultationRecord> {
    auto cur = get_locked(t.consultation_id);
    if (!cur) return cur.error();
    if (cur->status != t.from) {
      return Error{ErrorCode::kConflict, "/status",
                   "consultation " + t.consultation_id + " is " + to_string(cur->status) + ", not " + to_string(t.from)};
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
    // A database held at an older schema (SqliteOptions::target_version) has no such columns.
    const bool actual_columns = version_ >= 15;
    SQLite::Statement up(db_, std::string("UPDATE consultations SET status=?, title=?, summary=?, opens=?, closes=?, "
                                          "document=?, version=version+1, updated_at=?") +
                                  (actual_columns ? ", opened_at=COALESCE(?, opened_at), closed_at=COALESCE(?, closed_at)"
                                                  : "") +
                                  " WHERE id=?");
    up.bind(1, to_string(t.to));
    bind_indexed(up, 2, doc);
    up.bind(6, doc.dump());
    up.bind(7, now);
    int next = 8;
    if (actual_columns) {
      // When it really opened and closed, kept in columns too for reports over many consultations.
      const std::string opened_at = str_or_empty(t.document_patch, "opened_at");
      const std::string closed_at = str_or_empty(t.document_patch, "closed_at");
      if (opened_at.empty()) up.bind(next++); else up.bind(next++, opened_at);
      if (closed_at.empty()) up.bind(next++); else up.bind(next++, closed_at);
    }
    up.bind(next, t.consultation_id);
    up.exec();
    for (const auto& ev : t.audit) append_audit_locked(ev);
    return ConsultationRecord{t.consultation_id, t.to, doc, cur->version + 1, cur->created_at, now};
  });
}

Result<ConsultationPage> SqliteStore::list_consultations(const ConsultationQuery& query) {
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
  if (query.statuses && query.statuses->empty()) where += " AND 0";
  if (query.statuses && !query.statuses->empty()) {
    where += " AND c.status IN (";
    for (size_t i = 0; i < query.statuses->size(); ++i) {
      where += i ? ",?" : "?";
      params.push_back(to_string((*query.statuses)[i]));
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
  return read("cannot list consultations", [&]() -> Result<ConsultationPage> {
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
  });
}

Result<std::vector<nlohmann::json>> SqliteStore::questions(const std::string& consultation_id) {
  return read("cannot read questions", [&]() -> Result<std::vector<nlohmann::json>> {
    auto cur = get_locked(consultation_id);
    if (!cur) return cur.error();
    std::vector<nlohmann::json> out;
    SQLite::Statement q(db_, "SELECT definition FROM questions WHERE consultation_id=? ORDER BY position");
    q.bind(1, consultation_id);
    while (q.executeStep()) out.push_back(parse_stored_json(q.getColumn(0).getString()));
    return out;
  });
}


void SqliteStore::write_children(const std::string& id, const nlohmann::json& doc) {
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


Result<ConsultationRecord> SqliteStore::get_locked(const std::string& id) {
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


Result<MeetingRecord> SqliteStore::get_meeting_locked(const std::string& consultation_id, int64_t meeting_id) {
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

}  // namespace townhall::sqlite
