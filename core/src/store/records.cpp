#include "townhall/store/store.h"

#include <stdexcept>

#include "store/stored_fields.h"

namespace townhall {

nlohmann::json ConsultationRecord::to_json() const {
  nlohmann::json j = document.is_object() ? document : nlohmann::json::object();
  j["id"] = id;
  j["status"] = to_string(status);
  j["version"] = version;
  j["created_at"] = created_at;
  j["updated_at"] = updated_at;
  return j;
}

nlohmann::json StoredResponse::to_json() const {
  nlohmann::json j = {{"id", id},
                      {"reference", reference},
                      {"consultation_id", consultation_id},
                      {"channel", channel},
                      {"language", language},
                      {"answers", answers},
                      {"created_at", created_at}};
  if (person_id) j["person_id"] = *person_id;
  if (submitted_by) j["submitted_by"] = *submitted_by;
  if (entered_by) j["entered_by"] = *entered_by;
  return j;
}

nlohmann::json TranslationRecord::to_json() const {
  nlohmann::json j = document.is_object() ? document : nlohmann::json::object();
  j["consultation_id"] = consultation_id;
  j["lang"] = lang;
  j["updated_at"] = updated_at;
  return j;
}

nlohmann::json MeetingRecord::to_json() const {
  nlohmann::json j = document.is_object() ? document : nlohmann::json::object();
  j["id"] = id;
  j["consultation_id"] = consultation_id;
  j["created_at"] = created_at;
  j["updated_at"] = updated_at;
  return j;
}

nlohmann::json PersonRecord::to_json() const {
  nlohmann::json j = {{"id", id}, {"personal_data", personal_data}, {"responses", responses}, {"created_at", created_at}};
  j["equality_data"] = equality_data ? *equality_data : nlohmann::json(nullptr);
  return j;
}

namespace store_detail {

Error not_found(const std::string& kind, const std::string& id) {
  return Error{ErrorCode::kNotFound, "", "no " + kind + " \"" + id + "\""};
}

std::string str_or_empty(const nlohmann::json& doc, const char* key) {
  auto it = doc.find(key);
  return (it != doc.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

ConsultationStatus stored_status(std::string_view text) {
  auto status = parse_consultation_status(text);
  if (!status) throw std::runtime_error("stored consultation status: " + status.error().message);
  return *status;
}

std::string meeting_starts(const nlohmann::json& doc) {
  return str_or_empty(doc, "date") + " " + str_or_empty(doc, "starts_at");
}

}  // namespace store_detail
}  // namespace townhall
