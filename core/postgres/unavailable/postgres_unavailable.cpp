// The PostgreSQL entry points of a build made without libpq: every URL is refused, saying so.
#include "store/postgres_analysis.h"
#include "townhall/store/postgres_store.h"

namespace townhall {

int postgres_latest_schema_version() { return 0; }

bool is_postgres_url(std::string_view url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

Result<PostgresUrl> parse_postgres_url(const std::string&, PostgresOptions) {
  return invalid_argument("", "this Townhall was built without PostgreSQL support (libpq-dev was not installed)");
}

Result<std::unique_ptr<Store>> open_postgres_store(const std::string&, const PostgresOptions&) {
  return invalid_argument("", "this Townhall was built without PostgreSQL support (libpq-dev was not installed)");
}

}  // namespace townhall

namespace townhall {

int postgres_mirrors_sqlite_version() { return 0; }

Result<DatabaseCopy> copy_sqlite_to_postgres(const std::string&, const std::string&, const std::string&) {
  return invalid_argument("", "this Townhall was built without PostgreSQL support (libpq-dev was not installed)");
}

}  // namespace townhall

namespace townhall::postgres_analysis {

Result<std::unique_ptr<Source>> open(const std::string&, bool) {
  return invalid_argument("path", "this Townhall was built without PostgreSQL support (libpq-dev was not installed)");
}

}  // namespace townhall::postgres_analysis
