#include "townhall/consultations/document.h"

#include <set>

#include "townhall/util/json_schema.h"

namespace townhall {

namespace {

// The members of `document` that consultation.schema.json defines ("id" among them).
nlohmann::json charter_subset(const nlohmann::json& document) {
  static const nlohmann::json kCharterProps = [] {
    auto schema = nlohmann::json::parse(embedded_schema("consultation.schema.json"));
    return schema.at("properties");
  }();
  nlohmann::json subset = nlohmann::json::object();
  if (document.is_object()) {
    for (auto it = document.begin(); it != document.end(); ++it) {
      if (kCharterProps.contains(it.key())) subset[it.key()] = it.value();
    }
  }
  return subset;
}

}  // namespace

Result<Consultation> charter_view(const std::string& id, const nlohmann::json& document,
                                  std::string_view pointer_prefix) {
  nlohmann::json subset = charter_subset(document);
  subset["id"] = id;
  return parse_consultation(subset, pointer_prefix);
}

Result<Consultation> charter_view(const nlohmann::json& document, std::string_view pointer_prefix) {
  return parse_consultation(charter_subset(document), pointer_prefix);
}

Status check_draft_document(const nlohmann::json& doc) {
  auto c = charter_view("new", doc);
  if (!c) return c.error();
  if (c->opens && c->closes && *c->closes < *c->opens) {
    return invalid_argument("/closes", "closes before it opens");
  }
  std::set<std::string> ids;
  if (auto qs = doc.find("questions"); qs != doc.end()) {
    for (size_t i = 0; i < qs->size(); ++i) {
      const auto& q = (*qs)[i];
      std::string at = "/questions/" + std::to_string(i);
      if (!ids.insert(q["id"].get<std::string>()).second) {
        return invalid_argument(at + "/id", "question id \"" + q["id"].get<std::string>() + "\" is used twice");
      }
      std::string type = q["type"];
      bool needs_options = type == "single_choice" || type == "multiple_choice" || type == "ranking";
      if (needs_options && !q.contains("options")) return invalid_argument(at + "/options", "a " + type + " question needs options");
      if (type == "scale" && q.value("min", 1) >= q.value("max", 5)) {
        return invalid_argument(at + "/max", "max must be greater than min");
      }
    }
  }
  return Status::Ok();
}

}  // namespace townhall
