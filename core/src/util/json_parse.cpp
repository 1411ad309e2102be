#include "townhall/util/json_parse.h"

#include <cstdio>
#include <stdexcept>
#include <vector>

#include "townhall/util/json_schema.h"

namespace townhall {
namespace {

using json = nlohmann::json;

// What went wrong, when the builder stopped the parse itself.
enum class Stop { kNone, kSyntax, kTooDeep, kNumberRange, kControl };

// Builds the document from nlohmann's SAX events as its own DOM parser does, and stops at the
// first level past kMaxJsonDepth or (when `strict`) the first forbidden control character,
// remembering where it was so the error can name the place as a JSON pointer.
class Builder {
 public:
  Builder(json& root, bool strict) : root_(root), strict_(strict) { levels_.reserve(16); }

  bool null() { return put(json(nullptr)) != nullptr; }
  bool boolean(bool v) { return put(json(v)) != nullptr; }
  bool number_integer(json::number_integer_t v) { return put(json(v)) != nullptr; }
  bool number_unsigned(json::number_unsigned_t v) { return put(json(v)) != nullptr; }
  bool number_float(json::number_float_t v, const json::string_t&) { return put(json(v)) != nullptr; }
  bool string(json::string_t& s) {
    if (strict_ && !text_allowed(s, false)) return false;
    return put(json(std::move(s))) != nullptr;
  }
  bool binary(json::binary_t& b) { return put(json(std::move(b))) != nullptr; }  // never from JSON text
  bool start_object(std::size_t) { return open(json::value_t::object); }
  bool start_array(std::size_t) { return open(json::value_t::array); }
  bool key(json::string_t& k) {
    if (strict_ && !text_allowed(k, true)) return false;
    auto& object = levels_.back().container->get_ref<json::object_t&>();
    // A repeated name keeps the last value, as nlohmann's own parser does.
    auto it = object.insert_or_assign(std::move(k), json()).first;
    levels_.back().key = &it->first;
    slot_ = &it->second;
    return true;
  }
  bool end_object() {
    levels_.pop_back();
    return true;
  }
  bool end_array() {
    levels_.pop_back();
    return true;
  }
  bool parse_error(std::size_t, const std::string& token, const nlohmann::detail::exception& e) {
    if (e.id == 406) {  // out_of_range.406: a number past the range of a double
      stop_ = Stop::kNumberRange;
      detail_ = token.size() > 40 ? token.substr(0, 40) + "…" : token;
    } else {
      stop_ = Stop::kSyntax;
      detail_ = e.what();
      // nlohmann's message starts "[json.exception.parse_error.101] parse error at line 1, ...".
      if (auto p = detail_.find("] "); p != std::string::npos) detail_ = detail_.substr(p + 2);
    }
    pointer_ = pointer(false);
    return false;
  }

  Stop stop() const { return stop_; }
  const std::string& detail() const { return detail_; }
  const std::string& where() const { return pointer_; }

 private:
  struct Level {
    json* container;
    const std::string* key;  // objects: the name of the member being read
  };

  // Places `v` where the next value goes; returns it.
  json* put(json&& v) {
    if (levels_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    json* c = levels_.back().container;
    if (c->is_array()) {
      auto& array = c->get_ref<json::array_t&>();
      array.push_back(std::move(v));
      return &array.back();
    }
    *slot_ = std::move(v);
    return slot_;
  }

  bool open(json::value_t type) {
    if (levels_.size() >= kMaxJsonDepth) {
      stop_ = Stop::kTooDeep;
      pointer_ = pointer(false);
      return false;
    }
    // Containers on the stack are never moved: nothing is added to a parent while a child is open.
    levels_.push_back(Level{put(json(type)), nullptr});
    return true;
  }

  bool text_allowed(const std::string& s, bool member_name) {
    size_t at = find_forbidden_control(s);
    if (at == std::string::npos) return true;
    stop_ = Stop::kControl;
    detail_ = std::string(member_name ? "a member name contains " : "contains ") + describe_control(s, at) +
              "; text may hold tabs and line breaks but no other control characters";
    pointer_ = pointer(member_name);
    return false;
  }

  // The JSON pointer of the value being read (or, for `object_only`, of the innermost object).
  std::string pointer(bool object_only) const {
    std::string out;
    for (size_t i = 0; i < levels_.size(); ++i) {
      const json& c = *levels_[i].container;
      const bool innermost = i + 1 == levels_.size();
      if (c.is_array()) {
        // Outer arrays hold the open child as their last element; the innermost one's next value
        // is not in it yet.
        out += "/" + std::to_string(c.size() - (innermost ? 0 : 1));
      } else if (levels_[i].key != nullptr && !(innermost && object_only)) {
        out += "/" + json_pointer_token(*levels_[i].key);
      }
    }
    // The document itself is "/", as in the schema validator's errors.
    return out.empty() ? "/" : out;
  }

  json& root_;
  bool strict_;
  std::vector<Level> levels_;
  json* slot_ = nullptr;  // objects: where the value of the member just named goes
  Stop stop_ = Stop::kNone;
  std::string detail_, pointer_;
};

}  // namespace

size_t find_forbidden_control(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return i;
  }
  return std::string_view::npos;
}

std::string describe_control(std::string_view text, size_t offset) {
  char code[8];
  std::snprintf(code, sizeof code, "U+%04X", offset < text.size() ? static_cast<unsigned char>(text[offset]) : 0u);
  return std::string("the control character ") + code;
}

Result<nlohmann::json> parse_json(std::string_view text, std::string_view what) {
  const std::string subject(what);
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") {
    return Error{ErrorCode::kInvalidJson, "",
                 subject + " starts with a byte-order mark; send the JSON text without one"};
  }
  if (auto nul = text.find('\0'); nul != std::string_view::npos) {
    return Error{ErrorCode::kInvalidJson, "",
                 subject + " contains a NUL byte (byte offset " + std::to_string(nul) +
                     "), which JSON text cannot hold"};
  }
  json doc;
  Builder b(doc, true);
  if (json::sax_parse(text.begin(), text.end(), &b)) return doc;
  switch (b.stop()) {
    case Stop::kTooDeep:
      return Error{ErrorCode::kInvalidJson, b.where(),
                   subject + " nests arrays and objects more than " + std::to_string(kMaxJsonDepth) +
                       " levels deep"};
    case Stop::kNumberRange:
      return Error{ErrorCode::kInvalidArgument, b.where(),
                   "the number " + b.detail() + " is too large to hold (numbers must lie within about ±1.8e308)"};
    case Stop::kControl: return Error{ErrorCode::kInvalidArgument, b.where(), b.detail()};
    case Stop::kSyntax:
    case Stop::kNone: break;
  }
  return Error{ErrorCode::kInvalidJson, "", subject + " is not valid JSON: " + b.detail()};
}

nlohmann::json parse_stored_json(std::string_view text, std::string_view what) {
  json doc;
  Builder b(doc, false);
  if (json::sax_parse(text.begin(), text.end(), &b)) return doc;
  if (b.stop() == Stop::kTooDeep) {
    throw std::runtime_error(std::string(what) + " nests arrays and objects more than " +
                             std::to_string(kMaxJsonDepth) + " levels deep (at " + b.where() + ")");
  }
  throw std::runtime_error(std::string(what) + " is not valid JSON: " + b.detail());
}

}  // namespace townhall
