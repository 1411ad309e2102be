// Internal to the PostgreSQL store: a small RAII layer over libpq. A Conn owns one PGconn; exec()
// sends one statement with its values as separate text parameters (PQexecParams: the values never
// become part of the SQL text) and gives its rows, or throws pq::Failure carrying the server's
// SQLSTATE. Results are read in text format.
// Thread-safety: a Conn is used by one thread at a time (the pool hands it out).
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace townhall::pq {

// A statement that failed: the message and the SQLSTATE ("" when the connection failed).
class Failure : public std::runtime_error {
 public:
  Failure(const std::string& message, std::string sqlstate) : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }
  bool unique_violation() const { return sqlstate_ == "23505"; }
  bool foreign_key_violation() const { return sqlstate_ == "23503"; }
  bool integrity_violation() const { return sqlstate_.rfind("23", 0) == 0; }
  // A deadlock or a serialization failure: the transaction may simply be run again.
  bool retryable() const { return sqlstate_ == "40P01" || sqlstate_ == "40001"; }
  // disk_full, insufficient_resources, out_of_memory... (class 53) — the request was sound.
  bool out_of_space() const { return sqlstate_ == "53100"; }

 private:
  std::string sqlstate_;
};

// One parameter: text, or SQL NULL.
class Param {
 public:
  Param(std::nullptr_t) {}  // NOLINT: NULL
  Param(std::string s) : text_(std::move(s)) {}  // NOLINT
  Param(const char* s) : text_(s) {}  // NOLINT
  Param(std::string_view s) : text_(s) {}  // NOLINT
  template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  Param(T v) : text_(std::to_string(v)) {}  // NOLINT
  template <class T>
  Param(const std::optional<T>& v) {  // NOLINT
    if (v) *this = Param(*v);
  }
  const char* c_str() const { return text_ ? text_->c_str() : nullptr; }

 private:
  std::optional<std::string> text_;
};

struct ResultFree {
  void operator()(PGresult* r) const { PQclear(r); }
};

// The rows of a statement.
class Rows {
 public:
  explicit Rows(PGresult* r) : r_(r) {}
  int size() const { return PQntuples(r_.get()); }
  bool empty() const { return size() == 0; }
  bool null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  std::string str(int row, int col) const {
    return std::string(PQgetvalue(r_.get(), row, col), static_cast<size_t>(PQgetlength(r_.get(), row, col)));
  }
  int64_t i64(int row, int col) const;
  std::optional<int64_t> opt_i64(int row, int col) const {
    if (null(row, col)) return std::nullopt;
    return i64(row, col);
  }
  // Rows an INSERT, UPDATE or DELETE touched.
  int64_t affected() const;

 private:
  std::unique_ptr<PGresult, ResultFree> r_;
};

class Conn {
 public:
  // Connects to `conninfo` (a postgresql:// URL or key=value pairs); throws Failure.
  explicit Conn(const std::string& conninfo);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  Rows exec(const std::string& sql, std::initializer_list<Param> params = {}) {
    return exec_v(sql, std::vector<Param>(params));
  }
  Rows exec_v(const std::string& sql, const std::vector<Param>& params);
  // Several statements without parameters (migrations).
  void exec_script(const std::string& sql);

  // Usable: the connection is up and not inside a transaction left open.
  bool healthy() const;
  // Reconnects after the server went away.
  void reset();
  PGconn* raw() { return c_; }

 private:
  PGconn* c_ = nullptr;
};

}  // namespace townhall::pq
