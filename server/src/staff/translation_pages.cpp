// The console's translation editor (builder_pages.h): one language's translation beside the
// English source, field by field, with what the LANG rule still misses (check_languages and
// missing_translation_fields, from the core); saved through put_translation. A translation file,
// XLIFF 2.0 (consultations/xliff.h) or the project's JSON (consultation-translation.schema.json),
// can be downloaded and pasted back: an import is checked whole (the XLIFF reader or the schema,
// then prepare_translation) and stores nothing unless all of it is good.
#include "api/api_kit.h"
#include "staff/builder_pages.h"
#include "townhall/consultations/editing.h"
#include "townhall/consultations/language_rules.h"
#include "townhall/consultations/translation.h"
#include "townhall/consultations/xliff.h"
#include "townhall/util/json_schema.h"

namespace townhall::server::staff {
namespace {

struct TranslatableField {
  std::string pointer;  // into the translation document
  std::string label;
  std::string source;   // the English text
  bool long_text = false;
};

std::string translation_text_in(const nlohmann::json& doc, const std::string& pointer) {
  const nlohmann::json::json_pointer ptr(pointer);
  if (!doc.is_object() || !doc.contains(ptr)) return "";
  const auto& v = doc.at(ptr);
  return v.is_string() ? v.get<std::string>() : "";
}

// Every translatable field the English document fills, in document order. Once the consultation
// has closed (`outcome_due`) the outcome's fields are there before the English outcome is
// published: LANG publishes the outcome in every promised language at once, so its translations
// are written first.
std::vector<TranslatableField> translatable_fields(const nlohmann::json& source, bool outcome_due) {
  std::vector<TranslatableField> out;
  auto add = [&](const std::string& pointer, const std::string& label, const std::string& text, bool long_text) {
    if (!text.empty()) out.push_back({pointer, label, text, long_text});
  };
  add("/title", "Title", translation_text_in(source, "/title"), false);
  add("/summary", "Summary", translation_text_in(source, "/summary"), true);
  add("/proposal", "What we propose", translation_text_in(source, "/proposal"), true);
  add("/reasons", "Why we propose it", translation_text_in(source, "/reasons"), true);
  const auto options = source.value("options_considered", nlohmann::json::array());
  for (size_t i = 0; i < options.size(); ++i) {
    const std::string at = "/options_considered/" + std::to_string(i);
    add(at + "/option", "Option considered " + std::to_string(i + 1), translation_text_in(options[i], "/option"), false);
    add(at + "/reason", "Option considered " + std::to_string(i + 1) + ": why", translation_text_in(options[i], "/reason"), true);
  }
  const auto documents = source.value("documents", nlohmann::json::array());
  for (size_t i = 0; i < documents.size(); ++i) {
    add("/documents/" + std::to_string(i) + "/title", "Document " + std::to_string(i + 1), translation_text_in(documents[i], "/title"), false);
  }
  const auto questions = source.value("questions", nlohmann::json::array());
  for (size_t i = 0; i < questions.size(); ++i) {
    const auto& q = questions[i];
    const std::string id = q.value("id", "");
    const std::string at = "/questions/" + json_pointer_token(id);
    const std::string name = "Question " + std::to_string(i + 1) + " (" + id + ")";
    add(at + "/text", name, translation_text_in(q, "/text"), true);
    add(at + "/hint", name + ": hint text", translation_text_in(q, "/hint"), true);
    const auto qo = q.value("options", nlohmann::json::array());
    for (size_t j = 0; j < qo.size(); ++j) {
      add(at + "/options/" + std::to_string(j), name + ": option " + std::to_string(j + 1),
          qo[j].is_string() ? qo[j].get<std::string>() : "", false);
    }
  }
  for (auto [key, label] : {std::pair{"we_asked", "We asked"}, std::pair{"you_said", "You said"}, std::pair{"we_did", "We did"}}) {
    const std::string pointer = std::string("/outcome/") + key;
    std::string text = translation_text_in(source, pointer);
    if (text.empty() && outcome_due) text = "(Not yet published: the English is written on the outcome page.)";
    add(pointer, std::string("Outcome: ") + label, text, true);
  }
  return out;
}

std::string translation_field_name(const std::string& pointer) { return "t" + pointer; }
std::string translation_field_id(const std::string& pointer) {
  std::string id = "t";
  for (char c : pointer) id += c == '/' ? '-' : c;
  return id;
}

// The posted fields as a translation document; positions left empty hold "" or {} so that the
// ones after them keep their place.
nlohmann::json translation_of_form(const std::vector<TranslatableField>& fields, const pages::FormFields& form,
                                   const nlohmann::json& source) {
  nlohmann::json doc = nlohmann::json::object();
  if (const auto n = source.value("options_considered", nlohmann::json::array()).size()) {
    doc["options_considered"] = nlohmann::json::array();
    for (size_t i = 0; i < n; ++i) doc["options_considered"].push_back(nlohmann::json::object());
  }
  if (const auto n = source.value("documents", nlohmann::json::array()).size()) {
    doc["documents"] = nlohmann::json::array();
    for (size_t i = 0; i < n; ++i) doc["documents"].push_back(nlohmann::json::object());
  }
  for (const auto& q : source.value("questions", nlohmann::json::array())) {
    nlohmann::json entry = nlohmann::json::object();
    if (const auto n = q.value("options", nlohmann::json::array()).size()) entry["options"] = std::vector<std::string>(n);
    doc["questions"][q.value("id", "")] = entry;
  }
  for (const auto& f : fields) {
    const std::string v = pages::form_value(form, translation_field_name(f.pointer));
    if (!v.empty()) doc[nlohmann::json::json_pointer(f.pointer)] = v;
  }
  if (!pages::form_value(form, "machine_draft").empty()) doc["machine_draft"] = true;
  return doc;
}

struct EditorProblem {
  int status = 422;
  std::string pointer;
  std::string message;
  bool in_import = false;
};

Result<HttpResponse> editor_page(Api::Impl& api, StaffContext& sc, const ConsultationRecord& rec, const std::string& lang,
                                 const nlohmann::json& shown, const std::optional<EditorProblem>& problem, bool saved,
                                 const std::string& import_text) {
  const auto fields = translatable_fields(rec.document, rec.status == ConsultationStatus::kClosed);
  const auto missing_list = missing_translation_fields(rec.document, shown);
  const std::set<std::string> missing(missing_list.begin(), missing_list.end());
  // The error's field: the one whose pointer is the longest prefix of the error's.
  std::string error_pointer;
  if (problem && !problem->in_import) {
    for (const auto& f : fields) {
      if (problem->pointer.rfind(f.pointer, 0) == 0 && f.pointer.size() > error_pointer.size()) error_pointer = f.pointer;
    }
    if (error_pointer.empty() && !fields.empty()) error_pointer = fields.front().pointer;
  }
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& f : fields) {
    rows.push_back({{"id", translation_field_id(f.pointer)},
                    {"name", translation_field_name(f.pointer)},
                    {"label", f.label},
                    {"source", f.source},
                    {"value", translation_text_in(shown, f.pointer)},
                    {"long", f.long_text},
                    {"missing", missing.count(f.pointer) != 0},
                    {"error", problem && f.pointer == error_pointer ? nlohmann::json(problem->message) : nlohmann::json(false)}});
  }
  std::vector<Finding> lang_findings;
  std::map<std::string, nlohmann::json> translations;
  if (!shown.empty()) translations[lang] = shown;  // none yet: LANG says so
  for (auto& f : check_languages(rec.id, rec.document, translations, api.options.policy)) {
    if (f.rule == "LANG" && f.severity != Severity::kInfo) lang_findings.push_back(std::move(f));
  }
  nlohmann::json missing_labels = nlohmann::json::array();
  for (const auto& f : fields) {
    if (missing.count(f.pointer)) missing_labels.push_back({{"label", f.label}, {"href", "#" + translation_field_id(f.pointer)}});
  }
  nlohmann::json data = {{"id", rec.id},
                         {"lang", lang},
                         {"title", rec.document.value("title", rec.id)},
                         {"rows", rows},
                         {"missing", missing_labels},
                         {"complete", missing_labels.empty()},
                         {"lang_finding", lang_findings.empty() ? nlohmann::json(false) : nlohmann::json(lang_findings.front().message)},
                         {"machine_draft", shown.value("machine_draft", false)},
                         {"saved", saved},
                         {"import_text", import_text},
                         {"import_error", problem && problem->in_import ? nlohmann::json(problem->message) : nlohmann::json(false)}};
  StaffPage p;
  p.title = "Translation (" + lang + "): " + rec.document.value("title", rec.id);
  p.back = "/staff/consultations/" + rec.id;
  if (problem) {
    p.has_error = true;
    p.status = problem->status;
    const std::string href = problem->in_import ? "#import" : "#" + translation_field_id(error_pointer);
    data["errors"] = nlohmann::json::array({{{"href", href}, {"message", problem->message}}});
  }
  return render_staff_page(sc, "staff_translation", data, p);
}

Result<std::string> editor_lang(const StaffContext& sc) {
  auto tag = api_language_tag(sc.ctx.params.at("lang"), "lang");
  if (!tag) return Error{ErrorCode::kNotFound, "lang", "not a language tag"};
  if (is_english_tag(*tag)) return Error{ErrorCode::kNotFound, "lang", "English is the source: edit the consultation"};
  return tag;
}

nlohmann::json stored_or_empty(Api::Impl& api, const std::string& id, const std::string& lang) {
  auto t = api.store.get_translation(id, lang);
  return t ? t->document : nlohmann::json::object();
}

// Stores `doc` (already prepared); a problem to show, or nothing when saved.
std::optional<EditorProblem> store_translation(Api::Impl& api, StaffContext& sc, const ConsultationRecord& rec,
                                               const std::string& lang, const nlohmann::json& doc, bool import) {
  auto t = put_translation(api.store, rec.id, lang, doc,
                           AuditEvent{Actor::of(sc.staff->user).who, "consultation.translation.put", "consultation", "",
                                      {{"lang", lang}}});
  api.invalidate(rec.id);
  if (t) return std::nullopt;
  const Error& e = t.error();
  if (e.code == ErrorCode::kConflict) {
    return EditorProblem{409, e.field,
                         "Not saved: " + e.message + ". A consultation's text cannot change once it has closed, apart "
                         "from its outcome.", import};
  }
  return EditorProblem{e.code == ErrorCode::kInternal || e.code == ErrorCode::kIo ? 500 : 422, e.field, e.describe(), import};
}

}  // namespace

// GET /staff/consultations/{id}/translations/{lang} (?download=json: the translation file)
Result<HttpResponse> get_translation_editor(Api::Impl& api, StaffContext& sc) {
  auto lang = editor_lang(sc);
  if (!lang) return lang.error();
  auto rec = api.store.get_consultation(sc.ctx.params["id"]);
  if (!rec) return rec.error();
  const nlohmann::json stored = stored_or_empty(api, rec->id, *lang);
  if (auto it = sc.ctx.query.find("download"); it != sc.ctx.query.end()) {
    HttpResponse r;
    r.status = 200;
    if (it->second == "json") {
      r.content_type = "application/json";
      r.body = stored.dump(2) + "\n";
      r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + rec->id + "." + *lang + ".json\"");
    } else if (it->second == "xliff") {
      r.content_type = "application/xliff+xml";
      nlohmann::json source = rec->document;
      source["id"] = rec->id;  // the file's "original"
      r.body = write_translation_xliff(source, stored, "en-GB", *lang);
      r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + rec->id + "." + *lang + ".xlf\"");
    } else {
      return Error{ErrorCode::kNotFound, "download", "no such file"};
    }
    return r;
  }
  return editor_page(api, sc, *rec, *lang, stored, std::nullopt, sc.ctx.query.count("saved") != 0, "");
}

// POST /staff/consultations/{id}/translations/{lang}: the fields (action "save") or a pasted
// translation file (action "import").
Result<HttpResponse> post_translation_editor(Api::Impl& api, StaffContext& sc) {
  auto lang = editor_lang(sc);
  if (!lang) return lang.error();
  auto rec = api.store.get_consultation(sc.ctx.params["id"]);
  if (!rec) return rec.error();
  const std::string back = "/staff/consultations/" + rec->id + "/translations/" + *lang + "?saved=1";
  if (pages::form_value(sc.form, "action") == "import") {
    const std::string text = pages::form_value(sc.form, "translation_file");
    const nlohmann::json stored = stored_or_empty(api, rec->id, *lang);
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && text[first] == '<') {
      auto read = read_translation_xliff(text, rec->document, *lang);
      if (!read) return editor_page(api, sc, *rec, *lang, stored, EditorProblem{422, read.error().field, read.error().message, true}, false, text);
      auto prepared = prepare_translation(*read, rec->document);
      if (!prepared) {
        return editor_page(api, sc, *rec, *lang, stored,
                           EditorProblem{422, prepared.error().field, "Nothing imported. " + prepared.error().describe(), true},
                           false, text);
      }
      if (auto problem = store_translation(api, sc, *rec, *lang, *prepared, true)) {
        if (problem->status >= 500) return Error{ErrorCode::kInternal, "", problem->message};
        problem->message = "Nothing imported. " + problem->message;
        return editor_page(api, sc, *rec, *lang, stored, problem, false, text);
      }
      return pages::redirect(back);
    }
    auto parsed = parse_json(text);
    if (!parsed) {
      return editor_page(api, sc, *rec, *lang, stored,
                         EditorProblem{422, "", "The translation file is not JSON: " + parsed.error().describe(), true}, false, text);
    }
    Status st = validate_against_schema(*parsed, "consultation-translation.schema.json");
    if (!st) {
      return editor_page(api, sc, *rec, *lang, stored,
                         EditorProblem{422, st.error().field, "Nothing imported. " + st.error().describe(), true}, false, text);
    }
    auto prepared = prepare_translation(*parsed, rec->document);
    if (!prepared) {
      return editor_page(api, sc, *rec, *lang, stored,
                         EditorProblem{422, prepared.error().field, "Nothing imported. " + prepared.error().describe(), true}, false,
                         text);
    }
    if (auto problem = store_translation(api, sc, *rec, *lang, *prepared, true)) {
      if (problem->status >= 500) return Error{ErrorCode::kInternal, "", problem->message};
      problem->message = "Nothing imported. " + problem->message;
      return editor_page(api, sc, *rec, *lang, stored, problem, false, text);
    }
    return pages::redirect(back);
  }
  const auto fields = translatable_fields(rec->document, rec->status == ConsultationStatus::kClosed);
  nlohmann::json doc = translation_of_form(fields, sc.form, rec->document);
  auto prepared = prepare_translation(doc, rec->document);
  if (!prepared) {
    return editor_page(api, sc, *rec, *lang, doc, EditorProblem{422, prepared.error().field, prepared.error().describe()}, false, "");
  }
  if (auto problem = store_translation(api, sc, *rec, *lang, *prepared, false)) {
    if (problem->status >= 500) return Error{ErrorCode::kInternal, "", problem->message};
    return editor_page(api, sc, *rec, *lang, doc, problem, false, "");
  }
  return pages::redirect(back);
}

}  // namespace townhall::server::staff
