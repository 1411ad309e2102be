#include "townhall/consultations/translation.h"

#include "townhall/i18n/text.h"
#include "townhall/util/json_schema.h"

namespace townhall {
namespace {

constexpr const char* kTopFields[] = {"title", "summary", "proposal", "reasons"};
// "We asked, you said, we did": published text like the rest, so translated and counted the same way.
constexpr const char* kOutcomeFields[] = {"we_asked", "you_said", "we_did"};

// A non-empty string at `key` of `obj`, or nullptr.
const nlohmann::json* text_at(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) return nullptr;
  return &*it;
}

const nlohmann::json* array_at(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return (it != obj.end() && it->is_array()) ? &*it : nullptr;
}

const nlohmann::json* element(const nlohmann::json* arr, size_t i) {
  return (arr && i < arr->size()) ? &(*arr)[i] : nullptr;
}

const nlohmann::json* object_at(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return (it != obj.end() && it->is_object()) ? &*it : nullptr;
}

const nlohmann::json* question_translation(const nlohmann::json& translation, const nlohmann::json& question) {
  auto qs = translation.find("questions");
  if (qs == translation.end() || !qs->is_object() || !question.contains("id")) return nullptr;
  auto it = qs->find(question["id"].get<std::string>());
  return it == qs->end() ? nullptr : &*it;
}

Status normalise_strings(nlohmann::json& j, const std::string& at) {
  if (j.is_string()) {
    auto n = i18n::normalize_for_storage(j.get_ref<const std::string&>(), at.empty() ? "/" : at);
    if (!n) return n.error();
    j = std::move(n).value();
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) {
      if (auto st = normalise_strings(j[i], at + "/" + std::to_string(i)); !st) return st;
    }
  } else if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (auto st = normalise_strings(it.value(), at + "/" + json_pointer_token(it.key())); !st) return st;
    }
  }
  return Status::Ok();
}

// A question's translatable strings besides its option labels, in document order.
constexpr const char* kQuestionFields[] = {"text", "hint"};

// Puts translated question text, hint and option labels into `q`, recording fallbacks under `at`.
void localise_question(nlohmann::json& q, const nlohmann::json* tq, const std::string& at, std::string_view lang,
                       std::map<std::string, std::string>& fallbacks) {
  for (const char* key : kQuestionFields) {
    if (!text_at(q, key)) continue;
    if (const auto* t = tq ? text_at(*tq, key) : nullptr) {
      q[key] = *t;
    } else {
      fallbacks[at + "/" + key] = lang;
    }
  }
  if (const auto* options = array_at(q, "options")) {
    const nlohmann::json* labels = tq ? array_at(*tq, "options") : nullptr;
    nlohmann::json out = nlohmann::json::array();
    for (size_t j = 0; j < options->size(); ++j) {
      const auto* label = element(labels, j);
      if (label && label->is_string() && !label->get_ref<const std::string&>().empty()) {
        out.push_back(*label);
      } else {
        out.push_back((*options)[j]);
        fallbacks[at + "/option_labels/" + std::to_string(j)] = lang;
      }
    }
    q["option_labels"] = std::move(out);
  }
}

}  // namespace

bool is_english_tag(std::string_view tag) {
  std::string_view primary = tag.substr(0, tag.find_first_of("-_"));
  return primary.size() == 2 && (primary[0] == 'e' || primary[0] == 'E') && (primary[1] == 'n' || primary[1] == 'N');
}

Result<nlohmann::json> prepare_translation(const nlohmann::json& translation, const nlohmann::json& source) {
  nlohmann::json out = translation;
  if (auto st = normalise_strings(out, ""); !st) return st.error();
  auto limit = [&](const char* key) -> Status {
    const auto* t = array_at(out, key);
    if (!t) return Status::Ok();
    const auto* s = array_at(source, key);
    size_t have = s ? s->size() : 0;
    if (t->size() > have) {
      return invalid_argument("/" + std::string(key) + "/" + std::to_string(have),
                              "the consultation has " + std::to_string(have) + " " + key + "; this translation has " +
                                  std::to_string(t->size()));
    }
    return Status::Ok();
  };
  if (auto st = limit("options_considered"); !st) return st.error();
  if (auto st = limit("documents"); !st) return st.error();
  if (auto qs = out.find("questions"); qs != out.end() && qs->is_object()) {
    const auto* source_qs = array_at(source, "questions");
    for (auto it = qs->begin(); it != qs->end(); ++it) {
      const nlohmann::json* sq = nullptr;
      for (size_t i = 0; source_qs && i < source_qs->size(); ++i) {
        if ((*source_qs)[i].value("id", "") == it.key()) sq = &(*source_qs)[i];
      }
      std::string at = "/questions/" + json_pointer_token(it.key());
      if (!sq) return invalid_argument(at, "the consultation has no question \"" + it.key() + "\"");
      if (const auto* labels = array_at(it.value(), "options")) {
        const auto* options = array_at(*sq, "options");
        size_t have = options ? options->size() : 0;
        if (labels->size() > have) {
          return invalid_argument(at + "/options/" + std::to_string(have),
                                  "question \"" + it.key() + "\" has " + std::to_string(have) + " options; this translation has " +
                                      std::to_string(labels->size()) + " labels");
        }
      }
    }
  }
  return out;
}

std::vector<std::string> missing_translation_fields(const nlohmann::json& source, const nlohmann::json& translation) {
  // Localising marks exactly the fields that fell back; map those pointers to the translation's shape.
  std::vector<std::string> out;
  for (const char* key : kTopFields) {
    if (text_at(source, key) && !text_at(translation, key)) out.push_back(std::string("/") + key);
  }
  if (const auto* outcome = object_at(source, "outcome")) {
    const auto* t = object_at(translation, "outcome");
    for (const char* key : kOutcomeFields) {
      if (text_at(*outcome, key) && !(t && text_at(*t, key))) out.push_back(std::string("/outcome/") + key);
    }
  }
  if (const auto* options = array_at(source, "options_considered")) {
    const auto* t = array_at(translation, "options_considered");
    for (size_t i = 0; i < options->size(); ++i) {
      for (const char* key : {"option", "reason"}) {
        const auto* te = element(t, i);
        if (text_at((*options)[i], key) && !(te && text_at(*te, key))) {
          out.push_back("/options_considered/" + std::to_string(i) + "/" + key);
        }
      }
    }
  }
  if (const auto* docs = array_at(source, "documents")) {
    const auto* t = array_at(translation, "documents");
    for (size_t i = 0; i < docs->size(); ++i) {
      const auto* te = element(t, i);
      if (text_at((*docs)[i], "title") && !(te && text_at(*te, "title"))) {
        out.push_back("/documents/" + std::to_string(i) + "/title");
      }
    }
  }
  if (const auto* qs = array_at(source, "questions")) {
    for (const auto& q : *qs) {
      std::string at = "/questions/" + json_pointer_token(q.value("id", ""));
      LocalisedDocument one;
      nlohmann::json copy = q;
      localise_question(copy, question_translation(translation, q), at, "", one.fallbacks);
      // localise_question names option labels "option_labels"; the translation calls them "options".
      for (const char* key : kQuestionFields) {
        if (one.fallbacks.count(at + "/" + key)) out.push_back(at + "/" + key);
      }
      if (const auto* options = array_at(q, "options")) {
        for (size_t j = 0; j < options->size(); ++j) {
          if (one.fallbacks.count(at + "/option_labels/" + std::to_string(j))) {
            out.push_back(at + "/options/" + std::to_string(j));
          }
        }
      }
    }
  }
  return out;
}

LocalisedDocument localise(const nlohmann::json& source, const nlohmann::json& translation, std::string_view source_lang) {
  LocalisedDocument out;
  out.document = source;
  std::string lang(source_lang);
  auto& doc = out.document;
  for (const char* key : kTopFields) {
    if (!text_at(source, key)) continue;
    if (const auto* t = text_at(translation, key)) {
      doc[key] = *t;
    } else {
      out.fallbacks[std::string("/") + key] = lang;
    }
  }
  if (const auto* outcome = object_at(source, "outcome")) {
    const auto* t = object_at(translation, "outcome");
    for (const char* key : kOutcomeFields) {
      if (!text_at(*outcome, key)) continue;
      if (const auto* tv = t ? text_at(*t, key) : nullptr) {
        doc["outcome"][key] = *tv;
      } else {
        out.fallbacks[std::string("/outcome/") + key] = lang;
      }
    }
  }
  for (const char* list : {"options_considered", "documents"}) {
    const auto* items = array_at(source, list);
    if (!items) continue;
    const auto* t = array_at(translation, list);
    for (size_t i = 0; i < items->size(); ++i) {
      const auto* te = element(t, i);
      for (const char* key : {"option", "reason", "title"}) {
        if (!text_at((*items)[i], key)) continue;
        if (const auto* tv = te ? text_at(*te, key) : nullptr) {
          doc[list][i][key] = *tv;
        } else {
          out.fallbacks["/" + std::string(list) + "/" + std::to_string(i) + "/" + key] = lang;
        }
      }
    }
  }
  if (const auto* qs = array_at(source, "questions")) {
    for (size_t i = 0; i < qs->size(); ++i) {
      localise_question(doc["questions"][i], question_translation(translation, (*qs)[i]),
                        "/questions/" + std::to_string(i), lang, out.fallbacks);
    }
  }
  return out;
}

LocalisedDocument localise_questions(const std::vector<nlohmann::json>& questions, const nlohmann::json& translation,
                                     std::string_view source_lang) {
  LocalisedDocument out;
  out.document = {{"items", questions}};
  for (size_t i = 0; i < questions.size(); ++i) {
    localise_question(out.document["items"][i], question_translation(translation, questions[i]),
                      "/items/" + std::to_string(i), std::string(source_lang), out.fallbacks);
  }
  return out;
}

}  // namespace townhall
