// open_store: the backend chosen by what the caller gave (open_store.h).
#include "townhall/store/open_store.h"

#include "townhall/store/postgres_store.h"

namespace townhall {

Result<std::unique_ptr<Store>> open_store(const std::string& url_or_path, const SqliteOptions& options) {
  if (!is_postgres_url(url_or_path)) return open_sqlite_store(url_or_path, options);
  PostgresOptions pg;
  pg.create = options.create;
  pg.read_only = options.read_only;
  pg.target_version = options.target_version;
  pg.idempotency_retention_days = options.idempotency_retention_days;
  pg.audit_key_file = options.audit_key_file;
  pg.create_audit_key = options.create_audit_key;
  return open_postgres_store(url_or_path, pg);
}

}  // namespace townhall
