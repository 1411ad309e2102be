// Every route of the server in one place: the API (/api/v1/…, /health), the residents' web
// pages (/{lang}/…, /assets/…) and the staff console (/staff/…, listed in staff/staff_kit.cpp
// with the staff roles of each). Each line gives the method, the path pattern, the roles allowed,
// the JSON Schema a body is checked against ("" = none) and the handler, which lives in api/ or
// pages/ (one file per capability, see api/handlers.h and pages/handlers.h). A request is compared
// with the routes of its number of path segments in this order; the first that matches answers it.
#include "api/handlers.h"
#include "pages/handlers.h"
#include "staff/staff_kit.h"

namespace townhall::server {
namespace {

Handler on(Api::Impl& api, void (*handler)(Api::Impl&, RequestContext&, Respond&)) {
  return [&api, handler](RequestContext& ctx, Respond& respond) { handler(api, ctx, respond); };
}
Handler on(Api::Impl&, void (*handler)(RequestContext&, Respond&)) { return handler; }
// A page: the {lang} parameter checked (else the 404 page), errors answered with the error page.
Handler on(Api::Impl& api, Result<HttpResponse> (*handler)(Api::Impl&, RequestContext&, const pages::Localiser&)) {
  return pages::page([&api, handler](RequestContext& ctx, const pages::Localiser& loc) { return handler(api, ctx, loc); });
}
Handler on(Api::Impl&, Result<HttpResponse> (*handler)(RequestContext&, const pages::Localiser&)) {
  return pages::page(handler);
}
PlainBodyHandler plain(Api::Impl& api, bool (*handler)(Api::Impl&, RequestContext&, Respond&)) {
  return [&api, handler](RequestContext& ctx, Respond& respond) { return handler(api, ctx, respond); };
}

}  // namespace

void add_routes(Api::Impl& api) {
  const std::set<Role> officers = {Role::kOfficer, Role::kAdmin};
  const std::set<Role> governance = {Role::kGovernance, Role::kAdmin};
  const std::set<Role> staff = {Role::kOfficer, Role::kGovernance, Role::kAdmin};
  const std::set<Role> respondents = {Role::kPublic, Role::kPanelMember, Role::kOfficer, Role::kAdmin};


  // ---- the service and its users ----------------------------------------------------------------
  api.add("GET", "/health", everyone(), "", on(api, get_health));
  api.add("GET", "/api/v1/openapi.json", everyone(), "", on(api, get_openapi_json));
  api.add("GET", "/api/v1/me", signed_in(), "", on(api, get_me));
  api.add("POST", "/api/v1/users", {Role::kAdmin}, "user-create.schema.json", on(api, post_users));

  // ---- consultations ---------------------------------------------------------------------------
  api.add("GET", "/api/v1/consultations", everyone(), "", on(api, get_consultations));
  api.add("POST", "/api/v1/consultations", officers, "consultation-draft.schema.json", on(api, post_consultations));
  api.add("GET", "/api/v1/consultations/{id}", everyone(), "", on(api, get_consultations_id));
  api.add("PUT", "/api/v1/consultations/{id}", officers, "consultation-draft.schema.json", on(api, put_consultations_id));
  api.add("DELETE", "/api/v1/consultations/{id}", officers, "", on(api, delete_consultations_id));
  api.add("GET", "/api/v1/consultations/{id}/questions", everyone(), "", on(api, get_consultations_id_questions));
  api.add("GET", "/api/v1/consultations/{id}/findings", staff, "", on(api, get_consultations_id_findings));
  api.add("POST", "/api/v1/consultations/{id}/transitions", officers, "transition.schema.json", on(api, post_consultations_id_transitions));
  api.add("POST", "/api/v1/consultations/{id}/exception-requests", officers, "exception-request.schema.json", on(api, post_consultations_id_exception_requests));
  api.add("GET", "/api/v1/consultations/{id}/exception-requests", staff, "", on(api, get_consultations_id_exception_requests));
  api.add("GET", "/api/v1/exception-requests", officers, "", on(api, get_exception_requests));
  api.add("POST", "/api/v1/exception-requests/{request_id}/decision", officers, "exception-decision.schema.json", on(api, post_exception_requests_id_decision));

  // ---- responses -------------------------------------------------------------------------------
  api.add("POST", "/api/v1/consultations/{id}/responses", respondents, "response-submission.schema.json", on(api, post_consultations_id_responses))
      .plain_body = plain(api, post_consultations_id_responses_plain);
  api.add("GET", "/api/v1/consultations/{id}/responses", officers, "", on(api, get_consultations_id_responses));
  api.add("GET", "/api/v1/responses/{reference}", officers, "", on(api, get_responses_reference));

  // ---- Forward Plan --------------------------------------------------------------------------
  api.add("PUT", "/api/v1/key-decisions/{id}", governance, "key-decision.schema.json", on(api, put_key_decisions_id));
  api.add("GET", "/api/v1/key-decisions/{id}", everyone(), "", on(api, get_key_decisions_id));
  api.add("GET", "/api/v1/forward-plan", everyone(), "", on(api, get_forward_plan));
  api.add("GET", "/api/v1/forward-plan.csv", everyone(), "", on(api, get_forward_plan_csv));
  api.add("GET", "/api/v1/forward-plan.atom", everyone(), "", on(api, get_forward_plan_atom));
  api.add("GET", "/api/v1/forward-plan.ics", everyone(), "", on(api, get_forward_plan_ics));
  api.add("GET", "/api/v1/forward-plan/compliance", staff, "", on(api, get_forward_plan_compliance));
  api.add("POST", "/api/v1/key-decisions/{id}/withdrawal", governance, "withdrawal.schema.json", on(api, post_register_withdrawal<RecordKind::kKeyDecision>));
  api.add("GET", "/api/v1/executive-meetings", everyone(), "", on(api, list_register_records<RecordKind::kMeeting>));
  api.add("PUT", "/api/v1/executive-meetings/{id}", governance, "executive-meeting.schema.json", on(api, put_register_record<RecordKind::kMeeting>));
  api.add("GET", "/api/v1/executive-meetings/{id}", everyone(), "", on(api, get_register_record<RecordKind::kMeeting>));
  api.add("POST", "/api/v1/executive-meetings/{id}/withdrawal", governance, "withdrawal.schema.json", on(api, post_register_withdrawal<RecordKind::kMeeting>));
  api.add("GET", "/api/v1/urgency-reports", everyone(), "", on(api, list_register_records<RecordKind::kUrgencyReport>));
  api.add("PUT", "/api/v1/urgency-reports/{id}", governance, "urgency-report.schema.json", on(api, put_register_record<RecordKind::kUrgencyReport>));
  api.add("GET", "/api/v1/urgency-reports/{id}", everyone(), "", on(api, get_register_record<RecordKind::kUrgencyReport>));
  api.add("POST", "/api/v1/urgency-reports/{id}/withdrawal", governance, "withdrawal.schema.json", on(api, post_register_withdrawal<RecordKind::kUrgencyReport>));
  api.add("GET", "/api/v1/scrutiny-referrals", everyone(), "", on(api, list_register_records<RecordKind::kScrutinyReferral>));
  api.add("PUT", "/api/v1/scrutiny-referrals/{id}", governance, "scrutiny-referral.schema.json", on(api, put_register_record<RecordKind::kScrutinyReferral>));
  api.add("GET", "/api/v1/scrutiny-referrals/{id}", everyone(), "", on(api, get_register_record<RecordKind::kScrutinyReferral>));
  api.add("POST", "/api/v1/scrutiny-referrals/{id}/withdrawal", governance, "withdrawal.schema.json", on(api, post_register_withdrawal<RecordKind::kScrutinyReferral>));

  // ---- audit -----------------------------------------------------------------------------------
  api.add("GET", "/api/v1/audit", governance, "", on(api, get_audit));
  api.add("GET", "/api/v1/audit/verify", governance, "", on(api, get_audit_verify));

  // ---- the Citizens' Panel ----------------------------------------------------------------------
  api.add("POST", "/api/v1/panel/join", everyone(), "panel-join.schema.json", on(api, post_panel_join));
  api.add("POST", "/api/v1/panel/import", officers, "panel-import.schema.json", on(api, post_panel_import));
  api.add("GET", "/api/v1/panel/members", officers, "", on(api, get_panel_members));
  api.add("GET", "/api/v1/panel/members/{id}", officers, "", on(api, get_panel_members_id));
  api.add("DELETE", "/api/v1/panel/members/{id}", officers, "", on(api, delete_panel_members_id));
  api.add("GET", "/api/v1/me/panel", {Role::kPanelMember}, "", on(api, get_me_panel));
  api.add("PUT", "/api/v1/me/panel/email", {Role::kPanelMember}, "panel-email.schema.json", on(api, put_me_panel_email));
  api.add("DELETE", "/api/v1/me/panel", {Role::kPanelMember}, "", on(api, delete_me_panel));
  api.add("GET", "/api/v1/consultations/{id}/my-questions", {Role::kPanelMember, Role::kOfficer, Role::kAdmin}, "", on(api, get_consultations_id_my_questions));
  api.add("POST", "/api/v1/panel/invitations", officers, "panel-invitations.schema.json", on(api, post_panel_invitations));
  api.add("GET", "/api/v1/consultations/{id}/repeated-questions", staff, "", on(api, get_consultations_id_repeated_questions));

  // ---- panel draws and the pool report ----------------------------------------------------------
  api.add("POST", "/api/v1/panel/draws", officers, "panel-draw.schema.json", on(api, post_panel_draws));
  api.add("GET", "/api/v1/panel/report", staff, "", on(api, get_panel_report));
  api.add("POST", "/api/v1/panel/report", staff, "panel-report.schema.json", on(api, post_panel_report));

  // ---- translations ----------------------------------------------------------------------------
  api.add("GET", "/api/v1/consultations/{id}/translations", everyone(), "", on(api, get_consultations_id_translations));
  api.add("GET", "/api/v1/consultations/{id}/translations/{lang}", everyone(), "", on(api, get_consultations_id_translations_lang));
  api.add("PUT", "/api/v1/consultations/{id}/translations/{lang}", officers, "consultation-translation.schema.json", on(api, put_consultations_id_translations_lang));
  api.add("DELETE", "/api/v1/consultations/{id}/translations/{lang}", officers, "", on(api, delete_consultations_id_translations_lang));

  // ---- events and public meetings ----------------------------------------------------------------
  api.add("GET", "/api/v1/consultations/{id}/meetings", everyone(), "", on(api, get_consultations_id_meetings));
  api.add("POST", "/api/v1/consultations/{id}/meetings", officers, "meeting.schema.json", on(api, post_consultations_id_meetings));
  api.add("GET", "/api/v1/consultations/{id}/meetings/{meeting_id}", everyone(), "", on(api, get_consultations_id_meetings_meeting_id));
  api.add("PUT", "/api/v1/consultations/{id}/meetings/{meeting_id}", officers, "meeting.schema.json", on(api, put_consultations_id_meetings_meeting_id));
  api.add("DELETE", "/api/v1/consultations/{id}/meetings/{meeting_id}", officers, "", on(api, delete_consultations_id_meetings_meeting_id));

  // ---- residents' personal data --------------------------------------------------------------
  api.add("GET", "/api/v1/people/{person_id}", officers, "", on(api, get_people_person_id));
  api.add("DELETE", "/api/v1/people/{person_id}", officers, "", on(api, delete_people_person_id));

  // ---- the staff console (/staff/…): its own table with the staff roles of each route. Before
  // the residents' pages, whose /{lang}/… patterns would otherwise take /staff/… as a language.
  staff::add_staff_routes(api);

  // ---- the residents' web pages -----------------------------------------------------------------

  // ---- assets: our own CSS/JS (embedded) and GOV.UK Frontend's precompiled files -------------
  api.add("GET", "/assets/{file}", everyone(), "", on(api, get_assets_file));
  api.add("GET", "/assets/{dir}/{file}", everyone(), "", on(api, get_assets_dir_file));

  // ---- "/" negotiates the language ------------------------------------------------------------
  api.add("GET", "/", everyone(), "", on(api, get_root));

  // ---- the hub ---------------------------------------------------------------------------------
  api.add("GET", "/{lang}", everyone(), "", on(api, get_hub_page));

  // ---- a consultation --------------------------------------------------------------------------
  api.add("GET", "/{lang}/consultations/{id}", everyone(), "", on(api, get_consultations_id_page));

  // ---- results: we asked, you said, we did -----------------------------------------------------
  api.add("GET", "/{lang}/consultations/{id}/results", everyone(), "", on(api, get_consultations_id_results_page));

  // ---- the response journey ---------------------------------------------------------------------
  api.add("GET", "/{lang}/consultations/{id}/questions/{n}", everyone(), "", on(api, get_consultations_id_questions_n_page));
  api.add("POST", "/{lang}/consultations/{id}/questions/{n}", everyone(), "", on(api, post_consultations_id_questions_n_page));
  api.add("GET", "/{lang}/consultations/{id}/check", everyone(), "", on(api, get_consultations_id_check_page));
  api.add("POST", "/{lang}/consultations/{id}/check", everyone(), "", on(api, post_consultations_id_check));
  api.add("GET", "/{lang}/consultations/{id}/confirmation/{reference}", everyone(), "", on(api, get_consultations_id_confirmation_reference_page));

  // ---- save and come back later ----------------------------------------------------------------
  api.add("GET", "/{lang}/consultations/{id}/save", everyone(), "", on(api, get_consultations_id_save_page));
  api.add("POST", "/{lang}/consultations/{id}/save", everyone(), "", on(api, post_consultations_id_save_page));
  api.add("GET", "/{lang}/consultations/{id}/saved", everyone(), "", on(api, get_consultations_id_saved_page));
  api.add("GET", "/{lang}/consultations/{id}/resume/{token}", everyone(), "", on(api, get_consultations_id_resume_token_page));
  api.add("POST", "/{lang}/consultations/{id}/resume/{token}", everyone(), "", on(api, post_consultations_id_resume_token_page));

  // ---- the Forward Plan of key decisions --------------------------------------------------------
  api.add("GET", "/{lang}/forward-plan", everyone(), "", on(api, get_forward_plan_page));

  // ---- accessibility statement and privacy notice ---------------------------------------------
  api.add("GET", "/{lang}/accessibility", everyone(), "", on(api, get_accessibility_page));
  api.add("GET", "/{lang}/privacy", everyone(), "", on(api, get_privacy_page));

  // ---- the Citizens' Panel member pages ---------------------------------------------------------
  api.add("GET", "/{lang}/panel/join", everyone(), "", on(api, get_panel_join_page));
  api.add("POST", "/{lang}/panel/join", everyone(), "", on(api, post_panel_join_page));
  api.add("GET", "/{lang}/panel/joined", everyone(), "", on(api, get_panel_joined_page));
  api.add("GET", "/{lang}/panel/sign-in", everyone(), "", on(api, get_panel_sign_in_page));
  api.add("POST", "/{lang}/panel/sign-in", everyone(), "", on(api, post_panel_sign_in_page));
  api.add("GET", "/{lang}/panel/check-email", everyone(), "", on(api, get_panel_check_email_page));
  api.add("GET", "/{lang}/panel/sign-in/{token}", everyone(), "", on(api, get_panel_sign_in_token_page));
  api.add("POST", "/{lang}/panel/sign-in/{token}", everyone(), "", on(api, post_panel_sign_in_token_page));
  api.add("GET", "/{lang}/panel/confirm-email/{token}", everyone(), "", on(api, get_panel_confirm_email_token_page));
  api.add("POST", "/{lang}/panel/confirm-email/{token}", everyone(), "", on(api, post_panel_confirm_email_token_page));
  api.add("GET", "/{lang}/panel/email-confirmed", everyone(), "", on(api, get_panel_email_confirmed_page));
  api.add("GET", "/{lang}/panel/email-sent", everyone(), "", on(api, get_panel_email_sent_page));
  api.add("GET", "/{lang}/panel/me", everyone(), "", on(api, get_panel_me_page));
  api.add("GET", "/{lang}/panel/me/facts/{key}", everyone(), "", on(api, get_panel_me_facts_key_page));
  api.add("POST", "/{lang}/panel/me/facts/{key}", everyone(), "", on(api, post_panel_me_facts_key_page));
  api.add("GET", "/{lang}/panel/me/details/{field}", everyone(), "", on(api, get_panel_me_details_field_page));
  api.add("POST", "/{lang}/panel/me/details/{field}", everyone(), "", on(api, post_panel_me_details_field_page));
  api.add("POST", "/{lang}/panel/sign-out", everyone(), "", on(api, post_panel_sign_out_page));
  api.add("GET", "/{lang}/panel/signed-out", everyone(), "", on(api, get_panel_signed_out_page));
  api.add("GET", "/{lang}/panel/me/delete", everyone(), "", on(api, get_panel_me_delete_page));
  api.add("POST", "/{lang}/panel/me/delete", everyone(), "", on(api, post_panel_me_delete_page));
  api.add("GET", "/{lang}/panel/deleted", everyone(), "", on(api, get_panel_deleted_page));
}

}  // namespace townhall::server
