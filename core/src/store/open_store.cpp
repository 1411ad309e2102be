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

std::string database_for_display(const std::string& url_or_path) {
  if (!is_postgres_url(url_or_path)) return url_or_path;
  std::string out = url_or_path;
  const size_t scheme = out.find("://") + 3;
  const size_t end = out.find_first_of("/?", scheme);
  const size_t at = out.rfind('@', end == std::string::npos ? out.size() : end);
  if (at != std::string::npos && at >= scheme) {
    const size_t colon = out.find(':', scheme);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  for (size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
    if (p > 0 && out[p - 1] != '?' && out[p - 1] != '&') continue;
    const size_t v = p + std::string("password=").size();
    const size_t e = out.find('&', v);
    out.replace(v, (e == std::string::npos ? out.size() : e) - v, "***");
  }
  return out;
}

}  // namespace townhall
