// The preview of a consultation's public page for staff (builder_pages.h): the residents' own
// page renderer, for a consultation in any status, in English or any language it promises; with
// ?question=N, its question page N (the question, its hint text and its answer controls).
#include "api/api_kit.h"
#include "pages/handlers.h"
#include "staff/builder_pages.h"
#include "townhall/consultations/translation.h"

namespace townhall::server::staff {

// GET /staff/consultations/{id}/preview?lang=xx[&question=N]
Result<HttpResponse> get_consultation_preview(Api::Impl& api, StaffContext& sc) {
  auto rec = api.store.get_consultation(sc.ctx.params["id"]);
  if (!rec) return rec.error();
  std::string lang = "en-GB";
  if (auto it = sc.ctx.query.find("lang"); it != sc.ctx.query.end() && !it->second.empty()) {
    auto tag = api_language_tag(it->second, "lang");
    if (!tag) return Error{ErrorCode::kNotFound, "lang", "no preview in that language"};
    lang = *tag;
  }
  if (!is_english_tag(lang)) {
    bool promised = false;
    for (const auto& l : rec->document.value("languages", nlohmann::json::array())) {
      auto tag = l.is_string() ? api_language_tag(l.get<std::string>(), "lang") : Result<std::string>(Error{});
      promised = promised || (tag && *tag == lang);
    }
    if (!promised) return Error{ErrorCode::kNotFound, "lang", "the consultation does not promise that language"};
  } else {
    lang = "en-GB";
  }
  // The page's own words come from the deployment's catalogs; a promised language without one
  // shows its content inside the English page.
  pages::Localiser loc(pages::is_page_language(lang) ? lang : std::string("en-GB"));
  auto question = sc.ctx.query.find("question");
  auto page = question == sc.ctx.query.end() ? render_consultation_page(api, *rec, loc, lang, true)
                                             : render_question_preview(api, *rec, loc, lang, question->second);
  if (!page) return page.error();
  page->headers.emplace_back("X-Robots-Tag", "noindex, nofollow");
  return page;
}

}  // namespace townhall::server::staff
