#include "townhall/error.h"

namespace townhall {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid-argument";
    case ErrorCode::kInvalidJson: return "invalid-json";
    case ErrorCode::kSchemaViolation: return "schema-violation";
    case ErrorCode::kInvalidCsv: return "invalid-csv";
    case ErrorCode::kNotFound: return "not-found";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kInfeasible: return "infeasible";
    case ErrorCode::kIo: return "io";
    case ErrorCode::kStorageFull: return "storage-full";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

std::string Error::describe() const {
  if (field.empty()) return message;
  return field + ": " + message;
}

}  // namespace townhall
