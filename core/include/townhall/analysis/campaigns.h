// townhall/analysis/campaigns.h — near-identical free-text answers (organised campaigns).
//
// Consultations on contested schemes receive many copies of a campaign's template, lightly
// edited. find_campaigns groups answers whose texts are near-duplicates:
//   1. each text is folded (NFKC_Casefold, as terms are) and split into words by ICU for its
//      language (free_text.h), so case, punctuation and spacing do not matter;
//   2. its *shingles* are the runs of `shingle_words` consecutive words (a shorter text is one
//      shingle), hashed to 32 bits; texts with the same shingle set are handled once;
//   3. MinHash signatures (bands × rows hash functions) are cut into bands; texts sharing a band
//      are candidates (locality-sensitive hashing: a pair with Jaccard similarity s becomes a
//      candidate with probability 1 − (1 − s^rows)^bands);
//   4. each candidate pair's exact Jaccard similarity of shingle sets is computed, and pairs at
//      or above `threshold` are joined (union-find), so a group is a chain of similar pairs.
// Within a band bucket each text is checked against at most a few earlier texts of other groups,
// so a campaign of a hundred thousand copies costs linear, not quadratic, time.
// Each group has a template: its most common text (by shingle set), or when every member
// differs, the member most similar on average to the others (medoid of up to 64 members).
// Texts without words belong to no group. Results refer to texts by their position.
// kAllPairs compares every pair exactly (quadratic): the baseline and test oracle.
// Thread-safety: a pure function; it runs on up to `threads` threads of its own.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "townhall/error.h"

namespace townhall::analysis {

struct CampaignOptions {
  int shingle_words = 3;
  double threshold = 0.5;   // Jaccard similarity of shingle sets, 0 < threshold ≤ 1
  int bands = 24;           // LSH: the signature has bands × rows MinHash values
  int rows = 3;
  size_t min_size = 2;      // smaller groups are not reported
  unsigned threads = 0;     // 0: one per hardware thread
  enum class Method { kMinHashLsh, kAllPairs } method = Method::kMinHashLsh;
};

struct CampaignGroup {
  size_t template_row = 0;
  std::vector<size_t> members;  // ascending
  double mean_similarity = 0;   // mean Jaccard of members to the template
};

struct CampaignResult {
  std::vector<CampaignGroup> groups;  // largest first, then by first member
  std::vector<int64_t> group_of;      // per text: index into groups, or −1
  int64_t distinct_texts = 0;         // distinct shingle sets among texts with words
  int64_t candidate_pairs = 0;        // pairs whose exact similarity was computed
};

// `languages`: empty (undetermined), one tag for every text, or one per text. Errors: invalid
// UTF-8 (field "/texts/<i>"), options out of range (field named after the option).
Result<CampaignResult> find_campaigns(std::span<const std::string_view> texts,
                                      std::span<const std::string_view> languages,
                                      const CampaignOptions& options = {});

}  // namespace townhall::analysis
