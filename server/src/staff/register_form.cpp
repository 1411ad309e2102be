// The console's register forms (register_form.h).
#include "staff/register_form.h"

#include <charconv>

#include "townhall/date.h"

namespace townhall::server::staff {
namespace {

std::string field_id(const std::string& path) {
  std::string id = "f-";
  for (char c : path) id += c == '.' ? '-' : c;
  return id;
}

nlohmann::json::json_pointer pointer_of_path(const std::string& path) {
  std::string p;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    p += "/" + path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return nlohmann::json::json_pointer(p);
}

// The field an error is about: the one whose pointer is the longest prefix of the error's.
const FormField* field_of_error(const std::vector<FormField>& fields, const Error& error) {
  const FormField* best = nullptr;
  size_t best_len = 0;
  for (const auto& f : fields) {
    std::string p = pointer_of_path(f.path).to_string();
    if (error.field.rfind(p, 0) == 0 && (error.field.size() == p.size() || error.field[p.size()] == '/') &&
        p.size() > best_len) {
      best = &f;
      best_len = p.size();
    }
  }
  if (!best) {
    // "/notice" about a whole part: the first field inside it.
    for (const auto& f : fields) {
      std::string p = pointer_of_path(f.path).to_string();
      if (!error.field.empty() && error.field != "/" && p.rfind(error.field + "/", 0) == 0) return &f;
    }
  }
  if (!best) {
    // A copy of a field elsewhere in the document (the notice's decision date is the decision's):
    // the field with the same last name.
    std::string last = error.field.substr(error.field.find_last_of('/') + 1);
    for (const auto& f : fields) {
      if (f.path == last || (f.path.size() > last.size() && f.path.ends_with("." + last))) return &f;
    }
  }
  return best ? best : (fields.empty() ? nullptr : &fields.front());
}

std::string pounds_text(int64_t pence) {
  std::string s = std::to_string(pence / 100);
  if (pence % 100) {
    char cents[4];
    std::snprintf(cents, sizeof cents, "%02d", static_cast<int>(pence % 100));
    s += std::string(".") + cents;
  }
  return s;
}

Result<int64_t> parse_pounds(std::string text, const std::string& field) {
  std::string digits;
  for (char c : text) {
    if (c == ',' || c == ' ' || c == '\xc2' || c == '\xa3') continue;  // thousands, spaces, "£"
    digits += c;
  }
  auto bad = [&] { return invalid_argument(field, "enter an amount in pounds, like 250000 or 250,000.50"); };
  size_t point = digits.find('.');
  std::string whole = digits.substr(0, point), part = point == std::string::npos ? "" : digits.substr(point + 1);
  if (whole.empty() || whole.size() > 13 || part.size() > 2) return bad();
  if (whole.find_first_not_of("0123456789") != std::string::npos || part.find_first_not_of("0123456789") != std::string::npos) {
    return bad();
  }
  int64_t pounds = 0;
  std::from_chars(whole.data(), whole.data() + whole.size(), pounds);
  int64_t pence = part.empty() ? 0 : std::stoll(part) * (part.size() == 1 ? 10 : 1);
  return pounds * 100 + pence;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    while (!line.empty() && line.front() == ' ') line.erase(0, 1);
    if (!line.empty()) out.push_back(line);
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

}  // namespace

nlohmann::json form_values_of(const std::vector<FormField>& fields, const nlohmann::json& doc) {
  nlohmann::json values = nlohmann::json::object();
  for (const auto& f : fields) {
    auto ptr = pointer_of_path(f.path);
    if (!doc.contains(ptr)) {
      values[f.path] = "";
      continue;
    }
    const auto& v = doc.at(ptr);
    switch (f.type) {
      case FieldType::kCheckbox: values[f.path] = v.is_boolean() && v.get<bool>() ? "yes" : ""; break;
      case FieldType::kLines: {
        std::string text;
        if (v.is_array()) {
          for (const auto& line : v) text += (text.empty() ? "" : "\n") + (line.is_string() ? line.get<std::string>() : line.dump());
        }
        values[f.path] = text;
        break;
      }
      case FieldType::kPounds: values[f.path] = v.is_number_integer() ? pounds_text(v.get<int64_t>()) : ""; break;
      default: values[f.path] = v.is_string() ? v.get<std::string>() : v.dump();
    }
  }
  return values;
}

nlohmann::json form_values_posted(const std::vector<FormField>& fields, const pages::FormFields& form) {
  nlohmann::json values = nlohmann::json::object();
  for (const auto& f : fields) values[f.path] = pages::form_value(form, f.path);
  return values;
}

Result<nlohmann::json> document_of(const std::vector<FormField>& fields, const pages::FormFields& form) {
  nlohmann::json doc = nlohmann::json::object();
  for (const auto& f : fields) {
    std::string v = pages::form_value(form, f.path);
    auto ptr = pointer_of_path(f.path);
    if (f.type == FieldType::kCheckbox) {
      doc[ptr] = !v.empty();
      continue;
    }
    if (f.type != FieldType::kTextArea && f.type != FieldType::kLines) {
      while (!v.empty() && v.back() == ' ') v.pop_back();
      while (!v.empty() && v.front() == ' ') v.erase(0, 1);
    }
    if (v.empty()) continue;
    switch (f.type) {
      case FieldType::kLines: doc[ptr] = lines_of(v); break;
      case FieldType::kDate: {
        auto d = Date::parse(v, ptr.to_string());
        if (!d) return invalid_argument(ptr.to_string(), f.label + ": enter a real date, like 2026-02-12");
        doc[ptr] = d->iso();
        break;
      }
      case FieldType::kPounds: {
        auto pence = parse_pounds(v, ptr.to_string());
        if (!pence) return pence.error();
        doc[ptr] = *pence;
        break;
      }
      default: doc[ptr] = v;
    }
  }
  return doc;
}

nlohmann::json form_data(const std::vector<FormField>& fields, const nlohmann::json& values, const Error* error) {
  const FormField* wrong = error ? field_of_error(fields, *error) : nullptr;
  nlohmann::json sets = nlohmann::json::array();
  for (const auto& f : fields) {
    if (sets.empty() || !f.group.empty()) sets.push_back({{"legend", f.group}, {"fields", nlohmann::json::array()}});
    std::string value = values.value(f.path, "");
    nlohmann::json opts = nlohmann::json::array();
    for (const auto& [v, label] : f.options) opts.push_back({{"value", v}, {"label", label}, {"selected", v == value}});
    sets.back()["fields"].push_back({{"id", field_id(f.path)},
                                      {"name", f.path},
                                      {"label", f.label},
                                      {"hint", f.hint.empty() ? nlohmann::json(false) : nlohmann::json(f.hint)},
                                      {"value", value},
                                      {"checked", !value.empty()},
                                      {"error", &f == wrong ? nlohmann::json(error->message) : nlohmann::json(false)},
                                      {"is_text", f.type == FieldType::kText || f.type == FieldType::kPounds},
                                      {"is_pounds", f.type == FieldType::kPounds},
                                      {"is_date", f.type == FieldType::kDate},
                                      {"is_area", f.type == FieldType::kTextArea || f.type == FieldType::kLines},
                                      {"is_checkbox", f.type == FieldType::kCheckbox},
                                      {"is_select", f.type == FieldType::kSelect},
                                      {"options", opts}});
  }
  return sets;
}

nlohmann::json error_list(const std::vector<FormField>& fields, const Error& error) {
  const FormField* f = field_of_error(fields, error);
  return nlohmann::json::array({{{"href", "#" + (f ? field_id(f->path) : std::string("main-content"))}, {"message", error.message}}});
}

}  // namespace townhall::server::staff
