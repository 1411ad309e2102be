// townhall/panel/member_data.h — a panel member's data rights (UK GDPR Art. 15 and 17).
//
// member_data() gathers everything the council holds about a member: personal data, every fact
// with its provenance (channel, source, date, consent, valid until), their equality monitoring
// answers (kept apart in the store's equality_data table), the invitations sent, and the
// references of the responses linked to them (not the answers themselves, which they can quote by
// reference). Erasure is Store::erase_member: personal data, facts and invitations go; past
// responses stay in the results without the link to the person.
// Thread-safety: as the Store.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "townhall/error.h"
#include "townhall/access/people_store.h"
#include "townhall/panel/store.h"
#include "townhall/responses/store.h"

namespace townhall::panel {

// {member: {...}, equality_data: {...} or null, facts: [...], invitations: [...], responses: [{reference, consultation_id,
//  channel, language, created_at}]}
Result<nlohmann::json> member_data(PanelStore& panel, ResponseStore& responses, PeopleStore& people,
                                   int64_t member_id);

}  // namespace townhall::panel
