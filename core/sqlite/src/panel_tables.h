// Internal to the SQLite store: the Citizens' Panel tables (migration 007_panel_membership.sql), used
// by the panel, people and web-session stores (defined in panel.cpp).
// Every function runs inside the caller's transaction, with the store's mutex held, and throws
// SQLite::Exception on database trouble.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>
#include <vector>

#include "townhall/error.h"
#include "townhall/panel/contact_policy.h"
#include "townhall/panel/member.h"

namespace townhall::sqlite::panel_tables {

// Inserts person, member, facts (and the user when a token hash is given). `field_prefix` is put
// before field names in errors ("/3" for the fourth member of an import). A proven email that is
// another member's sign-in address already is kConflict ("<prefix>/email").
Result<panel::Member> insert_member(SQLite::Database& db, const panel::NewMember& m, const std::string& now,
                                    const std::string& field_prefix);
std::optional<panel::Member> member_where(SQLite::Database& db, const char* column, int64_t value);
std::vector<panel::Member> all_members(SQLite::Database& db);
// The member whose proven sign-in address has this key (panel::sign_in_key); at most one.
std::optional<panel::Member> member_with_sign_in_key(SQLite::Database& db, const std::string& key);
// After a person's personal data was replaced: if they are a member whose email now compares
// differently, the new address is theirs unproven (it signs in nobody until confirmed).
void email_changed(SQLite::Database& db, int64_t person_id, const nlohmann::json& personal);
std::vector<panel::Fact> facts_of(SQLite::Database& db, int64_t member_id);
std::vector<std::pair<int64_t, std::vector<panel::Fact>>> facts_of_all(SQLite::Database& db);
void upsert_facts(SQLite::Database& db, int64_t member_id, const std::vector<panel::Fact>& facts);
void insert_invitations(SQLite::Database& db, const std::vector<panel::Invitation>& invitations);
// The first new invitation (not a repeat of member+consultation) that would give its member more
// than `limit` allows in the window ending on its date, as a kConflict error; nothing if none.
std::optional<Error> over_contact_limit(SQLite::Database& db, const std::vector<panel::Invitation>& invitations,
                                        const panel::ContactPolicy& limit);
std::vector<panel::Invitation> invitations_where(SQLite::Database& db, const std::string& where, const std::string& arg);
// Erases a member; the caller checked that it exists.
panel::Erasure erase(SQLite::Database& db, const panel::Member& m);

}  // namespace townhall::sqlite::panel_tables
