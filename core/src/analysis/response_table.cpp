#include "townhall/analysis/response_table.h"

#include <cstring>
#include <limits>
#include <map>
#include <string>
#include <unordered_map>

#include "townhall/date.h"
#include "townhall/responses/flat_answers.h"
#include "townhall/util/json_schema.h"

namespace townhall::analysis {

namespace {

const char* const kChannels[] = {"online", "paper", "phone", "face_to_face", "event"};

std::vector<std::string> options_of(const nlohmann::json& q) {
  std::vector<std::string> out;
  auto it = q.find("options");
  if (it != q.end() && it->is_array())
    for (const auto& o : *it) {
      if (o.is_string()) out.push_back(o.get<std::string>());
      else if (o.is_object() && o.contains("value") && o["value"].is_string())
        out.push_back(o["value"].get<std::string>());
    }
  return out;
}

int64_t int_or(const nlohmann::json& q, const char* key, int64_t fallback) {
  auto it = q.find(key);
  return (it != q.end() && it->is_number_integer()) ? it->get<int64_t>() : fallback;
}

int digits(std::string_view s, size_t pos, size_t n, bool& ok) {
  int v = 0;
  if (pos + n > s.size()) {
    ok = false;
    return 0;
  }
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') ok = false;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

enum class QType { kSingle, kScale, kYesNo, kMultiple, kRanking, kFreeText };

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// A question and the columns it feeds.
struct Plan {
  std::string id, type;
  QType kind = QType::kSingle;
  std::vector<std::string> options;
  std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>> option_index;
  int64_t lo = 1, hi = 5;
  size_t first_column = 0;

  int32_t option(std::string_view s) const {
    if (options.size() <= 16) {  // a short scan beats hashing for the usual handful of options
      for (size_t i = 0; i < options.size(); ++i)
        if (options[i].size() == s.size() && std::memcmp(options[i].data(), s.data(), s.size()) == 0)
          return static_cast<int32_t>(i);
      return -1;
    }
    auto it = option_index.find(s);
    return it == option_index.end() ? -1 : it->second;
  }
};

bool valid_utf8(std::string_view s) {
  const auto* u = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned char c = u[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1Fu; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0Fu; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07u; }
    else return false;
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((u[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (u[i + k] & 0x3Fu);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

}  // namespace

Result<int64_t> parse_rfc3339_ns(std::string_view s, std::string_view field) {
  auto bad = [&] {
    return invalid_argument(std::string(field), "\"" + std::string(s) +
                                                    "\" is not an RFC 3339 time (YYYY-MM-DDTHH:MM:SSZ)");
  };
  if (s.size() < 20) return bad();
  auto date = Date::parse(s.substr(0, 10), field);
  if (!date) return bad();
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return bad();
  bool ok = s[13] == ':' && s[16] == ':';
  int hh = digits(s, 11, 2, ok), mm = digits(s, 14, 2, ok), ss = digits(s, 17, 2, ok);
  if (!ok || hh > 23 || mm > 59 || ss > 60) return bad();
  size_t pos = 19;
  int64_t frac_ns = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int64_t scale = 100'000'000;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      frac_ns += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return bad();
  }
  int64_t offset_s = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && s[pos + 3] == ':') {
    bool ok2 = true;
    int oh = digits(s, pos + 1, 2, ok2), om = digits(s, pos + 4, 2, ok2);
    if (!ok2 || oh > 23 || om > 59) return bad();
    offset_s = (s[pos] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    pos += 6;
  } else {
    return bad();
  }
  if (pos != s.size()) return bad();
  int64_t secs = int64_t{date->days_since_epoch()} * 86400 + hh * 3600 + mm * 60 + ss - offset_s;
  return secs * 1'000'000'000 + frac_ns;
}


struct ResponseTableBuilder::Impl {
  ResponseTable t;
  std::vector<Plan> plans;
  std::unordered_map<std::string, size_t, StringHash, std::equal_to<>> plan_of;
  std::vector<size_t> seen;  // per plan: last row + 1 that answered it (duplicate keys → fallback)
  std::map<std::string, int32_t, std::less<>> languages;
  std::string last_language;
  int32_t last_language_code = -1;
  std::string last_time;
  int64_t last_time_ns = 0;
  FlatAnswers parser;

  std::string row_field(size_t r) const { return "/responses/" + std::to_string(r); }

  // Appends row r with every cell missing.
  void start_row() {
    for (auto& c : t.columns) {
      switch (c.kind) {
        case ColumnKind::kCategorical: c.codes.push_back(-1); break;
        case ColumnKind::kBoolean: c.values.push_back(0); c.missing.push_back(1); break;
        case ColumnKind::kInteger: c.integers.push_back(0); c.missing.push_back(1); break;
        case ColumnKind::kText: c.text.push({}); c.missing.push_back(1); break;
      }
    }
  }

  // Back to every cell missing (before the slow path re-reads a row the fast path gave up on).
  void clear_row(size_t r) {
    for (auto& c : t.columns) {
      switch (c.kind) {
        case ColumnKind::kCategorical: c.codes[r] = -1; break;
        case ColumnKind::kBoolean: c.values[r] = 0; c.missing[r] = 1; break;
        case ColumnKind::kInteger: c.integers[r] = 0; c.missing[r] = 1; break;
        case ColumnKind::kText:
          c.text.data.resize(static_cast<size_t>(c.text.offsets[r]));
          c.text.offsets[r + 1] = c.text.offsets[r];
          c.missing[r] = 1;
          break;
      }
    }
  }

  Status meta(size_t r, std::string_view channel, std::string_view language,
              std::string_view submitted_at, std::string_view reference) {
    int32_t ch = -1;
    for (size_t c = 0; c < t.channel_categories.size(); ++c)
      if (channel == t.channel_categories[c]) ch = static_cast<int32_t>(c);
    if (ch < 0 && !channel.empty())
      return invalid_argument(row_field(r) + "/channel", "unknown channel \"" + std::string(channel) + "\"");
    t.channel_codes.push_back(ch);
    int32_t lang = -1;
    if (!language.empty()) {
      if (language == last_language && last_language_code >= 0) {
        lang = last_language_code;
      } else {
        auto it = languages.find(language);
        if (it == languages.end()) {
          it = languages.emplace(std::string(language), static_cast<int32_t>(languages.size())).first;
          t.language_categories.emplace_back(language);
        }
        lang = it->second;
        last_language.assign(language);
        last_language_code = lang;
      }
    }
    t.language_codes.push_back(lang);
    int64_t ns = std::numeric_limits<int64_t>::min();
    if (!submitted_at.empty()) {
      if (submitted_at == last_time) {
        ns = last_time_ns;
      } else {
        auto parsed = parse_rfc3339_ns(submitted_at, row_field(r) + "/submitted_at");
        if (!parsed) return parsed.error();
        ns = *parsed;
        last_time.assign(submitted_at);
        last_time_ns = ns;
      }
    }
    t.submitted_at_ns.push_back(ns);
    t.references.push(reference);
    return Status::Ok();
  }

  // The reference path: answers as parsed JSON. Messages name /responses/<r>/answers/<id>.
  Status answers_json(size_t r, const nlohmann::json& answers) {
    if (answers.is_null()) return Status::Ok();
    const std::string rfield = row_field(r);
    if (!answers.is_object())
      return invalid_argument(rfield + "/answers", "must be an object keyed by question id");
    for (const Plan& p : plans) {
      auto it = answers.find(p.id);
      if (it == answers.end() || it->is_null()) continue;
      const nlohmann::json& a = *it;
      const std::string field = rfield + "/answers/" + json_pointer_token(p.id);
      ResponseColumn& col = t.columns[p.first_column];
      switch (p.kind) {
        case QType::kSingle: {
          if (!a.is_string()) return invalid_argument(field, "must be one option (a string)");
          int32_t o = p.option(a.get_ref<const std::string&>());
          if (o < 0) return invalid_argument(field, "\"" + a.get<std::string>() + "\" is not one of the options");
          col.codes[r] = o;
          break;
        }
        case QType::kScale: {
          if (!a.is_number_integer()) return invalid_argument(field, "must be a whole number");
          if (a.is_number_unsigned() && a.get<uint64_t>() > static_cast<uint64_t>(p.hi))
            return invalid_argument(field, "must be from " + std::to_string(p.lo) + " to " + std::to_string(p.hi));
          int64_t v = a.get<int64_t>();
          if (v < p.lo || v > p.hi)
            return invalid_argument(field, "must be from " + std::to_string(p.lo) + " to " + std::to_string(p.hi));
          col.codes[r] = static_cast<int32_t>(v - p.lo);
          break;
        }
        case QType::kYesNo:
          if (!a.is_boolean()) return invalid_argument(field, "must be true (yes) or false (no)");
          col.values[r] = a.get<bool>() ? 1 : 0;
          col.missing[r] = 0;
          break;
        case QType::kFreeText:
          if (!a.is_string()) return invalid_argument(field, "must be text");
          set_text(col, r, a.get_ref<const std::string&>());
          break;
        case QType::kMultiple:
        case QType::kRanking: {
          if (!a.is_array()) return invalid_argument(field, "must be an array of options");
          std::vector<std::string_view> items;
          for (size_t i = 0; i < a.size(); ++i) {
            if (!a[i].is_string()) return invalid_argument(field + "/" + std::to_string(i), "must be a string");
            items.push_back(a[i].get_ref<const std::string&>());
          }
          if (auto st = choices(p, r, field, items); !st) return st;
          break;
        }
      }
    }
    return Status::Ok();
  }

  static void set_text(ResponseColumn& col, size_t r, std::string_view s) {
    // Row r is the last row: its text is the tail of the buffer.
    col.text.data.append(s);
    col.text.offsets[r + 1] = static_cast<int64_t>(col.text.data.size());
    col.missing[r] = 0;
  }

  Status choices(const Plan& p, size_t r, const std::string& field, std::span<const std::string_view> items) {
    for (size_t k = 0; k < p.options.size(); ++k)
      t.columns[p.first_column + k].missing[r] = p.kind == QType::kMultiple ? 0 : 1;
    for (size_t i = 0; i < items.size(); ++i) {
      int32_t o = p.option(items[i]);
      if (o < 0)
        return invalid_argument(field + "/" + std::to_string(i),
                                "\"" + std::string(items[i]) + "\" is not one of the options");
      ResponseColumn& oc = t.columns[p.first_column + static_cast<size_t>(o)];
      if (p.kind == QType::kMultiple) {
        oc.values[r] = 1;
      } else {
        if (!oc.missing[r])
          return invalid_argument(field + "/" + std::to_string(i), "\"" + std::string(items[i]) + "\" is ranked twice");
        oc.integers[r] = static_cast<int64_t>(i) + 1;
        oc.missing[r] = 0;
      }
    }
    return Status::Ok();
  }

  // The fast path over the parsed flat object. False: give the row to the JSON path (which
  // either reads it the same way or reports the precise error).
  // The plan answering `key`, or plans.size(): a short scan beats hashing for the usual dozen.
  size_t plan_index(std::string_view key) const {
    if (plans.size() <= 16) {
      for (size_t i = 0; i < plans.size(); ++i)
        if (plans[i].id.size() == key.size() && std::memcmp(plans[i].id.data(), key.data(), key.size()) == 0)
          return i;
      return plans.size();
    }
    auto it = plan_of.find(key);
    return it == plan_of.end() ? plans.size() : it->second;
  }

  bool answers_flat(size_t r) {
    for (const FlatValue& v : parser.values()) {
      const size_t pi = plan_index(v.key);
      if (pi == plans.size()) continue;  // not a question (any more): ignored, as in the JSON path
      if (seen[pi] == r + 1) return false;  // a duplicate key
      seen[pi] = r + 1;
      if (v.kind == FlatValue::kNull) continue;
      const Plan& p = plans[pi];
      ResponseColumn& col = t.columns[p.first_column];
      switch (p.kind) {
        case QType::kSingle: {
          if (v.kind != FlatValue::kString) return false;
          int32_t o = p.option(v.text);
          if (o < 0) return false;
          col.codes[r] = o;
          break;
        }
        case QType::kScale:
          if (v.kind != FlatValue::kInteger || v.integer < p.lo || v.integer > p.hi) return false;
          col.codes[r] = static_cast<int32_t>(v.integer - p.lo);
          break;
        case QType::kYesNo:
          if (v.kind != FlatValue::kBool) return false;
          col.values[r] = v.boolean ? 1 : 0;
          col.missing[r] = 0;
          break;
        case QType::kFreeText:
          if (v.kind != FlatValue::kString || !valid_utf8(v.text)) return false;
          set_text(col, r, v.text);
          break;
        case QType::kMultiple:
        case QType::kRanking: {
          if (v.kind != FlatValue::kStrings) return false;
          static const std::string kNoField;
          if (!choices(p, r, kNoField, parser.strings(v)))
            return false;
          break;
        }
      }
    }
    return true;
  }
};

ResponseTableBuilder::ResponseTableBuilder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ResponseTableBuilder::ResponseTableBuilder(ResponseTableBuilder&&) noexcept = default;
ResponseTableBuilder& ResponseTableBuilder::operator=(ResponseTableBuilder&&) noexcept = default;
ResponseTableBuilder::~ResponseTableBuilder() = default;

Result<ResponseTableBuilder> ResponseTableBuilder::create(const nlohmann::json& questions) {
  if (!questions.is_array()) return invalid_argument("questions", "must be an array");
  auto impl = std::make_unique<Impl>();
  ResponseTable& t = impl->t;
  for (size_t qi = 0; qi < questions.size(); ++qi) {
    const auto& q = questions[qi];
    std::string qfield = "/questions/" + std::to_string(qi);
    if (!q.is_object() || !q.contains("id") || !q["id"].is_string() || !q.contains("type") ||
        !q["type"].is_string())
      return invalid_argument(qfield, "a question needs a string id and type");
    Plan p;
    p.id = q["id"].get<std::string>();
    p.type = q["type"].get<std::string>();
    p.options = options_of(q);
    for (size_t i = 0; i < p.options.size(); ++i) p.option_index.emplace(p.options[i], static_cast<int32_t>(i));
    p.first_column = t.columns.size();
    auto column = [&](std::string name, ColumnKind kind) {
      ResponseColumn c;
      c.name = std::move(name);
      c.question_id = p.id;
      c.question_type = p.type;
      c.kind = kind;
      return c;
    };
    if (p.type == "single_choice") {
      p.kind = QType::kSingle;
      auto c = column(p.id, ColumnKind::kCategorical);
      c.categories = p.options;
      t.columns.push_back(std::move(c));
    } else if (p.type == "scale") {
      p.kind = QType::kScale;
      p.lo = int_or(q, "min", 1);
      p.hi = int_or(q, "max", 5);
      if (p.hi < p.lo || p.hi - p.lo > 1000)
        return invalid_argument(qfield + "/max", "a scale needs min ≤ max (at most 1001 points)");
      auto c = column(p.id, ColumnKind::kCategorical);
      c.ordered = true;
      for (int64_t v = p.lo; v <= p.hi; ++v) c.categories.push_back(std::to_string(v));
      t.columns.push_back(std::move(c));
    } else if (p.type == "yes_no") {
      p.kind = QType::kYesNo;
      t.columns.push_back(column(p.id, ColumnKind::kBoolean));
    } else if (p.type == "multiple_choice") {
      p.kind = QType::kMultiple;
      for (const auto& o : p.options) t.columns.push_back(column(p.id + "[" + o + "]", ColumnKind::kBoolean));
    } else if (p.type == "ranking") {
      p.kind = QType::kRanking;
      for (const auto& o : p.options) t.columns.push_back(column(p.id + "[" + o + "]", ColumnKind::kInteger));
    } else if (p.type == "free_text") {
      p.kind = QType::kFreeText;
      t.columns.push_back(column(p.id, ColumnKind::kText));
    } else {
      return invalid_argument(qfield + "/type", "unknown question type \"" + p.type + "\"");
    }
    if (!impl->plan_of.emplace(p.id, impl->plans.size()).second)
      return invalid_argument(qfield + "/id", "question id \"" + p.id + "\" is used twice");
    impl->plans.push_back(std::move(p));
  }
  impl->seen.assign(impl->plans.size(), 0);
  t.channel_categories.assign(std::begin(kChannels), std::end(kChannels));
  return ResponseTableBuilder(std::move(impl));
}

void ResponseTableBuilder::reserve(size_t rows) {
  ResponseTable& t = impl_->t;
  for (auto& c : t.columns) {
    switch (c.kind) {
      case ColumnKind::kCategorical: c.codes.reserve(rows); break;
      case ColumnKind::kBoolean: c.values.reserve(rows); c.missing.reserve(rows); break;
      case ColumnKind::kInteger: c.integers.reserve(rows); c.missing.reserve(rows); break;
      case ColumnKind::kText: c.text.offsets.reserve(rows + 1); c.missing.reserve(rows); break;
    }
  }
  t.channel_codes.reserve(rows);
  t.language_codes.reserve(rows);
  t.submitted_at_ns.reserve(rows);
  t.references.offsets.reserve(rows + 1);
}

size_t ResponseTableBuilder::rows() const { return impl_->t.rows; }

Status ResponseTableBuilder::add(const nlohmann::json* answers, std::string_view channel,
                                 std::string_view language, std::string_view submitted_at,
                                 std::string_view reference) {
  const size_t r = impl_->t.rows;
  if (auto st = impl_->meta(r, channel, language, submitted_at, reference); !st) return st;
  impl_->start_row();
  ++impl_->t.rows;
  return answers ? impl_->answers_json(r, *answers) : Status::Ok();
}

Status ResponseTableBuilder::add_json_text(std::string_view answers_json, std::string_view channel,
                                           std::string_view language, std::string_view submitted_at,
                                           std::string_view reference) {
  const size_t r = impl_->t.rows;
  if (auto st = impl_->meta(r, channel, language, submitted_at, reference); !st) return st;
  impl_->start_row();
  ++impl_->t.rows;
  if (impl_->parser.parse(answers_json) && impl_->answers_flat(r)) return Status::Ok();
  impl_->clear_row(r);
  // Stored answers: Townhall wrote them, so only the depth limit applies (text stored before
  // control characters were refused at the boundary still reads).
  nlohmann::json parsed;
  try {
    parsed = parse_stored_json(answers_json, impl_->row_field(r) + "/answers");
  } catch (const std::exception& e) {
    return Error{ErrorCode::kInvalidJson, impl_->row_field(r) + "/answers", e.what()};
  }
  return impl_->answers_json(r, parsed);
}

ResponseTable ResponseTableBuilder::finish() && { return std::move(impl_->t); }

namespace {

template <typename T>
void release(std::vector<T>& v) {
  std::vector<T>().swap(v);
}

// Joins each part's vector `member` into `out`, freeing each part's as it goes.
template <typename T, typename Get>
void join(std::vector<ResponseTable>& parts, size_t total, std::vector<T>& out, Get get) {
  std::vector<T> joined;
  joined.reserve(total);
  for (auto& p : parts) {
    auto& v = get(p);
    joined.insert(joined.end(), v.begin(), v.end());
    release(v);
  }
  out = std::move(joined);
}

template <typename Get>
void join_text(std::vector<ResponseTable>& parts, size_t total, TextValues& out, Get get) {
  size_t bytes = 0;
  for (auto& p : parts) bytes += get(p).data.size();
  TextValues joined;
  joined.offsets.reserve(total + 1);
  joined.data.reserve(bytes);
  for (auto& p : parts) {
    TextValues& v = get(p);
    const int64_t base = static_cast<int64_t>(joined.data.size());
    for (size_t i = 1; i < v.offsets.size(); ++i) joined.offsets.push_back(base + v.offsets[i]);
    joined.data.append(v.data);
    release(v.offsets);
    std::string().swap(v.data);
  }
  out = std::move(joined);
}

}  // namespace

Result<ResponseTable> concat_response_tables(std::vector<ResponseTable>&& parts) {
  if (parts.empty()) return ResponseTable{};
  if (parts.size() == 1) return std::move(parts.front());
  ResponseTable out;
  const ResponseTable& first = parts.front();
  for (const auto& p : parts) {
    bool same = p.columns.size() == first.columns.size() && p.channel_categories == first.channel_categories;
    for (size_t c = 0; same && c < p.columns.size(); ++c)
      same = p.columns[c].name == first.columns[c].name && p.columns[c].kind == first.columns[c].kind &&
             p.columns[c].categories == first.columns[c].categories;
    if (!same) return invalid_argument("parts", "response tables of different questions cannot be joined");
    out.rows += p.rows;
  }
  const size_t total = out.rows;
  out.channel_categories = first.channel_categories;
  // Languages: each part's in its order of first appearance; a part's rows follow the previous
  // part's, so appending the unseen ones in part order keeps first appearance over the whole.
  std::map<std::string, int32_t, std::less<>> language_code;
  std::vector<std::vector<int32_t>> remap(parts.size());
  for (size_t k = 0; k < parts.size(); ++k) {
    for (const auto& lang : parts[k].language_categories) {
      auto [it, added] = language_code.emplace(lang, static_cast<int32_t>(out.language_categories.size()));
      if (added) out.language_categories.push_back(lang);
      remap[k].push_back(it->second);
    }
  }
  for (size_t k = 0; k < parts.size(); ++k)
    for (int32_t& code : parts[k].language_codes)
      if (code >= 0) code = remap[k][static_cast<size_t>(code)];
  for (size_t c = 0; c < first.columns.size(); ++c) {
    ResponseColumn col;
    const ResponseColumn& like = parts.front().columns[c];
    col.name = like.name;
    col.question_id = like.question_id;
    col.question_type = like.question_type;
    col.kind = like.kind;
    col.ordered = like.ordered;
    col.categories = like.categories;
    switch (col.kind) {
      case ColumnKind::kCategorical:
        join(parts, total, col.codes, [c](ResponseTable& p) -> auto& { return p.columns[c].codes; });
        break;
      case ColumnKind::kBoolean:
        join(parts, total, col.values, [c](ResponseTable& p) -> auto& { return p.columns[c].values; });
        join(parts, total, col.missing, [c](ResponseTable& p) -> auto& { return p.columns[c].missing; });
        break;
      case ColumnKind::kInteger:
        join(parts, total, col.integers, [c](ResponseTable& p) -> auto& { return p.columns[c].integers; });
        join(parts, total, col.missing, [c](ResponseTable& p) -> auto& { return p.columns[c].missing; });
        break;
      case ColumnKind::kText:
        join_text(parts, total, col.text, [c](ResponseTable& p) -> auto& { return p.columns[c].text; });
        join(parts, total, col.missing, [c](ResponseTable& p) -> auto& { return p.columns[c].missing; });
        break;
    }
    out.columns.push_back(std::move(col));
  }
  join(parts, total, out.channel_codes, [](ResponseTable& p) -> auto& { return p.channel_codes; });
  join(parts, total, out.language_codes, [](ResponseTable& p) -> auto& { return p.language_codes; });
  join(parts, total, out.submitted_at_ns, [](ResponseTable& p) -> auto& { return p.submitted_at_ns; });
  join_text(parts, total, out.references, [](ResponseTable& p) -> auto& { return p.references; });
  return out;
}

Result<ResponseTable> build_response_table(const nlohmann::json& questions,
                                           std::span<const ResponseInput> responses) {
  auto b = ResponseTableBuilder::create(questions);
  if (!b) return b.error();
  b->reserve(responses.size());
  for (const ResponseInput& in : responses)
    if (auto st = b->add(in.answers, in.channel, in.language, in.submitted_at); !st) return st.error();
  return std::move(*b).finish();
}

}  // namespace townhall::analysis
