// townhall/submissions/response_committer.h — group commit of response submissions.
//
// Submitting a response is the hot path when a consultation goes viral. Instead of one
// transaction per request, callers queue submissions here; a single writer thread takes every
// queued submission (up to max_batch), writes them — each response with the facts its respondent
// gave — in ONE transaction through SubmissionStore::submit_in_place and only then calls each
// submission's completion callback. A request is therefore acknowledged only after the
// transaction holding it has committed.
//
// By default the callbacks run on the writer thread right after the commit. With an executor
// (set_executor) the writer instead hands each committed batch over in a few closures and goes
// straight back to writing: building and sending the answers, and freeing the batch, then happen
// on the executor's threads (a server's I/O threads) in parallel with the next transaction.
//
// stop() refuses new work, commits everything already queued and joins the writer; the destructor
// calls stop().
// Thread-safety: submit() and set_executor() may be called from any thread. Callbacks run on the
// writer thread or on the executor and must not block (post the result back to your own executor).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "townhall/submissions/store.h"

namespace townhall {

class ResponseCommitter {
 public:
  using Callback = std::function<void(Result<StoredResponse>)>;
  using Executor = std::function<void(std::function<void()>)>;

  // Each submission is stored only while its consultation takes responses
  // (consultations/editing.h: responses_allowed()).
  explicit ResponseCommitter(SubmissionStore& store, size_t max_batch = 1024);
  ~ResponseCommitter();
  ResponseCommitter(const ResponseCommitter&) = delete;
  ResponseCommitter& operator=(const ResponseCommitter&) = delete;

  // Queues one submission. After stop() the callback is called at once with a kConflict error.
  void submit(Submission submission, Callback done);
  void submit(ResponseSubmission response, Callback done) { submit(Submission{std::move(response), {}}, std::move(done)); }
  void stop();
  // Where callbacks run from the next batch on; an empty executor = on the writer thread. The
  // executor must run every closure it is given (the requests wait for their callbacks).
  void set_executor(Executor executor);

  // Transactions committed and submissions written so far (for diagnostics and benchmarks).
  uint64_t batches() const;
  uint64_t submissions() const;

 private:
  void run();

  SubmissionStore& store_;
  size_t max_batch_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::pair<Submission, Callback>> queue_;
  Executor executor_;
  bool stopping_ = false;
  std::atomic<uint64_t> batches_{0}, submissions_{0};
  std::thread writer_;
};

}  // namespace townhall
