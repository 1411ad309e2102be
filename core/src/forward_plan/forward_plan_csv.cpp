// The Forward Plan CSV reader; the columns are documented in docs/forward-plan-csv.md.
#include <algorithm>
#include <map>
#include <set>

#include "townhall/util/csv.h"
#include "townhall/forward_plan/forward_plan.h"
#include "townhall/calendar/bank_holidays.h"
#include "townhall/i18n/text.h"

namespace townhall {

namespace {

struct Column {
  const char* name;
  bool required;
};

// Keep in step with docs/forward-plan-csv.md.
constexpr Column kColumns[] = {
    {"id", true},
    {"matter", true},
    {"decision_maker", true},
    {"decision_maker_title", false},
    {"decision_maker_members", false},
    {"decision_date", true},
    {"period_from", false},
    {"period_to", false},
    {"value_pence", true},
    {"value_kind", false},
    {"wards", true},
    {"significant_effects", true},
    {"treated_as_key", true},
    {"assessment_reasons", false},
    {"notice_published_on", true},
    {"states_key_decision", false},
    {"documents", false},
    {"documents_available_from", false},
    {"other_documents_statement", false},
    {"how_to_request", false},
    {"ge_chair_of_scrutiny_notified_on", false},
    {"ge_notified", false},
    {"ge_made_public_on", false},
    {"ge_reasons_notice_published_on", false},
    {"su_agreed_by", false},
    {"su_name", false},
    {"su_agreed_on", false},
    {"su_why_higher_roles_could_not_act", false},
    {"su_reasons_notice_published_on", false},
    {"decided_on", false},
};

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// Characters (code points) of valid UTF-8 text, as the schema's maxLength counts them.
size_t code_points(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::vector<std::string> split_list(const std::string& cell) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= cell.size()) {
    size_t semi = cell.find(';', start);
    if (semi == std::string::npos) semi = cell.size();
    std::string item = trim(std::string_view(cell).substr(start, semi - start));
    if (!item.empty()) out.push_back(std::move(item));
    start = semi + 1;
  }
  return out;
}

class Row {
 public:
  Row(const std::map<std::string, size_t>& index, const csv::Record& rec, int row_number)
      : index_(index), rec_(rec), row_(row_number) {}

  bool has_column(const std::string& col) const { return index_.count(col) != 0; }

  // The trimmed cell, or "" when the column is absent.
  std::string cell(const std::string& col) const {
    auto it = index_.find(col);
    if (it == index_.end()) return "";
    return trim(rec_.fields[it->second]);
  }

  Error error(const std::string& col, const std::string& what) const {
    return Error{ErrorCode::kInvalidCsv, col, "row " + std::to_string(row_) + ", column " + col + ": " + what};
  }

  Result<std::string> required_text(const std::string& col) const {
    std::string v = cell(col);
    if (v.empty()) return error(col, "is empty");
    return v;
  }

  Result<std::optional<Date>> date(const std::string& col) const {
    std::string v = cell(col);
    if (v.empty()) return std::optional<Date>{};
    auto d = Date::parse(v, col);
    if (!d) return error(col, "\"" + v + "\" is not a date (expected YYYY-MM-DD, e.g. 2025-07-17)");
    if (auto st = HolidayCalendar::check_supported(*d, col); !st) return error(col, st.error().message);
    return std::optional<Date>{*d};
  }

  Result<std::optional<bool>> boolean(const std::string& col) const {
    std::string v = cell(col);
    if (v.empty()) return std::optional<bool>{};
    std::string lower;
    for (char c : v) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "yes" || lower == "y" || lower == "true") return std::optional<bool>{true};
    if (lower == "no" || lower == "n" || lower == "false") return std::optional<bool>{false};
    return error(col, "\"" + v + "\" is not yes or no");
  }

  Result<bool> required_boolean(const std::string& col) const {
    auto b = boolean(col);
    if (!b) return b.error();
    if (!b->has_value()) return error(col, "is empty; expected yes or no");
    return **b;
  }

  Result<std::optional<int64_t>> pence(const std::string& col) const {
    std::string v = cell(col);
    if (v.empty()) return std::optional<int64_t>{};
    const bool digits = std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || v.size() > 18) {
      return error(col, "\"" + v + "\" is not a whole number of pence (e.g. 12000000 for £120,000)");
    }
    const int64_t pence = std::stoll(v);
    if (pence > kMaxPence) return error(col, "\"" + v + "\" is more than " + std::to_string(kMaxPence) + " pence");
    return std::optional<int64_t>{pence};
  }

 private:
  const std::map<std::string, size_t>& index_;
  const csv::Record& rec_;
  int row_;
};

Result<KeyDecision> read_row(const Row& row) {
  KeyDecision k;
  auto id = row.required_text("id");
  if (!id) return id.error();
  if (code_points(*id) > kKeyDecisionIdMaxLength) {
    return row.error("id", "is longer than " + std::to_string(kKeyDecisionIdMaxLength) + " characters");
  }
  k.id = *id;
  auto matter = row.required_text("matter");
  if (!matter) return matter.error();
  k.matter = *matter;

  auto maker_name = row.required_text("decision_maker");
  if (!maker_name) return maker_name.error();
  auto members = split_list(row.cell("decision_maker_members"));
  if (!members.empty()) {
    if (!row.cell("decision_maker_title").empty()) {
      return row.error("decision_maker_title",
                       "a body (decision_maker_members given) has no title; leave one of them empty");
    }
    k.decision_maker.body = *maker_name;
    k.decision_maker.members = std::move(members);
  } else {
    k.decision_maker.name = *maker_name;
    k.decision_maker.title = row.cell("decision_maker_title");
  }

  auto date = row.date("decision_date");
  if (!date) return date.error();
  auto from = row.date("period_from");
  if (!from) return from.error();
  auto to = row.date("period_to");
  if (!to) return to.error();
  if (*date && (*from || *to)) {
    return row.error(*from ? "period_from" : "period_to", "give decision_date or period_from/period_to, not both");
  }
  if (*date) {
    k.timing.date = *date;
  } else {
    if (!*from) return row.error("decision_date", "is empty; give a decision date or period_from and period_to");
    if (!*to) return row.error("period_to", "is empty; a period needs both period_from and period_to");
    if (**to < **from) {
      return row.error("period_to", "the period ends (" + (*to)->iso() + ") before it starts (" + (*from)->iso() + ")");
    }
    k.timing.from = *from;
    k.timing.to = *to;
  }

  auto value = row.pence("value_pence");
  if (!value) return value.error();
  k.value_pence = *value;
  const std::string kind = row.cell("value_kind");
  if (kind == "savings") {
    k.value_kind = ValueKind::kSavings;
  } else if (!kind.empty() && kind != "spend") {
    return row.error("value_kind", "\"" + kind + "\" is not spend or savings");
  }
  k.wards_affected = split_list(row.cell("wards"));
  auto sig = row.required_boolean("significant_effects");
  if (!sig) return sig.error();
  k.significant_effects = *sig;
  auto key = row.required_boolean("treated_as_key");
  if (!key) return key.error();
  k.treated_as_key = *key;
  k.assessment_reasons = row.cell("assessment_reasons");

  // The notice: the row is the Forward Plan entry, so its matter, decision maker and date are the
  // notice's; the remaining reg 9 particulars come from their own columns.
  auto published = row.date("notice_published_on");
  if (!published) return published.error();
  auto states = row.boolean("states_key_decision");
  if (!states) return states.error();
  auto other_docs = row.boolean("other_documents_statement");
  if (!other_docs) return other_docs.error();
  const auto documents = split_list(row.cell("documents"));
  const std::string available = row.cell("documents_available_from");
  const std::string how = row.cell("how_to_request");
  if (*published || !documents.empty() || !available.empty() || !how.empty() || *other_docs || *states) {
    Reg9Notice n;
    n.published_on = *published;
    n.states_key_decision = row.has_column("states_key_decision") ? *states : std::optional<bool>{true};
    n.matter = k.matter;
    n.decision_maker = k.decision_maker;
    n.date_or_period = k.timing;
    if (!documents.empty()) n.documents = documents;
    if (!available.empty()) n.documents_available_from = available;
    n.other_documents_statement = *other_docs;
    if (!how.empty()) n.how_to_request = how;
    k.notice = n;
  }

  auto ge_notified_on = row.date("ge_chair_of_scrutiny_notified_on");
  if (!ge_notified_on) return ge_notified_on.error();
  auto ge_public = row.date("ge_made_public_on");
  if (!ge_public) return ge_public.error();
  auto ge_reasons = row.date("ge_reasons_notice_published_on");
  if (!ge_reasons) return ge_reasons.error();
  const std::string ge_notified = row.cell("ge_notified");
  if (*ge_notified_on || *ge_public || *ge_reasons || !ge_notified.empty()) {
    k.general_exception = GeneralException{*ge_notified_on, ge_notified, *ge_public, *ge_reasons};
  }

  const std::string su_role = row.cell("su_agreed_by");
  auto su_agreed = row.date("su_agreed_on");
  if (!su_agreed) return su_agreed.error();
  auto su_reasons = row.date("su_reasons_notice_published_on");
  if (!su_reasons) return su_reasons.error();
  const std::string su_name = row.cell("su_name");
  const std::string su_why = row.cell("su_why_higher_roles_could_not_act");
  if (!su_role.empty() || *su_agreed || *su_reasons || !su_name.empty() || !su_why.empty()) {
    if (su_role.empty()) {
      return row.error("su_agreed_by",
                       "is empty but other special urgency columns are filled in; expected "
                       "overview_and_scrutiny_chair, chair_of_council or vice_chair_of_council");
    }
    auto role = parse_urgency_role(su_role, "su_agreed_by");
    if (!role) return row.error("su_agreed_by", role.error().message);
    k.special_urgency = UrgencyAgreement{*role, su_name, *su_agreed, su_why, *su_reasons};
  }

  auto decided = row.date("decided_on");
  if (!decided) return decided.error();
  k.decided_on = *decided;
  return k;
}

}  // namespace

Result<ForwardPlan> parse_forward_plan_csv(std::string_view text) {
  auto records = csv::read_records(text);
  if (!records) return records.error();
  const auto& recs = *records;
  // Blank lines (a single empty field) are ignored but still count as spreadsheet rows.
  auto blank = [](const csv::Record& r) { return r.fields.size() == 1 && trim(r.fields[0]).empty(); };
  size_t h = 0;
  while (h < recs.size() && blank(recs[h])) ++h;
  if (h == recs.size()) return Error{ErrorCode::kInvalidCsv, "", "the CSV is empty; the first row must name the columns"};
  const std::string header_row = "row " + std::to_string(h + 1);

  // Text enters as valid UTF-8 or not at all (it ends up in JSON, pages and feeds).
  for (size_t r = h; r < recs.size(); ++r) {
    for (size_t i = 0; i < recs[r].fields.size(); ++i) {
      if (i18n::validate_utf8(recs[r].fields[i], "").ok()) continue;
      const bool named = r > h && i < recs[h].fields.size() && i18n::validate_utf8(recs[h].fields[i], "").ok();
      const std::string column = named ? trim(recs[h].fields[i]) : "";
      return Error{ErrorCode::kInvalidCsv, column,
                   "row " + std::to_string(r + 1) + (named ? ", column " + column : ", cell " + std::to_string(i + 1)) +
                       ": is not valid UTF-8 (save the file as UTF-8)"};
    }
  }

  std::map<std::string, size_t> index;
  const auto& header = recs[h];
  for (size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name = trim(header.fields[i]);
    const bool known = std::any_of(std::begin(kColumns), std::end(kColumns),
                                   [&](const Column& c) { return name == c.name; });
    if (!known) {
      return Error{ErrorCode::kInvalidCsv, name,
                   header_row + ": unknown column \"" + name + "\" (see docs/forward-plan-csv.md for the columns)"};
    }
    if (!index.emplace(name, i).second) {
      return Error{ErrorCode::kInvalidCsv, name, header_row + ": column \"" + name + "\" appears twice"};
    }
  }
  for (const auto& c : kColumns) {
    if (c.required && !index.count(c.name)) {
      return Error{ErrorCode::kInvalidCsv, c.name, header_row + ": required column \"" + std::string(c.name) + "\" is missing"};
    }
  }

  ForwardPlan plan;
  plan.records_urgency_reports = false;  // the CSV has no columns for reports to full council
  std::set<std::string> ids;
  for (size_t r = h + 1; r < recs.size(); ++r) {
    if (blank(recs[r])) continue;
    const int row_number = static_cast<int>(r) + 1;
    if (recs[r].fields.size() != header.fields.size()) {
      return Error{ErrorCode::kInvalidCsv, "",
                   "row " + std::to_string(row_number) + " (line " + std::to_string(recs[r].line) + ") has " +
                       std::to_string(recs[r].fields.size()) + " cells but the header has " +
                       std::to_string(header.fields.size())};
    }
    const Row row(index, recs[r], row_number);
    auto k = read_row(row);
    if (!k) return k.error();
    if (!ids.insert(k->id).second) return row.error("id", "duplicate key decision id \"" + k->id + "\"");
    plan.key_decisions.push_back(std::move(*k));
  }
  return plan;
}

}  // namespace townhall
