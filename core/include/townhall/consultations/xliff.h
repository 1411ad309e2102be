// townhall/consultations/xliff.h — a consultation's translation as an XLIFF 2.0 file for the
// council's translators (OASIS XLIFF Version 2.0, core only), and back.
//
// The file has one <file id="f1"> with one <unit> per translatable field the English document
// fills (translation.h), in document order. XLIFF 2.0 makes a unit's id an NMTOKEN, which a JSON
// pointer ("/questions/q1/options/0": "/" is not a name character) cannot be, so ids are "u1",
// "u2"… and the unit's name — the spec's "original identifier of the resource" — is the field's
// JSON pointer into the translation document. Each unit has one <segment> with the English
// <source> and, when translated, the <target>. Characters XML 1.0 cannot carry are written as
// <cp hex="…"/>, as the spec provides.
//
// Reading is all or nothing: the text is parsed by libxml2 with no network, no DTD and no entity
// substitution (a DOCTYPE is refused outright, so no external or expanding entity can reach the
// parser's output), within kMaxXliffBytes and kMaxXliffDepth. Every unit that is wrong (a name
// that is no translatable field of the English text, a name given twice, markup inside a target
// other than <cp>) is named in one error; a unit without a target, or with an empty one, leaves
// its field untranslated. The result is a translation document for prepare_translation().
// Thread-safety: pure functions; safe from any thread (libxml2 is initialised once).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "townhall/error.h"

namespace townhall {

inline constexpr std::size_t kMaxXliffBytes = 8u << 20;  // far above any consultation's text
inline constexpr int kMaxXliffDepth = 32;                // xliff/file/group…/unit/segment/target/cp

// `translation` (consultation-translation.schema.json) of `source` as XLIFF 2.0.
std::string write_translation_xliff(const nlohmann::json& source, const nlohmann::json& translation,
                                    std::string_view src_lang, std::string_view trg_lang);

// An XLIFF 2.0 file as a translation of `source` into `trg_lang`. Its srcLang must be English and
// its trgLang `trg_lang` (compared without regard to case). Errors are kInvalidArgument; the field
// is the first bad unit's pointer ("" when the file as a whole is wrong).
Result<nlohmann::json> read_translation_xliff(std::string_view xml, const nlohmann::json& source,
                                              std::string_view trg_lang);

}  // namespace townhall
