#include "townhall/panel/member_import.h"
#include "townhall/panel/store.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "townhall/i18n/text.h"

namespace townhall::panel {
namespace {

const std::set<std::string, std::less<>> kPersonalColumns = {"name", "email", "phone", "address"};

bool is_standard_fact(std::string_view key) {
  return std::any_of(std::begin(kStandardFactKeys), std::end(kStandardFactKeys),
                     [&](const char* k) { return key == k; });
}

Result<bool> parse_consent(std::string_view text, std::string_view field) {
  std::string v;
  for (char c : text) v += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (v == "yes" || v == "y" || v == "true" || v == "1") return true;
  if (v == "no" || v == "n" || v == "false" || v == "0") return false;
  return invalid_argument(std::string(field), "consent must be yes or no, not '" + std::string(text) + "'");
}

// Checks and normalises one personal or fact value; adds it to `m`.
Status put_value(NewMember& m, const std::string& key, bool fact, std::string_view raw, std::string_view field,
                 const std::string& source, const ImportOptions& o) {
  auto text = i18n::normalize_for_storage(raw, field);
  if (!text) return text.error();
  std::string value = *text;
  if (value.empty()) return Status::Ok();
  if (!fact) {
    if (key == "email" && (value.find('@') == std::string::npos || value.find(' ') != std::string::npos)) {
      return invalid_argument(std::string(field), "'" + value + "' is not an email address");
    }
    m.personal[key] = value;
    return Status::Ok();
  }
  if (key == "postcode") {
    auto pc = normalise_postcode(value, field);
    if (!pc) return pc.error();
    value = *pc;
  }
  Fact f;
  f.key = key;
  f.value = value;
  f.channel = m.channel;
  f.source = source;
  f.recorded_on = o.today;
  f.consent = true;
  f.valid_until = o.validity.until(key, o.today);
  m.facts.push_back(std::move(f));
  return Status::Ok();
}

}  // namespace

Result<std::string> normalise_postcode(std::string_view text, std::string_view field) {
  std::string compact;
  for (char c : text) {
    if (c == ' ') continue;
    compact += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  // Outward code 2-4 characters starting with a letter; inward code digit + two letters.
  bool ok = compact.size() >= 5 && compact.size() <= 7 && std::isalpha(static_cast<unsigned char>(compact[0]));
  if (ok) {
    const size_t n = compact.size();
    ok = std::isdigit(static_cast<unsigned char>(compact[n - 3])) && std::isalpha(static_cast<unsigned char>(compact[n - 2])) &&
         std::isalpha(static_cast<unsigned char>(compact[n - 1]));
    ok = ok && std::all_of(compact.begin(), compact.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
  }
  if (!ok) return invalid_argument(std::string(field), "'" + std::string(text) + "' is not a UK postcode");
  return compact.substr(0, compact.size() - 3) + " " + compact.substr(compact.size() - 3);
}

Result<std::vector<NewMember>> members_from_csv(const csv::CsvTable& table, const ImportOptions& options) {
  // The header first: every column must be known, name and consent must be there.
  struct Col {
    size_t index;
    std::string key;
    enum { kPersonal, kFact, kId, kConsent, kJoined } kind;
  };
  std::vector<Col> cols;
  std::vector<std::string> problems;
  std::string first_field;
  auto problem = [&](const std::string& field, const std::string& message) {
    if (first_field.empty()) first_field = field;
    if (problems.size() < options.max_errors) problems.push_back(message);
  };
  std::set<std::string> seen_keys;
  for (size_t c = 0; c < table.header.size(); ++c) {
    std::string h = table.header[c];
    std::transform(h.begin(), h.end(), h.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    Col col{c, h, Col::kPersonal};
    if (h == "id") {
      col.kind = Col::kId;
    } else if (h == "consent") {
      col.kind = Col::kConsent;
    } else if (h == "joined_on") {
      col.kind = Col::kJoined;
    } else if (kPersonalColumns.count(h)) {
      col.kind = Col::kPersonal;
    } else if (is_standard_fact(h) || h.rfind("fact:", 0) == 0) {
      col.kind = Col::kFact;
      if (h.rfind("fact:", 0) == 0) col.key = h.substr(5);
      if (auto st = check_fact_key(col.key, table.header[c]); !st) {
        problem(table.header[c], table.source + ", column '" + table.header[c] + "': " + st.error().message);
      }
    } else {
      problem(table.header[c], table.source + ", column '" + table.header[c] +
                                   "': unknown column (use name, email, phone, address, id, consent, joined_on, "
                                   "ward, postcode, age_band, sex, ethnicity, tenure, disability, "
                                   "contact_preference or fact:KEY)");
      continue;
    }
    if (!seen_keys.insert(col.key).second) problem(table.header[c], table.source + ", column '" + table.header[c] + "': appears twice");
    cols.push_back(col);
  }
  for (const char* required : {"name", "consent"}) {
    if (!seen_keys.count(required)) problem(required, table.source + ": missing column '" + std::string(required) + "'");
  }
  if (!problems.empty()) return Error{ErrorCode::kInvalidArgument, first_field, problems.front()};

  std::vector<NewMember> out;
  std::set<std::string> ids;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    NewMember m;
    m.channel = options.channel;
    m.joined_on = options.today;
    m.email_verified = true;  // the council's own list
    const std::string source = "import " + table.source + " line " + std::to_string(table.line_of_row[r]);
    bool consent = false;
    for (const auto& col : cols) {
      const std::string& raw = table.rows[r][col.index];
      const std::string& column = table.header[col.index];
      auto fail = [&](const Error& e) { problem(column, csv::csv_location(table, r, column) + ": " + e.message); };
      switch (col.kind) {
        case Col::kId:
          if (!raw.empty() && !ids.insert(raw).second) {
            fail(invalid_argument(column, "id '" + raw + "' is used by an earlier row"));
          }
          m.external_id = raw;
          break;
        case Col::kConsent: {
          auto c = parse_consent(raw, column);
          if (!c) fail(c.error()); else consent = *c;
          break;
        }
        case Col::kJoined:
          if (!raw.empty()) {
            auto d = Date::parse(raw, column);
            if (!d) fail(d.error()); else m.joined_on = *d;
          }
          break;
        case Col::kPersonal:
        case Col::kFact:
          if (auto st = put_value(m, col.key, col.kind == Col::kFact, raw, column, source, options); !st) fail(st.error());
          break;
      }
    }
    if (!m.personal.contains("name")) problem("name", csv::csv_location(table, r, "name") + ": a member needs a name");
    m.fact_consent = consent;
    if (!consent) m.facts.clear();  // no consent: the facts are not kept at all
    out.push_back(std::move(m));
  }
  if (!problems.empty()) {
    std::string message = std::to_string(problems.size()) + (problems.size() == options.max_errors ? "+" : "") +
                          " problem" + (problems.size() == 1 ? "" : "s") + "; nothing was imported:";
    for (const auto& p : problems) message += "\n  " + p;
    return Error{ErrorCode::kInvalidArgument, first_field, message};
  }
  return out;
}

Result<NewMember> member_from_join(const nlohmann::json& form, const ImportOptions& options) {
  NewMember m;
  m.channel = options.channel;
  m.joined_on = options.today;
  for (const auto& key : kPersonalColumns) {
    if (!form.contains(key)) continue;
    if (auto st = put_value(m, key, false, form[key].get<std::string>(), "/" + key, "join", options); !st) return st.error();
  }
  if (!m.personal.contains("name")) return invalid_argument("/name", "a member needs a name");
  m.fact_consent = form.value("consent", false);
  if (m.fact_consent && form.contains("facts")) {
    for (const auto& [key, value] : form["facts"].items()) {
      const std::string field = "/facts/" + key;
      if (auto st = check_fact_key(key, field); !st) return st.error();
      if (value.is_string()) {
        if (auto st = put_value(m, key, true, value.get<std::string>(), field, "join", options); !st) return st.error();
      } else {
        Fact f{key, value, m.channel, "join", options.today, true, options.validity.until(key, options.today)};
        m.facts.push_back(std::move(f));
      }
    }
  }
  return m;
}

}  // namespace townhall::panel

namespace townhall {

Result<panel::Member> PanelStore::add_member(const panel::NewMember& member, const AuditEvent& audit) {
  auto all = import_members({member}, audit);
  if (!all) {
    Error e = all.error();
    if (e.field.rfind("/0", 0) == 0) e.field = e.field.substr(2);
    return e;
  }
  return all->front();
}

}  // namespace townhall
