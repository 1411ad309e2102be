// The register's record kinds as the console shows them (register_kinds.h). The members and their
// meaning are forward-plan.schema.json's; the labels are the regulations' words.
#include "staff/register_kinds.h"

namespace townhall::server::staff {
namespace {

using FT = FieldType;

const std::vector<std::pair<std::string, std::string>>& urgency_roles(bool optional) {
  static const std::vector<std::pair<std::string, std::string>> with_blank = {
      {"", "Not used"},
      {"overview_and_scrutiny_chair", "Chair of the overview and scrutiny committee"},
      {"chair_of_council", "Chair of the council"},
      {"vice_chair_of_council", "Vice-chair of the council"}};
  static const std::vector<std::pair<std::string, std::string>> roles(with_blank.begin() + 1, with_blank.end());
  return optional ? with_blank : roles;
}

std::vector<FormField> key_decision_fields() {
  return {
      {"matter", "Matter", "What the decision is about, as the notice will say it", FT::kText, "The decision"},
      {"decision_maker.name", "Decision maker: name", "For an individual, e.g. Cllr Asha Patel", FT::kText, ""},
      {"decision_maker.title", "Decision maker: title", "e.g. Cabinet Member for Highways", FT::kText, ""},
      {"decision_maker.body", "Decision-making body", "For a body, e.g. Cabinet (leave the name empty)", FT::kText, ""},
      {"decision_maker.members", "Members of the body", "One a line", FT::kLines, ""},
      {"decision_date", "Decision date", "The day it is to be taken", FT::kDate, ""},
      {"decision_period.from", "Or a period: from", "", FT::kDate, ""},
      {"decision_period.to", "Period: to", "", FT::kDate, ""},
      {"value_pence", "Likely spend or savings", "In pounds", FT::kPounds, "Is it a key decision?"},
      {"value_kind", "Spend or savings", "", FT::kSelect, "", {{"spend", "Spend"}, {"savings", "Savings"}}},
      {"wards_affected", "Wards affected", "One a line", FT::kLines, ""},
      {"significant_effects", "Significant effects on communities in these wards", "", FT::kCheckbox, ""},
      {"treated_as_key", "Treated as a key decision", "", FT::kCheckbox, ""},
      {"assessment_reasons", "Reasons for the assessment", "", FT::kTextArea, ""},
      {"notice.published_on", "Notice published on", "The day the notice (Forward Plan entry) was made public",
       FT::kDate, "The notice of the key decision"},
      {"notice.states_key_decision", "The notice says a key decision is to be made", "", FT::kCheckbox, ""},
      {"notice.matter", "Matter in the notice", "Leave empty when the notice says the matter above", FT::kText, ""},
      {"notice.documents", "Documents submitted to the decision maker", "One a line", FT::kLines, ""},
      {"notice.documents_available_from", "Where the documents are available", "", FT::kText, ""},
      {"notice.other_documents_statement", "The notice says other documents may be submitted", "", FT::kCheckbox, ""},
      {"notice.how_to_request", "How to request the documents", "", FT::kText, ""},
      {"decided_on", "Decision taken on", "Once it has been taken", FT::kDate, "Outcome"},
  };
}

std::vector<FormField> meeting_fields() {
  return {
      {"body", "Meeting of", "e.g. Cabinet", FT::kText, "The meeting"},
      {"date", "Meeting date", "", FT::kDate, ""},
      {"private", "The public are excluded for all or part of it", "A private or part-private meeting", FT::kCheckbox, ""},
      {"wholly_private", "Wholly private (no open part)", "", FT::kCheckbox, ""},
      {"notice_published_on", "Notice of the meeting published on", "", FT::kDate, "Notice and agenda"},
      {"agenda_published_on", "Agenda published on", "", FT::kDate, ""},
      {"convened_at_shorter_notice_on", "Convened at shorter notice on",
       "Only when convened at shorter notice than 5 clear days (reg 6(1)(b), 7)", FT::kDate, ""},
      {"intention_notice_published_on", "Notice of intention to meet in private published on", "28 clear days before (reg 5(2))",
       FT::kDate, "Private part"},
      {"intention_notice_reasons", "Reasons statement in the notice of intention",
       "Why the meeting, or part of it, is to be held in private, e.g. the exempt items and the paragraphs of Schedule 12A",
       FT::kTextArea, ""},
      {"further_notice.published_on", "Further notice published on", "5 clear days before (reg 5(4))", FT::kDate, ""},
      {"further_notice.reasons", "Reasons statement in the further notice", "", FT::kTextArea, ""},
      {"further_notice.representations_received", "Representations received about holding it in private",
       "One a line; leave empty if none", FT::kLines, ""},
      {"further_notice.response", "The council's response to them", "", FT::kTextArea, ""},
      {"urgency.agreed_by", "Urgency agreed by", "When 28 days' notice was impracticable (reg 5(6))", FT::kSelect,
       "Urgency", urgency_roles(true)},
      {"urgency.name", "Name of who agreed", "", FT::kText, ""},
      {"urgency.agreed_on", "Agreed on", "", FT::kDate, ""},
      {"urgency.why_higher_roles_could_not_act", "Why a higher role could not act", "", FT::kTextArea, ""},
      {"urgency.reasons_notice_published_on", "Notice of reasons published on", "", FT::kDate, ""},
  };
}

std::vector<FormField> urgency_report_fields() {
  return {
      {"date", "Date of the report to full council", "", FT::kDate, "The report"},
      {"decision_ids", "Decisions reported", "The references of the special-urgency decisions, one a line", FT::kLines, ""},
  };
}

std::vector<FormField> referral_fields() {
  return {
      {"requested_on", "Report requested on", "When overview and scrutiny asked for the report", FT::kDate, "The referral"},
      {"report_due_by", "Report due by", "The period overview and scrutiny set", FT::kDate, ""},
      {"reported_on", "Reported to council on", "Once reported", FT::kDate, ""},
  };
}

}  // namespace

const RegisterKind& register_kind(RecordKind kind) {
  static const std::vector<RegisterKind> kinds = {
      {RecordKind::kKeyDecision, "/staff/forward-plan", "key decision", "Key decisions", "Reference",
       "Letters, digits and dashes, e.g. KD-2027-014", key_decision_fields()},
      {RecordKind::kMeeting, "/staff/meetings", "meeting", "Meetings", "Reference",
       "e.g. cabinet-2027-03-10", meeting_fields()},
      {RecordKind::kUrgencyReport, "/staff/urgency-reports", "urgency report", "Urgency reports to full council",
       "Reference", "e.g. council-2027-04", urgency_report_fields()},
      {RecordKind::kScrutinyReferral, "/staff/referrals", "scrutiny referral", "Scrutiny referrals",
       "Decision reference", "The reference of the decision overview and scrutiny think should have been key",
       referral_fields()},
  };
  return kinds[static_cast<size_t>(kind)];
}

const std::vector<FormField>& exception_fields() {
  static const std::vector<FormField> fields = {
      {"general_exception.chair_of_scrutiny_notified_on", "Chair of overview and scrutiny notified on",
       "Written notice (reg 10(2)(a))", FT::kDate, "General exception (reg 10)"},
      {"general_exception.notified", "Who was notified", "The chair's name, or every member", FT::kText, ""},
      {"general_exception.made_public_on", "Notice made public on", "", FT::kDate, ""},
      {"general_exception.reasons_notice_published_on", "Notice of reasons published on",
       "Why 28 days' notice was impracticable", FT::kDate, ""},
      {"special_urgency.agreed_by", "Agreed by", "That the decision is urgent and cannot reasonably be deferred",
       FT::kSelect, "Special urgency (reg 11)", urgency_roles(true)},
      {"special_urgency.name", "Name of who agreed", "", FT::kText, ""},
      {"special_urgency.agreed_on", "Agreed on", "", FT::kDate, ""},
      {"special_urgency.why_higher_roles_could_not_act", "Why a higher role could not act", "", FT::kTextArea, ""},
      {"special_urgency.reasons_notice_published_on", "Notice of reasons published on", "", FT::kDate, ""},
  };
  return fields;
}

void drop_empty_parts(nlohmann::json& doc) {
  for (const char* part : {"notice", "general_exception", "special_urgency", "further_notice", "urgency",
                           "decision_maker", "decision_period"}) {
    auto it = doc.find(part);
    if (it == doc.end() || !it->is_object()) continue;
    bool empty = true;
    for (const auto& [k, v] : it->items()) {
      if (!(v.is_boolean() && !v.get<bool>())) empty = false;
    }
    if (empty && std::string(part) != "decision_maker") doc.erase(it);
  }
}

Result<nlohmann::json> record_document(const RegisterKind& kind, const std::string& id, const pages::FormFields& form) {
  auto doc = document_of(kind.fields, form);
  if (!doc) return doc.error();
  nlohmann::json d = std::move(doc).value();
  d[kind.kind == RecordKind::kScrutinyReferral ? "decision_id" : "id"] = id;
  if (kind.kind == RecordKind::kKeyDecision) {
    if (!d.contains("decision_maker")) d["decision_maker"] = nlohmann::json::object();
    auto& notice = d["notice"];
    // The notice's particulars are the decision's unless the officer gave others.
    if (notice.contains("published_on")) {
      if (!notice.contains("matter") && d.contains("matter")) notice["matter"] = d["matter"];
      notice["decision_maker"] = d["decision_maker"];
      if (d.contains("decision_date")) notice["decision_date"] = d["decision_date"];
      if (d.contains("decision_period")) notice["decision_period"] = d["decision_period"];
    }
  }
  drop_empty_parts(d);
  if (kind.kind == RecordKind::kMeeting && d.contains("further_notice") &&
      !d["further_notice"].contains("representations_received") && d["further_notice"].contains("published_on")) {
    d["further_notice"]["representations_received"] = nlohmann::json::array();  // none received
  }
  return d;
}

}  // namespace townhall::server::staff
