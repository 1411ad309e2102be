// XLIFF 2.0 translation files (xliff.h).
#include "townhall/consultations/xliff.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cctype>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

#include "townhall/consultations/translation.h"
#include "townhall/util/json_schema.h"

namespace townhall {
namespace {

constexpr const char* kXliffNamespace = "urn:oasis:names:tc:xliff:document:2.0";

// Every translatable field the English text fills, in document order: exactly what a translation
// with nothing in it lacks.
std::vector<std::string> xliff_pointers(const nlohmann::json& source) {
  return missing_translation_fields(source, nlohmann::json::object());
}

std::string xliff_text_at(const nlohmann::json& doc, const std::string& pointer) {
  const nlohmann::json::json_pointer ptr(pointer);
  if (!doc.is_object() || !doc.contains(ptr)) return "";
  const auto& v = doc.at(ptr);
  return v.is_string() ? v.get<std::string>() : "";
}

// The source's English text of a translation pointer: question options are the same pointer in
// the source's question with that id.
std::string xliff_source_text(const nlohmann::json& source, const std::string& pointer) {
  const std::string prefix = "/questions/";
  if (pointer.rfind(prefix, 0) != 0) return xliff_text_at(source, pointer);
  const size_t end = pointer.find('/', prefix.size());
  const std::string id = pointer.substr(prefix.size(), end - prefix.size());
  for (const auto& q : source.value("questions", nlohmann::json::array())) {
    if (json_pointer_token(q.value("id", "")) == id) return xliff_text_at(q, pointer.substr(end));
  }
  return "";
}

void xliff_append_cp(std::string& out, uint32_t cp) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "%04X", static_cast<unsigned>(cp));
  out += "<cp hex=\"";
  out += hex;
  out += "\"/>";
}

// Text as XML character data: markup characters escaped, characters XML 1.0 cannot carry as <cp>.
std::string xliff_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') xliff_append_cp(out, c);
    else if (c == '\r') xliff_append_cp(out, c);  // a parser would turn a bare CR into LF
    else if (c == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBF &&
             (static_cast<unsigned char>(text[i + 2]) == 0xBE || static_cast<unsigned char>(text[i + 2]) == 0xBF)) {
      xliff_append_cp(out, static_cast<unsigned char>(text[i + 2]) == 0xBE ? 0xFFFE : 0xFFFF);
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

bool xliff_is(const xmlNode* n, const char* name) {
  return n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST name) && n->ns &&
         xmlStrEqual(n->ns->href, BAD_CAST kXliffNamespace);
}

std::string xliff_attribute(const xmlNode* n, const char* name) {
  xmlChar* v = xmlGetNoNsProp(n, BAD_CAST name);
  if (!v) return "";
  std::string out(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return out;
}

bool xliff_has_attribute(const xmlNode* n, const char* name) { return xmlHasNsProp(n, BAD_CAST name, nullptr) != nullptr; }

bool xliff_same_tag(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

void xliff_append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// A target's text: its character data and <cp/> code points; "" with `problem` set for anything
// else inside it.
std::string xliff_target_text(const xmlNode* target, std::string& problem) {
  std::string out;
  for (const xmlNode* c = target->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (c->content) out += reinterpret_cast<const char*>(c->content);
    } else if (xliff_is(c, "cp")) {
      const std::string hex = xliff_attribute(c, "hex");
      uint32_t cp = 0;
      bool ok = !hex.empty() && hex.size() <= 6;
      for (char h : hex) {
        if (!std::isxdigit(static_cast<unsigned char>(h))) ok = false;
        else cp = cp * 16 + static_cast<uint32_t>(std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : (std::toupper(h) - 'A' + 10));
      }
      if (!ok || cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        problem = "<cp hex=\"" + hex + "\"> is not a Unicode character";
        return "";
      }
      xliff_append_utf8(out, cp);
    } else if (c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE) {
      continue;
    } else {
      problem = "its target holds markup (" + std::string(c->name ? reinterpret_cast<const char*>(c->name) : "?") +
                "); only text and <cp> can be imported";
      return "";
    }
  }
  return out;
}

struct XliffDocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct XliffCtxtFree {
  void operator()(xmlParserCtxt* c) const { xmlFreeParserCtxt(c); }
};

Error xliff_file_error(std::string message) {
  return invalid_argument("", "The XLIFF file cannot be imported: " + std::move(message) + ".");
}

// The translation document with each array and question entry the source has, so that a field
// set by position keeps its place when earlier ones are not translated.
nlohmann::json xliff_skeleton(const nlohmann::json& source) {
  nlohmann::json doc = nlohmann::json::object();
  for (const char* key : {"options_considered", "documents"}) {
    const auto n = source.value(key, nlohmann::json::array()).size();
    if (n) doc[key] = nlohmann::json(n, nlohmann::json::object());
  }
  for (const auto& q : source.value("questions", nlohmann::json::array())) {
    nlohmann::json entry = nlohmann::json::object();
    const auto n = q.value("options", nlohmann::json::array()).size();
    if (n) entry["options"] = nlohmann::json(n, "");
    doc["questions"][q.value("id", "")] = entry;
  }
  return doc;
}

}  // namespace

std::string write_translation_xliff(const nlohmann::json& source, const nlohmann::json& translation,
                                    std::string_view src_lang, std::string_view trg_lang) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff xmlns=\"";
  out += kXliffNamespace;
  out += "\" version=\"2.0\" srcLang=\"" + xliff_escape(src_lang) + "\" trgLang=\"" + xliff_escape(trg_lang) + "\">\n";
  out += " <file id=\"f1\" original=\"" + xliff_escape(source.value("id", std::string("consultation"))) + "\">\n";
  int n = 0;
  for (const auto& pointer : xliff_pointers(source)) {
    out += "  <unit id=\"u" + std::to_string(++n) + "\" name=\"" + xliff_escape(pointer) + "\">\n   <segment>\n";
    out += "    <source>" + xliff_escape(xliff_source_text(source, pointer)) + "</source>\n";
    const std::string target = xliff_text_at(translation, pointer);
    if (!target.empty()) out += "    <target>" + xliff_escape(target) + "</target>\n";
    out += "   </segment>\n  </unit>\n";
  }
  out += " </file>\n</xliff>\n";
  return out;
}

Result<nlohmann::json> read_translation_xliff(std::string_view xml, const nlohmann::json& source,
                                              std::string_view trg_lang) {
  if (xml.size() > kMaxXliffBytes) return xliff_file_error("it is larger than " + std::to_string(kMaxXliffBytes >> 20) + " MB");
  // No document type: XLIFF needs none, and without one no entity can be declared.
  if (xml.find("<!DOCTYPE") != std::string_view::npos) return xliff_file_error("it has a <!DOCTYPE>, which XLIFF does not use");
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });
  std::unique_ptr<xmlParserCtxt, XliffCtxtFree> ctxt(xmlNewParserCtxt());
  if (!ctxt) return Error{ErrorCode::kInternal, "", "no memory for the XML parser"};
  std::unique_ptr<xmlDoc, XliffDocFree> doc(xmlCtxtReadMemory(ctxt.get(), xml.data(), static_cast<int>(xml.size()),
                                                         "translation.xlf", nullptr,
                                                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (!doc) {
    const xmlError& e = ctxt->lastError;
    std::string why = e.message ? e.message : "not well-formed XML";
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    return xliff_file_error("it is not well-formed XML (line " + std::to_string(e.line) + ": " + why + ")");
  }
  if (doc->intSubset || doc->extSubset) return xliff_file_error("it has a document type, which XLIFF does not use");
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!root || !xliff_is(root, "xliff")) return xliff_file_error("its root is not an XLIFF 2.0 <xliff> element");
  if (xliff_attribute(root, "version") != "2.0") return xliff_file_error("it is not XLIFF version 2.0");
  if (!is_english_tag(xliff_attribute(root, "srcLang"))) return xliff_file_error("its srcLang is not English");
  if (!xliff_same_tag(xliff_attribute(root, "trgLang"), trg_lang)) {
    return xliff_file_error("its trgLang is \"" + xliff_attribute(root, "trgLang") + "\", not " + std::string(trg_lang));
  }
  const auto pointers = xliff_pointers(source);
  const std::set<std::string> known(pointers.begin(), pointers.end());
  nlohmann::json out = xliff_skeleton(source);
  std::set<std::string> seen;
  std::vector<std::pair<std::string, std::string>> bad;  // unit → what is wrong with it
  // Files and groups nest units; walked with an explicit stack, so depth is bounded here too.
  std::vector<std::pair<const xmlNode*, int>> stack;
  for (const xmlNode* c = root->children; c; c = c->next) {
    if (xliff_is(c, "file")) stack.emplace_back(c, 2);
  }
  std::vector<const xmlNode*> units;
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    if (depth > kMaxXliffDepth) return xliff_file_error("its groups nest deeper than " + std::to_string(kMaxXliffDepth));
    std::vector<const xmlNode*> inner;
    for (const xmlNode* c = node->children; c; c = c->next) {
      if (xliff_is(c, "group")) inner.push_back(c);
      else if (xliff_is(c, "unit")) units.push_back(c);
    }
    for (auto it = inner.rbegin(); it != inner.rend(); ++it) stack.emplace_back(*it, depth + 1);
  }
  for (const xmlNode* unit : units) {
    const std::string id = xliff_attribute(unit, "id");
    const std::string name = xliff_attribute(unit, "name");
    const std::string label = "unit " + (id.empty() ? std::string("without an id") : "\"" + id + "\"");
    if (!xliff_has_attribute(unit, "name") || name.empty()) {
      bad.emplace_back(label, "it has no name (the field's JSON pointer)");
      continue;
    }
    if (!known.count(name)) {
      bad.emplace_back(name, "no such field in the English text");
      continue;
    }
    if (!seen.insert(name).second) {
      bad.emplace_back(name, "given twice");
      continue;
    }
    std::string text, problem;
    for (const xmlNode* part = unit->children; part && problem.empty(); part = part->next) {
      if (!xliff_is(part, "segment") && !xliff_is(part, "ignorable")) continue;
      for (const xmlNode* t = part->children; t; t = t->next) {
        if (xliff_is(t, "target")) text += xliff_target_text(t, problem);
      }
    }
    if (!problem.empty()) {
      bad.emplace_back(name, problem);
      continue;
    }
    if (!text.empty()) out[nlohmann::json::json_pointer(name)] = text;
  }
  if (!bad.empty()) {
    std::string message = "Nothing imported: ";
    message += std::to_string(bad.size()) + (bad.size() == 1 ? " unit is" : " units are") + " wrong — ";
    for (size_t i = 0; i < bad.size(); ++i) message += (i ? "; " : "") + bad[i].first + ": " + bad[i].second;
    std::string field;
    for (const auto& b : bad) {
      if (field.empty() && !b.first.empty() && b.first.front() == '/') field = b.first;
    }
    return invalid_argument(field, message + ".");
  }
  return out;
}

}  // namespace townhall
