#include "townhall/store/analysis_reader.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "store/postgres_analysis.h"
#include "townhall/store/postgres_store.h"
#include "townhall/store/open_store.h"
#include "townhall/store/sqlite_store.h"
#include "townhall/util/json_schema.h"

namespace townhall {

std::string sqlite_read_only_uri(const std::string& path) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out = "file:";
  for (unsigned char c : path) {
    if (c == '%' || c == '?' || c == '#' || c < 0x21 || c >= 0x7F) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "?mode=ro";
}

struct AnalysisReader::Impl {
  std::string path;
  std::optional<SQLite::Database> db;
  std::unique_ptr<postgres_analysis::Source> pg;  // instead of db, for a PostgreSQL URL
  int version = 0;
};

AnalysisReader::AnalysisReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AnalysisReader::~AnalysisReader() = default;

int AnalysisReader::schema_version() const { return impl_->version; }
const std::string& AnalysisReader::path() const { return impl_->path; }

namespace {

Error not_townhall(const std::string& path, const std::string& why) {
  return invalid_argument("path", path + " is not a Townhall database (" + why + ")");
}

std::string_view text_of(sqlite3_stmt* st, int i) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));  // text, then length
  int n = sqlite3_column_bytes(st, i);
  return p ? std::string_view(p, static_cast<size_t>(n)) : std::string_view();
}

}  // namespace

Result<std::unique_ptr<AnalysisReader>> AnalysisReader::open(const std::string& path, bool writable) {
  if (is_postgres_url(path)) {
    auto source = postgres_analysis::open(path, writable);
    if (!source) return source.error();
    auto impl = std::make_unique<Impl>();
    impl->path = database_for_display(path);
    impl->version = (*source)->schema_version();
    impl->pg = std::move(*source);
    return std::unique_ptr<AnalysisReader>(new AnalysisReader(std::move(impl)));
  }
  // Looked at first without opening it for writing: a file that is not a Townhall database is
  // refused before SQLite could run recovery on it or leave its -wal and -shm files beside it.
  auto kind = database_file_kind(path);
  if (!kind) {
    Error e = kind.error();
    e.field = "path";
    return e;
  }
  switch (*kind) {
    case DatabaseFileKind::kTownhall: break;
    case DatabaseFileKind::kMissing: return Error{ErrorCode::kNotFound, "path", "no database file at " + path};
    case DatabaseFileKind::kEmpty: return not_townhall(path, "an empty file");
    case DatabaseFileKind::kNotSqlite: return not_townhall(path, "not an SQLite file");
    case DatabaseFileKind::kOtherSqlite: return not_townhall(path, "an SQLite file without Townhall's tables");
  }
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  try {
    // Reading, too, opens the file for writing (SQLite falls back to reading when the file is
    // write-protected) and then refuses every write: as the last connection to close it removes
    // the -wal and -shm files it needed, where an SQLite read-only connection would leave them
    // behind beside a database nobody asked to change.
    impl->db.emplace(path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX, 5000);
    if (!writable) impl->db->exec("PRAGMA query_only=ON");
  } catch (const std::exception& e) {
    return Error{ErrorCode::kIo, "path", "cannot open database " + path + ": " + e.what()};
  }
  try {
    SQLite::Statement t(*impl->db, "SELECT name FROM sqlite_master WHERE type='table' AND name IN "
                                   "('schema_version','consultations','responses')");
    int tables = 0;
    while (t.executeStep()) ++tables;
    if (tables < 3) return not_townhall(path, "an SQLite file without Townhall's tables");
    SQLite::Statement v(*impl->db, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
    if (v.executeStep()) impl->version = v.getColumn(0).getInt();
  } catch (const SQLite::Exception& e) {
    if (e.getErrorCode() == SQLITE_NOTADB) return not_townhall(path, "not an SQLite file");
    return Error{ErrorCode::kIo, "path", "cannot read database " + path + ": " + e.what()};
  }
  const int latest = sqlite_latest_schema_version();
  if (impl->version < 1) return not_townhall(path, "no schema version recorded");
  if (impl->version > latest)
    return Error{ErrorCode::kConflict, "path",
                 path + ": database schema version " + std::to_string(impl->version) +
                     " is newer than this Townhall understands (up to " + std::to_string(latest) +
                     "); use a newer Townhall"};
  return std::unique_ptr<AnalysisReader>(new AnalysisReader(std::move(impl)));
}

Result<std::vector<ConsultationOverview>> AnalysisReader::consultations() {
  if (impl_->pg) return impl_->pg->consultations();
  try {
    std::vector<ConsultationOverview> out;
    SQLite::Statement q(*impl_->db,
                        "SELECT c.id, c.status, c.title, COALESCE(c.opens, ''), COALESCE(c.closes, ''), "
                        "(SELECT COUNT(*) FROM responses r WHERE r.consultation_id = c.id) "
                        "FROM consultations c ORDER BY c.seq");
    while (q.executeStep()) {
      out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                     q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getInt64()});
    }
    return out;
  } catch (const std::exception& e) {
    return Error{ErrorCode::kIo, "", "cannot list consultations: " + std::string(e.what())};
  }
}

Result<nlohmann::json> AnalysisReader::questions(const std::string& consultation_id) {
  std::string document;
  if (impl_->pg) {
    auto d = impl_->pg->document(consultation_id);
    if (!d) return d.error();
    document = std::move(*d);
  } else {
    try {
      SQLite::Statement q(*impl_->db, "SELECT document FROM consultations WHERE id = ?");
      q.bind(1, consultation_id);
      if (!q.executeStep())
        return Error{ErrorCode::kNotFound, "consultation", "no consultation \"" + consultation_id + "\""};
      document = q.getColumn(0).getString();
    } catch (const std::exception& e) {
      return Error{ErrorCode::kIo, "", "cannot read consultation " + consultation_id + ": " + e.what()};
    }
  }
  nlohmann::json doc;
  try {
    doc = parse_stored_json(document, "/consultations/" + consultation_id);
  } catch (const std::exception& e) {
    return Error{ErrorCode::kInvalidJson, "", e.what()};
  }
  auto it = doc.find("questions");
  if (it == doc.end() || !it->is_array()) return nlohmann::json::array();
  return *it;
}

namespace {

// Reads the consultation's rows with ids in [from, to] into `builder`, in id order.
Status read_rows(SQLite::Database& db, const std::string& consultation_id, bool scan, int version,
                 int64_t from, int64_t to, analysis::ResponseTableBuilder& builder) {
  // When the consultation holds most of the rows a scan in rowid order beats the index (and
  // needs no sort); otherwise the index finds its rows and SQLite sorts them by id.
  const char* language = version >= 4 ? "language" : "'en-GB'";
  std::string sql = std::string("SELECT reference, channel, ") + language + ", created_at, answers FROM responses" +
                    (scan ? " NOT INDEXED" : "") + " WHERE consultation_id = ? AND id BETWEEN ? AND ? ORDER BY id";
  // The raw statement rather than SQLite::Statement: its Column copies (and counts) a shared
  // pointer to the statement for every cell of every row.
  sqlite3_stmt* raw = nullptr;
  auto failed = [&](const char* what) {
    return Error{ErrorCode::kIo, "", std::string("cannot read the responses of ") + consultation_id + " (" + what +
                                         "): " + sqlite3_errmsg(db.getHandle())};
  };
  if (sqlite3_prepare_v2(db.getHandle(), sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr) != SQLITE_OK)
    return failed("prepare");
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> q(raw, sqlite3_finalize);
  if (sqlite3_bind_text(raw, 1, consultation_id.data(), static_cast<int>(consultation_id.size()), SQLITE_STATIC) !=
          SQLITE_OK ||
      sqlite3_bind_int64(raw, 2, from) != SQLITE_OK || sqlite3_bind_int64(raw, 3, to) != SQLITE_OK)
    return failed("bind");
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    std::string_view reference = text_of(raw, 0);
    auto st = builder.add_json_text(text_of(raw, 4), text_of(raw, 1), text_of(raw, 2), text_of(raw, 3), reference);
    if (!st) {
      Error e = st.error();
      e.message = "response " + std::string(reference) + ": " + e.message;
      return e;
    }
  }
  if (rc != SQLITE_DONE) return failed("step");
  return Status::Ok();
}

// A part's error names its row within the part ("/responses/<i>/…"): renumbered within the table.
Error renumbered(Error e, size_t rows_before) {
  static const std::string kPrefix = "/responses/";
  if (rows_before == 0 || e.field.rfind(kPrefix, 0) != 0) return e;
  size_t end = kPrefix.size();
  while (end < e.field.size() && e.field[end] >= '0' && e.field[end] <= '9') ++end;
  if (end == kPrefix.size()) return e;
  const size_t row = std::stoull(e.field.substr(kPrefix.size(), end - kPrefix.size())) + rows_before;
  e.field = kPrefix + std::to_string(row) + e.field.substr(end);
  return e;
}

// Responses per reading thread below which another thread is not worth its connection.
constexpr int64_t kRowsPerThread = 100'000;
constexpr unsigned kMaxThreads = 8;

}  // namespace

Result<analysis::ResponseTable> AnalysisReader::responses(const std::string& consultation_id, unsigned threads_asked) {
  auto qs = questions(consultation_id);
  if (!qs) return qs.error();
  if (impl_->pg) {
    auto b = analysis::ResponseTableBuilder::create(*qs);
    if (!b) return b.error();
    if (auto st = impl_->pg->responses(consultation_id, *b); !st) return st.error();
    return std::move(*b).finish();
  }
  int64_t count = 0, total = 0, first_id = 0, last_id = -1;
  try {
    SQLite::Statement c(*impl_->db,
                        "SELECT COUNT(*), MIN(id), MAX(id), (SELECT MAX(id) FROM responses) FROM responses "
                        "WHERE consultation_id = ?");
    c.bind(1, consultation_id);
    if (c.executeStep()) {
      count = c.getColumn(0).getInt64();
      if (count > 0) {
        first_id = c.getColumn(1).getInt64();
        last_id = c.getColumn(2).getInt64();
      }
      total = c.getColumn(3).isNull() ? 0 : c.getColumn(3).getInt64();
    }
  } catch (const std::exception& e) {
    return Error{ErrorCode::kIo, "", "cannot read the responses of " + consultation_id + ": " + e.what()};
  }
  const bool scan = count * 2 >= total;
  // A large consultation is read in id ranges on several threads, each with its own connection
  // and builder, and the parts joined: the rows go through SQLite and the answers parser on every
  // core. Rows stored after the counts above (ids beyond last_id) are not read.
  const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
  const auto threads = static_cast<size_t>(
      threads_asked > 0
          ? std::clamp<int64_t>(count, 1, threads_asked)
          : std::clamp<int64_t>(count / kRowsPerThread, 1, static_cast<int64_t>(std::min(hardware, kMaxThreads))));
  const int64_t span = last_id - first_id + 1, n_parts = static_cast<int64_t>(threads);
  std::vector<int64_t> bounds{first_id};
  for (int64_t k = 1; k < n_parts; ++k) bounds.push_back(first_id + span / n_parts * k + span % n_parts * k / n_parts);
  bounds.push_back(last_id + 1);
  std::vector<std::optional<analysis::ResponseTableBuilder>> builders(threads);
  std::vector<Status> status(threads);
  for (size_t k = 0; k < threads; ++k) {
    auto b = analysis::ResponseTableBuilder::create(*qs);
    if (!b) return b.error();
    // Ids are dense when the consultation holds most rows, so a range's share of the ids is
    // about its share of the rows.
    b->reserve(static_cast<size_t>(threads == 1 ? count : count * (bounds[k + 1] - bounds[k]) / span));
    builders[k].emplace(std::move(*b));
  }
  auto read_part = [&](size_t k, SQLite::Database& db) {
    try {
      status[k] = read_rows(db, consultation_id, scan, impl_->version, bounds[k], bounds[k + 1] - 1, *builders[k]);
    } catch (const std::exception& e) {
      status[k] = Error{ErrorCode::kIo, "", "cannot read the responses of " + consultation_id + ": " + e.what()};
    }
  };
  {
    std::vector<std::thread> pool;
    for (size_t k = 1; k < threads; ++k) {
      pool.emplace_back([&, k] {
        try {
          SQLite::Database db(impl_->path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX, 5000);
          db.exec("PRAGMA query_only=ON");
          read_part(k, db);
        } catch (const std::exception& e) {
          status[k] = Error{ErrorCode::kIo, "", "cannot read the responses of " + consultation_id + ": " + e.what()};
        }
      });
    }
    read_part(0, *impl_->db);
    for (auto& t : pool) t.join();
  }
  std::vector<analysis::ResponseTable> parts;
  size_t rows_before = 0;
  for (size_t k = 0; k < threads; ++k) {
    if (!status[k]) return renumbered(status[k].error(), rows_before);
    rows_before += builders[k]->rows();
    parts.push_back(std::move(*builders[k]).finish());
    builders[k].reset();
  }
  return analysis::concat_response_tables(std::move(parts));
}

}  // namespace townhall
