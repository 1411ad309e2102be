// ExceptionRequestStore over PostgreSQL: requests for a charter exception waiting for the second
// officer's approval (migration 4).
#include "database.h"

namespace townhall::postgres {
namespace {

constexpr const char* kRequestColumns =
    "SELECT id, consultation_id, consultation_version, to_status, reason, requested_by, approver, requested_at, "
    "state, decided_at FROM exception_requests ";

ExceptionRequest request_from_row(const pq::Rows& q, int row) {
  ExceptionRequest r;
  r.id = q.i64(row, 0);
  r.consultation_id = q.str(row, 1);
  r.consultation_version = q.i64(row, 2);
  auto to = parse_consultation_status(q.str(row, 3), "to_status");
  if (!to) throw std::runtime_error("stored exception request has an unknown step");
  r.to = *to;
  r.reason = q.str(row, 4);
  r.requested_by = q.i64(row, 5);
  r.approver = q.i64(row, 6);
  r.requested_at = q.i64(row, 7);
  const std::string state = q.str(row, 8);
  r.state = state == "approved" ? ApprovalState::kApproved
            : state == "declined" ? ApprovalState::kDeclined
                                  : ApprovalState::kPending;
  r.decided_at = q.opt_i64(row, 9);
  return r;
}

}  // namespace

Result<ExceptionRequest> PgStore::add_exception_request(const ExceptionRequest& request, const AuditEvent& audit) {
  return write("cannot store the exception request", [&](Tx& tx) -> Result<ExceptionRequest> {
    auto q = tx.exec(
        "INSERT INTO exception_requests(consultation_id, consultation_version, to_status, reason, requested_by, "
        "approver, requested_at) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
        {request.consultation_id, request.consultation_version, to_string(request.to), request.reason,
         request.requested_by, request.approver, request.requested_at});
    ExceptionRequest stored = request;
    stored.id = q.i64(0, 0);
    stored.state = ApprovalState::kPending;
    stored.decided_at.reset();
    AuditEvent ev = audit;
    ev.subject_id = std::to_string(stored.id);
    append_audit_locked(tx, ev);
    return stored;
  });
}

Result<ExceptionRequest> PgStore::get_exception_request(int64_t id) {
  return read("cannot read the exception request", [&](Tx& tx) -> Result<ExceptionRequest> {
    if (version_ < kExceptionRequestsVersion) {
      return Error{ErrorCode::kNotFound, "id", "no exception request " + std::to_string(id)};
    }
    auto q = tx.exec(std::string(kRequestColumns) + "WHERE id=$1", {id});
    if (q.empty()) return Error{ErrorCode::kNotFound, "id", "no exception request " + std::to_string(id)};
    return request_from_row(q, 0);
  });
}

Result<std::vector<ExceptionRequest>> PgStore::pending_exception_requests(int64_t approver) {
  return read("cannot read the exception requests", [&](Tx& tx) -> Result<std::vector<ExceptionRequest>> {
    std::vector<ExceptionRequest> out;
    if (version_ < kExceptionRequestsVersion) return out;
    auto q = tx.exec(std::string(kRequestColumns) + "WHERE approver=$1 AND state='pending' ORDER BY id", {approver});
    for (int i = 0; i < q.size(); ++i) out.push_back(request_from_row(q, i));
    return out;
  });
}

Result<std::vector<ExceptionRequest>> PgStore::exception_requests_about(const std::string& consultation_id) {
  return read("cannot read the exception requests", [&](Tx& tx) -> Result<std::vector<ExceptionRequest>> {
    std::vector<ExceptionRequest> out;
    if (version_ < kExceptionRequestsVersion) return out;
    auto q = tx.exec(std::string(kRequestColumns) + "WHERE consultation_id=$1 ORDER BY id DESC", {consultation_id});
    for (int i = 0; i < q.size(); ++i) out.push_back(request_from_row(q, i));
    return out;
  });
}

Status PgStore::decide_exception_request(int64_t id, ApprovalState state, int64_t decided_at, const AuditEvent& audit) {
  if (state == ApprovalState::kPending) return invalid_argument("state", "a decision approves or declines");
  return write("cannot decide the exception request", [&](Tx& tx) -> Status {
    auto q = tx.exec("UPDATE exception_requests SET state=$1, decided_at=$2 WHERE id=$3 AND state='pending' RETURNING id",
                     {to_string(state), decided_at, id});
    if (q.empty()) {
      auto exists = tx.exec("SELECT state FROM exception_requests WHERE id=$1", {id});
      if (exists.empty()) return Error{ErrorCode::kNotFound, "id", "no exception request " + std::to_string(id)};
      return Error{ErrorCode::kConflict, "/exception", "the request has already been " + exists.str(0, 0)};
    }
    append_audit_locked(tx, audit);
    return Status::Ok();
  });
}

}  // namespace townhall::postgres
