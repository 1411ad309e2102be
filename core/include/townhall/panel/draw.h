// townhall/panel/draw.h — drawing a panel from the members database (docs/design.md §2.5–2.6).
//
// A draw turns the standing panel into a selection pool and runs the selection procedure of
// selection.h on it. Step 1 (prepare_draw) decides who may be drawn: every member is screened
// against the contact limits (contact_policy.h: over the limit, or already invited to this
// consultation), then needs a fact valid on `today` for each quota category ("age_band",
// "tenure", ...) whose value is one of the quota values (matched exactly, else ignoring case).
// Everyone left out is listed with one reason (the first that applies, in that order), and the
// reasons are counted, so the draw can say "12 excluded: 9 invited 3 times in the last 365 days
// (at most 3 invitations in 365 days); 3 no valid age_band". Step 2 (run_draw) runs LEXIMIN (or
// the legacy draw) over the eligible members, whose selection ids are their member ids, and draws
// one panel with the seed. With `households` the rule "one per household" uses each member's
// normalised address and postcode; members without an address are their own household.
// draw_and_invite() does both steps on the panel in a store and records the invitations: the one
// draw `townhall panel draw` and POST /api/v1/panel/draws make.
// Thread-safety: pure functions, except draw_and_invite (as safe as the PanelStore it is given).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/date.h"
#include "townhall/error.h"
#include "townhall/panel/contact_policy.h"
#include "townhall/panel/fact.h"
#include "townhall/selection/instance.h"
#include "townhall/selection/leximin.h"
#include "townhall/panel/member.h"
#include "townhall/selection/selection.h"
#include "townhall/access/role.h"
#include "townhall/panel/store.h"

namespace townhall::panel {

// What the store holds that a draw needs.
struct DrawInput {
  std::vector<Member> members;                                    // everyone on the panel
  std::vector<std::pair<int64_t, std::vector<Fact>>> facts;        // by member id
  std::vector<Invitation> invitations;                            // at least those since the window start,
                                                                  // and all to this consultation
};

struct DrawRequest {
  std::string consultation_id;
  std::vector<selection::Category> quotas;  // categories are fact keys ("age_band"); values as the facts hold them
  int size = 0;
  selection::Algorithm algorithm = selection::Algorithm::kLeximin;
  uint64_t seed = 0;
  bool households = false;
  ContactPolicy policy;
  Date today;
  double max_seconds = 0;  // > 0: LEXIMIN's wall-clock limit; then the best found so far is drawn from (see its certificate)
  std::function<void(const selection::LeximinProgress&)> progress;  // may be empty
};

struct DrawExclusion {
  int64_t member_id = 0;
  std::string reason;  // the group it is counted under: "no valid age_band"
  std::string detail;  // for this member: "... last on 2026-01-02, may be invited again from 2026-06-01"
};

// Members (or pool people) left out of a draw, counted by reason, largest group first.
using ExclusionCounts = std::vector<std::pair<std::string, int64_t>>;

// "12 excluded: 9 invited 3 times in ...; 3 no valid age_band" ("nobody excluded" when none).
std::string describe_exclusions(const ExclusionCounts& counts);
// {count, summary, by_reason: [{reason, count}]}
nlohmann::json exclusions_json(const ExclusionCounts& counts);

struct DrawPool {
  selection::Instance instance;                                        // eligible members; Person::id = member id
  std::vector<DrawExclusion> excluded;                      // in member order
  ExclusionCounts by_reason;

  std::string exclusion_summary() const { return describe_exclusions(by_reason); }
  nlohmann::json exclusions_json() const;  // exclusions_json(by_reason) and members: [{member_id, reason, detail}]
};

struct DrawResult {
  selection::SelectionResult selection;
  std::vector<int64_t> selected;  // member ids, ascending
  size_t eligible = 0;

  // {consultation_id, algorithm, size, selected, probabilities: {member id: p}, min_probability, gini,
  //  panels_in_support, seed, commitment, eligible, excluded: {...}, policy, seconds, and for LEXIMIN
  //  certificate (certificate_json) and phases (phases_json)}
  nlohmann::json to_json(const DrawRequest& request, const DrawPool& pool) const;
};

// Quota rows as JSON objects {category, value, min, max} (the API body); errors name
// "/quotas/<i>/<member>".
Result<std::vector<selection::Category>> quotas_from_json(const nlohmann::json& rows);

// Step 1: the pool of eligible members and the exclusions.
DrawPool prepare_draw(const DrawInput& input, const DrawRequest& request);

// Step 2: selection over the pool. Errors: kInvalidArgument "size" (with how many were excluded),
// kInfeasible "quotas" (message with the smallest relaxation; see draw_relaxation).
Result<DrawResult> run_draw(const DrawPool& pool, const DrawRequest& request);

// For an infeasible draw: the smallest relaxation of the quotas that makes a panel possible.
std::vector<selection::QuotaRelaxation> draw_relaxation(const DrawPool& pool, const DrawRequest& request);

// ---- draw and invite: the application function the CLI and the API call -----------------------

// A draw that could not be made, with what a front end shows beside the message: who was left out
// of the pool (once the pool was made), and for quotas that cannot be met (kInfeasible) the
// smallest relaxation.
struct DrawError : Error {
  DrawError() = default;
  DrawError(Error e) : Error(std::move(e)) {}  // NOLINT(implicit): any core error is one

  std::vector<selection::QuotaRelaxation> relaxation;
  nlohmann::json excluded;  // DrawPool::exclusions_json(); null when the pool was never made
};

struct DrawOutcome {
  DrawPool pool;
  DrawResult result;
  bool invitations_recorded = false;
};

// Loads the panel from `store` (members, facts, every invitation: one to this consultation counts
// however long ago it was sent), draws (prepare_draw, run_draw) and, unless `dry_run`, records an
// invitation on request.today for each member drawn, in one transaction with one "panel.draw"
// audit record by `actor` (consultation, how many invited and excluded, the exclusions by reason,
// seed, commitment, algorithm). The contact limit is checked again in that transaction.
// Thread-safety: as safe as the PanelStore given.
Result<DrawOutcome, DrawError> draw_and_invite(PanelStore& store, const DrawRequest& request, const Actor& actor,
                                               bool dry_run = false);

}  // namespace townhall::panel
