// Jobs that one server at a time runs over a shared database (ConsultationStore::run_exclusively):
// a pass holds a transaction-scoped advisory lock named after its job on a connection of its own,
// so a server that dies mid-pass (even by SIGKILL) lets go of it as its connection closes.
#include "database.h"

namespace townhall::postgres {
namespace {

// The first half of every job lock's key ("town" in ASCII); the second is the job name's hash.
// Two 32-bit keys live apart from the one 64-bit key of the migrations' lock.
constexpr const char* kTryJobLock = "SELECT pg_try_advisory_xact_lock(1953462126, hashtext($1))";

}  // namespace

Result<bool> PgStore::run_exclusively(std::string_view job, const std::function<Status()>& pass) {
  std::lock_guard one_at_a_time(job_mu_);
  const std::string what = "cannot run " + std::string(job);
  try {
    // Apart from the pool: the pass takes pool connections while this one holds the lock, and a
    // pool of one would otherwise wait for itself.
    if (!job_conn_ || !job_conn_->healthy()) job_conn_ = pool_->open_apart();
    pq::Conn& c = *job_conn_;
    c.exec("BEGIN");
    if (c.exec(kTryJobLock, {std::string(job)}).str(0, 0) != "t") {
      c.exec("ROLLBACK");
      return false;
    }
    Status st = Status::Ok();
    try {
      st = pass();
    } catch (...) {
      job_conn_.reset();  // closing it ends the transaction and lets go of the lock
      throw;
    }
    c.exec("COMMIT");
    if (!st) return st.error();
    return true;
  } catch (const std::exception& e) {
    job_conn_.reset();
    return store_error(what, e);
  }
}

}  // namespace townhall::postgres
