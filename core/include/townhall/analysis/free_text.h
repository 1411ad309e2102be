// townhall/analysis/free_text.h — reading free-text answers in any language.
//
// Words come from ICU word segmentation for the texts' language (readability/segmentation.h:
// letters and digits only, hyphenated compounds kept whole, dictionary segmentation for scripts
// written without spaces). A word's *term* is its NFKC_Casefold form (ICU), so "Bus", "BUS" and
// "ｂｕｓ" are one term and Arabic presentation forms fold to their letters. On top of that:
//   term_frequencies     occurrences and responses per term, optionally without stop words
//                        (built-in lists for en, cy and ar; any language can pass its own);
//   keyword_in_context   every occurrence of a word or phrase with the words around it (KWIC);
//   tag_themes           an analyst's codebook (theme → keywords/phrases) applied to each
//                        response; a response may get several themes. A keyword ending in '*'
//                        matches words starting with it ("bus*" → "buses").
// Texts are UTF-8; invalid UTF-8 is an error naming the row. Keywords are segmented and folded the
// same way as the texts, so a phrase matches consecutive words whatever the spacing/punctuation.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "townhall/error.h"

namespace townhall::analysis {

// NFKC_Casefold of UTF-8 text (valid UTF-8 expected).
std::string fold_term(std::string_view text);

// Built-in stop words for a language tag's primary language (en, cy, ar), already folded; empty
// for other languages.
std::vector<std::string> stop_words(std::string_view lang);

struct WordToken {
  size_t row = 0;       // index of the text
  size_t position = 0;  // word number in the text, from 0
  size_t begin = 0, end = 0;  // byte range in the text
  std::string term;     // folded
};

// Every word of every text, in order.
Result<std::vector<WordToken>> word_tokens(std::span<const std::string_view> texts, std::string_view lang);

struct SentenceToken {
  size_t row = 0, position = 0, begin = 0, end = 0;
};
// Sentences (with at least one word) of every text, in order; ranges exclude trailing space.
Result<std::vector<SentenceToken>> sentence_tokens(std::span<const std::string_view> texts, std::string_view lang);

struct TermOptions {
  bool remove_stop_words = false;          // the built-in list for `lang`
  std::vector<std::string> extra_stop_words;  // folded before use
  size_t min_letters = 1;                  // shorter words (in code points) are left out
};

struct TermCount {
  std::string term;
  int64_t count = 0;      // occurrences
  int64_t responses = 0;  // texts containing it
};

// Terms by count (descending), then term (code point order).
Result<std::vector<TermCount>> term_frequencies(std::span<const std::string_view> texts, std::string_view lang,
                                                const TermOptions& options = {});

struct KwicLine {
  size_t row = 0;
  size_t begin = 0, end = 0;  // byte range of the match in the text
  std::string left, match, right;  // original text: up to `context` words either side
};

Result<std::vector<KwicLine>> keyword_in_context(std::span<const std::string_view> texts, std::string_view keyword,
                                                 std::string_view lang, size_t context = 5);

struct Theme {
  std::string name;
  std::vector<std::string> keywords;  // words or phrases; trailing '*' = prefix
};

struct ThemeMatch {
  size_t row = 0;
  size_t theme = 0;    // index into the codebook
  size_t keyword = 0;  // index into the theme's keywords
  size_t begin = 0, end = 0;  // byte range of the match
};

// Every match of every keyword, by row then position.
Result<std::vector<ThemeMatch>> tag_themes(std::span<const std::string_view> texts, std::span<const Theme> codebook,
                                           std::string_view lang);

}  // namespace townhall::analysis
