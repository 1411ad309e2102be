// The connection pool of the PostgreSQL store (pool.h).
#include "pool.h"

namespace townhall::postgres {

Pool::Pool(const std::string& conninfo, int size, const std::string& setup) : conninfo_(conninfo), setup_(setup) {
  if (size < 1) size = 1;
  for (int i = 0; i < size; ++i) {
    auto c = std::make_unique<pq::Conn>(conninfo_);
    if (!setup_.empty()) c->exec_script(setup_);
    idle_.push_back(std::move(c));
  }
}

std::unique_ptr<pq::Conn> Pool::open_apart() const {
  auto c = std::make_unique<pq::Conn>(conninfo_);
  if (!setup_.empty()) c->exec_script(setup_);
  return c;
}

Pool::Lease::~Lease() {
  if (conn_) pool_->give_back(std::move(conn_), dirty_);
}

Pool::Lease Pool::acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !idle_.empty(); });
  auto c = std::move(idle_.back());
  idle_.pop_back();
  return Lease(*this, std::move(c));
}

void Pool::give_back(std::unique_ptr<pq::Conn> conn, bool dirty) {
  try {
    if (dirty && PQstatus(conn->raw()) == CONNECTION_OK && PQtransactionStatus(conn->raw()) != PQTRANS_IDLE) {
      conn->exec_script("ROLLBACK");
    }
    if (!conn->healthy()) {
      // The server went away (or the transaction could not be ended): start afresh.
      conn->reset();
      if (PQstatus(conn->raw()) == CONNECTION_OK && !setup_.empty()) conn->exec_script(setup_);
    }
  } catch (const std::exception&) {
    // Left as it is: the next statement on it fails with the server's reason, and is reset then.
  }
  {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(conn));
  }
  cv_.notify_one();
}

}  // namespace townhall::postgres
