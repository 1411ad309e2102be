// The PostgreSQL database behind open_postgres_store: the URL and its Townhall settings, what a
// database holds before it is opened, the migrations in core/postgres/migrations, and the error
// mapping every capability's writes share.
#include <cstring>
#include <set>

#include "database.h"

namespace townhall::embedded::pg_migrations {
const std::vector<std::string_view>& in_order();
}

namespace townhall {
namespace postgres {
namespace {

// The advisory lock key that serialises migrations of one database ("townhall" in ASCII).
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7526752211848588396)";

}  // namespace

const std::vector<std::string_view>& migrations() { return embedded::pg_migrations::in_order(); }

Error store_error(std::string_view what, const std::exception& e) {
  if (const auto* f = dynamic_cast<const pq::Failure*>(&e); f != nullptr && f->out_of_space()) {
    return Error{ErrorCode::kStorageFull, "", std::string(what) + ": the disk holding the database is full"};
  }
  return Error{ErrorCode::kIo, "", std::string(what) + ": " + e.what()};
}

PgStore::PgStore(const std::string& conninfo, const PostgresOptions& options) : options_(options) {
  // Every session speaks UTC and refuses to write when the store is read-only.
  std::string setup = "SET TIME ZONE 'UTC'";
  if (options.read_only) setup += "; SET default_transaction_read_only = on";
  pool_ = std::make_unique<Pool>(conninfo, options.pool_size, setup);
}

Status PgStore::migrate(int target, bool create) {
  const int latest = static_cast<int>(migrations().size());
  if (target <= 0 || target > latest) target = latest;
  try {
    auto lease = pool_->acquire();
    pq::Conn& c = lease.conn();
    c.exec(options_.read_only ? "BEGIN READ ONLY" : "BEGIN");
    try {
      if (!options_.read_only) c.exec(kMigrationLock);
      // What the schema the connection writes to (the first of its search_path) holds.
      auto tables = c.exec(
          "SELECT table_name FROM information_schema.tables "
          "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
      std::set<std::string> names;
      for (int i = 0; i < tables.size(); ++i) names.insert(tables.str(i, 0));
      int current = 0;
      if (names.empty()) {
        if (!create || options_.read_only) {
          c.exec("ROLLBACK");
          return Error{ErrorCode::kNotFound, "", "the database holds no Townhall tables (nothing at all)"};
        }
      } else if (!(names.count("schema_version") && names.count("audit_log") && names.count("consultations"))) {
        c.exec("ROLLBACK");
        return invalid_argument("", "the database holds tables of another program, not Townhall's — refusing to change it");
      } else {
        auto v = c.exec("SELECT COALESCE(MAX(version), 0) FROM schema_version");
        current = static_cast<int>(v.i64(0, 0));
      }
      if (current > latest) {
        c.exec("ROLLBACK");
        return Error{ErrorCode::kConflict, "",
                     "database schema version " + std::to_string(current) +
                         " is newer than this Townhall understands (up to " + std::to_string(latest) +
                         "); use a newer Townhall — the database was not changed"};
      }
      if (options_.read_only) {
        c.exec("COMMIT");
        version_ = current;
        return Status::Ok();
      }
      if (current == 0) c.exec("CREATE TABLE schema_version(version INTEGER NOT NULL)");
      for (int v = current; v < target; ++v) c.exec_script(std::string(migrations()[static_cast<size_t>(v)]));
      if (target > current) {
        c.exec("DELETE FROM schema_version");
        c.exec("INSERT INTO schema_version(version) VALUES ($1)", {target});
      }
      c.exec("COMMIT");
      version_ = std::max(current, target);
    } catch (...) {
      lease.discard_transaction();
      throw;
    }
  } catch (const std::exception& e) {
    return store_error("cannot migrate the database schema", e);
  }
  return Status::Ok();
}

int PgStore::schema_version() { return version_; }

void PgStore::after_commit(Tx& tx) {
  if (tx.mark && audit_key_) {
    // A failure leaves the mark behind the log, which verification does not mind; a mark that
    // another thread moved further meanwhile stays where it is.
    (void)audit_key_->advance_head_mark(*tx.mark);
  }
}

}  // namespace postgres

int postgres_latest_schema_version() { return static_cast<int>(postgres::migrations().size()); }

bool is_postgres_url(std::string_view url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

namespace {

int hex_digit(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

}  // namespace

Result<PostgresUrl> parse_postgres_url(const std::string& url, PostgresOptions defaults) {
  if (!is_postgres_url(url)) return invalid_argument("", "not a PostgreSQL URL (postgresql://…)");
  PostgresUrl out{url, std::move(defaults)};
  const size_t q = url.find('?');
  if (q == std::string::npos) return out;
  std::string kept;
  size_t start = q + 1;
  while (start <= url.size()) {
    size_t end = url.find('&', start);
    if (end == std::string::npos) end = url.size();
    std::string_view pair(url.data() + start, end - start);
    const size_t eq = pair.find('=');
    std::string_view name = pair.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    if (name == "pool_size") {
      int n = 0;
      bool ok = !value.empty() && value.size() <= 4;
      for (char ch : value) {
        if (ch < '0' || ch > '9') ok = false;
        else n = n * 10 + (ch - '0');
      }
      if (!ok || n < 1 || n > 1000) {
        return invalid_argument("pool_size", "pool_size in the URL must be a whole number from 1 to 1000");
      }
      out.options.pool_size = n;
    } else if (name == "audit_key") {
      auto path = percent_decode(value);
      if (!path || path->empty()) {
        return invalid_argument("audit_key", "audit_key in the URL must name the audit key file (percent-encoded)");
      }
      out.options.audit_key_file = *path;
    } else if (!pair.empty()) {
      kept += kept.empty() ? "" : "&";
      kept += pair;
    }
    start = end + 1;
  }
  out.conninfo = url.substr(0, q) + (kept.empty() ? "" : "?" + kept);
  return out;
}

Result<std::unique_ptr<Store>> open_postgres_store(const std::string& url, const PostgresOptions& options) {
  auto parsed = parse_postgres_url(url, options);
  if (!parsed) return parsed.error();
  std::unique_ptr<postgres::PgStore> store;
  try {
    store = std::make_unique<postgres::PgStore>(parsed->conninfo, parsed->options);
  } catch (const std::exception& e) {
    return Error{ErrorCode::kIo, "", std::string("cannot open the PostgreSQL database: ") + e.what()};
  }
  Status st = store->migrate(parsed->options.target_version, parsed->options.create);
  if (st && !parsed->options.read_only) st = store->init_keys();
  if (st) st = store->init_audit();
  if (!st) {
    Error err = st.error();
    err.message = "PostgreSQL database: " + err.message;
    return err;
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace townhall
