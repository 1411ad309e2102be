// Consultation documents: a charter check file (check_document over check-input.schema.json, with
// its consultations and Forward Plan), one consultation (parse_consultation and the C-*/G* rules),
// a draft as the API stores it (consultation-draft.schema.json: the LANG and READ rules, repeated
// questions) and a translation of it (prepare_translation, localise).
// Input: the document, optionally followed by a line "----" and a translation document.
// Properties: no crash or exception; errors name a JSON pointer; an accepted consultation written
// back with to_json() parses to the same JSON; a prepared translation is complete or lists what it
// misses, and localising with it keeps the source's shape.
#include "fuzz_support.h"
#include "townhall/compliance/compliance.h"
#include "townhall/consultations/consultation.h"
#include "townhall/consultations/consultation_rules.h"
#include "townhall/consultations/language_rules.h"
#include "townhall/consultations/repeat_questions.h"
#include "townhall/consultations/translation.h"
#include "townhall/util/json_schema.h"

namespace {

using townhall::fuzz::fail;

// Returns nullopt for text that is not JSON, or JSON left to other defences (see json_body.cpp).
std::optional<nlohmann::json> json_of(std::string_view text) {
  if (townhall::fuzz::json_depth(text) > townhall::fuzz::kMaxJsonDepth) return std::nullopt;
  auto doc = townhall::parse_json(text);
  if (!doc) return std::nullopt;
  return std::move(doc).value();
}

void check_pointer(const townhall::Error& e, std::string_view what) {
  if (e.field.empty() || e.field.front() != '/') fail(what.data(), e.describe());
}

const std::vector<townhall::AskedConsultation>& earlier() {
  static const std::vector<townhall::AskedConsultation> asked = {
      {"c-old", "Library opening hours", "residents", {"Abingdon"}, townhall::Date::from_ymd(2025, 9, 1),
       {{{"id", "q1"}, {"type", "yes_no"}, {"text", "Should libraries open later on weekdays?"}},
        {{"id", "q2"}, {"type", "free_text"}, {"text", "Which ward do you live in?"}}},
       "en-GB"},
      {"c-cy", "Oriau agor llyfrgelloedd", "", {}, townhall::Date::from_ymd(2025, 10, 1),
       {{{"id", "q1"}, {"type", "yes_no"}, {"text", "A ddylai llyfrgelloedd agor yn hwyrach?"}}},
       "cy"}};
  return asked;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace townhall;
  auto [doc_text, translation_text] = fuzz::split_at_line(fuzz::as_text(data, size), "----");
  auto doc = json_of(doc_text);
  if (!doc) return 0;
  static const CharterPolicy policy = CharterPolicy::defaults();
  const Date as_of = Date::from_ymd(2025, 11, 1);

  if (auto report = check_document(*doc, policy, as_of); report) {
    (void)report->to_json().dump();
  } else {
    check_pointer(report.error(), "a check-file error without a JSON pointer");
  }

  if (auto c = parse_consultation(*doc); c) {
    (void)check_consultation(*c, policy, as_of);
    (void)check_consultation(*c, policy, Date::from_ymd(2200, 12, 31));
    nlohmann::json written = to_json(*c);
    auto again = parse_consultation(written);
    if (!again) fail("to_json() wrote a consultation parse_consultation() refuses", written.dump());
    if (to_json(*again) != written) fail("a consultation changed on its way through to_json()", written.dump());
  } else {
    check_pointer(c.error(), "a consultation error without a JSON pointer");
  }

  if (!validate_against_schema(*doc, "consultation-draft.schema.json")) return 0;
  std::map<std::string, nlohmann::json> translations;
  if (auto t = json_of(translation_text); t && validate_against_schema(*t, "consultation-translation.schema.json")) {
    auto prepared = prepare_translation(*t, *doc);
    if (prepared) {
      auto missing = missing_translation_fields(*doc, *prepared);
      for (const auto& pointer : missing) {
        if (pointer.empty() || pointer.front() != '/') fail("a missing field that is not a JSON pointer", pointer);
      }
      LocalisedDocument local = localise(*doc, *prepared, "en-GB");
      for (const auto& [pointer, lang] : local.fallbacks) {
        if (!local.document.contains(nlohmann::json::json_pointer(pointer))) {
          fail("localise() names a fallback field that is not in the document", pointer);
        }
      }
      if (local.document.size() != doc->size()) fail("localise() changed the document's members", local.document.dump());
      translations.emplace("cy", std::move(*prepared));
    } else {
      check_pointer(prepared.error(), "a translation error without a JSON pointer");
    }
  }
  (void)check_languages("c-1", *doc, translations, policy);
  (void)check_plain_language("c-1", *doc, translations, policy);
  (void)find_repeated_questions(*doc, "c-1", earlier(), as_of);
  return 0;
}
