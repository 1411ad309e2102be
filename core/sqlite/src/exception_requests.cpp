// ExceptionRequestStore over SQLite: requests for a charter exception waiting for the second
// officer's approval (migration 18).
#include "database.h"

namespace townhall::sqlite {
namespace {

// The schema version that made the table (migration 018).
constexpr int kExceptionRequestsVersion = 18;

constexpr const char* kRequestColumns =
    "SELECT id, consultation_id, consultation_version, to_status, reason, requested_by, approver, requested_at, "
    "state, decided_at FROM exception_requests ";

ExceptionRequest request_from_row(SQLite::Statement& q) {
  ExceptionRequest r;
  r.id = q.getColumn(0).getInt64();
  r.consultation_id = q.getColumn(1).getString();
  r.consultation_version = q.getColumn(2).getInt64();
  auto to = parse_consultation_status(q.getColumn(3).getString(), "to_status");
  const std::string state = q.getColumn(8).getString();
  if (!to) throw std::runtime_error("stored exception request has an unknown step");
  r.to = *to;
  r.reason = q.getColumn(4).getString();
  r.requested_by = q.getColumn(5).getInt64();
  r.approver = q.getColumn(6).getInt64();
  r.requested_at = q.getColumn(7).getInt64();
  r.state = state == "approved" ? ApprovalState::kApproved
            : state == "declined" ? ApprovalState::kDeclined
                                  : ApprovalState::kPending;
  if (!q.getColumn(9).isNull()) r.decided_at = q.getColumn(9).getInt64();
  return r;
}

}  // namespace

Result<ExceptionRequest> SqliteStore::add_exception_request(const ExceptionRequest& request, const AuditEvent& audit) {
  return write("cannot store the exception request", [&]() -> Result<ExceptionRequest> {
    SQLite::Statement q(db_,
                        "INSERT INTO exception_requests(consultation_id, consultation_version, to_status, reason, "
                        "requested_by, approver, requested_at) VALUES (?,?,?,?,?,?,?)");
    q.bind(1, request.consultation_id);
    q.bind(2, request.consultation_version);
    q.bind(3, to_string(request.to));
    q.bind(4, request.reason);
    q.bind(5, request.requested_by);
    q.bind(6, request.approver);
    q.bind(7, request.requested_at);
    q.exec();
    ExceptionRequest stored = request;
    stored.id = db_.getLastInsertRowid();
    stored.state = ApprovalState::kPending;
    stored.decided_at.reset();
    AuditEvent ev = audit;
    ev.subject_id = std::to_string(stored.id);
    append_audit_locked(ev);
    return stored;
  });
}

Result<ExceptionRequest> SqliteStore::get_exception_request(int64_t id) {
  return read("cannot read the exception request", [&]() -> Result<ExceptionRequest> {
    if (version_ < kExceptionRequestsVersion) return Error{ErrorCode::kNotFound, "id", "no exception request " + std::to_string(id)};
    SQLite::Statement q(db_, std::string(kRequestColumns) + "WHERE id=?");
    q.bind(1, id);
    if (!q.executeStep()) return Error{ErrorCode::kNotFound, "id", "no exception request " + std::to_string(id)};
    return request_from_row(q);
  });
}

Result<std::vector<ExceptionRequest>> SqliteStore::pending_exception_requests(int64_t approver) {
  return read("cannot read the exception requests", [&]() -> Result<std::vector<ExceptionRequest>> {
    std::vector<ExceptionRequest> out;
    if (version_ < kExceptionRequestsVersion) return out;
    SQLite::Statement q(db_, std::string(kRequestColumns) + "WHERE approver=? AND state='pending' ORDER BY id");
    q.bind(1, approver);
    while (q.executeStep()) out.push_back(request_from_row(q));
    return out;
  });
}

Result<std::vector<ExceptionRequest>> SqliteStore::exception_requests_about(const std::string& consultation_id) {
  return read("cannot read the exception requests", [&]() -> Result<std::vector<ExceptionRequest>> {
    std::vector<ExceptionRequest> out;
    if (version_ < kExceptionRequestsVersion) return out;
    SQLite::Statement q(db_, std::string(kRequestColumns) + "WHERE consultation_id=? ORDER BY id DESC");
    q.bind(1, consultation_id);
    while (q.executeStep()) out.push_back(request_from_row(q));
    return out;
  });
}

Status SqliteStore::decide_exception_request(int64_t id, ApprovalState state, int64_t decided_at,
                                             const AuditEvent& audit) {
  if (state == ApprovalState::kPending) return invalid_argument("state", "a decision approves or declines");
  return write("cannot decide the exception request", [&]() -> Status {
    SQLite::Statement q(db_, "UPDATE exception_requests SET state=?, decided_at=? WHERE id=? AND state='pending'");
    q.bind(1, to_string(state));
    q.bind(2, decided_at);
    q.bind(3, id);
    if (q.exec() == 0) {
      SQLite::Statement exists(db_, "SELECT state FROM exception_requests WHERE id=?");
      exists.bind(1, id);
      if (!exists.executeStep()) return Error{ErrorCode::kNotFound, "id", "no exception request " + std::to_string(id)};
      return Error{ErrorCode::kConflict, "/exception",
                   "the request has already been " + exists.getColumn(0).getString()};
    }
    append_audit_locked(audit);
    return Status::Ok();
  });
}

}  // namespace townhall::sqlite
