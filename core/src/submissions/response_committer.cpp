#include "townhall/submissions/response_committer.h"

#include <pthread.h>

#include <algorithm>
#include <memory>

#include "townhall/consultations/editing.h"

namespace townhall {

ResponseCommitter::ResponseCommitter(SubmissionStore& store, size_t max_batch)
    : store_(store), max_batch_(max_batch == 0 ? 1 : max_batch), writer_([this] { run(); }) {}

ResponseCommitter::~ResponseCommitter() { stop(); }

void ResponseCommitter::submit(Submission submission, Callback done) {
  bool queued = false, was_empty = false;
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      was_empty = queue_.empty();
      queue_.emplace_back(std::move(submission), std::move(done));
      queued = true;
    }
  }
  if (!queued) {
    done(Error{ErrorCode::kConflict, "", "the server is shutting down; submit again shortly"});
    return;
  }
  // The writer only sleeps on an empty queue, so only the first arrival needs to wake it; woken
  // after the lock is released, it does not wake up only to block on the mutex again.
  if (was_empty) cv_.notify_one();
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

void ResponseCommitter::set_executor(Executor executor) {
  std::lock_guard lock(mu_);
  executor_ = std::move(executor);
}

uint64_t ResponseCommitter::batches() const { return batches_.load(std::memory_order_relaxed); }

uint64_t ResponseCommitter::submissions() const { return submissions_.load(std::memory_order_relaxed); }

void ResponseCommitter::run() {
  pthread_setname_np(pthread_self(), "th-writer");
  std::vector<std::pair<Submission, Callback>> work;
  std::vector<Submission> batch;
  Executor executor;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      executor = executor_;  // read after the wait: an executor set while the writer slept counts
      if (queue_.size() <= max_batch_) {
        work.swap(queue_);
      } else {
        auto cut = queue_.begin() + static_cast<std::ptrdiff_t>(max_batch_);
        work.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(cut));
        queue_.erase(queue_.begin(), cut);
      }
    }
    batch.clear();  // keeps its capacity: no allocation per batch once it has grown
    for (auto& w : work) batch.push_back(std::move(w.first));
    const size_t n = batch.size();
    auto results = store_.submit_in_place(batch, responses_allowed());
    // Counted before any callback runs (so whoever saw an answer sees its batch counted), without
    // taking the queue's lock again.
    batches_.fetch_add(1, std::memory_order_relaxed);
    submissions_.fetch_add(n, std::memory_order_relaxed);
    if (!executor) {
      for (size_t i = 0; i < work.size(); ++i) work[i].second(std::move(results[i]));
      work.clear();
      continue;
    }
    // Hand the batch over in a few pieces, so that more than one of the executor's threads can
    // answer its requests. The submissions go too: their memory was allocated on those threads
    // and is freed there, not here (a free into another thread's malloc arena takes its lock).
    struct Answer {
      Callback callback;
      Result<StoredResponse> result;
      Submission submission;
    };
    using Done = std::vector<Answer>;
    constexpr size_t kPiece = 16;
    for (size_t first = 0; first < work.size(); first += kPiece) {
      auto done = std::make_shared<Done>();
      size_t last = std::min(work.size(), first + kPiece);
      done->reserve(last - first);
      for (size_t i = first; i < last; ++i) {
        done->push_back(Answer{std::move(work[i].second), std::move(results[i]), std::move(batch[i])});
      }
      executor([done] {
        for (auto& a : *done) a.callback(std::move(a.result));
      });
    }
    work.clear();  // moved from: frees nothing
  }
}

}  // namespace townhall
