// The OpenAPI document served at /api/v1/openapi.json. schemas/openapi.json names request bodies by
// the file that defines them ("$ref": "meeting.schema.json"), which keeps schemas/ the one
// definition of every wire format; but a client reading the served document cannot follow a
// reference to a file the server does not serve. So the served document is bundled once, at first
// use: every schema file it refers to (and every file those refer to) is copied under
// components/schemas, named after the file ("panel-join.schema.json" → PanelJoin), and every
// reference is rewritten to point inside the document. The pages' languages are filled in from the
// catalogs the server was built with.
#include <cctype>
#include <set>
#include <stdexcept>
#include <vector>

#include "http/api_impl.h"
#include "townhall/i18n/catalog.h"
#include "townhall/util/json_schema.h"

namespace townhall::server {
namespace {

constexpr std::string_view kSchemaSuffix = ".schema.json";
constexpr std::string_view kComponents = "#/components/schemas/";

// "consultation-draft.schema.json" → "ConsultationDraft".
std::string component_name(std::string_view file) {
  std::string_view stem = file.substr(0, file.size() - kSchemaSuffix.size());
  std::string out;
  bool upper = true;
  for (char c : stem) {
    if (c == '-' || c == '_' || c == '.') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

class Bundler {
 public:
  explicit Bundler(nlohmann::json& doc) : doc_(doc) {}

  void run() {
    // The document's own references ("#/components/...") stay as they are.
    rewrite(doc_, "");
    // Each schema file is copied once; copying one may ask for more.
    while (!pending_.empty()) {
      std::string file = pending_.back();
      pending_.pop_back();
      std::string_view text = embedded_schema(file);
      if (text.empty()) throw std::logic_error("openapi.json refers to " + file + ", which is not in schemas/");
      nlohmann::json schema = nlohmann::json::parse(text);
      // $id would make the file its own resource, against which the rewritten "#/components/…"
      // references would not resolve; the document's dialect (JSON Schema 2020-12) reads every
      // keyword the draft-07 files use the same way, so their $schema goes too.
      schema.erase("$id");
      schema.erase("$schema");
      rewrite(schema, file);
      auto& slot = doc_["components"]["schemas"][component_name(file)];
      if (!slot.is_null()) throw std::logic_error("two schemas named " + component_name(file) + " in openapi.json");
      slot = std::move(schema);
    }
  }

 private:
  // Rewrites every "$ref" under `root`, which comes from `file` ("" for openapi.json itself). An
  // explicit stack rather than recursion: the depth is the schemas', but nothing here should rest
  // on that.
  void rewrite(nlohmann::json& root, const std::string& file) {
    std::vector<nlohmann::json*> stack = {&root};
    while (!stack.empty()) {
      nlohmann::json* node = stack.back();
      stack.pop_back();
      if (node->is_object()) {
        if (auto ref = node->find("$ref"); ref != node->end() && ref->is_string()) {
          *ref = target(ref->get<std::string>(), file);
        }
        for (auto& [key, value] : node->items()) {
          if (value.is_structured()) stack.push_back(&value);
        }
      } else if (node->is_array()) {
        for (auto& value : *node) {
          if (value.is_structured()) stack.push_back(&value);
        }
      }
    }
  }

  // Where `ref`, written in `file`, points in the bundled document.
  std::string target(const std::string& ref, const std::string& file) {
    size_t hash = ref.find('#');
    std::string where = ref.substr(0, hash);
    std::string pointer = hash == std::string::npos ? "" : ref.substr(hash + 1);
    if (where.empty()) {
      if (file.empty()) return ref;  // openapi.json's own
      where = file;                  // "#/definitions/date" inside a schema file
    }
    if (auto slash = where.find_last_of('/'); slash != std::string::npos) where = where.substr(slash + 1);
    if (where.size() <= kSchemaSuffix.size() || where.compare(where.size() - kSchemaSuffix.size(), kSchemaSuffix.size(), kSchemaSuffix) != 0) {
      throw std::logic_error("unexpected $ref \"" + ref + "\" in " + (file.empty() ? "openapi.json" : file));
    }
    if (!queued_.count(where)) {
      queued_.insert(where);
      pending_.push_back(where);
    }
    return std::string(kComponents) + component_name(where) + pointer;
  }

  nlohmann::json& doc_;
  std::set<std::string> queued_;
  std::vector<std::string> pending_;
};

// The pages' {lang} is one of the message catalogs built into the server, so the document lists
// exactly those (a catalog added to i18n/ shows up here without an edit).
void page_languages(nlohmann::json& doc) {
  nlohmann::json locales = i18n::CatalogSet::builtin().locales();
  for (auto& [path, item] : doc["paths"].items()) {
    if (path.rfind("/{lang}", 0) != 0) continue;
    for (auto& [method, op] : item.items()) {
      for (auto& p : op["parameters"]) {
        if (p.value("name", "") == "lang" && p.value("in", "") == "path") p["schema"] = {{"enum", locales}};
      }
    }
  }
}

}  // namespace

const std::string& openapi_document() {
  static const std::string text = [] {
    auto doc = nlohmann::json::parse(embedded_schema("openapi.json"));
    Bundler(doc).run();
    page_languages(doc);
    return doc.dump();
  }();
  return text;
}

}  // namespace townhall::server
