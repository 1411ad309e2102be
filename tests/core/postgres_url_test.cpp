// Database URLs: which backend a --db value means, Townhall's own settings in a PostgreSQL URL's
// query, and a URL as messages show it (never its password).
#include <gtest/gtest.h>

#include "townhall/store/open_store.h"
#include "townhall/store/postgres_store.h"

namespace townhall {
namespace {

TEST(DatabaseUrl, OnlyPostgresSchemesArePostgres) {
  EXPECT_TRUE(is_postgres_url("postgresql:///townhall?host=/run/postgresql"));
  EXPECT_TRUE(is_postgres_url("postgres://u@db/townhall"));
  EXPECT_FALSE(is_postgres_url("townhall.db"));
  EXPECT_FALSE(is_postgres_url("/srv/postgresql://x.db"));
  EXPECT_FALSE(is_postgres_url("POSTGRESQL://db/x"));  // a file of that name, as SQLite would take it
}

TEST(DatabaseUrl, TownhallSettingsAreTakenOutOfTheQuery) {
  if (postgres_latest_schema_version() == 0) GTEST_SKIP() << "built without PostgreSQL support";
  auto u = parse_postgres_url("postgresql:///th?host=/tmp/s&pool_size=16&audit_key=%2Fetc%2Fth%20key&user=t");
  ASSERT_TRUE(u.ok()) << u.error().describe();
  EXPECT_EQ(u->conninfo, "postgresql:///th?host=/tmp/s&user=t");
  EXPECT_EQ(u->options.pool_size, 16);
  EXPECT_EQ(u->options.audit_key_file, "/etc/th key");
  auto plain = parse_postgres_url("postgres://db/th");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->conninfo, "postgres://db/th");
  EXPECT_EQ(plain->options.pool_size, 8);
  for (const char* bad : {"postgresql:///th?pool_size=0", "postgresql:///th?pool_size=1001", "postgresql:///th?pool_size=",
                          "postgresql:///th?pool_size=8x"}) {
    auto r = parse_postgres_url(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "pool_size");
  }
  EXPECT_EQ(parse_postgres_url("postgresql:///th?audit_key=%zz").error().field, "audit_key");
  EXPECT_EQ(parse_postgres_url("postgresql:///th?audit_key=").error().field, "audit_key");
}

TEST(DatabaseUrl, MessagesNeverShowAPassword) {
  EXPECT_EQ(database_for_display("postgresql://th:s3cret@db.example/th"), "postgresql://th:***@db.example/th");
  EXPECT_EQ(database_for_display("postgresql:///th?user=th&password=s3cret&host=/s"),
            "postgresql:///th?user=th&password=***&host=/s");
  EXPECT_EQ(database_for_display("postgresql://th@db/th"), "postgresql://th@db/th");
  EXPECT_EQ(database_for_display("/srv/th:pw@x.db"), "/srv/th:pw@x.db");  // a path is shown as it is
}

}  // namespace
}  // namespace townhall
