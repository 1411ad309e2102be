// Internal to townhall_server: the API handlers that server/src/routes.cpp lists, by file.
#pragma once

#include "http/api_impl.h"
#include "pages/page_kit.h"
#include "townhall/forward_plan/register_store.h"

namespace townhall::server {

// api/service.cpp
void get_health(Api::Impl& api, RequestContext&, Respond& respond);
void get_openapi_json(RequestContext&, Respond& respond);

// api/users.cpp
void get_me(RequestContext& ctx, Respond& respond);
void post_users(Api::Impl& api, RequestContext& ctx, Respond& respond);

// api/consultations.cpp
void get_consultations(Api::Impl& api, RequestContext& ctx, Respond& respond);
void post_consultations(Api::Impl& api, RequestContext& ctx, Respond& respond);
void get_consultations_id(Api::Impl& api, RequestContext& ctx, Respond& respond);
void put_consultations_id(Api::Impl& api, RequestContext& ctx, Respond& respond);
void delete_consultations_id(Api::Impl& api, RequestContext& ctx, Respond& respond);
void get_consultations_id_questions(Api::Impl& api, RequestContext& ctx, Respond& respond);
void get_consultations_id_findings(Api::Impl& api, RequestContext& ctx, Respond& respond);
void post_consultations_id_transitions(Api::Impl& api, RequestContext& ctx, Respond& respond);

// api/exception_requests.cpp
void post_consultations_id_exception_requests(Api::Impl& api, RequestContext& ctx, Respond& respond);
void get_consultations_id_exception_requests(Api::Impl& api, RequestContext& ctx, Respond& respond);
void get_exception_requests(Api::Impl& api, RequestContext& ctx, Respond& respond);
void post_exception_requests_id_decision(Api::Impl& api, RequestContext& ctx, Respond& respond);

// api/responses.cpp
void post_consultations_id_responses(Api::Impl& api, RequestContext& ctx, Respond& respond);
bool post_consultations_id_responses_plain(Api::Impl& api, RequestContext& ctx, Respond& respond);
void get_consultations_id_responses(Api::Impl& api, RequestContext& ctx, Respond& respond);
void get_responses_reference(Api::Impl& api, RequestContext& ctx, Respond& respond);

// api/forward_plan.cpp
void put_key_decisions_id(Api::Impl& api, RequestContext& ctx, Respond& respond);
void get_key_decisions_id(Api::Impl& api, RequestContext& ctx, Respond& respond);
void get_forward_plan(Api::Impl& api, RequestContext&, Respond& respond);
void get_forward_plan_csv(Api::Impl& api, RequestContext&, Respond& respond);
void get_forward_plan_atom(Api::Impl& api, RequestContext&, Respond& respond);
void get_forward_plan_ics(Api::Impl& api, RequestContext&, Respond& respond);
void get_forward_plan_compliance(Api::Impl& api, RequestContext&, Respond& respond);
// api/forward_plan_register.cpp: meetings of the executive, urgency reports, scrutiny referrals
// and withdrawals, one template per verb instantiated for each kind of record.
template <RecordKind K>
void put_register_record(Api::Impl& api, RequestContext& ctx, Respond& respond);
template <RecordKind K>
void get_register_record(Api::Impl& api, RequestContext& ctx, Respond& respond);
template <RecordKind K>
void list_register_records(Api::Impl& api, RequestContext& ctx, Respond& respond);
template <RecordKind K>
void post_register_withdrawal(Api::Impl& api, RequestContext& ctx, Respond& respond);

// api/audit.cpp
void get_audit(Api::Impl& api, RequestContext&, Respond& respond);
void get_audit_verify(Api::Impl& api, RequestContext&, Respond& respond);

// api/panel.cpp
void post_panel_join(Api::Impl& api, RequestContext& ctx, Respond& respond);
void post_panel_import(Api::Impl& api, RequestContext& ctx, Respond& respond);
void get_panel_members(Api::Impl& api, RequestContext&, Respond& respond);
void get_panel_members_id(Api::Impl& api, RequestContext& ctx, Respond& respond);
void delete_panel_members_id(Api::Impl& api, RequestContext& ctx, Respond& respond);
void get_me_panel(Api::Impl& api, RequestContext& ctx, Respond& respond);
void put_me_panel_email(Api::Impl& api, RequestContext& ctx, Respond& respond);
void delete_me_panel(Api::Impl& api, RequestContext& ctx, Respond& respond);
void get_consultations_id_my_questions(Api::Impl& api, RequestContext& ctx, Respond& respond);
void post_panel_invitations(Api::Impl& api, RequestContext& ctx, Respond& respond);
void get_consultations_id_repeated_questions(Api::Impl& api, RequestContext& ctx, Respond& respond);

// api/draws.cpp
void post_panel_draws(Api::Impl& api, RequestContext& ctx, Respond& respond);
void get_panel_report(Api::Impl& api, RequestContext& ctx, Respond& respond);
void post_panel_report(Api::Impl& api, RequestContext& ctx, Respond& respond);

// api/translations.cpp
void get_consultations_id_translations(Api::Impl& api, RequestContext& ctx, Respond& respond);
void get_consultations_id_translations_lang(Api::Impl& api, RequestContext& ctx, Respond& respond);
void put_consultations_id_translations_lang(Api::Impl& api, RequestContext& ctx, Respond& respond);
void delete_consultations_id_translations_lang(Api::Impl& api, RequestContext& ctx, Respond& respond);

// api/meetings.cpp
void get_consultations_id_meetings(Api::Impl& api, RequestContext& ctx, Respond& respond);
void post_consultations_id_meetings(Api::Impl& api, RequestContext& ctx, Respond& respond);
void get_consultations_id_meetings_meeting_id(Api::Impl& api, RequestContext& ctx, Respond& respond);
void put_consultations_id_meetings_meeting_id(Api::Impl& api, RequestContext& ctx, Respond& respond);
void delete_consultations_id_meetings_meeting_id(Api::Impl& api, RequestContext& ctx, Respond& respond);

// api/people.cpp
void get_people_person_id(Api::Impl& api, RequestContext& ctx, Respond& respond);
void delete_people_person_id(Api::Impl& api, RequestContext& ctx, Respond& respond);

}  // namespace townhall::server
