// townhall/readability/segmentation.h — sentences, words and (English) syllables.
//
// Sentences and words come from ICU's BreakIterator for the text's language, with the CLDR
// sentence-break suppressions switched on (`@ss=standard`; without it ICU 72 ends an en-GB sentence
// at "Mr." or "e.g."). A word is a segment ICU tags as letters or digits, so punctuation and
// spaces never count; "council’s" is one word, and so is "face-to-face" (Flesch 1948 counts a
// hyphenated compound as one word; ICU alone would make it three). Syllables are counted only for
// English, by a vowel-group heuristic (see english_syllables): good to a few per cent over a
// passage, not per word, which is all Flesch needs.
// Thread-safety: pure functions; safe from any thread. Input must be valid UTF-8 (validate first).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace townhall::readability {

struct Sentence {
  std::string text;                // trimmed, runs of white space collapsed to one space
  std::vector<std::string> words;  // the sentence's words in order
};

// Sentences with at least one word, in order.
std::vector<Sentence> split_sentences(std::string_view text, std::string_view lang);

// Words of `text` in order.
std::vector<std::string> split_words(std::string_view text, std::string_view lang);

// A word's byte range [begin, end) in the text it came from.
struct WordSpan {
  size_t begin = 0, end = 0;
};

// The words of many texts in one language, with one ICU break iterator (cheaper than split_words
// per text). Same words as split_words. Thread-safety: one segmenter per thread.
class WordSegmenter {
 public:
  explicit WordSegmenter(std::string_view lang);
  ~WordSegmenter();
  WordSegmenter(WordSegmenter&&) noexcept;
  std::vector<WordSpan> spans(std::string_view text);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Sentences' byte ranges in `text` (every ICU sentence segment, including ones without words).
std::vector<WordSpan> sentence_spans(std::string_view text, std::string_view lang);

// Letters in a word (Unicode alphabetic code points; for LIX's "more than six letters").
size_t letter_count(std::string_view word);

// English syllables of one word by heuristic: vowel groups (a e i o u y), minus a silent final
// "e"/"es"/"ed", plus a few two-vowel hiatuses ("ia", "eo", "ua", …), at least 1; numbers count 1.
int english_syllables(std::string_view word);

}  // namespace townhall::readability
