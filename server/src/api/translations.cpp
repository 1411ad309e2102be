// A consultation's translations: one language version of its content each.
#include <algorithm>
#include <cstdio>

#include "http/api_impl.h"
#include "pages/page_kit.h"
#include "api/handlers.h"
#include "api/api_kit.h"
#include "townhall/consultations/editing.h"
#include "townhall/consultations/language_rules.h"
#include "townhall/consultations/translation.h"
#include "townhall/i18n/locale.h"

namespace townhall::server {

namespace {

// The canonical tag of the {lang} path parameter; English is the source and has no translation.
Result<std::string> lang_param(const RequestContext& ctx) {
  auto tag = api_language_tag(ctx.params.at("lang"), "lang");
  if (!tag) return Error{ErrorCode::kInvalidArgument, "", tag.error().message};
  if (is_english_tag(*tag)) {
    return Error{ErrorCode::kInvalidArgument, "",
                 "English is the consultation's own content; edit the consultation to change it"};
  }
  return tag;
}

HttpResponse lang_problem(const Error& e) {
  return problem(400, "invalid-language-tag", "Invalid language tag", e.message);
}

std::map<std::string, nlohmann::json> translations_map(const std::vector<TranslationRecord>& records) {
  std::map<std::string, nlohmann::json> out;
  for (const auto& t : records) out[t.lang] = t.document;
  return out;
}

nlohmann::json translation_json(const TranslationRecord& t, const nlohmann::json& source) {
  nlohmann::json j = t.to_json();
  auto missing = missing_translation_fields(source, t.document);
  j["dir"] = i18n::html_dir(t.lang);
  j["complete"] = missing.empty();
  j["missing"] = missing;
  return j;
}

}  // namespace

// GET /api/v1/consultations/{id}/translations
void get_consultations_id_translations(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto rec = load_visible_consultation(api, ctx);
  if (!rec) return respond(error_response(rec.error()));
  auto list = api.store.list_translations(rec->id);
  if (!list) return respond(error_response(list.error()));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& t : *list) {
    auto j = translation_json(t, rec->document);
    items.push_back({{"lang", t.lang}, {"name", i18n::endonym(t.lang)}, {"dir", j["dir"]},
                     {"complete", j["complete"]}, {"missing", j["missing"]}, {"updated_at", t.updated_at}});
  }
  auto findings = check_languages(rec->id, rec->document, translations_map(*list), api.options.policy);
  respond(json_response(200, {{"items", items}, {"findings", findings_to_json(findings)["findings"]}}));
}

// GET /api/v1/consultations/{id}/translations/{lang}
void get_consultations_id_translations_lang(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto lang = lang_param(ctx);
  if (!lang) return respond(lang_problem(lang.error()));
  auto rec = load_visible_consultation(api, ctx);
  if (!rec) return respond(error_response(rec.error()));
  auto t = api.store.get_translation(rec->id, *lang);
  if (!t) return respond(error_response(t.error()));
  respond(json_response(200, translation_json(*t, rec->document)));
}

// PUT /api/v1/consultations/{id}/translations/{lang}
void put_consultations_id_translations_lang(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto lang = lang_param(ctx);
  if (!lang) return respond(lang_problem(lang.error()));
  auto rec = api.store.get_consultation(ctx.params["id"]);
  if (!rec) return respond(error_response(rec.error()));
  auto doc = prepare_translation(ctx.body, rec->document);
  if (!doc) return respond(error_response(doc.error()));
  bool existed = api.store.get_translation(rec->id, *lang).ok();
  auto t = put_translation(
      api.store, rec->id, *lang, *doc,
      AuditEvent{actor_of(ctx.user), "consultation.translation.put", "consultation", "", {{"lang", *lang}}});
  if (!t) return respond(error_response(t.error()));
  auto res = json_response(existed ? 200 : 201, translation_json(*t, rec->document));
  res.headers.emplace_back("Content-Language", *lang);
  if (!existed) res.headers.emplace_back("Location", "/api/v1/consultations/" + rec->id + "/translations/" + *lang);
  respond(std::move(res));
}

// DELETE /api/v1/consultations/{id}/translations/{lang}
void delete_consultations_id_translations_lang(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  auto lang = lang_param(ctx);
  if (!lang) return respond(lang_problem(lang.error()));
  auto st = delete_translation(
      api.store, ctx.params["id"], *lang,
      AuditEvent{actor_of(ctx.user), "consultation.translation.delete", "consultation", "", {{"lang", *lang}}});
  if (!st) return respond(error_response(st.error()));
  respond(no_content());
}

}  // namespace townhall::server
