// Internal to the PostgreSQL store: the Citizens' Panel tables, used by the panel, people and
// web-session stores (defined in panel.cpp). Every function runs inside the caller's transaction
// and throws pq::Failure on database trouble.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "database.h"
#include "townhall/error.h"
#include "townhall/panel/contact_policy.h"
#include "townhall/panel/member.h"

namespace townhall::postgres::panel_tables {

// Inserts person, member, facts (and the user when a token hash is given). `field_prefix` is put
// before field names in errors ("/3" for the fourth member of an import). A proven email that is
// another member's sign-in address already is kConflict ("<prefix>/email").
// A stored YYYY-MM-DD; a malformed one (changed behind the store's back) reads as Date().
Date stored_date(const std::string& text);
Result<panel::Member> insert_member(Tx& tx, const panel::NewMember& m, const std::string& now,
                                    const std::string& field_prefix);
// The member whose `column` (id, person_id, user_id) is `value`; locked FOR UPDATE when `lock`.
std::optional<panel::Member> member_where(Tx& tx, const char* column, int64_t value, bool lock = false);
std::vector<panel::Member> all_members(Tx& tx);
std::optional<panel::Member> member_with_sign_in_key(Tx& tx, const std::string& key);
void email_changed(Tx& tx, int64_t person_id, const nlohmann::json& personal);
std::vector<panel::Fact> facts_of(Tx& tx, int64_t member_id);
std::vector<std::pair<int64_t, std::vector<panel::Fact>>> facts_of_all(Tx& tx);
void upsert_facts(Tx& tx, int64_t member_id, const std::vector<panel::Fact>& facts);
panel::Erasure erase(Tx& tx, const panel::Member& m);

}  // namespace townhall::postgres::panel_tables
