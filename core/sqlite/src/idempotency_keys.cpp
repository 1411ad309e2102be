// The in-memory index of recent idempotency keys of the SQLite ResponseStore (see KeyIndex in
// database.h): built at open, kept up to date by every batch, pruned past the retention window.
#include <chrono>
#include <ctime>

#include "database.h"

namespace townhall::sqlite {
namespace {

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

}  // namespace

// At open, after the migrations: builds the index from the responses within the retention
// window and clears the keys that expired.
Status SqliteStore::init_keys(const SqliteOptions& options) {
  return read("cannot load the idempotency keys", [&]() -> Status {
    if (!keys_in_rows()) return Status::Ok();  // an older schema (staged-upgrade tests): SQL lookups
    keys_.enabled = true;
    keys_.sip = random_sip_key();
    keys_.retention_days = std::max(0, options.idempotency_retention_days);
    keys_.rows.reserve(1 << 16);
    keys_.last_row = keys_.pruned_upto = first_response_to_index() - 1;
    load_new_keys_locked();
    prune_keys_locked(true);
    return Status::Ok();
  });
}

uint64_t SqliteStore::key_fingerprint(const std::string& scope, const std::string& key) {
  fingerprint_buf_.assign(scope);
  fingerprint_buf_.push_back('\n');
  fingerprint_buf_.append(key);
  return siphash24(keys_.sip, fingerprint_buf_);
}


// Responses are numbered in the order they were stored, so created_at grows with the id. The
// index starts at the first response created within the retention window (less a day, in case
// the clock was ever stepped back), found by bisection, so opening a large database reads only
// the recent rows rather than the whole table.
int64_t SqliteStore::first_response_to_index() {
  if (keys_.retention_days <= 0) return 1;
  const std::string cutoff = created_at_days_ago(keys_.retention_days + 1);
  SQLite::Statement bounds(db_, "SELECT COALESCE(MIN(id), 1), COALESCE(MAX(id), 0) FROM responses");
  bounds.executeStep();
  int64_t lo = bounds.getColumn(0).getInt64(), hi = bounds.getColumn(1).getInt64() + 1;
  SQLite::Statement at(db_, "SELECT created_at FROM responses WHERE id >= ? ORDER BY id LIMIT 1");
  while (lo < hi) {  // the first id whose created_at is at or after the cutoff
    int64_t mid = lo + (hi - lo) / 2;
    at.reset();
    at.bind(1, mid);
    if (at.executeStep() && at.getColumn(0).getString() < cutoff) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

// The request hash and response id stored with this submission's (scope, key), if any.
std::optional<std::pair<std::string, int64_t>> SqliteStore::find_key_in_index(const ResponseSubmission& s, uint64_t fingerprint) {
  auto [it, end] = keys_.rows.equal_range(fingerprint);
  if (it == end) return std::nullopt;  // the common case: a new key, no database read at all
  if (!key_row_) {
    key_row_ = std::make_unique<SQLite::Statement>(
        db_,
        "SELECT idempotency_scope, idempotency_key, request_hash, id FROM responses "
        "WHERE id=? AND idempotency_key IS NOT NULL");
  }
  auto& q = *key_row_;
  while (it != end) {
    q.reset();
    q.bind(1, it->second);
    if (!q.executeStep()) {
      it = keys_.rows.erase(it);
      continue;
    }
    if (q.getColumn(0).getString() == s.idempotency_scope && q.getColumn(1).getString() == s.idempotency_key) {
      std::pair<std::string, int64_t> found{q.getColumn(2).getString(), q.getColumn(3).getInt64()};
      q.reset();
      return found;
    }
    ++it;
  }
  q.reset();
  return std::nullopt;
}

void SqliteStore::forget_key(uint64_t fingerprint, int64_t row) {
  auto [it, end] = keys_.rows.equal_range(fingerprint);
  for (; it != end; ++it) {
    if (it->second == row) {
      keys_.rows.erase(it);
      return;
    }
  }
}

void SqliteStore::note_key_second(const std::string& created_at, int64_t row) {
  // A clock stepping back joins the later second, so `seconds` stays in both orders.
  if (!keys_.seconds.empty() && keys_.seconds.back().first >= created_at) {
    keys_.seconds.back().second = row;
  } else {
    keys_.seconds.emplace_back(created_at, row);
  }
}

// Adds the keys of the responses after keys_.last_row to the index: all those within the
// retention window at open, later the few that another connection (e.g. a CLI import) wrote
// since our last batch.
void SqliteStore::load_new_keys_locked() {
  if (!new_keys_) {
    new_keys_ = std::make_unique<SQLite::Statement>(
        db_,
        "SELECT id, idempotency_scope, idempotency_key, created_at FROM responses "
        "WHERE id > ? AND idempotency_key IS NOT NULL ORDER BY id");
  }
  auto& q = *new_keys_;
  q.reset();
  q.bind(1, keys_.last_row);
  while (q.executeStep()) {
    const int64_t row = q.getColumn(0).getInt64();
    fingerprint_buf_.assign(static_cast<const char*>(q.getColumn(1).getBlob()),
                            static_cast<size_t>(q.getColumn(1).getBytes()));
    fingerprint_buf_.push_back('\n');
    fingerprint_buf_.append(static_cast<const char*>(q.getColumn(2).getBlob()),
                            static_cast<size_t>(q.getColumn(2).getBytes()));
    keys_.rows.emplace(siphash24(keys_.sip, fingerprint_buf_), row);
    keys_.last_row = row;
    const char* created = static_cast<const char*>(q.getColumn(3).getBlob());
    const size_t created_len = static_cast<size_t>(q.getColumn(3).getBytes());
    if (keys_.seconds.empty() || keys_.seconds.back().first.compare(0, std::string::npos, created, created_len) < 0) {
      keys_.seconds.emplace_back(std::string(created, created_len), row);
    } else {
      keys_.seconds.back().second = row;
    }
  }
  q.reset();
}

// Clears the keys older than the retention window from their responses and from the index: at
// open, then at most once an hour before a batch. Only the rows indexed since the last pruning
// are visited.
void SqliteStore::prune_keys_locked(bool now) {
  if (keys_.retention_days <= 0 || keys_.seconds.empty()) return;
  const auto t = std::chrono::steady_clock::now();
  if (!now && t - keys_.last_prune < std::chrono::hours(1)) return;
  keys_.last_prune = t;
  const std::string cutoff = created_at_days_ago(keys_.retention_days);
  int64_t upto = 0;
  for (const auto& [created, row] : keys_.seconds) {
    if (created >= cutoff) break;
    upto = row;
  }
  if (upto <= keys_.pruned_upto) return;
  {
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement clear(db_,
                            "UPDATE responses SET idempotency_scope=NULL, idempotency_key=NULL, request_hash=NULL "
                            "WHERE id > ? AND id <= ? AND idempotency_key IS NOT NULL");
    clear.bind(1, keys_.pruned_upto);
    clear.bind(2, upto);
    clear.exec();
    tx.commit();
  }
  keys_.pruned_upto = upto;
  while (!keys_.seconds.empty() && keys_.seconds.front().second <= upto) keys_.seconds.pop_front();
  for (auto it = keys_.rows.begin(); it != keys_.rows.end();) {
    it = it->second <= upto ? keys_.rows.erase(it) : std::next(it);
  }
}

}  // namespace townhall::sqlite
