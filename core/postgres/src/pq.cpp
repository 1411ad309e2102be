// The libpq wrapper of the PostgreSQL store (pq.h).
#include "pq.h"

#include <charconv>
#include <cstdlib>

namespace townhall::pq {
namespace {

[[noreturn]] void fail(PGconn* c, PGresult* r) {
  std::string state, message;
  if (r != nullptr) {
    if (const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE)) state = s;
    message = PQresultErrorMessage(r);
    PQclear(r);
  }
  if (message.empty()) message = PQerrorMessage(c);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  throw Failure(message, state);
}

}  // namespace

int64_t Rows::i64(int row, int col) const {
  const char* v = PQgetvalue(r_.get(), row, col);
  const char* end = v + PQgetlength(r_.get(), row, col);
  int64_t out = 0;
  auto [p, ec] = std::from_chars(v, end, out);
  if (ec != std::errc() || p != end) throw Failure("a stored value is not an integer: " + std::string(v, end), "");
  return out;
}

int64_t Rows::affected() const {
  const char* n = PQcmdTuples(r_.get());
  if (n == nullptr || *n == '\0') return 0;
  return std::strtoll(n, nullptr, 10);
}

Conn::Conn(const std::string& conninfo) {
  c_ = PQconnectdb(conninfo.c_str());
  if (c_ == nullptr) throw Failure("cannot connect to PostgreSQL: out of memory", "");
  if (PQstatus(c_) != CONNECTION_OK) {
    std::string message = PQerrorMessage(c_);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    PQfinish(c_);
    c_ = nullptr;
    throw Failure("cannot connect to PostgreSQL: " + message, "");
  }
  // Notices (e.g. "relation already exists, skipping") are not errors and not for the console.
  PQsetNoticeProcessor(c_, [](void*, const char*) {}, nullptr);
}

Conn::~Conn() {
  if (c_ != nullptr) PQfinish(c_);
}

Rows Conn::exec_v(const std::string& sql, const std::vector<Param>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p.c_str());
  PGresult* r = PQexecParams(c_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                             nullptr, 0);
  const ExecStatusType st = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail(c_, r);
  return Rows(r);
}

void Conn::exec_script(const std::string& sql) {
  PGresult* r = PQexec(c_, sql.c_str());
  const ExecStatusType st = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail(c_, r);
  PQclear(r);
}

bool Conn::healthy() const { return PQstatus(c_) == CONNECTION_OK && PQtransactionStatus(c_) == PQTRANS_IDLE; }

void Conn::reset() { PQreset(c_); }

}  // namespace townhall::pq
