#include "townhall/panel/draw.h"

namespace townhall::panel {

Result<DrawOutcome, DrawError> draw_and_invite(PanelStore& store, const DrawRequest& request, const Actor& actor,
                                               bool dry_run) {
  DrawInput in;
  auto members = store.list_members();
  if (!members) return DrawError(members.error());
  auto facts = store.all_member_facts();
  if (!facts) return DrawError(facts.error());
  auto invitations = store.invitations_since(Date::from_ymd(Date::kMinYear, 1, 1));
  if (!invitations) return DrawError(invitations.error());
  in.members = std::move(*members);
  in.facts = std::move(*facts);
  in.invitations = std::move(*invitations);

  DrawPool pool = prepare_draw(in, request);
  auto drawn = run_draw(pool, request);
  if (!drawn) {
    DrawError e(drawn.error());
    e.excluded = pool.exclusions_json();
    if (e.code == ErrorCode::kInfeasible) e.relaxation = draw_relaxation(pool, request);
    return e;
  }
  DrawOutcome out{std::move(pool), std::move(*drawn), false};
  if (dry_run) return out;
  std::vector<Invitation> rows;
  for (int64_t id : out.result.selected) rows.push_back({id, request.consultation_id, request.today});
  nlohmann::json detail = {{"consultation_id", request.consultation_id}, {"invited", rows.size()},
                           {"excluded", out.pool.excluded.size()}, {"exclusions", out.pool.exclusion_summary()},
                           {"seed", request.seed}, {"commitment", out.result.selection.commitment},
                           {"algorithm", out.result.selection.algorithm}};
  if (auto st = store.record_invitations(
          rows, request.policy, AuditEvent{actor.who, "panel.draw", "consultation", request.consultation_id, detail});
      !st) {
    return DrawError(st.error());
  }
  out.invitations_recorded = true;
  return out;
}

}  // namespace townhall::panel
