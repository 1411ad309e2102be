// What AnalysisReader reads from a PostgreSQL Townhall database (store/postgres_analysis.h): the
// consultations, a consultation's document and its responses for the analysts' tables.
#include "pq.h"
#include "store/postgres_analysis.h"
#include "townhall/store/postgres_store.h"

namespace townhall::postgres_analysis {
namespace {

class PgSource final : public Source {
 public:
  PgSource(const std::string& conninfo, int version) : c_(conninfo), version_(version) {}
  pq::Conn& conn() { return c_; }
  int schema_version() const override { return version_; }

  Result<std::vector<ConsultationOverview>> consultations() override {
    try {
      auto q = c_.exec("SELECT c.id, c.status, c.title, COALESCE(c.opens, ''), COALESCE(c.closes, ''), "
                       "(SELECT COUNT(*) FROM responses r WHERE r.consultation_id = c.id) "
                       "FROM consultations c ORDER BY c.seq");
      std::vector<ConsultationOverview> out;
      for (int i = 0; i < q.size(); ++i) {
        out.push_back({q.str(i, 0), q.str(i, 1), q.str(i, 2), q.str(i, 3), q.str(i, 4), q.i64(i, 5)});
      }
      return out;
    } catch (const std::exception& e) {
      return Error{ErrorCode::kIo, "", std::string("cannot list consultations: ") + e.what()};
    }
  }

  Result<std::string> document(const std::string& consultation_id) override {
    try {
      auto q = c_.exec("SELECT document FROM consultations WHERE id = $1", {consultation_id});
      if (q.empty()) return Error{ErrorCode::kNotFound, "consultation", "no consultation \"" + consultation_id + "\""};
      return q.str(0, 0);
    } catch (const std::exception& e) {
      return Error{ErrorCode::kIo, "", "cannot read consultation " + consultation_id + ": " + e.what()};
    }
  }

  Status responses(const std::string& consultation_id, analysis::ResponseTableBuilder& builder) override {
    try {
      auto q = c_.exec("SELECT reference, channel, language, created_at, answers FROM responses "
                       "WHERE consultation_id = $1 ORDER BY id",
                       {consultation_id});
      builder.reserve(static_cast<size_t>(q.size()));
      for (int i = 0; i < q.size(); ++i) {
        const std::string reference = q.str(i, 0);
        auto st = builder.add_json_text(q.str(i, 4), q.str(i, 1), q.str(i, 2), q.str(i, 3), reference);
        if (!st) {
          Error e = st.error();
          e.message = "response " + reference + ": " + e.message;
          return e;
        }
      }
      return Status::Ok();
    } catch (const std::exception& e) {
      return Error{ErrorCode::kIo, "", "cannot read the responses of " + consultation_id + ": " + e.what()};
    }
  }

 private:
  pq::Conn c_;
  int version_;
};

}  // namespace

Result<std::unique_ptr<Source>> open(const std::string& url, bool writable) {
  auto parsed = parse_postgres_url(url);
  if (!parsed) return Error{parsed.error().code, "path", parsed.error().message};
  try {
    pq::Conn probe(parsed->conninfo);
    auto t = probe.exec("SELECT to_regclass('schema_version') IS NOT NULL AND to_regclass('consultations') IS NOT NULL "
                        "AND to_regclass('responses') IS NOT NULL");
    if (t.str(0, 0) != "t") {
      return invalid_argument("path", "the PostgreSQL database holds no Townhall tables");
    }
    const int version = static_cast<int>(probe.exec("SELECT COALESCE(MAX(version), 0) FROM schema_version").i64(0, 0));
    const int latest = postgres_latest_schema_version();
    if (version > latest) {
      return Error{ErrorCode::kConflict, "path",
                   "database schema version " + std::to_string(version) + " is newer than this Townhall understands (up to " +
                       std::to_string(latest) + "); use a newer Townhall"};
    }
    auto source = std::make_unique<PgSource>(parsed->conninfo, version);
    source->conn().exec_script(writable ? "SET TIME ZONE 'UTC'"
                                        : "SET TIME ZONE 'UTC'; SET default_transaction_read_only = on");
    return std::unique_ptr<Source>(std::move(source));
  } catch (const std::exception& e) {
    return Error{ErrorCode::kIo, "path", std::string("cannot open the PostgreSQL database: ") + e.what()};
  }
}

}  // namespace townhall::postgres_analysis
