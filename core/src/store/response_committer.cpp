#include "townhall/store/response_committer.h"

#include <pthread.h>

namespace townhall {

ResponseCommitter::ResponseCommitter(Store& store, size_t max_batch)
    : store_(store), max_batch_(max_batch == 0 ? 1 : max_batch), writer_([this] { run(); }) {}

ResponseCommitter::~ResponseCommitter() { stop(); }

void ResponseCommitter::submit(ResponseSubmission submission, Callback done) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      bool was_empty = queue_.empty();
      queue_.emplace_back(std::move(submission), std::move(done));
      // The writer only sleeps on an empty queue, so only the first arrival needs to wake it.
      if (was_empty) cv_.notify_one();
      return;
    }
  }
  done(Error{ErrorCode::kConflict, "", "the server is shutting down; submit again shortly"});
}

void ResponseCommitter::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !writer_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable()) writer_.join();
}

uint64_t ResponseCommitter::batches() const {
  std::lock_guard lock(mu_);
  return batches_;
}

uint64_t ResponseCommitter::submissions() const {
  std::lock_guard lock(mu_);
  return submissions_;
}

void ResponseCommitter::run() {
  pthread_setname_np(pthread_self(), "th-writer");
  std::vector<std::pair<ResponseSubmission, Callback>> work;
  std::vector<ResponseSubmission> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      if (queue_.size() <= max_batch_) {
        work.swap(queue_);
      } else {
        auto cut = queue_.begin() + static_cast<std::ptrdiff_t>(max_batch_);
        work.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(cut));
        queue_.erase(queue_.begin(), cut);
      }
    }
    batch.clear();
    batch.reserve(work.size());
    for (auto& w : work) batch.push_back(std::move(w.first));
    const size_t n = batch.size();
    auto results = store_.submit_responses(std::move(batch));
    batch = {};
    {
      std::lock_guard lock(mu_);
      ++batches_;
      submissions_ += n;
    }
    for (size_t i = 0; i < work.size(); ++i) work[i].second(std::move(results[i]));
    work.clear();
  }
}

}  // namespace townhall
