// The live Forward Plan register (compliance/register.h): changes checked as part of the whole
// register inside the store's transaction, and its compliance report.
#include "townhall/compliance/register.h"

#include <regex>
#include <set>

#include "townhall/consultations/document.h"
#include "townhall/consultations/findings.h"
#include "townhall/util/csv.h"

namespace townhall {
namespace {

// Where each kind sits in a Forward Plan document, and the member holding a record's own id.
const char* plan_member(RecordKind kind) {
  switch (kind) {
    case RecordKind::kKeyDecision: return "key_decisions";
    case RecordKind::kMeeting: return "meetings";
    case RecordKind::kUrgencyReport: return "urgency_reports";
    case RecordKind::kScrutinyReferral: return "scrutiny_referrals";
  }
  return "";
}

const char* own_id_member(RecordKind kind) {
  return kind == RecordKind::kScrutinyReferral ? "decision_id" : "id";
}

// A pointer into the plan document made relative to the record at `prefix` ("/key_decisions/3");
// an error about another record keeps its full pointer.
Error relative_to(Error e, const std::string& prefix) {
  if (e.field.rfind(prefix, 0) == 0 && (e.field.size() == prefix.size() || e.field[prefix.size()] == '/')) {
    e.field = e.field.substr(prefix.size());
    if (e.field.empty()) e.field = "/";
  }
  return e;
}

// Where the record (kind, id) is in register_plan_document(records), or "" when absent.
std::string record_pointer(const std::vector<RegisterRecord>& records, RecordKind kind, const std::string& id) {
  size_t index = 0;
  for (const auto& r : records) {
    if (r.kind != kind) continue;
    if (r.id == id) return std::string("/") + plan_member(kind) + "/" + std::to_string(index);
    ++index;
  }
  return "";
}

std::string kind_name(RecordKind kind) {
  switch (kind) {
    case RecordKind::kKeyDecision: return "key decision";
    case RecordKind::kMeeting: return "meeting";
    case RecordKind::kUrgencyReport: return "urgency report";
    case RecordKind::kScrutinyReferral: return "scrutiny referral";
  }
  return "record";
}

// parse_forward_plan_csv() stops at the first bad row; to name every one, the bad row is blanked
// (one empty line keeps the numbering, as blank lines count as rows) and the file read again.
constexpr int kMaxRowErrors = 100;

Error every_bad_row(std::string_view csv_text, Error first) {
  static const std::regex row_re("^row ([0-9]+)");
  std::vector<std::string> lines;
  for (size_t start = 0;;) {
    size_t nl = csv_text.find('\n', start);
    lines.emplace_back(csv_text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  std::vector<std::string> messages;
  Error e = first;
  while (static_cast<int>(messages.size()) < kMaxRowErrors) {
    messages.push_back(e.message);
    std::smatch m;
    if (!std::regex_search(e.message, m, row_re)) break;
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    auto records = csv::read_records(text);
    if (!records) break;
    size_t row = std::stoul(m[1].str());
    if (row < 2 || row > records->size()) break;
    int from = (*records)[row - 1].line - 1;
    int to = row < records->size() ? (*records)[row].line - 1 : static_cast<int>(lines.size());
    if (from < 1 || from >= to) break;
    lines[static_cast<size_t>(from)].clear();
    lines.erase(lines.begin() + from + 1, lines.begin() + to);
    text.clear();
    for (const auto& l : lines) text += l + "\n";
    auto again = parse_forward_plan_csv(text);
    if (again) break;
    if (again.error().message == e.message) break;  // no progress: stop rather than loop
    e = again.error();
  }
  std::string all;
  for (const auto& msg : messages) all += (all.empty() ? "" : "\n") + msg;
  first.message = all;
  return first;
}

}  // namespace

nlohmann::json register_plan_document(const std::vector<RegisterRecord>& records) {
  nlohmann::json doc = {{"key_decisions", nlohmann::json::array()},
                        {"meetings", nlohmann::json::array()},
                        {"urgency_reports", nlohmann::json::array()},
                        {"scrutiny_referrals", nlohmann::json::array()}};
  for (const auto& r : records) doc[plan_member(r.kind)].push_back(r.document);
  return doc;
}

Result<ForwardPlan> read_register(ForwardPlanRegisterStore& store) {
  auto records = store.register_records();
  if (!records) return records.error();
  return parse_forward_plan(register_plan_document(*records));
}

Result<nlohmann::json> register_record(ForwardPlanRegisterStore& store, RecordKind kind, const std::string& id) {
  auto records = store.register_records();
  if (!records) return records.error();
  for (auto& r : *records) {
    if (r.kind == kind && r.id == id) return std::move(r.document);
  }
  return Error{ErrorCode::kNotFound, "id", "no " + kind_name(kind) + " with id \"" + id + "\""};
}

Result<nlohmann::json> record_in_register(ForwardPlanRegisterStore& store, RecordKind kind, const std::string& id,
                                          const nlohmann::json& doc, const Actor& actor) {
  if (!doc.is_object()) return invalid_argument("/", "a " + kind_name(kind) + " is a JSON object");
  if (id.empty()) return invalid_argument("id", "the id is empty");
  nlohmann::json stored = doc;
  const char* own = own_id_member(kind);
  if (kind == RecordKind::kUrgencyReport && !stored.contains(own)) stored[own] = id;
  if (!stored.contains(own) || !stored[own].is_string() || stored[own].get<std::string>() != id) {
    return Error{ErrorCode::kInvalidArgument, std::string("/") + own,
                 std::string("the ") + own + " must be the id of the record (" + id + ")"};
  }
  RegisterChange change{kind, id, stored};
  RegisterCheck check = [&](const std::vector<RegisterRecord>& after) -> Status {
    auto plan = parse_forward_plan(register_plan_document(after));
    if (!plan) {
      Error e = relative_to(plan.error(), record_pointer(after, kind, id));
      // A reference to a record not on the register is a fault of this record, not a missing one.
      if (e.code == ErrorCode::kNotFound) e.code = ErrorCode::kInvalidArgument;
      return e;
    }
    return Status::Ok();
  };
  AuditEvent audit{actor.who, std::string(record_kind_id(kind)) + ".record", record_kind_id(kind), id, stored};
  if (auto st = store.change_register({change}, check, audit); !st) return st.error();
  return stored;
}

Status withdraw_from_register(ForwardPlanRegisterStore& store, RecordKind kind, const std::string& id,
                              const std::string& reason, const Actor& actor) {
  auto before = register_record(store, kind, id);
  if (!before) return before.error();
  RegisterChange change{kind, id, std::nullopt};
  RegisterCheck check = [&](const std::vector<RegisterRecord>& after) -> Status {
    auto plan = parse_forward_plan(register_plan_document(after));
    if (!plan) {
      return Error{ErrorCode::kConflict, "id",
                   "the " + kind_name(kind) + " \"" + id + "\" cannot be withdrawn while another record refers to it: " +
                       plan.error().message};
    }
    return Status::Ok();
  };
  AuditEvent audit{actor.who, std::string(record_kind_id(kind)) + ".withdraw", record_kind_id(kind), id,
                   {{"reason", reason}, {"document", *before}}};
  return store.change_register({change}, check, audit);
}

Result<std::vector<std::string>> import_forward_plan_csv(ForwardPlanRegisterStore& store, std::string_view csv_text,
                                                        const Actor& actor) {
  auto plan = parse_forward_plan_csv(csv_text);
  if (!plan) return every_bad_row(csv_text, plan.error());
  nlohmann::json doc = forward_plan_to_json(*plan);
  std::vector<RegisterChange> changes;
  std::vector<std::string> ids;
  for (const auto& kd : doc["key_decisions"]) {
    std::string id = kd["id"].get<std::string>();
    changes.push_back(RegisterChange{RecordKind::kKeyDecision, id, kd});
    ids.push_back(id);
  }
  if (changes.empty()) return invalid_argument("csv", "the file has no key decisions (only a header row)");
  RegisterCheck check = [](const std::vector<RegisterRecord>& after) -> Status {
    auto parsed = parse_forward_plan(register_plan_document(after));
    if (!parsed) return parsed.error();
    return Status::Ok();
  };
  AuditEvent audit{actor.who, "forward_plan.import", "forward_plan", "csv", {{"key_decisions", ids}}};
  if (auto st = store.change_register(changes, check, audit); !st) return st.error();
  return ids;
}

Result<ComplianceReport> check_register(ForwardPlanRegisterStore& store, const CharterPolicy& policy, Date as_of) {
  auto records = store.register_records();
  if (!records) return records.error();
  return check_document(register_plan_document(*records), policy, as_of);
}

namespace {

// Every stored consultation, whatever its status, a page at a time.
Result<std::vector<ConsultationRecord>> every_consultation(ConsultationStore& store) {
  std::vector<ConsultationRecord> out;
  ConsultationQuery q;
  q.sort = "opens";
  q.limit = 100;
  for (int64_t offset = 0;; offset += q.limit) {
    q.offset = offset;
    auto page = store.list_consultations(q);
    if (!page) return page.error();
    for (auto& r : page->items) out.push_back(std::move(r));
    if (offset + q.limit >= page->total) break;
  }
  return out;
}

}  // namespace

Result<ComplianceReport> check_live_records(ForwardPlanRegisterStore& plan_store, ConsultationStore& consultations,
                                            const CharterPolicy& policy, Date as_of) {
  auto records = plan_store.register_records();
  if (!records) return records.error();
  auto report = check_document(register_plan_document(*records), policy, as_of);
  if (!report) return report.error();
  auto plan = parse_forward_plan(register_plan_document(*records));
  if (!plan) return plan.error();
  auto stored = every_consultation(consultations);
  if (!stored) return stored.error();
  std::vector<Consultation> linked;
  for (const auto& c : *stored) {
    auto view = charter_view(c.id, c.document);
    if (!view) return view.error();
    if (!view->key_decision_id.empty()) linked.push_back(std::move(*view));
  }
  auto cross = check_consultations_against_plan(linked, *plan, policy);
  report->findings.insert(report->findings.begin(), cross.begin(), cross.end());
  report->consultations_checked = linked.size();
  return report;
}

Result<std::vector<Finding>> consultation_findings_on_register(ConsultationStore& consultations,
                                                               ForwardPlanRegisterStore& plan_store,
                                                               const ConsultationRecord& consultation,
                                                               const CharterPolicy& policy, Date as_of) {
  auto findings = consultation_findings(consultations, consultation, policy, as_of);
  if (!findings) return findings.error();
  auto view = charter_view(consultation.id, consultation.document);
  if (!view) return view.error();
  if (view->key_decision_id.empty()) return findings;
  auto plan = read_register(plan_store);
  if (!plan) return plan.error();
  for (auto& f : check_consultations_against_plan({*view}, *plan, policy)) findings->push_back(std::move(f));
  return findings;
}

}  // namespace townhall
