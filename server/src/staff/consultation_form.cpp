// The consultation builder's form (consultation_form.h).
#include "staff/consultation_form.h"

#include <charconv>
#include <set>
#include <vector>

#include "townhall/date.h"

namespace townhall::server::staff {
namespace {

enum class BuilderKind { kText, kArea, kDate, kCheckbox, kLines, kSelect, kInteger };

struct BuilderField {
  std::string key;    // the name (a row's: after "<part>-<n>-") and the document member
  std::string label;
  std::string hint;
  BuilderKind kind = BuilderKind::kText;
  std::string member;  // the document member when it differs from key ("contact/team")
};

struct BuilderSection {
  std::string legend;
  std::vector<BuilderField> fields;
};

// A repeating part of the document: an array of objects, one row of the form each.
struct BuilderPart {
  std::string name;     // "option": field names "option-<n>-<key>", actions "add-option"
  std::string pointer;  // "/options_considered"
  std::string legend;
  std::string row;      // "Option considered" (a row's legend: "Option considered 2")
  int max_rows = 100;
  std::vector<BuilderField> fields;
};

const std::vector<std::pair<std::string, std::string>>& question_types() {
  static const std::vector<std::pair<std::string, std::string>> t = {
      {"single_choice", "Choose one option"}, {"multiple_choice", "Choose any options"},
      {"scale", "A number on a scale"},       {"free_text", "Their own words"},
      {"ranking", "Put options in order"},    {"yes_no", "Yes or no"}};
  return t;
}

const std::vector<BuilderSection>& builder_scalar_sections() {
  using K = BuilderKind;
  static const std::vector<BuilderSection> s = {
      {"About the consultation",
       {{"title", "Title", "", K::kText, ""},
        {"summary", "Summary", "A few plain sentences for the list of consultations.", K::kArea, ""},
        {"proposal", "What we propose", "", K::kArea, ""},
        {"reasons", "Why we propose it", "", K::kArea, ""},
        {"audience", "Who it is for", "", K::kArea, ""},
        {"wards", "Wards", "One ward a line.", K::kLines, ""},
        {"topics", "Topics", "One topic a line.", K::kLines, ""}}},
      {"Dates and length",
       {{"opens", "Opens", "For example, 2026-03-02.", K::kDate, ""},
        {"closes", "Closes", "For example, 2026-04-27.", K::kDate, ""},
        {"big_decision", "It informs a big decision on council services that affects residents' lives", "", K::kCheckbox, ""},
        {"urgency_reason", "Reason for a shorter period", "Only if it is urgent and cannot run for the charter's length.", K::kArea, ""},
        {"formal_written", "It is a formal written consultation", "", K::kCheckbox, ""},
        {"affects_voluntary_sector", "It materially affects voluntary and community sector organisations", "", K::kCheckbox, ""},
        {"shorter_period_reason", "Published reason for fewer than 12 weeks", "", K::kArea, ""}}},
      {"The decision it informs",
       {{"key_decision_id", "Forward Plan reference", "The key decision's reference, if it has one.", K::kText, ""},
        {"decision_date", "Decision day", "", K::kDate, ""},
        {"decision_recorded_on", "Decision recorded on", "", K::kDate, ""},
        {"summary_published_on", "Summary of responses published on", "", K::kDate, ""},
        {"decision_report_date", "Decision report published on", "", K::kDate, ""}}},
      {"Ways to respond",
       {{"channel-online", "Online", "", K::kCheckbox, ""},
        {"channel-paper", "Paper", "", K::kCheckbox, ""},
        {"channel-phone", "Phone", "", K::kCheckbox, ""},
        {"channel-face_to_face", "Face to face", "", K::kCheckbox, ""},
        {"channel-event", "Events", "", K::kCheckbox, ""}}},
      {"Contact details",
       {{"contact-team", "Team", "", K::kText, "contact/team"},
        {"contact-email", "Email address", "", K::kText, "contact/email"},
        {"contact-phone", "Phone number", "", K::kText, "contact/phone"},
        {"contact-phone_hours", "Phone opening hours", "", K::kText, "contact/phone_hours"},
        {"contact-postal_address", "Postal address for paper responses", "One line of the address a line.", K::kArea,
         "contact/postal_address"}}},
      {"Languages promised",
       {{"languages", "Languages", "One language tag a line, such as cy for Welsh or pl for Polish. English is the source and needs no line.",
         K::kLines, ""}}},
  };
  return s;
}

const std::vector<BuilderPart>& builder_parts() {
  using K = BuilderKind;
  static const std::vector<BuilderPart> p = {
      {"option", "/options_considered", "Options considered", "Option considered", 100,
       {{"option", "Option", "", K::kText, ""},
        {"rejected", "We rejected this option", "", K::kCheckbox, ""},
        {"reason", "Why", "Why we rejected it, or why we still consider it.", K::kArea, ""}}},
      {"document", "/documents", "Documents", "Document", 100,
       {{"title", "Title", "", K::kText, ""}, {"url", "Web address", "", K::kText, ""}}},
      {"event", "/events", "Events", "Event", 100,
       {{"title", "Title", "", K::kText, ""},
        {"date", "Date", "", K::kDate, ""},
        {"starts_at", "Starts at", "24-hour clock, such as 18:30.", K::kText, ""},
        {"place", "Place", "", K::kText, ""},
        {"public_meeting", "It is a public meeting", "", K::kCheckbox, ""},
        {"recording_url", "Recording's web address", "", K::kText, ""}}},
      {"question", "/questions", "Questions", "Question", 200,
       {{"id", "Short name", "Letters, digits, - and _, such as q1. Left empty, one is made.", K::kText, ""},
        {"type", "Kind of answer", "", K::kSelect, ""},
        {"text", "Question", "", K::kArea, ""},
        {"hint", "Hint text (optional)", "Shown under the question, such as what it means or how to answer it.", K::kArea, ""},
        {"required", "An answer is required", "", K::kCheckbox, ""},
        {"options", "Options", "One option a line (choice and ranking questions).", K::kLines, ""},
        {"min", "Lowest number", "Scale questions.", K::kInteger, ""},
        {"max", "Highest number", "Scale questions.", K::kInteger, ""},
        {"max_length", "Longest answer, in characters", "Free text questions.", K::kInteger, ""},
        {"fact_key", "Fact it records", "An 'ask once' fact, such as postcode.", K::kText, ""}}},
  };
  return p;
}

std::string builder_lower_first(std::string s) {
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

std::string builder_row_name(const BuilderPart& part, int row, const std::string& key) {
  return part.name + "-" + std::to_string(row) + "-" + key;
}

std::string builder_trimmed(std::string v) {
  while (!v.empty() && (v.back() == ' ' || v.back() == '\r' || v.back() == '\n' || v.back() == '\t')) v.pop_back();
  size_t start = v.find_first_not_of(" \t\r\n");
  return start == std::string::npos ? std::string() : v.substr(start);
}

std::vector<std::string> builder_lines(const std::string& text, bool split_spaces) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    std::string t = builder_trimmed(cur);
    if (!t.empty()) out.push_back(t);
    cur.clear();
  };
  for (char c : text) {
    if (c == '\n' || (split_spaces && (c == ' ' || c == ','))) flush();
    else cur += c;
  }
  flush();
  return out;
}

std::string builder_text_of(const nlohmann::json& v, BuilderKind kind) {
  if (kind == BuilderKind::kCheckbox) return v.is_boolean() && v.get<bool>() ? "yes" : "";
  if (kind == BuilderKind::kLines) {
    std::string text;
    if (v.is_array()) {
      for (const auto& line : v) text += (text.empty() ? "" : "\n") + (line.is_string() ? line.get<std::string>() : line.dump());
    }
    return text;
  }
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::string builder_value_in(const BuilderState& s, const std::string& name) {
  auto it = s.values.find(name);
  return it == s.values.end() ? std::string() : it->second;
}

// One field's value into the document at `pointer`; false (with `error` set) when it cannot be read.
// `pointer` is where in `doc` it goes, `named` how an error names it (its place in the whole document).
bool builder_put_value(nlohmann::json& doc, const std::string& pointer, const std::string& named, const BuilderField& f,
               const std::string& raw, std::optional<Error>& error) {
  const nlohmann::json::json_pointer ptr(pointer);
  std::string v = f.kind == BuilderKind::kArea ? raw : builder_trimmed(raw);
  if (f.kind == BuilderKind::kCheckbox) {
    if (!v.empty()) doc[ptr] = true;
    return true;
  }
  if (builder_trimmed(v).empty()) return true;
  switch (f.kind) {
    case BuilderKind::kLines: {
      auto lines = builder_lines(v, f.key == "languages");
      if (!lines.empty()) doc[ptr] = lines;
      return true;
    }
    case BuilderKind::kDate: {
      auto d = Date::parse(v, named);
      if (!d) {
        if (!error) error = invalid_argument(named, f.label + ": enter a real date, like 2026-03-02");
        return false;
      }
      doc[ptr] = d->iso();
      return true;
    }
    case BuilderKind::kInteger: {
      int64_t n = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc() || end != v.data() + v.size()) {
        if (!error) error = invalid_argument(named, f.label + ": enter a whole number, like 5");
        return false;
      }
      doc[ptr] = n;
      return true;
    }
    default: doc[ptr] = v; return true;
  }
}

nlohmann::json builder_field_data(const BuilderField& f, const std::string& name, const std::string& value,
                                  const std::map<std::string, std::string>& errors) {
  nlohmann::json opts = nlohmann::json::array();
  if (f.kind == BuilderKind::kSelect) {
    for (const auto& [v, label] : question_types()) opts.push_back({{"value", v}, {"label", label}, {"selected", v == value}});
  }
  return {{"id", name},
          {"name", name},
          {"label", f.label},
          {"hint", f.hint.empty() ? nlohmann::json(false) : nlohmann::json(f.hint)},
          {"value", value},
          {"checked", !value.empty()},
          {"error", errors.count(name) ? nlohmann::json(errors.at(name)) : nlohmann::json(false)},
          {"is_text", f.kind == BuilderKind::kText || f.kind == BuilderKind::kInteger},
          {"is_number", f.kind == BuilderKind::kInteger},
          {"is_date", f.kind == BuilderKind::kDate},
          {"is_area", f.kind == BuilderKind::kArea || f.kind == BuilderKind::kLines},
          {"is_checkbox", f.kind == BuilderKind::kCheckbox},
          {"is_select", f.kind == BuilderKind::kSelect},
          {"options", opts}};
}

}  // namespace

BuilderState empty_builder_state() {
  BuilderState s;
  for (const auto& part : builder_parts()) s.rows[part.name] = part.name == "option" || part.name == "question" ? 1 : 0;
  s.values["question-0-type"] = "single_choice";
  return s;
}

BuilderState builder_state_of(const nlohmann::json& doc) {
  BuilderState s;
  for (const auto& section : builder_scalar_sections()) {
    for (const auto& f : section.fields) {
      if (f.key.rfind("channel-", 0) == 0) {
        const std::string channel = f.key.substr(8);
        for (const auto& c : doc.value("channels", nlohmann::json::array())) {
          if (c == channel) s.values[f.key] = "yes";
        }
        continue;
      }
      const std::string pointer = "/" + (f.member.empty() ? f.key : f.member);
      const nlohmann::json::json_pointer ptr(pointer);
      if (doc.contains(ptr)) s.values[f.key] = builder_text_of(doc.at(ptr), f.kind);
    }
  }
  for (const auto& part : builder_parts()) {
    const nlohmann::json::json_pointer ptr(part.pointer);
    const nlohmann::json rows = doc.contains(ptr) && doc.at(ptr).is_array() ? doc.at(ptr) : nlohmann::json::array();
    s.rows[part.name] = static_cast<int>(std::min<size_t>(rows.size(), static_cast<size_t>(part.max_rows)));
    for (int r = 0; r < s.rows[part.name]; ++r) {
      for (const auto& f : part.fields) {
        if (rows[r].contains(f.key)) s.values[builder_row_name(part, r, f.key)] = builder_text_of(rows[r][f.key], f.kind);
      }
    }
  }
  return s;
}

BuilderState builder_state_posted(const pages::FormFields& form) {
  BuilderState s;
  for (const auto& part : builder_parts()) s.rows[part.name] = 0;
  for (const auto& [name, value] : form) {
    if (name == "csrf" || name == "action" || name == "version") continue;
    bool known = false;
    for (const auto& part : builder_parts()) {
      const std::string prefix = part.name + "-";
      if (name.rfind(prefix, 0) != 0) continue;
      size_t dash = name.find('-', prefix.size());
      if (dash == std::string::npos) continue;
      int row = -1;
      auto [end, ec] = std::from_chars(name.data() + prefix.size(), name.data() + dash, row);
      if (ec != std::errc() || end != name.data() + dash || row < 0 || row >= part.max_rows) continue;
      const std::string key = name.substr(dash + 1);
      for (const auto& f : part.fields) known = known || f.key == key;
      if (known) s.rows[part.name] = std::max(s.rows[part.name], row + 1);
      break;
    }
    if (!known) {
      for (const auto& section : builder_scalar_sections()) {
        for (const auto& f : section.fields) known = known || f.key == name;
      }
    }
    if (known) s.values[name] = value;
  }
  return s;
}

bool apply_builder_action(BuilderState& state, const std::string& action) {
  for (const auto& part : builder_parts()) {
    int& rows = state.rows[part.name];
    if (action == "add-" + part.name) {
      if (rows < part.max_rows) {
        if (part.name == "question") state.values[builder_row_name(part, rows, "type")] = "single_choice";
        ++rows;
      }
      return true;
    }
    const std::string remove = "remove-" + part.name + "-";
    if (action.rfind(remove, 0) != 0) continue;
    int row = -1;
    const char* first = action.data() + remove.size();
    auto [end, ec] = std::from_chars(first, action.data() + action.size(), row);
    if (ec != std::errc() || end != action.data() + action.size() || row < 0 || row >= rows) return true;
    // Later rows move up one, so the numbers stay 0..rows-1.
    for (int r = row; r < rows; ++r) {
      for (const auto& f : part.fields) {
        const std::string here = builder_row_name(part, r, f.key), next = builder_row_name(part, r + 1, f.key);
        auto it = state.values.find(next);
        if (r + 1 < rows && it != state.values.end()) state.values[here] = it->second;
        else state.values.erase(here);
      }
    }
    --rows;
    return true;
  }
  return false;
}

BuiltDocument build_consultation_document(const BuilderState& state) {
  BuiltDocument out;
  nlohmann::json& doc = out.document;
  nlohmann::json channels = nlohmann::json::array();
  for (const auto& section : builder_scalar_sections()) {
    for (const auto& f : section.fields) {
      const std::string value = builder_value_in(state, f.key);
      if (f.key.rfind("channel-", 0) == 0) {
        if (!out.field_of.count("/channels")) out.field_of["/channels"] = f.key;
        if (!value.empty()) channels.push_back(f.key.substr(8));
        continue;
      }
      const std::string pointer = "/" + (f.member.empty() ? f.key : f.member);
      out.field_of[pointer] = f.key;
      if (!f.member.empty() && !out.field_of.count("/contact")) out.field_of["/contact"] = f.key;
      builder_put_value(doc, pointer, pointer, f, value, out.error);
    }
  }
  if (!channels.empty()) doc["channels"] = channels;
  for (const auto& part : builder_parts()) {
    const int rows = state.rows.count(part.name) ? state.rows.at(part.name) : 0;
    nlohmann::json items = nlohmann::json::array();
    for (int r = 0; r < rows; ++r) {
      bool empty = true;
      for (const auto& f : part.fields) {
        if (part.name == "question" && f.key == "type") continue;  // always has a value
        empty = empty && builder_trimmed(builder_value_in(state, builder_row_name(part, r, f.key))).empty();
      }
      if (empty) continue;
      const std::string at = part.pointer + "/" + std::to_string(items.size());
      nlohmann::json item = nlohmann::json::object();
      out.field_of[at] = builder_row_name(part, r, part.fields.front().key);
      for (const auto& f : part.fields) {
        const std::string name = builder_row_name(part, r, f.key);
        out.field_of[at + "/" + f.key] = name;
        builder_put_value(item, "/" + f.key, at + "/" + f.key, f, builder_value_in(state, name), out.error);
      }
      items.push_back(std::move(item));
    }
    if (part.name == "question") {
      // Questions left without a short name get "q<n>", skipping names already used.
      std::set<std::string> used;
      for (const auto& q : items) {
        if (q.contains("id")) used.insert(q["id"].get<std::string>());
      }
      int n = 1;
      for (auto& q : items) {
        if (q.contains("id")) continue;
        while (used.count("q" + std::to_string(n))) ++n;
        q["id"] = "q" + std::to_string(n);
        used.insert(q["id"].get<std::string>());
      }
    }
    if (!items.empty()) doc[nlohmann::json::json_pointer(part.pointer)] = items;
  }
  return out;
}

std::string builder_field_for(const BuiltDocument& built, const std::string& pointer) {
  std::string best;
  size_t best_len = 0;
  for (const auto& [p, name] : built.field_of) {
    if (pointer.rfind(p, 0) == 0 && (pointer.size() == p.size() || pointer[p.size()] == '/') && p.size() >= best_len) {
      best = name;
      best_len = p.size();
    }
  }
  if (!best.empty()) return best;
  for (const auto& [p, name] : built.field_of) {
    if (!pointer.empty() && p.rfind(pointer + "/", 0) == 0) return name;
  }
  return "title";
}

nlohmann::json builder_sections(const BuilderState& state, const std::map<std::string, std::string>& errors) {
  nlohmann::json sections = nlohmann::json::array();
  for (const auto& section : builder_scalar_sections()) {
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& f : section.fields) {
      fields.push_back(builder_field_data(f, f.key, builder_value_in(state, f.key), errors));
    }
    sections.push_back({{"legend", section.legend},
                        {"rows", nlohmann::json::array({{{"row_legend", false}, {"fields", fields}, {"remove", false}}})},
                        {"add", false}});
  }
  for (const auto& part : builder_parts()) {
    const int rows = state.rows.count(part.name) ? state.rows.at(part.name) : 0;
    nlohmann::json row_data = nlohmann::json::array();
    for (int r = 0; r < rows; ++r) {
      nlohmann::json fields = nlohmann::json::array();
      for (const auto& f : part.fields) {
        const std::string name = builder_row_name(part, r, f.key);
        fields.push_back(builder_field_data(f, name, builder_value_in(state, name), errors));
      }
      const std::string legend = part.row + " " + std::to_string(r + 1);
      row_data.push_back({{"row_legend", legend},
                          {"fields", fields},
                          {"remove", {{"value", "remove-" + part.name + "-" + std::to_string(r)}, {"label", "Remove " + legend}}}});
    }
    nlohmann::json add = false;
    if (rows < part.max_rows) add = {{"value", "add-" + part.name}, {"label", "Add another " + builder_lower_first(part.row)}};
    sections.push_back({{"legend", part.legend}, {"rows", row_data}, {"add", add}, {"none", rows == 0}});
  }
  return sections;
}

}  // namespace townhall::server::staff
