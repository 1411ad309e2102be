// ResponseStore over SQLite: responses, written in batches by one group commit (the hot path when
// a consultation goes viral). The idempotency-key index is in idempotency_keys.cpp.
#include "database.h"
#include "panel_tables.h"
#include "townhall/access/token.h"
#include "townhall/util/json_parse.h"

namespace townhall::sqlite {
namespace {

constexpr const char* kResponseColumns =
    "SELECT id, reference, consultation_id, channel, person_id, submitted_by, entered_by, answers, "
    "created_at, language FROM responses";

StoredResponse row_to_response(SQLite::Statement& q) {
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

}  // namespace

std::vector<Result<StoredResponse>> SqliteStore::submit_responses_in_place(std::vector<ResponseSubmission>& batch,
                                                                           const StatusGuard& accepting) {
  return submit_batch(
      batch.size(), [&](size_t i) -> ResponseSubmission& { return batch[i]; }, nullptr, accepting);
}

std::vector<Result<StoredResponse>> SqliteStore::submit_in_place(std::vector<Submission>& batch,
                                                                 const StatusGuard& accepting) {
  auto keep_facts = [&](size_t i, const StoredResponse& stored) {
    const GivenFacts& given = batch[i].given;
    if (stored.replayed) return;
    if (batch[i].audit_entry) append_audit_locked(entered_response_audit(given, stored));
    if (given.empty()) return;
    // No fact is kept for a member who no longer exists (their response names no person then).
    if (!panel_tables::member_where(db_, "id", *given.member_id)) return;
    panel_tables::upsert_facts(db_, *given.member_id, given_facts_to_record(given, stored));
    append_audit_locked(given_facts_audit(given, stored));
  };
  return submit_batch(
      batch.size(), [&](size_t i) -> ResponseSubmission& { return batch[i].response; }, keep_facts, accepting);
}

std::vector<Result<StoredResponse>> SqliteStore::submit_batch(
    size_t n, const std::function<ResponseSubmission&(size_t)>& submission,
    const std::function<void(size_t, const StoredResponse&)>& after, const StatusGuard& accepting) {
  std::vector<Result<StoredResponse>> out;
  out.reserve(n);
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
    std::map<std::string, std::optional<ConsultationStatus>> status_cache;
    std::string now = now_rfc3339_utc();
    // Ids are given here (as SQLite would: one above the largest) so each reference can carry
    // its response's serial number; the write lock taken above makes them ours.
    max_response_id_->reset();
    max_response_id_->executeStep();
    int64_t next_id = max_response_id_->getColumn(0).getInt64() + 1;
    max_response_id_->reset();
    for (size_t i = 0; i < n; ++i) {
      out.push_back(submit_one(submission(i), now, accepting, status_cache, next_id));
      if (after && out.back()) after(i, *out.back());
    }
    tx.commit();
    if (keys_.enabled && keys_.last_row > keys_before) note_key_second(now, keys_.last_row);
  } catch (const std::exception& e) {
    // The whole transaction rolled back: nothing in this batch was stored, and the index forgets
    // the keys it learnt from it.
    for (const auto& [fp, row] : batch_keys_) forget_key(fp, row);
    if (keys_before >= 0) keys_.last_row = keys_before;
    out.clear();
    for (size_t i = 0; i < n; ++i) out.push_back(io_error("cannot store response", e));
  }
  return out;
}

Result<std::vector<StoredResponse>> SqliteStore::list_responses(const std::string& consultation_id, int64_t limit,
                                                                int64_t offset) {
  if (limit < 1 || limit > 1000) return invalid_argument("limit", "must be between 1 and 1000");
  if (offset < 0) return invalid_argument("offset", "must not be negative");
  return read("cannot list responses", [&]() -> Result<std::vector<StoredResponse>> {
    auto cur = get_locked(consultation_id);
    if (!cur) return cur.error();
    std::vector<StoredResponse> out;
    SQLite::Statement q(db_, std::string(kResponseColumns) + " WHERE consultation_id=? ORDER BY id LIMIT ? OFFSET ?");
    q.bind(1, consultation_id);
    q.bind(2, limit);
    q.bind(3, offset);
    while (q.executeStep()) out.push_back(row_to_response(q));
    return out;
  });
}

Result<ResponsePage> SqliteStore::find_responses(const std::string& consultation_id, const ResponseFilter& f) {
  if (f.limit < 1 || f.limit > 1000) return invalid_argument("limit", "must be between 1 and 1000");
  if (f.offset < 0) return invalid_argument("offset", "must not be negative");
  const std::string from = f.received_from ? f.received_from->iso() : "";
  // The stored times are RFC 3339 UTC text, so "before the next day" compares as text.
  const std::string before = f.received_to ? f.received_to->plus_days(1).iso() : "";
  // One statement whatever is filtered: an empty condition matches everything.
  const std::string where =
      " WHERE consultation_id=?1 AND (?2='' OR channel=?2) AND (?3='' OR language=?3)"
      " AND (?4='' OR created_at>=?4) AND (?5='' OR created_at<?5) AND (?6='' OR instr(lower(answers), lower(?6))>0)";
  auto bind = [&](SQLite::Statement& q) {
    q.bind(1, consultation_id);
    q.bind(2, f.channel);
    q.bind(3, f.language);
    q.bind(4, from);
    q.bind(5, before);
    q.bind(6, f.text);
  };
  return read("cannot list responses", [&]() -> Result<ResponsePage> {
    auto cur = get_locked(consultation_id);
    if (!cur) return cur.error();
    ResponsePage page;
    SQLite::Statement count(db_, "SELECT COUNT(*) FROM responses" + where);
    bind(count);
    count.executeStep();
    page.total = count.getColumn(0).getInt64();
    SQLite::Statement q(db_, std::string(kResponseColumns) + where + " AND id>?7 ORDER BY id LIMIT ?8 OFFSET ?9");
    bind(q);
    q.bind(7, f.after_id);
    q.bind(8, f.limit);
    q.bind(9, f.offset);
    while (q.executeStep()) page.items.push_back(row_to_response(q));
    return page;
  });
}

Result<StoredResponse> SqliteStore::response_by_reference(const std::string& reference) {
  return read("cannot read response", [&]() -> Result<StoredResponse> {
    SQLite::Statement q(db_, std::string(kResponseColumns) + " WHERE reference=?");
    q.bind(1, reference);
    if (!q.executeStep()) return not_found("response", reference);
    return row_to_response(q);
  });
}

Result<int64_t> SqliteStore::count_responses(const std::string& consultation_id) {
  return read("cannot count responses", [&]() -> Result<int64_t> {
    SQLite::Statement q(db_, "SELECT COUNT(*) FROM responses WHERE consultation_id=?");
    q.bind(1, consultation_id);
    q.executeStep();
    return q.getColumn(0).getInt64();
  });
}

Result<std::vector<StoredResponse>> SqliteStore::responses_of_person(int64_t person_id) {
  return read("cannot list responses", [&]() -> Result<std::vector<StoredResponse>> {
    std::vector<StoredResponse> out;
    SQLite::Statement q(db_, std::string(kResponseColumns) + " WHERE person_id=? ORDER BY id");
    q.bind(1, person_id);
    while (q.executeStep()) out.push_back(row_to_response(q));
    return out;
  });
}


void SqliteStore::prepare_hot() {
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

Result<StoredResponse> SqliteStore::submit_one(ResponseSubmission& s, const std::string& now,
                                               const StatusGuard& accepting,
                                               std::map<std::string, std::optional<ConsultationStatus>>& status_cache,
                                               int64_t& next_id) {
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
    std::optional<ConsultationStatus> status;
    if (status_of_->executeStep()) status = stored_status(status_of_->getColumn(0).getString());
    status_of_->reset();
    it = status_cache.emplace(s.consultation_id, status).first;
  }
  if (!it->second) return not_found("consultation", s.consultation_id);
  if (!accepting.allows(*it->second)) return accepting.refuse(s.consultation_id, *it->second);
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

}  // namespace townhall::sqlite
