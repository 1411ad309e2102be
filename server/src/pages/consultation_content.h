// Internal to townhall_server: a consultation's content as the residents' pages show it (in the
// page's language where translated), its dates, and loading one the public may see.
// Thread-safety: plain functions over the values given.
#pragma once

#include <algorithm>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include "http/api_impl.h"
#include "pages/page_kit.h"
#include "townhall/consultations/status.h"
#include "townhall/consultations/translation.h"
#include "townhall/i18n/catalog.h"
#include "townhall/i18n/locale.h"
#include "townhall/i18n/text.h"
#include "townhall/panel/ask_once.h"
#include "townhall/panel/member_data.h"
#include "townhall/panel/member_import.h"
#include "townhall/panel/sign_in_email.h"
#include "townhall/responses/answers.h"
#include "townhall/submissions/submit.h"
#include "townhall/access/token.h"
#include "townhall/util/json_schema.h"
#include "townhall/util/sha256.h"

namespace townhall::server {

// Consultation content is written in English until per-language versions exist; every passage of
// it carries these so a page in another language marks it.
constexpr const char* kContentLang = "en-GB";

nlohmann::json content_attrs();

// A consultation's content in the page's language where the council has translated it, English
// otherwise; attrs(pointer) gives the lang/dir of the language each field is actually shown in.
struct Content {
  nlohmann::json doc;
  std::vector<nlohmann::json> questions;
  std::string lang = kContentLang;
  std::set<std::string> fallbacks;  // JSON pointers shown in English ("/title", "/items/0/text")
  bool machine_draft = false;       // the translation is a machine draft not yet checked (pages say so)

  nlohmann::json attrs(const std::string& pointer) const {
    std::string l = fallbacks.count(pointer) ? std::string(kContentLang) : lang;
    return {{"clang", l}, {"cdir", i18n::html_dir(l)}};
  }
};

Content content_of(Store& store, const ConsultationRecord& rec, const std::string& page_lang,
                   const std::vector<nlohmann::json>& questions = {});

void merge(nlohmann::json& into, const nlohmann::json& from);

std::optional<Date> doc_date(const nlohmann::json& doc, const char* key);

// "Closes 12 March 2026" and friends for a listing or a consultation page.
std::vector<std::string> date_lines(const Localiser& loc, const ConsultationRecord& r, Date today);

// Wraps text of unknown direction (a name, a place, a phone number) in Unicode isolates (FSI … PDI)
// so that it keeps its own direction inside a sentence in the other direction; for message
// arguments, which are escaped as a whole and so cannot carry a <bdi>.
std::string isolate(std::string_view text);

std::string join_html(const std::vector<std::string>& parts, const std::string& sep);

// Loads a consultation the public may see, or gives the 404 page.
std::optional<ConsultationRecord> load_public_consultation(Api::Impl& api, const std::string& id, const Localiser& loc, HttpResponse& fail);

}  // namespace townhall::server
