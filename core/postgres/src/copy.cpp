// copy_sqlite_to_postgres (postgres_store.h): every table of an SQLite Townhall database into an
// empty PostgreSQL one, in one transaction, then the audit chain verified on the copy.
#include <SQLiteCpp/SQLiteCpp.h>

#include "database.h"
#include "townhall/store/analysis_reader.h"
#include "townhall/store/sqlite_store.h"

namespace townhall {
namespace {

// The SQLite schema version the PostgreSQL store's migrations reproduce (001: 14; 002: 16's
// register; 003: 15's holiday feeds and actual dates; 004: 17's disabled users; 005: 18's exception
// requests).
constexpr int kMirroredSqliteVersion = 19;

// The tables in an order that satisfies every foreign key; audit_head is updated, not inserted.
constexpr const char* kTables[] = {
    "users", "people", "equality_data", "consultations", "consultation_wards", "consultation_topics", "questions",
    "responses", "key_decisions", "notices", "audit_log", "audit_sealing", "consultation_translations",
    "consultation_meetings", "pages_drafts", "pages_outbox", "panel_members", "panel_facts", "panel_invitations",
    "pages_member_tokens", "panel_email_confirmations", "site_secrets", "staff_accounts", "staff_sessions",
    "sign_in_failures", "forward_plan_records", "bank_holiday_feeds", "exception_requests"};

// Tables whose id the PostgreSQL store numbers itself: their sequences continue after the copy.
constexpr const char* kIdentityTables[] = {"users",  "people",        "responses",     "notices",
                                           "consultation_meetings", "pages_outbox", "panel_members",
                                           "panel_invitations", "staff_sessions", "bank_holiday_feeds",
                                           "exception_requests"};

}  // namespace

int postgres_mirrors_sqlite_version() { return kMirroredSqliteVersion; }

Result<DatabaseCopy> copy_sqlite_to_postgres(const std::string& sqlite_path, const std::string& url,
                                             const std::string& audit_key_file) {
  // The source, opened the way a reader opens it: nothing in it changes.
  auto kind = database_file_kind(sqlite_path);
  if (!kind) return Error{kind.error().code, "--from", kind.error().message};
  if (*kind != DatabaseFileKind::kTownhall) {
    return invalid_argument("--from", sqlite_path + " is not a Townhall database");
  }
  DatabaseCopy out;
  AuditVerification source_audit;
  {
    SqliteOptions o = SqliteOptions::reading();
    o.audit_key_file = audit_key_file.empty() ? "/nonexistent/townhall-no-audit-key" : audit_key_file;
    auto source = open_sqlite_store(sqlite_path, o);
    if (!source) return Error{source.error().code, "--from", source.error().message};
    if ((*source)->schema_version() != kMirroredSqliteVersion) {
      return invalid_argument("--from", sqlite_path + " is at schema version " +
                                            std::to_string((*source)->schema_version()) + "; this copy reads version " +
                                            std::to_string(kMirroredSqliteVersion) +
                                            (((*source)->schema_version() < kMirroredSqliteVersion)
                                                 ? " (open it once with this Townhall, e.g. `townhall audit verify`, "
                                                   "after `townhall serve` or any writing command, to upgrade it)"
                                                 : " (use the Townhall that wrote it)"));
    }
    auto v = (*source)->verify_audit();
    if (!v) return Error{v.error().code, "--from", v.error().message};
    if (v->state == AuditState::kBroken) {
      return Error{ErrorCode::kConflict, "--from", "the source's audit log is broken: " + v->problem + " — nothing was copied"};
    }
    source_audit = *v;
  }
  // The target: migrated when empty; it must hold no Townhall data yet.
  PostgresOptions po;
  po.create = true;
  po.pool_size = 1;
  {
    auto target = open_postgres_store(url, po);
    if (!target) return Error{target.error().code, "--to", target.error().message};
  }
  auto parsed = parse_postgres_url(url, po);
  if (!parsed) return Error{parsed.error().code, "--to", parsed.error().message};
  try {
    SQLite::Database src(sqlite_read_only_uri(sqlite_path), SQLite::OPEN_READONLY | SQLite::OPEN_URI, 5000);
    pq::Conn dst(parsed->conninfo);
    dst.exec("BEGIN");
    dst.exec("SET LOCAL TIME ZONE 'UTC'");
    // No other writer may start on the target while it is filled.
    dst.exec("LOCK TABLE audit_head IN EXCLUSIVE MODE");
    for (const char* table : kTables) {
      if (dst.exec(std::string("SELECT 1 FROM ") + table + " LIMIT 1").size() > 0) {
        dst.exec("ROLLBACK");
        return Error{ErrorCode::kConflict, "--to",
                     std::string("the PostgreSQL database already holds data (table ") + table +
                         "); copy into an empty one — nothing was changed"};
      }
    }
    SQLite::Transaction snapshot(src);  // one consistent view of the source
    for (const char* table : kTables) {
      SQLite::Statement q(src, std::string("SELECT * FROM ") + table);
      const int n = q.getColumnCount();
      std::string insert = std::string("INSERT INTO ") + table + "(";
      std::string values;
      for (int c = 0; c < n; ++c) {
        insert += (c ? ", " : "") + std::string(q.getColumnName(c));
        values += (c ? ",$" : "$") + std::to_string(c + 1);
      }
      insert += ") VALUES (" + values + ")";
      int64_t rows = 0;
      std::vector<pq::Param> params;
      while (q.executeStep()) {
        params.clear();
        for (int c = 0; c < n; ++c) {
          const SQLite::Column col = q.getColumn(c);
          if (col.isNull()) params.emplace_back(nullptr);
          else params.emplace_back(col.getString());
        }
        dst.exec_v(insert, params);
        ++rows;
      }
      out.tables.emplace_back(table, rows);
    }
    {
      SQLite::Statement h(src, "SELECT seq, hash FROM audit_head WHERE singleton=1");
      if (h.executeStep()) {
        dst.exec("UPDATE audit_head SET seq=$1, hash=$2 WHERE singleton=1",
                 {h.getColumn(0).getInt64(), h.getColumn(1).getString()});
      }
    }
    for (const char* table : kIdentityTables) {
      dst.exec(std::string("SELECT setval(pg_get_serial_sequence('") + table + "', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM " +
               table);
    }
    dst.exec("SELECT setval('consultations_seq', COALESCE(MAX(seq), 0) + 1, false) FROM consultations");
    dst.exec("COMMIT");
  } catch (const std::exception& e) {
    return Error{ErrorCode::kIo, "", std::string("cannot copy the database (nothing was kept): ") + e.what()};
  }
  // The copy's chain, checked through a store on it like any server would.
  PostgresOptions check;
  check.pool_size = 1;
  check.audit_key_file = audit_key_file;
  check.create_audit_key = false;
  auto copied = open_postgres_store(url, check);
  if (!copied) return copied.error();
  auto v = (*copied)->verify_audit();
  if (!v) return v.error();
  out.audit = *v;
  if (v->state == AuditState::kBroken || v->head_seq != source_audit.head_seq || v->head_hash != source_audit.head_hash) {
    return Error{ErrorCode::kConflict, "--to",
                 "the copy's audit log does not match the source's (" +
                     (v->problem.empty() ? "head " + std::to_string(v->head_seq) : v->problem) + ")"};
  }
  return out;
}

}  // namespace townhall
