// townhall/panel/respondents.h — how representative a consultation's respondents are of the
// borough, from what the council knows about them (docs/design.md §2.6).
//
// Only a response linked to a person who is a Citizens' Panel member carries facts (their tenure,
// ethnicity, ward… valid on the day); anonymous responses carry none. Each such person counts once
// however many times they responded. Their facts are compared with the targets by pool_report()
// (recruitment.h), the same comparison as the panel pool's, so the report says both how the
// respondents with facts compare and how many they are of all the responses.
// Thread-safety: as safe as the stores given.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "townhall/analysis/census.h"
#include "townhall/date.h"
#include "townhall/error.h"
#include "townhall/panel/recruitment.h"
#include "townhall/panel/store.h"
#include "townhall/responses/store.h"

namespace townhall::panel {

struct RespondentsReport {
  int64_t responses = 0;         // every response to the consultation
  int64_t people = 0;            // distinct people the responses are linked to
  int64_t with_facts = 0;        // of those, panel members with at least one valid fact
  PoolReport fit;                // their facts against the targets (fit.members == with_facts)
};

Result<RespondentsReport> respondents_report(ResponseStore& responses, PanelStore& panel,
                                             const std::string& consultation_id,
                                             const std::vector<analysis::CategoryTargets>& targets, Date today);

}  // namespace townhall::panel
