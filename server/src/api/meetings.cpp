// A consultation's public meetings, with their times in Europe/London.
#include <algorithm>
#include <cstdio>

#include "http/api_impl.h"
#include "pages/page_kit.h"
#include "api/handlers.h"
#include "api/api_kit.h"
#include "townhall/consultations/language_rules.h"
#include "townhall/consultations/translation.h"
#include "townhall/i18n/locale.h"

namespace townhall::server {

namespace {

Status check_meeting(const nlohmann::json& doc) {
  if (auto d = Date::parse(doc["date"].get<std::string>(), "/date"); !d) return d.error();
  if (doc.contains("ends_at") && doc["ends_at"].get<std::string>() <= doc["starts_at"].get<std::string>()) {
    return invalid_argument("/ends_at", "the meeting ends before it starts");
  }
  if (!doc.contains("place") && !doc.contains("online_url")) {
    return invalid_argument("/place", "say where the meeting is: a place, an online link, or both");
  }
  return Status::Ok();
}

}  // namespace

// GET /api/v1/consultations/{id}/meetings
void get_consultations_id_meetings(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto rec = load_visible_consultation(api, ctx);
  if (!rec) return respond(error_response(rec.error()));
  auto list = api.store.list_meetings(rec->id);
  if (!list) return respond(error_response(list.error()));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& m : *list) items.push_back(meeting_json(m));
  respond(json_response(200, {{"items", items}}));
}

// POST /api/v1/consultations/{id}/meetings
void post_consultations_id_meetings(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  if (auto st = check_meeting(ctx.body); !st) return respond(error_response(st.error()));
  auto m = api.store.add_meeting(ctx.params["id"], ctx.body,
                                 AuditEvent{actor_of(ctx.user), "consultation.meeting.add", "consultation", "", {}});
  if (!m) return respond(error_response(m.error()));
  auto res = json_response(201, meeting_json(*m));
  res.headers.emplace_back("Location",
                           "/api/v1/consultations/" + m->consultation_id + "/meetings/" + std::to_string(m->id));
  respond(std::move(res));
}

// GET /api/v1/consultations/{id}/meetings/{meeting_id}
void get_consultations_id_meetings_meeting_id(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto rec = load_visible_consultation(api, ctx);
  if (!rec) return respond(error_response(rec.error()));
  auto mid = id_param(ctx, "meeting_id", "meeting");
  if (!mid) return respond(error_response(mid.error()));
  auto m = api.store.get_meeting(rec->id, *mid);
  if (!m) return respond(error_response(m.error()));
  respond(json_response(200, meeting_json(*m)));
}

// PUT /api/v1/consultations/{id}/meetings/{meeting_id}
void put_consultations_id_meetings_meeting_id(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto mid = id_param(ctx, "meeting_id", "meeting");
  if (!mid) return respond(error_response(mid.error()));
  if (auto st = check_meeting(ctx.body); !st) return respond(error_response(st.error()));
  auto m = api.store.update_meeting(
      ctx.params["id"], *mid, ctx.body,
      AuditEvent{actor_of(ctx.user), "consultation.meeting.update", "consultation", "", {}});
  if (!m) return respond(error_response(m.error()));
  respond(json_response(200, meeting_json(*m)));
}

// DELETE /api/v1/consultations/{id}/meetings/{meeting_id}
void delete_consultations_id_meetings_meeting_id(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto mid = id_param(ctx, "meeting_id", "meeting");
  if (!mid) return respond(error_response(mid.error()));
  auto st = api.store.delete_meeting(
      ctx.params["id"], *mid,
      AuditEvent{actor_of(ctx.user), "consultation.meeting.delete", "consultation", "", {}});
  if (!st) return respond(error_response(st.error()));
  respond(no_content());
}

}  // namespace townhall::server
