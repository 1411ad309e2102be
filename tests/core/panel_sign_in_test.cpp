// Panel members' sign-in addresses in the store: unique once trimmed and case-folded, proven
// before use, and the upgrade of a database that already holds the same address several times.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <unistd.h>

#include <filesystem>

#include "townhall/panel/sign_in_email.h"
#include "townhall/store/sqlite_store.h"

#include "store_test_util.h"

namespace townhall {
namespace {

using testing_store::TempDb;

// Schema 10 had no notion of a sign-in address: the sign-in page took the lowest member id whose
// email matched ignoring ASCII case. A database of that time may hold one address several times —
// including the attack of an online join made before the council's import of the same person.
TEST(PanelSignIn, TheUpgradeKeepsEveryDuplicateAndGivesEachAddressToOneMember) {
  TempDb t;
  {
    SqliteOptions o = SqliteOptions::creating();
    o.target_version = 10;
    auto old = open_sqlite_store(t.path(), o);
    ASSERT_TRUE(old.ok()) << old.error().describe();
  }
  {
    SQLite::Database raw(t.path(), SQLite::OPEN_READWRITE);
    const char* people[] = {
        R"({"name":"Mallory","email":"Victim@Example.org"})",  // 1: joined online first
        R"({"name":"Victoria","email":"victim@example.org"})",  // 2: then imported by the council
        R"({"name":"Sam","email":"sam@example.org"})",          // 3: joined online
        R"({"name":"Sam again","email":" SAM@example.org "})",  // 4: joined online again, later
        R"({"name":"No email"})",                               // 5
        R"({"name":"Greta","email":"STRASSE@example.de"})",     // 6: imported (paper)
        R"({"name":"Grete","email":"straße@example.de"})",      // 7: imported with a council id
    };
    const char* members[] = {"online', NULL", "import', 'R-2'", "online', NULL", "online', NULL",
                             "online', NULL", "paper', NULL", "import', 'R-7'"};
    for (int i = 0; i < 7; ++i) {
      SQLite::Statement p(raw, "INSERT INTO people(id, data, created_at) VALUES (?, ?, '2026-01-01T00:00:00Z')");
      p.bind(1, i + 1);
      p.bind(2, people[i]);
      p.exec();
      // members[i] is "<channel>', <external id>": the channel's closing quote comes with it.
      raw.exec("INSERT INTO panel_members(id, person_id, channel, external_id, joined_on, fact_consent, created_at) VALUES (" +
               std::to_string(i + 1) + ", " + std::to_string(i + 1) + ", '" + members[i] +
               ", '2026-01-01', 0, '2026-01-01T00:00:00Z')");
    }
  }
  auto store = open_sqlite_store(t.path());
  ASSERT_TRUE(store.ok()) << store.error().describe();
  auto& s = **store;
  // The council's member keeps the address over an earlier online join.
  EXPECT_EQ(s.member_by_email("victim@example.org")->id, 2);
  EXPECT_EQ(s.member_by_email("VICTIM@EXAMPLE.ORG")->id, 2);
  // Among online joins only, the lowest id — the member every sign-in opened until now.
  EXPECT_EQ(s.member_by_email("sam@example.org")->id, 3);
  // Among council-entered members, the lowest id too; folding makes STRASSE and straße one address.
  EXPECT_EQ(s.member_by_email("Straße@Example.DE")->id, 6);
  // Nobody's data is lost: every person keeps their email as they gave it.
  auto all = s.list_members().value();
  ASSERT_EQ(all.size(), 7u);
  EXPECT_EQ(all[0].personal["email"], "Victim@Example.org");
  EXPECT_EQ(all[3].personal["email"], " SAM@example.org ");
  EXPECT_EQ(all[6].personal["email"], "straße@example.de");
  // From now on one address has one sign-in member: a second proven holder is refused.
  SQLite::Database raw(t.path(), SQLite::OPEN_READWRITE);
  EXPECT_THROW(raw.exec("UPDATE panel_members SET email_verified = 1 WHERE id = 1"), SQLite::Exception);
}

TEST(PanelSignIn, AddressesCompareTrimmedAndCaseFolded) {
  using panel::sign_in_key;
  EXPECT_EQ(sign_in_key("Victim@Example.org"), "victim@example.org");
  EXPECT_EQ(sign_in_key(" \tvictim@example.org\u00a0 "), "victim@example.org");  // a pasted no-break space too
  EXPECT_EQ(sign_in_key("STRASSE@example.DE"), sign_in_key("straße@example.de"));  // full case folding
  EXPECT_EQ(sign_in_key("ΑΝΝΑ@example.gr"), sign_in_key("αννα@example.gr"));
  EXPECT_EQ(sign_in_key("ΣΟΦΙΑ@example.gr"), sign_in_key("σοφια@example.gr"));
  // Composed and decomposed forms are one address: é and e + U+0301.
  EXPECT_EQ(sign_in_key("Ren\u00c9@example.fr"), sign_in_key("rene\u0301@example.fr"));
  EXPECT_NE(sign_in_key("ada@example.org"), sign_in_key("ada.l@example.org"));
  EXPECT_FALSE(sign_in_key("   "));
  EXPECT_FALSE(sign_in_key(""));
  EXPECT_FALSE(sign_in_key("bad\xff@example.org"));
}

}  // namespace
}  // namespace townhall
