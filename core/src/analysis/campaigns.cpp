// Near-duplicate free text by word shingles, MinHash and LSH banding; see campaigns.h.
#include "townhall/analysis/campaigns.h"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <string>
#include <thread>

#include <unicode/utf8.h>

#include "townhall/analysis/free_text.h"
#include "townhall/i18n/text.h"
#include "townhall/readability/segmentation.h"

namespace townhall::analysis {
namespace {

uint64_t campaign_mix(uint64_t x) {  // splitmix64's finaliser
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBULL;
  x ^= x >> 31;
  return x;
}

uint64_t campaign_hash_bytes(std::string_view s) {
  uint64_t h = 0xCBF29CE484222325ULL;  // FNV-1a, then mixed
  for (unsigned char c : s) h = (h ^ c) * 0x100000001B3ULL;
  return campaign_mix(h ^ s.size());
}

// Sorted, distinct shingle hashes of many texts, back to back.
struct ShingleSets {
  std::vector<uint32_t> flat;
  std::vector<size_t> offset{0};  // set i is flat[offset[i], offset[i+1])
  size_t size(size_t i) const { return offset[i + 1] - offset[i]; }
  std::span<const uint32_t> at(size_t i) const {
    return {flat.data() + offset[i], offset[i + 1] - offset[i]};
  }
};

constexpr bool campaign_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
constexpr bool campaign_digit(unsigned char c) { return c >= '0' && c <= '9'; }
constexpr bool campaign_word_char(unsigned char c) {
  return campaign_alpha(c) || campaign_digit(c) || c == '_';
}

// The folded words' hashes of an ASCII text without ICU, ten times faster on the common case.
// For ASCII, NFKC_Casefold is lower-casing, and ICU's word rules (UAX #29) come down to runs of
// letters, digits and '_', joined across one ' or . between letters (WB6/7) and one , . or ;
// between digits (WB11/12); the segmenter also joins hyphenated compounds. Hashes are those of
// the ICU path (campaign_hash_bytes of the folded word). False, and nothing added, for non-ASCII.
bool ascii_word_hashes(std::string_view s, std::vector<uint64_t>& out) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  const size_t n = s.size();
  for (size_t i = 0; i < n;) {
    if (!campaign_word_char(static_cast<unsigned char>(s[i]))) {
      ++i;
      continue;
    }
    uint64_t h = 0xCBF29CE484222325ULL;
    size_t len = 0, j = i;
    bool alnum = false;
    for (;;) {
      for (; j < n && campaign_word_char(static_cast<unsigned char>(s[j])); ++j, ++len) {
        auto c = static_cast<unsigned char>(s[j]);
        alnum = alnum || c != '_';
        if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c | 0x20);
        h = (h ^ c) * 0x100000001B3ULL;
      }
      if (j + 1 >= n) break;
      const auto prev = static_cast<unsigned char>(s[j - 1]), mid = static_cast<unsigned char>(s[j]),
                 next = static_cast<unsigned char>(s[j + 1]);
      const bool join =
          ((mid == '\'' || mid == '.') && campaign_alpha(prev) && campaign_alpha(next)) ||
          ((mid == ',' || mid == '.' || mid == ';') && campaign_digit(prev) && campaign_digit(next)) ||
          (mid == '-' && campaign_word_char(prev) && prev != '_' && campaign_word_char(next) &&
           next != '_');
      if (!join) break;
      h = (h ^ mid) * 0x100000001B3ULL;
      ++len;
      ++j;
    }
    if (alnum) out.push_back(campaign_mix(h ^ len));
    i = j;
  }
  return true;
}

void append_shingles(std::string_view text, readability::WordSegmenter& seg, size_t k,
                     std::vector<uint64_t>& words, ShingleSets& out) {
  words.clear();
  if (!ascii_word_hashes(text, words)) {
    std::string folded = fold_term(text);
    for (const auto& w : seg.spans(folded))
      words.push_back(
          campaign_hash_bytes(std::string_view(folded).substr(w.begin, w.end - w.begin)));
  }
  const size_t start = out.flat.size();
  if (!words.empty()) {
    const size_t count = words.size() >= k ? words.size() - k + 1 : 1;
    const size_t width = std::min(k, words.size());
    for (size_t i = 0; i < count; ++i) {
      uint64_t h = 0x2545F4914F6CDD1DULL;
      for (size_t j = 0; j < width; ++j) h = campaign_mix(h ^ words[i + j]);
      out.flat.push_back(static_cast<uint32_t>(h >> 32));
    }
    auto first = out.flat.begin() + static_cast<std::ptrdiff_t>(start);
    std::sort(first, out.flat.end());
    out.flat.erase(std::unique(first, out.flat.end()), out.flat.end());
  }
  out.offset.push_back(out.flat.size());
}

double jaccard(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  if (a.empty() || b.empty()) return 0.0;
  size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) ++i;
    else if (b[j] < a[i]) ++j;
    else { ++common; ++i; ++j; }
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

// Jaccard ≥ t is impossible when the sizes differ too much: |A∩B| ≤ min, |A∪B| ≥ max.
bool similar(std::span<const uint32_t> a, std::span<const uint32_t> b, double t) {
  const double lo = static_cast<double>(std::min(a.size(), b.size()));
  const double hi = static_cast<double>(std::max(a.size(), b.size()));
  if (hi == 0 || lo < t * hi) return false;
  return jaccard(a, b) >= t;
}

struct UnionFind {
  std::vector<uint32_t> parent, size;
  explicit UnionFind(size_t n) : parent(n), size(n, 1) {
    std::iota(parent.begin(), parent.end(), 0u);
  }
  uint32_t find(uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void unite(uint32_t a, uint32_t b) {
    a = find(a);
    b = find(b);
    if (a == b) return;
    if (size[a] < size[b]) std::swap(a, b);
    parent[b] = a;
    size[a] += size[b];
  }
};

// Sorts by the upper 32 bits (the bucket key), keeping the lower half's order within a key:
// an LSD radix sort, four passes of 8 bits, several times faster than std::sort here.
void sort_by_high_half(std::vector<uint64_t>& v, std::vector<uint64_t>& scratch) {
  scratch.resize(v.size());
  for (int shift = 32; shift < 64; shift += 8) {
    size_t count[257] = {};
    for (uint64_t x : v) ++count[((x >> shift) & 0xFF) + 1];
    for (size_t i = 1; i < 257; ++i) count[i] += count[i - 1];
    for (uint64_t x : v) scratch[count[(x >> shift) & 0xFF]++] = x;
    v.swap(scratch);
  }
}

template <typename F>
void in_parallel(size_t n, unsigned threads, F work) {
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>((n + 4095) / 4096)));
  if (threads == 1) {
    work(0, size_t{0}, n);
    return;
  }
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    size_t lo = n * t / threads, hi = n * (t + 1) / threads;
    pool.emplace_back([&work, t, lo, hi] { work(t, lo, hi); });
  }
  for (auto& th : pool) th.join();
}

Status check_options(const CampaignOptions& o) {
  if (o.shingle_words < 1 || o.shingle_words > 16)
    return invalid_argument("shingle_words", "must be between 1 and 16");
  if (!(o.threshold > 0 && o.threshold <= 1))
    return invalid_argument("threshold", "must be greater than 0 and at most 1");
  if (o.bands < 1 || o.bands > 256) return invalid_argument("bands", "must be between 1 and 256");
  if (o.rows < 1 || o.rows > 16) return invalid_argument("rows", "must be between 1 and 16");
  if (o.min_size < 1) return invalid_argument("min_size", "must be at least 1");
  return Status::Ok();
}

}  // namespace

Result<CampaignResult> find_campaigns(std::span<const std::string_view> texts,
                                      std::span<const std::string_view> languages,
                                      const CampaignOptions& options) {
  if (auto st = check_options(options); !st) return st.error();
  const size_t n = texts.size();
  if (n >= std::numeric_limits<uint32_t>::max())
    return invalid_argument("texts", "too many texts (at most 4294967294)");
  if (languages.size() > 1 && languages.size() != n)
    return invalid_argument("languages", "has " + std::to_string(languages.size()) +
                                             " tags for " + std::to_string(n) + " texts");
  for (size_t i = 0; i < n; ++i)
    if (!i18n::is_valid_utf8(texts[i]))
      return invalid_argument("/texts/" + std::to_string(i), "is not valid UTF-8");
  const unsigned threads =
      options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  const size_t k = static_cast<size_t>(options.shingle_words);

  // 1. Shingle sets, in chunks of texts on separate threads, then joined in order.
  std::vector<ShingleSets> parts(threads);
  in_parallel(n, threads, [&](unsigned t, size_t lo, size_t hi) {
    std::map<std::string, readability::WordSegmenter, std::less<>> segmenters;
    std::vector<uint64_t> words;
    ShingleSets& out = parts[t];
    out.flat.reserve((hi - lo) * 16);
    out.offset.reserve(hi - lo + 1);
    for (size_t i = lo; i < hi; ++i) {
      std::string_view lang = languages.empty() ? std::string_view("und")
                              : languages.size() == 1 ? languages[0] : languages[i];
      auto it = segmenters.find(lang);
      if (it == segmenters.end())
        it = segmenters.emplace(std::string(lang), readability::WordSegmenter(lang)).first;
      append_shingles(texts[i], it->second, k, words, out);
    }
  });
  ShingleSets sets;
  for (auto& p : parts) {
    if (p.offset.size() <= 1) continue;
    const size_t base = sets.flat.size();
    sets.flat.insert(sets.flat.end(), p.flat.begin(), p.flat.end());
    for (size_t i = 1; i < p.offset.size(); ++i) sets.offset.push_back(base + p.offset[i]);
    p = ShingleSets{};
  }

  // 2. One entry per distinct shingle set ("unit"); the naive method keeps every text apart.
  constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
  std::vector<uint32_t> unit_of(n, kNone);
  std::vector<uint32_t> unit_text;  // a text of each unit (its first)
  std::vector<uint32_t> unit_count;
  const bool naive = options.method == CampaignOptions::Method::kAllPairs;
  {
    std::vector<std::pair<uint64_t, uint32_t>> keyed;
    keyed.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      if (sets.size(i) == 0) continue;
      uint64_t h = sets.size(i);
      if (!naive)
        for (uint32_t s : sets.at(i)) h = campaign_mix(h ^ s);
      keyed.push_back({naive ? i : h, static_cast<uint32_t>(i)});
    }
    std::sort(keyed.begin(), keyed.end());
    for (size_t a = 0; a < keyed.size();) {
      size_t b = a;
      while (b < keyed.size() && keyed[b].first == keyed[a].first) ++b;
      const size_t first_unit = unit_text.size();
      for (size_t i = a; i < b; ++i) {
        const uint32_t t = keyed[i].second;
        uint32_t u = kNone;
        for (size_t v = first_unit; v < unit_text.size() && u == kNone; ++v) {
          auto x = sets.at(unit_text[v]), y = sets.at(t);
          if (std::equal(x.begin(), x.end(), y.begin(), y.end())) u = static_cast<uint32_t>(v);
        }
        if (u == kNone) {
          u = static_cast<uint32_t>(unit_text.size());
          unit_text.push_back(t);
          unit_count.push_back(0);
        }
        unit_of[t] = u;
        ++unit_count[u];
      }
      a = b;
    }
    // Units in order of their first text, so results do not depend on hash order.
    std::vector<uint32_t> order(unit_text.size());
    std::iota(order.begin(), order.end(), 0u);
    for (size_t i = 0; i < n; ++i)
      if (unit_of[i] != kNone && unit_text[unit_of[i]] > i) unit_text[unit_of[i]] = static_cast<uint32_t>(i);
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return unit_text[a] < unit_text[b]; });
    std::vector<uint32_t> rank(order.size());
    for (size_t r = 0; r < order.size(); ++r) rank[order[r]] = static_cast<uint32_t>(r);
    std::vector<uint32_t> text2(order.size()), count2(order.size());
    for (size_t r = 0; r < order.size(); ++r) {
      text2[r] = unit_text[order[r]];
      count2[r] = unit_count[order[r]];
    }
    unit_text.swap(text2);
    unit_count.swap(count2);
    for (auto& u : unit_of)
      if (u != kNone) u = rank[u];
  }
  const size_t U = unit_text.size();
  auto unit_set = [&](uint32_t u) { return sets.at(unit_text[u]); };

  CampaignResult result;
  result.distinct_texts = naive ? 0 : static_cast<int64_t>(U);
  UnionFind uf(U);
  const double t = options.threshold;

  if (naive) {
    for (uint32_t a = 0; a < U; ++a)
      for (uint32_t b = a + 1; b < U; ++b) {
        ++result.candidate_pairs;
        if (similar(unit_set(a), unit_set(b), t)) uf.unite(a, b);
      }
  } else {
    // 3. MinHash: hash function h_i(x) = high 32 bits of (a_i·x + b_i) mod 2^64 for the 32-bit
    // shingle hash x and random 64-bit a_i, b_i (multiply-add-shift, strongly universal);
    // each band's values hashed to one 32-bit bucket key.
    const size_t B = static_cast<size_t>(options.bands), R = static_cast<size_t>(options.rows);
    const size_t H = B * R;
    std::vector<uint64_t> mul(H), add(H);
    uint64_t state = 0x5EEDC0FFEE123457ULL;
    for (size_t i = 0; i < H; ++i) {
      mul[i] = campaign_mix(state += 0x9E3779B97F4A7C15ULL) | 1;
      add[i] = campaign_mix(state += 0x9E3779B97F4A7C15ULL);
    }
    std::vector<uint32_t> keys(B * U);  // keys[band · U + unit]
    in_parallel(U, threads, [&](unsigned, size_t lo, size_t hi) {
      std::vector<uint32_t> sig(H);
      for (size_t u = lo; u < hi; ++u) {
        std::fill(sig.begin(), sig.end(), std::numeric_limits<uint32_t>::max());
        for (uint32_t x : unit_set(static_cast<uint32_t>(u)))
          for (size_t i = 0; i < H; ++i)
            sig[i] = std::min(sig[i], static_cast<uint32_t>((mul[i] * x + add[i]) >> 32));
        for (size_t b = 0; b < B; ++b) {
          uint64_t h = campaign_mix(b + 1);
          for (size_t r = 0; r < R; ++r) h = campaign_mix(h ^ sig[b * R + r]);
          keys[b * U + u] = static_cast<uint32_t>(h >> 32);
        }
      }
    });
    // 4. Buckets of each band: every unit is compared with a few earlier units of the bucket
    // that belong to other groups ("leaders"), not with every member.
    constexpr size_t kLeaders = 8;
    std::vector<uint64_t> bucket(U), scratch(U);
    std::vector<uint32_t> leaders;
    for (size_t b = 0; b < B; ++b) {
      for (size_t u = 0; u < U; ++u) bucket[u] = (uint64_t{keys[b * U + u]} << 32) | u;
      sort_by_high_half(bucket, scratch);
      for (size_t lo = 0; lo < U;) {
        size_t hi = lo + 1;
        while (hi < U && (bucket[hi] >> 32) == (bucket[lo] >> 32)) ++hi;
        if (hi - lo > 1) {
          leaders.clear();
          for (size_t i = lo; i < hi; ++i) {
            const auto u = static_cast<uint32_t>(bucket[i]);
            bool placed = false;
            for (uint32_t l : leaders) {
              if (uf.find(l) == uf.find(u)) { placed = true; break; }
              ++result.candidate_pairs;
              if (similar(unit_set(l), unit_set(u), t)) {
                uf.unite(l, u);
                placed = true;
                break;
              }
            }
            if (!placed && leaders.size() < kLeaders) leaders.push_back(u);
          }
        }
        lo = hi;
      }
    }
  }

  // 5. Groups: members, sizes, templates.
  std::vector<std::vector<uint32_t>> units_of_root(U);
  for (uint32_t u = 0; u < U; ++u) units_of_root[uf.find(u)].push_back(u);
  std::vector<int64_t> group_of_root(U, -1);
  std::vector<uint32_t> roots;
  for (uint32_t r = 0; r < U; ++r) {
    if (units_of_root[r].empty()) continue;
    size_t texts_in = 0;
    for (uint32_t u : units_of_root[r]) texts_in += unit_count[u];
    if (texts_in >= options.min_size) roots.push_back(r);
  }
  result.group_of.assign(n, -1);
  std::vector<CampaignGroup> groups(roots.size());
  for (size_t g = 0; g < roots.size(); ++g) {
    const auto& units = units_of_root[roots[g]];
    group_of_root[roots[g]] = static_cast<int64_t>(g);
    uint32_t best = units[0];
    for (uint32_t u : units)
      if (unit_count[u] > unit_count[best]) best = u;
    if (unit_count[best] == 1 && units.size() > 2) {
      const size_t m = std::min<size_t>(units.size(), 64);
      double best_score = -1;
      for (size_t i = 0; i < m; ++i) {
        double score = 0;
        for (size_t j = 0; j < m; ++j)
          if (i != j) score += jaccard(unit_set(units[i]), unit_set(units[j]));
        if (score > best_score) {
          best_score = score;
          best = units[i];
        }
      }
    }
    groups[g].template_row = unit_text[best];
    double total = 0;
    size_t count = 0;
    for (uint32_t u : units) {
      total += jaccard(unit_set(u), unit_set(best)) * unit_count[u];
      count += unit_count[u];
    }
    groups[g].mean_similarity = count ? total / static_cast<double>(count) : 0.0;
  }
  for (size_t i = 0; i < n; ++i) {
    if (unit_of[i] == kNone) continue;
    int64_t g = group_of_root[uf.find(unit_of[i])];
    if (g >= 0) groups[static_cast<size_t>(g)].members.push_back(i);
  }
  std::vector<size_t> order(groups.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (groups[a].members.size() != groups[b].members.size())
      return groups[a].members.size() > groups[b].members.size();
    return groups[a].members[0] < groups[b].members[0];
  });
  for (size_t r = 0; r < order.size(); ++r) {
    for (size_t i : groups[order[r]].members) result.group_of[i] = static_cast<int64_t>(r);
    result.groups.push_back(std::move(groups[order[r]]));
  }
  return result;
}

}  // namespace townhall::analysis
