// Internal to townhall_server: the residents' pages' handlers that server/src/routes.cpp lists, by file.
#pragma once

#include "http/api_impl.h"
#include "pages/page_kit.h"

namespace townhall::server {

// pages/assets.cpp
void get_assets_file(Api::Impl& api, RequestContext& ctx, Respond& respond);
void get_assets_dir_file(Api::Impl& api, RequestContext& ctx, Respond& respond);

// pages/hub.cpp
void get_root(RequestContext& ctx, Respond& respond);
Result<HttpResponse> get_hub_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);

// pages/forward_plan_page.cpp
Result<HttpResponse> get_forward_plan_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);

// pages/consultation.cpp
Result<HttpResponse> get_consultations_id_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
// The consultation page of `rec` whatever its status, its content in `content_lang` where
// translated; `preview` marks it "not published" and keeps search engines away (the staff console).
Result<HttpResponse> render_consultation_page(Api::Impl& api, const ConsultationRecord& rec, const pages::Localiser& loc,
                                       const std::string& content_lang, bool preview);
Result<HttpResponse> get_consultations_id_results_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
// The staff preview's address of question `number` (from 1; 0: the consultation page) in `content_lang`.
std::string preview_question_href(const std::string& id, const std::string& content_lang, size_t number);

// pages/question_view.cpp
// Question `number` (from 1) of `rec` as its residents' question page shows it before anything is
// answered, its content in `content_lang` where translated, marked "not published": Continue and
// Back lead through the previews (preview_question_href), nothing is sent. 404 for no such question.
Result<HttpResponse> render_question_preview(Api::Impl& api, const ConsultationRecord& rec, const pages::Localiser& loc,
                                             const std::string& content_lang, const std::string& number);

// pages/response_journey.cpp
Result<HttpResponse> get_consultations_id_questions_n_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> post_consultations_id_questions_n_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> get_consultations_id_check_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
void post_consultations_id_check(Api::Impl& api, RequestContext& ctx, Respond& respond);
Result<HttpResponse> get_consultations_id_confirmation_reference_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> get_consultations_id_save_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> post_consultations_id_save_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> get_consultations_id_saved_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> get_consultations_id_resume_token_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> post_consultations_id_resume_token_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);

// pages/static_pages.cpp
Result<HttpResponse> get_accessibility_page(Api::Impl& api, RequestContext&, const pages::Localiser& loc);
Result<HttpResponse> get_privacy_page(Api::Impl& api, RequestContext&, const pages::Localiser& loc);

// pages/panel_join.cpp
Result<HttpResponse> get_panel_join_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> post_panel_join_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> get_panel_joined_page(RequestContext&, const pages::Localiser& loc);

// pages/panel_member.cpp
Result<HttpResponse> get_panel_sign_in_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> post_panel_sign_in_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> get_panel_check_email_page(RequestContext&, const pages::Localiser& loc);
Result<HttpResponse> get_panel_sign_in_token_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> post_panel_sign_in_token_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> get_panel_confirm_email_token_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> post_panel_confirm_email_token_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> get_panel_email_confirmed_page(RequestContext&, const pages::Localiser& loc);
Result<HttpResponse> get_panel_email_sent_page(RequestContext&, const pages::Localiser& loc);
Result<HttpResponse> get_panel_me_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> get_panel_me_facts_key_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> post_panel_me_facts_key_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> get_panel_me_details_field_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> post_panel_me_details_field_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> post_panel_sign_out_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> get_panel_signed_out_page(RequestContext&, const pages::Localiser& loc);
Result<HttpResponse> get_panel_me_delete_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> post_panel_me_delete_page(Api::Impl& api, RequestContext& ctx, const pages::Localiser& loc);
Result<HttpResponse> get_panel_deleted_page(RequestContext&, const pages::Localiser& loc);

}  // namespace townhall::server
