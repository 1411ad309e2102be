// townhall/error.h — errors as values.
//
// An Error has a stable machine-readable code, the offending field as a JSON pointer (empty when
// the error is not about one field) and a message a person can act on. Result<T> carries either a
// value or an Error; the core returns it instead of throwing across its public API.
// Thread-safety: plain values; safe to copy between threads.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace townhall {

enum class ErrorCode {
  kInvalidArgument,   // a value is malformed or out of range
  kInvalidJson,       // the text is not JSON
  kSchemaViolation,   // JSON that does not match its schema
  kInvalidCsv,        // CSV with missing columns or bad rows
  kNotFound,          // an unknown id
  kConflict,          // the operation clashes with current state
  kInfeasible,        // constraints that cannot all hold
  kIo,                // file or database trouble
  kStorageFull,       // the disk (or the database's size limit) is full: try again later
  kInternal,
};

// Stable text for a code, e.g. "invalid-argument"; used in problem+json `type` and CLI output.
const char* error_code_name(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string field;    // JSON pointer or column name, e.g. "/consultations/0/opens"
  std::string message;  // human readable, names the problem

  // "field: message", or just the message when no field is known.
  std::string describe() const;
};

inline Error invalid_argument(std::string field, std::string message) {
  return Error{ErrorCode::kInvalidArgument, std::move(field), std::move(message)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT(implicit)
  Result(Error error) : v_(std::move(error)) {}      // NOLINT(implicit)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void> analogue.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(implicit)
  static Status Ok() { return Status(); }
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace townhall
