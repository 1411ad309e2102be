#include "townhall/analysis/response_table.h"

#include <limits>
#include <map>
#include <string>

#include "townhall/util/json_schema.h"
#include <unordered_map>

#include "townhall/date.h"

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

// A question and the columns it feeds.
struct Plan {
  std::string id, type;
  std::vector<std::string> options;
  std::unordered_map<std::string, int32_t> option_index;
  int64_t lo = 1, hi = 5;
  size_t first_column = 0;
};

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

Result<ResponseTable> build_response_table(const nlohmann::json& questions,
                                           std::span<const ResponseInput> responses) {
  if (!questions.is_array()) return invalid_argument("questions", "must be an array");
  ResponseTable t;
  t.rows = responses.size();
  const size_t n = responses.size();
  std::vector<Plan> plans;
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
    for (size_t i = 0; i < p.options.size(); ++i)
      p.option_index.emplace(p.options[i], static_cast<int32_t>(i));
    p.first_column = t.columns.size();
    auto column = [&](std::string name, ColumnKind kind) {
      ResponseColumn c;
      c.name = std::move(name);
      c.question_id = p.id;
      c.question_type = p.type;
      c.kind = kind;
      switch (kind) {
        case ColumnKind::kCategorical: c.codes.assign(n, -1); break;
        case ColumnKind::kBoolean: c.values.assign(n, 0); c.missing.assign(n, 1); break;
        case ColumnKind::kInteger: c.integers.assign(n, 0); c.missing.assign(n, 1); break;
        case ColumnKind::kText: c.text.resize(n); c.missing.assign(n, 1); break;
      }
      return c;
    };
    if (p.type == "single_choice") {
      auto c = column(p.id, ColumnKind::kCategorical);
      c.categories = p.options;
      t.columns.push_back(std::move(c));
    } else if (p.type == "scale") {
      p.lo = int_or(q, "min", 1);
      p.hi = int_or(q, "max", 5);
      if (p.hi < p.lo || p.hi - p.lo > 1000)
        return invalid_argument(qfield + "/max", "a scale needs min ≤ max (at most 1001 points)");
      auto c = column(p.id, ColumnKind::kCategorical);
      c.ordered = true;
      for (int64_t v = p.lo; v <= p.hi; ++v) c.categories.push_back(std::to_string(v));
      t.columns.push_back(std::move(c));
    } else if (p.type == "yes_no") {
      t.columns.push_back(column(p.id, ColumnKind::kBoolean));
    } else if (p.type == "multiple_choice") {
      for (const auto& o : p.options) t.columns.push_back(column(p.id + "[" + o + "]", ColumnKind::kBoolean));
    } else if (p.type == "ranking") {
      for (const auto& o : p.options) t.columns.push_back(column(p.id + "[" + o + "]", ColumnKind::kInteger));
    } else if (p.type == "free_text") {
      t.columns.push_back(column(p.id, ColumnKind::kText));
    } else {
      return invalid_argument(qfield + "/type", "unknown question type \"" + p.type + "\"");
    }
    plans.push_back(std::move(p));
  }

  t.channel_categories.assign(std::begin(kChannels), std::end(kChannels));
  t.channel_codes.assign(n, -1);
  t.language_codes.assign(n, -1);
  t.submitted_at_ns.assign(n, std::numeric_limits<int64_t>::min());
  std::map<std::string, int32_t> languages;

  for (size_t r = 0; r < n; ++r) {
    const ResponseInput& in = responses[r];
    const std::string rfield = "/responses/" + std::to_string(r);
    for (size_t c = 0; c < t.channel_categories.size(); ++c)
      if (in.channel == t.channel_categories[c]) t.channel_codes[r] = static_cast<int32_t>(c);
    if (t.channel_codes[r] < 0 && !in.channel.empty())
      return invalid_argument(rfield + "/channel", "unknown channel \"" + in.channel + "\"");
    if (!in.language.empty()) {
      auto [it, added] = languages.emplace(in.language, static_cast<int32_t>(languages.size()));
      if (added) t.language_categories.push_back(in.language);
      t.language_codes[r] = it->second;
    }
    if (!in.submitted_at.empty()) {
      auto ns = parse_rfc3339_ns(in.submitted_at, rfield + "/submitted_at");
      if (!ns) return ns.error();
      t.submitted_at_ns[r] = *ns;
    }
    if (!in.answers || in.answers->is_null()) continue;
    const nlohmann::json& answers = *in.answers;
    if (!answers.is_object())
      return invalid_argument(rfield + "/answers", "must be an object keyed by question id");
    for (const Plan& p : plans) {
      auto it = answers.find(p.id);
      if (it == answers.end() || it->is_null()) continue;
      const nlohmann::json& a = *it;
      const std::string field = rfield + "/answers/" + json_pointer_token(p.id);
      ResponseColumn& col = t.columns[p.first_column];
      if (p.type == "single_choice") {
        if (!a.is_string()) return invalid_argument(field, "must be one option (a string)");
        auto o = p.option_index.find(a.get_ref<const std::string&>());
        if (o == p.option_index.end())
          return invalid_argument(field, "\"" + a.get<std::string>() + "\" is not one of the options");
        col.codes[r] = o->second;
      } else if (p.type == "scale") {
        if (!a.is_number_integer()) return invalid_argument(field, "must be a whole number");
        int64_t v = a.get<int64_t>();
        if (v < p.lo || v > p.hi)
          return invalid_argument(field, "must be from " + std::to_string(p.lo) + " to " +
                                             std::to_string(p.hi));
        col.codes[r] = static_cast<int32_t>(v - p.lo);
      } else if (p.type == "yes_no") {
        if (!a.is_boolean()) return invalid_argument(field, "must be true (yes) or false (no)");
        col.values[r] = a.get<bool>() ? 1 : 0;
        col.missing[r] = 0;
      } else if (p.type == "free_text") {
        if (!a.is_string()) return invalid_argument(field, "must be text");
        col.text[r] = a.get<std::string>();
        col.missing[r] = 0;
      } else {  // multiple_choice, ranking
        if (!a.is_array()) return invalid_argument(field, "must be an array of options");
        for (size_t k = 0; k < p.options.size(); ++k) {
          ResponseColumn& oc = t.columns[p.first_column + k];
          oc.missing[r] = p.type == "multiple_choice" ? 0 : 1;
        }
        for (size_t i = 0; i < a.size(); ++i) {
          if (!a[i].is_string())
            return invalid_argument(field + "/" + std::to_string(i), "must be a string");
          auto o = p.option_index.find(a[i].get_ref<const std::string&>());
          if (o == p.option_index.end())
            return invalid_argument(field + "/" + std::to_string(i),
                                    "\"" + a[i].get<std::string>() + "\" is not one of the options");
          ResponseColumn& oc = t.columns[p.first_column + static_cast<size_t>(o->second)];
          if (p.type == "multiple_choice") {
            oc.values[r] = 1;
          } else {
            if (!oc.missing[r])
              return invalid_argument(field + "/" + std::to_string(i),
                                      "\"" + a[i].get<std::string>() + "\" is ranked twice");
            oc.integers[r] = static_cast<int64_t>(i) + 1;
            oc.missing[r] = 0;
          }
        }
      }
    }
  }
  return t;
}

}  // namespace townhall::analysis
