// The end of the response journey: the confirmation, and the page for a response sent twice.
#include "pages/journey_sent.h"

#include "pages/consultation_content.h"
#include "pages/handlers.h"

namespace townhall::server {

namespace {
constexpr const char* kSentKey = "@sent";
}  // namespace

std::optional<std::string> sent_reference(const ResponseDraft& draft) {
  auto it = draft.answers.find(kSentKey);
  if (it == draft.answers.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

void remember_sent(Store& store, const std::string& key, const std::string& consultation_id, const std::string& lang,
                   const std::string& reference) {
  ResponseDraft sent;
  sent.key = key;
  sent.consultation_id = consultation_id;
  sent.language = lang;
  sent.answers = {{kSentKey, reference}};
  // save_draft replaces the row, so the answers and email address go as before; should it fail,
  // at least the answers must not outlive the response.
  if (!store.save_draft(sent)) (void)store.delete_draft(key);
}

HttpResponse already_responded_page(const Localiser& loc, const std::string& consultation_id,
                                    const std::string& reference, int status) {
  PageOptions o;
  o.title = loc.text("journey.already_responded_title");
  o.status = status;
  o.rest_path = "/consultations/" + consultation_id + "/check";
  nlohmann::json d = {{"heading", loc.html("journey.already_responded_title")},
                      {"paragraphs", {loc.html("journey.already_responded", {{"reference", reference}})}},
                      {"home", true}};
  return pages::render_page(loc, "text_page", d, o);
}

// GET /{lang}/consultations/{id}/confirmation/{reference}
Result<HttpResponse> get_consultations_id_confirmation_reference_page(Api::Impl& api, RequestContext& ctx,
                                                                     const Localiser& loc) {
  HttpResponse fail;
  auto rec = load_public_consultation(api, ctx.params["id"], loc, fail);
  if (!rec) return fail;
  auto response = api.store.response_by_reference(ctx.params["reference"]);
  if (!response || response->consultation_id != rec->id) return not_found_page(loc.lang());
  nlohmann::json d = {{"reference_text", loc.html("journey.reference", {{"reference", response->reference}})},
                      {"what_next", ""}};
  if (auto closes = doc_date(rec->document, "closes")) {
    d["what_next"] = loc.html("journey.what_next", {{"date", *closes}});
  }
  PageOptions o;
  o.title = loc.text("journey.confirmation_title");
  o.rest_path = "/consultations/" + rec->id + "/confirmation/" + response->reference;
  return pages::render_page(loc, "confirmation", d, o);
}

}  // namespace townhall::server
