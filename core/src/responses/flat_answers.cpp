#include "townhall/responses/flat_answers.h"

#include <algorithm>
#include <cstring>

#include "townhall/util/json_text.h"

namespace townhall {

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void put_utf8(std::string& s, uint32_t cp) {
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

void FlatAnswers::begin(std::string_view text) {
  values_.clear();
  items_.clear();
  decoded_used_ = 0;
  order_valid_ = false;
  p_ = text.data();
  end_ = p_ + text.size();
}

void FlatAnswers::ws() {
  while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\t' || *p_ == '\r')) ++p_;
}

bool FlatAnswers::consume(char c) {
  if (p_ >= end_ || *p_ != c) return false;
  ++p_;
  return true;
}

bool FlatAnswers::hex4(uint32_t& out) {
  if (end_ - p_ < 4) return false;
  out = 0;
  for (int i = 0; i < 4; ++i) {
    int h = hex(p_[i]);
    if (h < 0) return false;
    out = out * 16 + static_cast<uint32_t>(h);
  }
  p_ += 4;
  return true;
}

// At the opening quote. Control characters are refused: raw ones as JSON requires, and escaped
// ones other than tab, line feed and carriage return as parse_json refuses them in text.
bool FlatAnswers::string(std::string_view& out) {
  if (!consume('"')) return false;
  const char* start = p_;
  while (p_ < end_ && *p_ != '"' && *p_ != '\\') {
    if (static_cast<unsigned char>(*p_) < 0x20) return false;
    ++p_;
  }
  if (p_ >= end_) return false;
  if (*p_ == '"') {
    out = std::string_view(start, static_cast<size_t>(p_ - start));
    ++p_;
    return true;
  }
  if (decoded_used_ == decoded_.size()) decoded_.push_back(std::make_unique<std::string>());
  std::string& s = *decoded_[decoded_used_++];
  s.assign(start, static_cast<size_t>(p_ - start));
  while (p_ < end_ && *p_ != '"') {
    char c = *p_;
    if (static_cast<unsigned char>(c) < 0x20) return false;
    if (c != '\\') {
      s += c;
      ++p_;
      continue;
    }
    if (++p_ >= end_) return false;
    switch (*p_++) {
      case '"': s += '"'; break;
      case '\\': s += '\\'; break;
      case '/': s += '/'; break;
      case 'b':  // control characters other than tab and line breaks are refused in text
      case 'f': return false;
      case 'n': s += '\n'; break;
      case 'r': s += '\r'; break;
      case 't': s += '\t'; break;
      case 'u': {
        uint32_t cp = 0;
        if (!hex4(cp)) return false;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          uint32_t lo = 0;
          if (end_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u') return false;
          p_ += 2;
          if (!hex4(lo) || lo < 0xDC00 || lo > 0xDFFF) return false;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          return false;
        } else if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') {
          return false;
        }
        put_utf8(s, cp);
        break;
      }
      default: return false;
    }
  }
  if (p_ >= end_) return false;
  ++p_;
  out = s;
  return true;
}

bool FlatAnswers::literal(const char* word, size_t n) {
  if (static_cast<size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) return false;
  p_ += n;
  return true;
}

bool FlatAnswers::value(FlatValue& v) {
  if (p_ >= end_) return false;
  char c = *p_;
  if (c == '"') {
    v.kind = FlatValue::kString;
    return string(v.text);
  }
  if (c == '-' || (c >= '0' && c <= '9')) {
    bool neg = c == '-';
    if (neg) ++p_;
    if (p_ >= end_ || *p_ < '0' || *p_ > '9') return false;
    if (*p_ == '0' && p_ + 1 < end_ && p_[1] >= '0' && p_[1] <= '9') return false;
    uint64_t x = 0;
    int digits = 0;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
      x = x * 10 + static_cast<uint64_t>(*p_ - '0');
      ++p_;
      if (++digits > 18) return false;  // let nlohmann judge very long numbers
    }
    if (p_ < end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return false;  // not an integer
    v.kind = FlatValue::kInteger;
    v.integer = neg ? -static_cast<int64_t>(x) : static_cast<int64_t>(x);
    return true;
  }
  if (c == 't') {
    v.kind = FlatValue::kBool;
    v.boolean = true;
    return literal("true", 4);
  }
  if (c == 'f') {
    v.kind = FlatValue::kBool;
    v.boolean = false;
    return literal("false", 5);
  }
  if (c == 'n') {
    v.kind = FlatValue::kNull;
    return literal("null", 4);
  }
  if (c == '[') {
    ++p_;
    v.kind = FlatValue::kStrings;
    v.first = items_.size();
    ws();
    if (consume(']')) return true;
    for (;;) {
      ws();
      std::string_view item;
      if (!peek('"') || !string(item)) return false;
      items_.push_back(item);
      ++v.count;
      ws();
      if (consume(',')) continue;
      return consume(']');
    }
  }
  return false;
}

bool FlatAnswers::object() {
  if (!consume('{')) return false;
  ws();
  if (consume('}')) return true;
  for (;;) {
    ws();
    FlatValue v;
    if (!peek('"') || !string(v.key)) return false;
    ws();
    if (!consume(':')) return false;
    ws();
    if (!value(v)) return false;
    values_.push_back(v);
    order_valid_ = false;
    ws();
    if (consume(',')) continue;
    return consume('}');
  }
}

bool FlatAnswers::parse(std::string_view text) {
  begin(text);
  ws();
  if (!object()) return false;
  ws();
  return at_end();
}

const FlatValue* FlatAnswers::find(std::string_view key) const {
  for (const auto& v : values_) {
    if (v.key == key) return &v;
  }
  return nullptr;
}

// std::map<std::string, …> (nlohmann's object) orders keys by std::string::compare, which is a
// byte-wise comparison, as string_view's is. Stable, so a repeated key keeps its first place.
const std::vector<size_t>& FlatAnswers::key_order() const {
  if (!order_valid_) {
    order_.resize(values_.size());
    for (size_t i = 0; i < order_.size(); ++i) order_[i] = i;
    std::stable_sort(order_.begin(), order_.end(),
                     [&](size_t a, size_t b) { return values_[a].key < values_[b].key; });
    order_valid_ = true;
  }
  return order_;
}

std::optional<std::string_view> FlatAnswers::duplicate_key() const {
  const auto& order = key_order();
  for (size_t i = 1; i < order.size(); ++i) {
    if (values_[order[i - 1]].key == values_[order[i]].key) return values_[order[i]].key;
  }
  return std::nullopt;
}

void FlatAnswers::append_json(std::string& out) const {
  const auto& order = key_order();
  out += '{';
  for (size_t n = 0; n < order.size(); ++n) {
    const FlatValue& v = values_[order[n]];
    if (n > 0) out += ',';
    append_json_string(out, v.key);
    out += ':';
    switch (v.kind) {
      case FlatValue::kString: append_json_string(out, v.text); break;
      case FlatValue::kInteger: out += std::to_string(v.integer); break;
      case FlatValue::kBool: out += v.boolean ? "true" : "false"; break;
      case FlatValue::kNull: out += "null"; break;
      case FlatValue::kStrings: {
        out += '[';
        auto items = strings(v);
        for (size_t i = 0; i < items.size(); ++i) {
          if (i > 0) out += ',';
          append_json_string(out, items[i]);
        }
        out += ']';
        break;
      }
    }
  }
  out += '}';
}

}  // namespace townhall
