// Internal to the PostgreSQL store: a fixed number of connections handed out one caller at a
// time. A caller waits while all are busy. A connection given back broken (the server restarted)
// or inside a transaction it could not finish is reset before the next caller gets it.
// Thread-safety: acquire() may be called from any thread.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "pq.h"

namespace townhall::postgres {

class Pool {
 public:
  // Opens `size` connections (at least one) with `setup` run on each; throws pq::Failure.
  Pool(const std::string& conninfo, int size, const std::string& setup);

  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<pq::Conn> conn) : pool_(&pool), conn_(std::move(conn)) {}
    Lease(Lease&& o) noexcept : pool_(o.pool_), conn_(std::move(o.conn_)), dirty_(o.dirty_) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    pq::Conn& conn() { return *conn_; }
    // The body of a transaction threw: roll it back before the connection is used again.
    void discard_transaction() { dirty_ = true; }

   private:
    Pool* pool_;
    std::unique_ptr<pq::Conn> conn_;
    bool dirty_ = false;
  };

  Lease acquire();
  // A connection of its own, set up like the pool's but never handed out by it; throws pq::Failure.
  std::unique_ptr<pq::Conn> open_apart() const;

 private:
  void give_back(std::unique_ptr<pq::Conn> conn, bool dirty);

  std::string conninfo_, setup_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pq::Conn>> idle_;
};

}  // namespace townhall::postgres
