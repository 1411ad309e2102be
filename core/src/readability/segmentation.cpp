// ICU sentence/word segmentation and the English syllable heuristic; see segmentation.h.
#include "townhall/readability/segmentation.h"

#include <algorithm>
#include <memory>

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include "i18n/icu_util.h"
#include "townhall/i18n/locale.h"

namespace townhall::readability {
namespace {

struct UTextCloser {
  void operator()(UText* t) const { utext_close(t); }
};

icu::Locale segmentation_locale(std::string_view lang) {
  auto parsed = i18n::detail::parse_locale(lang);
  icu::Locale loc = parsed ? *parsed : icu::Locale("en", "GB");
  UErrorCode status = U_ZERO_ERROR;
  loc.setKeywordValue("ss", "standard", status);  // CLDR sentence-break suppressions (Mr., e.g.)
  return loc;
}

// Runs `bi` over UTF-8 `text` and calls f(begin, end, rule_status) per segment (byte offsets).
template <typename F>
void for_each_segment(icu::BreakIterator& bi, std::string_view text, F f) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UText, UTextCloser> ut(
      utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status));
  if (U_FAILURE(status)) return;
  bi.setText(ut.get(), status);
  if (U_FAILURE(status)) return;
  int32_t start = bi.first();
  for (int32_t end = bi.next(); end != icu::BreakIterator::DONE; start = end, end = bi.next()) {
    f(static_cast<size_t>(start), static_cast<size_t>(end), bi.getRuleStatus());
  }
}

bool is_hyphen(std::string_view s) {
  return s == "-" || s == "\u2010" || s == "\u2011";  // hyphen-minus, hyphen, non-breaking hyphen
}

// Word segments, with hyphenated compounds ("face-to-face") joined into one word as Flesch (1948)
// counts them.
std::vector<WordSpan> word_spans_with(icu::BreakIterator& bi, std::string_view text) {
  struct Seg {
    size_t b, e;
    bool word;
  };
  std::vector<Seg> segs;
  for_each_segment(bi, text, [&](size_t b, size_t e, int32_t rule) {
    segs.push_back({b, e, rule >= UBRK_WORD_NUMBER && rule < UBRK_WORD_IDEO_LIMIT});
  });
  std::vector<WordSpan> out;
  for (size_t i = 0; i < segs.size(); ++i) {
    if (!segs[i].word) continue;
    const size_t begin = segs[i].b;
    while (i + 2 < segs.size() && !segs[i + 1].word && segs[i + 2].word &&
           is_hyphen(text.substr(segs[i + 1].b, segs[i + 1].e - segs[i + 1].b))) {
      i += 2;
    }
    out.push_back({begin, segs[i].e});
  }
  return out;
}

std::vector<std::string> words_with(icu::BreakIterator& bi, std::string_view text) {
  std::vector<std::string> out;
  for (const WordSpan& w : word_spans_with(bi, text)) out.emplace_back(text.substr(w.begin, w.end - w.begin));
  return out;
}

std::string collapse_space(std::string_view s) {
  std::string out;
  bool space = false;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c >= 0 && u_isUWhiteSpace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out.append(s.substr(static_cast<size_t>(start), static_cast<size_t>(i - start)));
  }
  return out;
}

}  // namespace

std::vector<std::string> split_words(std::string_view text, std::string_view lang) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> bi(icu::BreakIterator::createWordInstance(segmentation_locale(lang), status));
  if (U_FAILURE(status)) return {};
  return words_with(*bi, text);
}

struct WordSegmenter::Impl {
  std::unique_ptr<icu::BreakIterator> bi;
};

WordSegmenter::WordSegmenter(std::string_view lang) : impl_(std::make_unique<Impl>()) {
  UErrorCode status = U_ZERO_ERROR;
  impl_->bi.reset(icu::BreakIterator::createWordInstance(segmentation_locale(lang), status));
  if (U_FAILURE(status)) impl_->bi.reset();
}
WordSegmenter::~WordSegmenter() = default;
WordSegmenter::WordSegmenter(WordSegmenter&&) noexcept = default;

std::vector<WordSpan> WordSegmenter::spans(std::string_view text) {
  if (!impl_->bi) return {};
  return word_spans_with(*impl_->bi, text);
}

std::vector<WordSpan> sentence_spans(std::string_view text, std::string_view lang) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> sbi(icu::BreakIterator::createSentenceInstance(segmentation_locale(lang), status));
  if (U_FAILURE(status)) return {};
  std::vector<WordSpan> out;
  for_each_segment(*sbi, text, [&](size_t b, size_t e, int32_t) { out.push_back({b, e}); });
  return out;
}

std::vector<Sentence> split_sentences(std::string_view text, std::string_view lang) {
  const icu::Locale loc = segmentation_locale(lang);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> sbi(icu::BreakIterator::createSentenceInstance(loc, status));
  std::unique_ptr<icu::BreakIterator> wbi(icu::BreakIterator::createWordInstance(loc, status));
  if (U_FAILURE(status)) return {};
  std::vector<std::pair<size_t, size_t>> ranges;
  for_each_segment(*sbi, text, [&](size_t b, size_t e, int32_t) { ranges.emplace_back(b, e); });
  std::vector<Sentence> out;
  for (const auto& [b, e] : ranges) {
    const std::string_view piece = text.substr(b, e - b);
    Sentence s;
    s.words = words_with(*wbi, piece);
    if (s.words.empty()) continue;
    s.text = collapse_space(piece);
    out.push_back(std::move(s));
  }
  return out;
}

size_t letter_count(std::string_view word) {
  size_t n = 0;
  const auto* p = reinterpret_cast<const uint8_t*>(word.data());
  const auto len = static_cast<int32_t>(word.size());
  for (int32_t i = 0; i < len;) {
    UChar32 c;
    U8_NEXT(p, i, len, c);
    if (c >= 0 && u_isalpha(c)) ++n;
  }
  return n;
}

namespace {
bool is_vowel_at(const std::string& w, size_t i) {
  const char c = w[i];
  if (c == 'a' || c == 'e' || c == 'i' || c == 'o') return true;
  if (c == 'u') return !(i > 0 && w[i - 1] == 'q');  // the u of "qu" is a consonant
  if (c == 'y') return i > 0 && !is_vowel_at(w, i - 1);  // "yes", "day": consonant; "city": vowel
  return false;
}
bool is_consonant_at(const std::string& w, size_t i) { return !is_vowel_at(w, i); }
bool ends_with(const std::string& w, std::string_view s) {
  return w.size() >= s.size() && w.compare(w.size() - s.size(), s.size(), s) == 0;
}
}  // namespace

int english_syllables(std::string_view word) {
  // A hyphenated compound has the syllables of its parts: "face-to-face" is 3.
  if (auto dash = word.find('-'); dash != std::string_view::npos) {
    const int left = dash == 0 ? 0 : english_syllables(word.substr(0, dash));
    const int right = dash + 1 >= word.size() ? 0 : english_syllables(word.substr(dash + 1));
    return std::max(1, left + right);
  }
  std::string w;
  for (char ch : word) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 'A' && c <= 'Z') w += static_cast<char>(c - 'A' + 'a');
    else if (c >= 'a' && c <= 'z') w += static_cast<char>(c);
  }
  if (w.empty()) return 1;  // numbers and symbols: one unit, as the formulas assume
  if (w.size() <= 3) return 1;
  int count = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    if (!is_vowel_at(w, i)) continue;
    if (i == 0 || !is_vowel_at(w, i - 1)) {
      ++count;
      continue;
    }
    // Two adjacent vowels are usually one syllable ("ou", "ea", "ai"); these pairs are two.
    const char a = w[i - 1], b = w[i];
    const char before = i >= 2 ? w[i - 2] : ' ';
    if (a == 'i' && b == 'a' && before != 'c' && before != 't' && before != 's') ++count;  // media, not social
    else if (a == 'i' && b == 'o' && before != 'c' && before != 't' && before != 's' && before != 'g' && before != 'x')
      ++count;                                                                              // period, not nation
    else if (a == 'e' && b == 'o' && !(i + 1 < w.size() && w[i + 1] == 'p')) ++count;      // video, not people
    else if (a == 'u' && b == 'a' && before != 'g') ++count;                               // actual, not language
    else if (a == 'e' && b == 'a' && (i + 1 == w.size() || w.rfind("cre", 0) == 0)) ++count;  // area, create
    else if (a == 'i' && b == 'u') ++count;                                                // medium
    else if (a == 'u' && b == 'o') ++count;                                                // duo
    else if (a == 'i' && b == 'e' && i + 1 < w.size() && w[i + 1] == 't') ++count;       // society, quiet
  }
  const size_t n = w.size();
  if (count > 1 && w[n - 1] == 'e' && is_consonant_at(w, n - 2)) {
    // Silent final e ("make", "provide") but not consonant + "le" ("table", "people").
    if (!(w[n - 2] == 'l' && n >= 3 && is_consonant_at(w, n - 3))) --count;
  } else if (count > 1 && ends_with(w, "es") && n >= 3 && is_consonant_at(w, n - 3)) {
    // "makes" loses the e; "services", "changes", "boxes", "wishes", "matches" keep it.
    const char c = w[n - 3];
    const bool sibilant = c == 'c' || c == 's' || c == 'x' || c == 'z' || c == 'g' || ends_with(w, "ches") || ends_with(w, "shes");
    if (!sibilant) --count;
  } else if (count > 1 && ends_with(w, "ed") && n >= 3 && is_consonant_at(w, n - 3)) {
    // "approved" loses the e; "created", "funded" keep it.
    if (w[n - 3] != 't' && w[n - 3] != 'd') --count;
  }
  return count < 1 ? 1 : count;
}

}  // namespace townhall::readability
