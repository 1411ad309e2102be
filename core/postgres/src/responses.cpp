// ResponseStore over PostgreSQL: responses, written in batches, each batch one transaction (group
// commit), acknowledged only after its COMMIT. Idempotency keys live in the response rows under a
// unique index, so the database — not a server's memory — answers a retry, whichever server it
// reaches; keys older than the retention window are cleared from their rows.
#include <chrono>
#include <ctime>
#include <set>

#include "database.h"
#include "townhall/access/token.h"
#include "townhall/util/json_parse.h"

namespace townhall::postgres {
namespace {

constexpr const char* kResponseColumns =
    "SELECT id, reference, consultation_id, channel, person_id, submitted_by, entered_by, answers, created_at, "
    "language FROM responses";

StoredResponse row_to_response(const pq::Rows& q, int i) {
  StoredResponse r;
  r.id = q.i64(i, 0);
  r.reference = q.str(i, 1);
  r.consultation_id = q.str(i, 2);
  r.channel = q.str(i, 3);
  r.person_id = q.opt_i64(i, 4);
  r.submitted_by = q.opt_i64(i, 5);
  r.entered_by = q.opt_i64(i, 6);
  r.answers = parse_stored_json(q.str(i, 7));
  r.created_at = q.str(i, 8);
  r.language = q.str(i, 9);
  return r;
}

// The created_at (as now_rfc3339_utc writes it) of a response stored `days` days ago.
std::string created_at_days_ago(int days) {
  std::time_t cut = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()) -
                    static_cast<std::time_t>(days) * 86400;
  std::tm tm{};
  gmtime_r(&cut, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

// A response's columns as row_to_response reads them, then the request hash and the key.
constexpr const char* kPgReplayColumns =
    "SELECT r.id, r.reference, r.consultation_id, r.channel, r.person_id, r.submitted_by, r.entered_by, r.answers, "
    "r.created_at, r.language, r.request_hash, r.idempotency_scope, r.idempotency_key";

// One element of a PostgreSQL array literal ({"a","b"}): quoted, with quotes and backslashes escaped.
std::string pg_array_element(const std::string& text) {
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

}  // namespace

Status PgStore::init_keys() {
  try {
    prune_keys(true);
  } catch (const std::exception& e) {
    return store_error("cannot clear expired idempotency keys", e);
  }
  return Status::Ok();
}

// Clears the keys older than the retention window from their responses: at open, then at most
// once an hour before a batch (any server may do it; doing it twice clears nothing more).
void PgStore::prune_keys(bool now) {
  if (options_.idempotency_retention_days <= 0) return;
  {
    std::lock_guard lock(prune_mu_);
    const auto t = std::chrono::steady_clock::now();
    if (!now && t - last_prune_ < std::chrono::hours(1)) return;
    last_prune_ = t;
  }
  auto lease = pool_->acquire();
  lease.conn().exec(
      "UPDATE responses SET idempotency_scope=NULL, idempotency_key=NULL, request_hash=NULL "
      "WHERE idempotency_key IS NOT NULL AND created_at < $1",
      {created_at_days_ago(options_.idempotency_retention_days)});
}

std::vector<Result<StoredResponse>> PgStore::submit_responses_in_place(std::vector<ResponseSubmission>& batch,
                                                                       const StatusGuard& accepting) {
  return submit_batch(batch.size(), [&](size_t i) -> ResponseSubmission& { return batch[i]; }, nullptr, accepting);
}

std::vector<Result<StoredResponse>> PgStore::submit_in_place(std::vector<Submission>& batch,
                                                             const StatusGuard& accepting) {
  auto keep_facts = [&](Tx& tx, size_t i, const StoredResponse& stored) {
    const GivenFacts& given = batch[i].given;
    if (stored.replayed) return;
    if (batch[i].audit_entry) append_audit_locked(tx, entered_response_audit(given, stored));
    if (given.empty()) return;
    // No fact is kept for a member who no longer exists (their response names no person then).
    if (tx.exec("SELECT 1 FROM panel_members WHERE id=$1 FOR SHARE", {*given.member_id}).empty()) return;
    for (const auto& f : given_facts_to_record(given, stored)) {
      tx.exec("INSERT INTO panel_facts(member_id, key, value, channel, source, recorded_on, consent, valid_until) "
              "VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT(member_id, key) DO UPDATE SET value=excluded.value, "
              "channel=excluded.channel, source=excluded.source, recorded_on=excluded.recorded_on, "
              "consent=excluded.consent, valid_until=excluded.valid_until",
              {*given.member_id, f.key, f.value.dump(), f.channel, f.source, f.recorded_on.iso(), f.consent ? 1 : 0,
               f.valid_until ? pq::Param(f.valid_until->iso()) : pq::Param(nullptr)});
    }
    append_audit_locked(tx, given_facts_audit(given, stored));
  };
  return submit_batch(batch.size(), [&](size_t i) -> ResponseSubmission& { return batch[i].response; }, keep_facts,
                      accepting);
}

std::vector<Result<StoredResponse>> PgStore::submit_batch(
    size_t n, const std::function<ResponseSubmission&(size_t)>& submission,
    const std::function<void(Tx&, size_t, const StoredResponse&)>& after, const StatusGuard& accepting) {
  try {
    prune_keys(false);
  } catch (const std::exception&) {
    // Pruning is housekeeping: the keys stay honoured, and the next batch tries again.
  }
  using Out = std::vector<Result<StoredResponse>>;
  // The answers move into the results only once the batch committed: a batch run again after a
  // deadlock reads them again.
  auto stored = write("cannot store response", [&](Tx& tx) -> Result<Out> {
    std::vector<std::optional<Result<StoredResponse>>> decided(n);
    std::vector<size_t> fresh;  // to insert, in batch order
    std::vector<size_t> repeats;  // a key an earlier submission of this batch is storing
    decide_batch(tx, n, submission, accepting, decided, fresh, repeats);
    insert_batch(tx, submission, fresh, decided);
    // A key given twice in one batch: the second is answered with the first's stored response
    // (our own row, or another server's that won the race).
    for (size_t i : repeats) {
      auto earlier = replay(tx, submission(i));
      if (!earlier) throw std::runtime_error("a response repeated in a batch was not stored");
      decided[i].emplace(std::move(*earlier));
    }
    Out out;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      out.push_back(std::move(*decided[i]));
      if (after && out.back()) after(tx, i, *out.back());
    }
    return out;
  });
  if (stored) return std::move(*stored);
  Out failed;
  for (size_t i = 0; i < n; ++i) failed.push_back(stored.error());
  return failed;
}

// Settles every submission of a batch that needs no insert — the replays (all looked up in one
// statement), and the refusals — and lists the rest for insert_batch.
void PgStore::decide_batch(Tx& tx, size_t n, const std::function<ResponseSubmission&(size_t)>& submission,
                           const StatusGuard& accepting, std::vector<std::optional<Result<StoredResponse>>>& decided,
                           std::vector<size_t>& fresh, std::vector<size_t>& repeats) {
  std::string scopes = "{", keys = "{";
  for (size_t i = 0; i < n; ++i) {
    const ResponseSubmission& s = submission(i);
    if (s.idempotency_key.empty()) continue;
    scopes += (scopes.size() > 1 ? "," : "") + pg_array_element(s.idempotency_scope);
    keys += (keys.size() > 1 ? "," : "") + pg_array_element(s.idempotency_key);
  }
  scopes += "}";
  keys += "}";
  // (scope, key) -> the stored row.
  std::map<std::pair<std::string, std::string>, std::pair<StoredResponse, std::string>> earlier;
  if (keys.size() > 2) {
    auto q = tx.exec(std::string(kPgReplayColumns) +
                         " FROM responses r JOIN unnest($1::text[], $2::text[]) AS k(scope, key) "
                         "ON r.idempotency_scope = k.scope AND r.idempotency_key = k.key "
                         "WHERE r.idempotency_key IS NOT NULL",
                     {scopes, keys});
    for (int row = 0; row < q.size(); ++row) {
      earlier[{q.str(row, 11), q.str(row, 12)}] = {row_to_response(q, row), q.str(row, 10)};
    }
  }
  std::map<std::string, std::optional<ConsultationStatus>> status_cache;
  std::set<std::pair<std::string, std::string>> storing;
  for (size_t i = 0; i < n; ++i) {
    ResponseSubmission& s = submission(i);
    const bool keyed = !s.idempotency_key.empty();
    // Replays first: a retry after the consultation closed still gets its original answer.
    if (keyed) {
      auto it = earlier.find({s.idempotency_scope, s.idempotency_key});
      if (it != earlier.end()) {
        if (it->second.second != s.request_hash) {
          decided[i].emplace(Error{ErrorCode::kConflict, "Idempotency-Key",
                                  "this Idempotency-Key was already used for a different response"});
        } else {
          StoredResponse r = it->second.first;
          r.replayed = true;
          decided[i].emplace(std::move(r));
        }
        continue;
      }
      if (storing.count({s.idempotency_scope, s.idempotency_key})) {
        repeats.push_back(i);
        continue;
      }
    }
    if (auto refused = refusal(tx, s, accepting, status_cache)) {
      decided[i].emplace(std::move(*refused));
      continue;
    }
    if (s.answers_text.empty()) s.answers_text = s.answers.dump();
    if (keyed) storing.insert({s.idempotency_scope, s.idempotency_key});
    fresh.push_back(i);
  }
}

// Why `s` may not be stored now, if it may not.
std::optional<Error> PgStore::refusal(Tx& tx, const ResponseSubmission& s, const StatusGuard& accepting,
                                      std::map<std::string, std::optional<ConsultationStatus>>& status_cache) {
  auto it = status_cache.find(s.consultation_id);
  if (it == status_cache.end()) {
    // FOR SHARE: a lifecycle step (FOR UPDATE) waits for this batch, or this batch for it, so a
    // response is never stored after its consultation closed.
    auto q = tx.exec("SELECT status FROM consultations WHERE id=$1 FOR SHARE", {s.consultation_id});
    std::optional<ConsultationStatus> status;
    if (!q.empty()) status = stored_status(q.str(0, 0));
    it = status_cache.emplace(s.consultation_id, status).first;
  }
  if (!it->second) return not_found("consultation", s.consultation_id);
  if (!accepting.allows(*it->second)) return accepting.refuse(s.consultation_id, *it->second);
  // A person or user the row names must exist: checked here, since a refused statement would
  // abort the whole batch's transaction.
  auto missing = [&](const char* table, const std::optional<int64_t>& id) {
    return id && tx.exec(std::string("SELECT 1 FROM ") + table + " WHERE id=$1 FOR KEY SHARE", {*id}).empty();
  };
  if (missing("people", s.person_id) || missing("users", s.submitted_by) || missing("users", s.entered_by)) {
    return Error{ErrorCode::kInvalidArgument, "", "response refused: it names a person or user that does not exist"};
  }
  return std::nullopt;
}

// Stores the `fresh` submissions: their ids in one statement, their rows in another. A row whose
// key another server stored (and committed) meanwhile is answered with that server's response.
void PgStore::insert_batch(Tx& tx, const std::function<ResponseSubmission&(size_t)>& submission,
                           const std::vector<size_t>& fresh, std::vector<std::optional<Result<StoredResponse>>>& decided) {
  if (fresh.empty()) return;
  const std::string now = now_rfc3339_utc();
  auto ids = tx.exec("SELECT nextval(pg_get_serial_sequence('responses', 'id')) FROM generate_series(1, $1)",
                     {static_cast<int64_t>(fresh.size())});
  std::string sql =
      "INSERT INTO responses(id, reference, consultation_id, channel, person_id, submitted_by, entered_by, answers, "
      "created_at, language, idempotency_scope, idempotency_key, request_hash) VALUES ";
  constexpr size_t kColumns = 13;
  std::vector<pq::Param> params;
  params.reserve(fresh.size() * kColumns);
  std::vector<StoredResponse> rows(fresh.size());
  for (size_t f = 0; f < fresh.size(); ++f) {
    const ResponseSubmission& s = submission(fresh[f]);
    const bool keyed = !s.idempotency_key.empty();
    StoredResponse& r = rows[f];
    r.id = ids.i64(static_cast<int>(f), 0);
    r.reference = response_reference(r.id);
    sql += f ? ",(" : "(";
    for (size_t c = 0; c < kColumns; ++c) sql += (c ? ",$" : "$") + std::to_string(f * kColumns + c + 1);
    sql += ")";
    params.insert(params.end(), {r.id, r.reference, s.consultation_id, s.channel, s.person_id, s.submitted_by,
                                 s.entered_by, s.answers_text, now, s.language,
                                 keyed ? pq::Param(s.idempotency_scope) : pq::Param(nullptr),
                                 keyed ? pq::Param(s.idempotency_key) : pq::Param(nullptr),
                                 keyed ? pq::Param(s.request_hash) : pq::Param(nullptr)});
  }
  sql += " ON CONFLICT (idempotency_scope, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id";
  auto inserted = tx.c.exec_v(sql, params);
  std::set<int64_t> kept;
  for (int row = 0; row < inserted.size(); ++row) kept.insert(inserted.i64(row, 0));
  for (size_t f = 0; f < fresh.size(); ++f) {
    ResponseSubmission& s = submission(fresh[f]);
    StoredResponse& r = rows[f];
    if (!kept.count(r.id)) {
      // Another server stored this key between our look and our insert, and has committed: the
      // retry is answered with its response.
      auto earlier = replay(tx, s);
      if (!earlier) throw std::runtime_error("an idempotency key clashed with a response that is not there");
      decided[fresh[f]].emplace(std::move(*earlier));
      continue;
    }
    r.consultation_id = s.consultation_id;
    r.channel = s.channel;
    r.language = s.language;
    r.person_id = s.person_id;
    r.submitted_by = s.submitted_by;
    r.entered_by = s.entered_by;
    r.answers = s.answers;
    r.created_at = now;
    decided[fresh[f]].emplace(std::move(r));
  }
}

// The earlier response of this submission's idempotency key: replayed when the body is the same,
// kConflict when it is not; nullopt when the key is new.
std::optional<Result<StoredResponse>> PgStore::replay(Tx& tx, const ResponseSubmission& s) {
  auto q = tx.exec(std::string(kPgReplayColumns) + " FROM responses r WHERE idempotency_scope=$1 AND idempotency_key=$2",
                   {s.idempotency_scope, s.idempotency_key});
  if (q.empty()) return std::nullopt;
  if (q.str(0, 10) != s.request_hash) {
    return Result<StoredResponse>(
        Error{ErrorCode::kConflict, "Idempotency-Key", "this Idempotency-Key was already used for a different response"});
  }
  StoredResponse r = row_to_response(q, 0);
  r.replayed = true;
  return Result<StoredResponse>(std::move(r));
}

Result<std::vector<StoredResponse>> PgStore::list_responses(const std::string& consultation_id, int64_t limit,
                                                            int64_t offset) {
  if (limit < 1 || limit > 1000) return invalid_argument("limit", "must be between 1 and 1000");
  if (offset < 0) return invalid_argument("offset", "must not be negative");
  return read("cannot list responses", [&](Tx& tx) -> Result<std::vector<StoredResponse>> {
    auto cur = get_locked(tx, consultation_id);
    if (!cur) return cur.error();
    std::vector<StoredResponse> out;
    auto q = tx.exec(std::string(kResponseColumns) + " WHERE consultation_id=$1 ORDER BY id LIMIT $2 OFFSET $3",
                     {consultation_id, limit, offset});
    for (int i = 0; i < q.size(); ++i) out.push_back(row_to_response(q, i));
    return out;
  });
}

Result<ResponsePage> PgStore::find_responses(const std::string& consultation_id, const ResponseFilter& f) {
  if (f.limit < 1 || f.limit > 1000) return invalid_argument("limit", "must be between 1 and 1000");
  if (f.offset < 0) return invalid_argument("offset", "must not be negative");
  const std::string from = f.received_from ? f.received_from->iso() : "";
  // The stored times are RFC 3339 UTC text, so "before the next day" compares as text.
  const std::string before = f.received_to ? f.received_to->plus_days(1).iso() : "";
  // lower() of ASCII letters only, as SQLite's, so both stores match the same responses.
  const std::string where =
      " WHERE consultation_id=$1 AND ($2='' OR channel=$2) AND ($3='' OR language=$3)"
      " AND ($4='' OR created_at>=$4) AND ($5='' OR created_at<$5)"
      " AND ($6='' OR strpos(translate(answers, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'),"
      " translate($6, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'))>0)";
  return read("cannot list responses", [&](Tx& tx) -> Result<ResponsePage> {
    auto cur = get_locked(tx, consultation_id);
    if (!cur) return cur.error();
    ResponsePage page;
    page.total = tx.exec("SELECT COUNT(*) FROM responses" + where,
                         {consultation_id, f.channel, f.language, from, before, f.text})
                     .i64(0, 0);
    auto q = tx.exec(std::string(kResponseColumns) + where + " AND id>$7 ORDER BY id LIMIT $8 OFFSET $9",
                     {consultation_id, f.channel, f.language, from, before, f.text, f.after_id, f.limit, f.offset});
    for (int i = 0; i < q.size(); ++i) page.items.push_back(row_to_response(q, i));
    return page;
  });
}

Result<StoredResponse> PgStore::response_by_reference(const std::string& reference) {
  return read("cannot read response", [&](Tx& tx) -> Result<StoredResponse> {
    auto q = tx.exec(std::string(kResponseColumns) + " WHERE reference=$1", {reference});
    if (q.empty()) return not_found("response", reference);
    return row_to_response(q, 0);
  });
}

Result<int64_t> PgStore::count_responses(const std::string& consultation_id) {
  return read("cannot count responses", [&](Tx& tx) -> Result<int64_t> {
    return tx.exec("SELECT COUNT(*) FROM responses WHERE consultation_id=$1", {consultation_id}).i64(0, 0);
  });
}

Result<std::vector<StoredResponse>> PgStore::responses_of_person(int64_t person_id) {
  return read("cannot list responses", [&](Tx& tx) -> Result<std::vector<StoredResponse>> {
    std::vector<StoredResponse> out;
    auto q = tx.exec(std::string(kResponseColumns) + " WHERE person_id=$1 ORDER BY id", {person_id});
    for (int i = 0; i < q.size(); ++i) out.push_back(row_to_response(q, i));
    return out;
  });
}

}  // namespace townhall::postgres
