#include "townhall/store/analysis_reader.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <optional>
#include <string_view>

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

std::string_view text_of(SQLite::Statement& q, int i) {
  SQLite::Column c = q.getColumn(i);
  const char* p = c.getText(nullptr);  // text first, then its length (SQLite's rule)
  int n = c.getBytes();
  return p ? std::string_view(p, static_cast<size_t>(n)) : std::string_view();
}

}  // namespace

Result<std::unique_ptr<AnalysisReader>> AnalysisReader::open(const std::string& path, bool writable) {
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
  try {
    SQLite::Statement q(*impl_->db, "SELECT document FROM consultations WHERE id = ?");
    q.bind(1, consultation_id);
    if (!q.executeStep())
      return Error{ErrorCode::kNotFound, "consultation", "no consultation \"" + consultation_id + "\""};
    document = q.getColumn(0).getString();
  } catch (const std::exception& e) {
    return Error{ErrorCode::kIo, "", "cannot read consultation " + consultation_id + ": " + e.what()};
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

Result<analysis::ResponseTable> AnalysisReader::responses(const std::string& consultation_id) {
  auto qs = questions(consultation_id);
  if (!qs) return qs.error();
  auto builder = analysis::ResponseTableBuilder::create(*qs);
  if (!builder) return builder.error();
  try {
    int64_t count = 0, total = 0;
    {
      SQLite::Statement c(*impl_->db, "SELECT (SELECT COUNT(*) FROM responses WHERE consultation_id = ?), "
                                      "(SELECT MAX(id) FROM responses)");
      c.bind(1, consultation_id);
      if (c.executeStep()) {
        count = c.getColumn(0).getInt64();
        total = c.getColumn(1).isNull() ? 0 : c.getColumn(1).getInt64();
      }
    }
    builder->reserve(static_cast<size_t>(count));
    // When the consultation holds most of the rows a scan in rowid order beats the index (and
    // needs no sort); otherwise the index finds its rows and SQLite sorts them by id.
    const char* language = impl_->version >= 4 ? "language" : "'en-GB'";
    std::string sql = std::string("SELECT reference, channel, ") + language +
                      ", created_at, answers FROM responses" + (count * 2 >= total ? " NOT INDEXED" : "") +
                      " WHERE consultation_id = ? ORDER BY id";
    SQLite::Statement q(*impl_->db, sql);
    q.bind(1, consultation_id);
    while (q.executeStep()) {
      std::string_view reference = text_of(q, 0);
      auto st = builder->add_json_text(text_of(q, 4), text_of(q, 1), text_of(q, 2), text_of(q, 3), reference);
      if (!st) {
        Error e = st.error();
        e.message = "response " + std::string(reference) + ": " + e.message;
        return e;
      }
    }
  } catch (const std::exception& e) {
    return Error{ErrorCode::kIo, "", "cannot read the responses of " + consultation_id + ": " + e.what()};
  }
  return std::move(*builder).finish();
}

}  // namespace townhall
