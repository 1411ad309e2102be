// Internal to townhall_server: one background thread for requests whose work takes seconds (a
// panel draw runs LEXIMIN), so that they do not hold an I/O thread while other requests wait.
// Jobs run one at a time in the order posted; each job answers its request through the Respond
// it captured (which may be called from any thread). The destructor finishes the queued jobs and
// joins the thread, so it must be destroyed before anything the jobs use (Api::Impl declares it
// last).
// Thread-safety: post() may be called from any thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace townhall::server {

class SlowWork {
 public:
  SlowWork() : thread_([this] { run(); }) {}
  ~SlowWork() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  SlowWork(const SlowWork&) = delete;
  SlowWork& operator=(const SlowWork&) = delete;

  void post(std::function<void()> job) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      jobs_.push_back(std::move(job));
    }
    cv_.notify_one();
  }

 private:
  void run() {
    while (true) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // stopping and drained
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace townhall::server
