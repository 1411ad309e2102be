#include "townhall/consultations/findings.h"

#include "townhall/consultations/consultation_rules.h"
#include "townhall/consultations/document.h"
#include "townhall/consultations/language_rules.h"

namespace townhall {

Result<std::vector<Finding>> consultation_findings(const nlohmann::json& document, const Translations& translations,
                                                   const CharterPolicy& policy, Date as_of,
                                                   std::string_view pointer_prefix) {
  auto c = charter_view(document, pointer_prefix);
  if (!c) return c.error();
  auto findings = check_consultation(*c, policy, as_of);
  for (auto& f : check_languages(c->id, document, translations, policy)) findings.push_back(std::move(f));
  for (auto& f : check_plain_language(c->id, document, translations, policy)) findings.push_back(std::move(f));
  return findings;
}

Result<Translations> stored_translations(ConsultationStore& store, const std::string& consultation_id) {
  auto list = store.list_translations(consultation_id);
  if (!list) return list.error();
  Translations out;
  for (auto& t : *list) out[t.lang] = std::move(t.document);
  return out;
}

Result<std::vector<Finding>> consultation_findings(ConsultationStore& store, const ConsultationRecord& consultation,
                                                   const CharterPolicy& policy, Date as_of) {
  auto translations = stored_translations(store, consultation.id);
  if (!translations) return translations.error();
  return consultation_findings(consultation.to_json(), *translations, policy, as_of);
}

}  // namespace townhall
