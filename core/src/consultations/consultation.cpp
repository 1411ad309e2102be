#include "townhall/consultations/consultation.h"

#include "townhall/calendar/bank_holidays.h"
#include "townhall/util/json_schema.h"

namespace townhall {

const char* channel_id(Channel c) {
  switch (c) {
    case Channel::kOnline: return "online";
    case Channel::kPaper: return "paper";
    case Channel::kPhone: return "phone";
    case Channel::kFaceToFace: return "face_to_face";
    case Channel::kEvent: return "event";
  }
  return "online";
}

Result<Channel> parse_channel(std::string_view text, std::string_view field) {
  for (Channel c : {Channel::kOnline, Channel::kPaper, Channel::kPhone, Channel::kFaceToFace, Channel::kEvent}) {
    if (text == channel_id(c)) return c;
  }
  return invalid_argument(std::string(field), "unknown channel \"" + std::string(text) + "\"");
}

namespace {

Status read_date(const nlohmann::json& doc, const char* key, std::string_view prefix, std::optional<Date>& out) {
  if (!doc.contains(key)) return Status::Ok();
  // The rules count days from these dates, so only the years whose bank holidays are known.
  auto d = HolidayCalendar::parse_supported(doc[key].get<std::string>(), std::string(prefix) + "/" + key);
  if (!d) return d.error();
  out = *d;
  return Status::Ok();
}

// The optional dates, in schema order; parse and serialise walk the same table.
constexpr std::pair<const char*, std::optional<Date> Consultation::*> kDateFields[] = {
    {"opens", &Consultation::opens},
    {"closes", &Consultation::closes},
    {"opened_on", &Consultation::opened_on},
    {"closed_on", &Consultation::closed_on},
    {"decision_date", &Consultation::decision_date},
    {"decision_recorded_on", &Consultation::decision_recorded_on},
    {"summary_published_on", &Consultation::summary_published_on},
    {"decision_report_date", &Consultation::decision_report_date},
};

}  // namespace

Result<Consultation> parse_consultation(const nlohmann::json& doc, std::string_view prefix) {
  if (auto st = validate_against_schema(doc, "consultation.schema.json", prefix); !st) return st.error();
  Consultation c;
  c.id = doc["id"].get<std::string>();
  c.title = doc["title"].get<std::string>();
  c.big_decision = doc.value("big_decision", false);
  c.urgency_reason = doc.value("urgency_reason", "");
  c.formal_written = doc.value("formal_written", false);
  c.affects_voluntary_sector = doc.value("affects_voluntary_sector", false);
  c.shorter_period_reason = doc.value("shorter_period_reason", "");
  c.proposal = doc.value("proposal", "");
  c.reasons = doc.value("reasons", "");
  c.key_decision_id = doc.value("key_decision_id", "");
  for (const auto& [key, member] : kDateFields) {
    if (auto st = read_date(doc, key, prefix, c.*member); !st) return st.error();
  }
  if (c.opens && c.closes && *c.closes < *c.opens) {
    return invalid_argument(std::string(prefix) + "/closes", "closes before it opens");
  }
  if (doc.contains("options_considered")) {
    for (const auto& o : doc["options_considered"]) {
      c.options_considered.push_back({o["option"].get<std::string>(), o.value("rejected", false), o.value("reason", "")});
    }
  }
  if (doc.contains("channels")) {
    for (const auto& ch : doc["channels"]) c.channels.push_back(*parse_channel(ch.get<std::string>()));
  }
  return c;
}

nlohmann::json to_json(const Consultation& c) {
  nlohmann::json j = {{"id", c.id}, {"title", c.title}, {"big_decision", c.big_decision}};
  auto put_date = [&](const char* key, const std::optional<Date>& d) {
    if (d) j[key] = d->iso();
  };
  auto put_text = [&](const char* key, const std::string& s) {
    if (!s.empty()) j[key] = s;
  };
  put_date("opens", c.opens);
  put_date("closes", c.closes);
  put_text("urgency_reason", c.urgency_reason);
  if (c.formal_written) j["formal_written"] = true;
  if (c.affects_voluntary_sector) j["affects_voluntary_sector"] = true;
  put_text("shorter_period_reason", c.shorter_period_reason);
  put_text("proposal", c.proposal);
  put_text("reasons", c.reasons);
  if (!c.options_considered.empty()) {
    auto& arr = j["options_considered"] = nlohmann::json::array();
    for (const auto& o : c.options_considered) {
      nlohmann::json oj = {{"option", o.option}, {"rejected", o.rejected}};
      if (!o.reason.empty()) oj["reason"] = o.reason;
      arr.push_back(oj);
    }
  }
  if (!c.channels.empty()) {
    auto& arr = j["channels"] = nlohmann::json::array();
    for (Channel ch : c.channels) arr.push_back(channel_id(ch));
  }
  put_text("key_decision_id", c.key_decision_id);
  for (const auto& [key, member] : kDateFields) {
    if (key != std::string_view("opens") && key != std::string_view("closes")) put_date(key, c.*member);
  }
  return j;
}

}  // namespace townhall
