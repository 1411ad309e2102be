// Free-text analysis over ICU segmentation and NFKC_Casefold; see free_text.h.
#include "townhall/analysis/free_text.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "townhall/i18n/text.h"
#include "townhall/readability/segmentation.h"

namespace townhall::analysis {
namespace {

Status check_texts(std::span<const std::string_view> texts) {
  for (size_t i = 0; i < texts.size(); ++i)
    if (!i18n::is_valid_utf8(texts[i])) return invalid_argument("/texts/" + std::to_string(i), "is not valid UTF-8");
  return Status::Ok();
}

size_t code_points(std::string_view s) {
  size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

std::string primary_language(std::string_view lang) {
  std::string out;
  for (char c : lang) {
    if (c == '-' || c == '_') break;
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return out;
}

// A keyword as folded words; `prefix` when it ended with '*'.
struct Pattern {
  std::vector<std::string> words;
  bool prefix = false;
};

Result<Pattern> pattern_of(std::string_view keyword, readability::WordSegmenter& seg, const std::string& field) {
  Pattern p;
  std::string_view k = keyword;
  while (!k.empty() && (k.back() == ' ')) k.remove_suffix(1);
  if (!k.empty() && k.back() == '*') {
    p.prefix = true;
    k.remove_suffix(1);
  }
  if (!i18n::is_valid_utf8(k)) return invalid_argument(field, "is not valid UTF-8");
  for (const auto& w : seg.spans(k)) p.words.push_back(fold_term(k.substr(w.begin, w.end - w.begin)));
  if (p.words.empty()) return invalid_argument(field, "\"" + std::string(keyword) + "\" has no words");
  return p;
}

bool matches_at(const std::vector<WordToken>& words, size_t i, const Pattern& p) {
  if (i + p.words.size() > words.size()) return false;
  for (size_t k = 0; k < p.words.size(); ++k) {
    const std::string& w = words[i + k].term;
    const bool last = k + 1 == p.words.size();
    if (last && p.prefix) {
      if (w.compare(0, p.words[k].size(), p.words[k]) != 0) return false;
    } else if (w != p.words[k]) {
      return false;
    }
  }
  return true;
}

// The words of one text, folded.
std::vector<WordToken> tokens_of(std::string_view text, size_t row, readability::WordSegmenter& seg) {
  std::vector<WordToken> out;
  size_t pos = 0;
  for (const auto& w : seg.spans(text))
    out.push_back({row, pos++, w.begin, w.end, fold_term(text.substr(w.begin, w.end - w.begin))});
  return out;
}

}  // namespace

std::string fold_term(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) return std::string(text);
  icu::UnicodeString folded = nfkc_cf->normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size()))), status);
  if (U_FAILURE(status)) return std::string(text);
  std::string out;
  folded.toUTF8String(out);
  return out;
}

std::vector<std::string> stop_words(std::string_view lang) {
  static const std::map<std::string, std::vector<std::string>> kLists = {
      {"en", {"a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
              "because", "been", "being", "but", "by", "can", "could", "did", "do", "does", "doing", "for",
              "from", "had", "has", "have", "having", "he", "her", "here", "him", "his", "how", "i", "if",
              "in", "into", "is", "it", "its", "just", "me", "more", "most", "my", "no", "not", "now", "of",
              "on", "only", "or", "other", "our", "out", "over", "she", "should", "so", "some", "such",
              "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
              "to", "too", "up", "very", "was", "we", "were", "what", "when", "where", "which", "who",
              "why", "will", "with", "would", "you", "your"}},
      // Welsh: articles, common prepositions (with the article: i'r, o'r, a'r), pronouns,
      // conjunctions and forms of bod ("to be").
      {"cy", {"a", "ac", "am", "ar", "at", "bod", "chi", "dan", "dros", "dy", "e", "ei", "ein", "eich",
              "eu", "fe", "fel", "fi", "fo", "fy", "gan", "gyda", "hefyd", "hi", "hon", "hwn", "hyn",
              "hynny", "i", "mae", "maen", "mai", "na", "nad", "ni", "nid", "nhw", "o", "oedd", "oes",
              "ond", "neu", "pan", "pe", "r", "roedd", "sydd", "tan", "wedi", "wrth", "y", "yma", "yn",
              "yna", "yr", "ydy", "ydw", "ydych", "ydyn", "yw", "i'r", "o'r", "a'r", "i’r", "o’r", "a’r"}},
      // Arabic: particles, prepositions, pronouns and demonstratives written as separate words.
      {"ar", {"في", "من", "على", "إلى", "الى", "عن", "مع", "هذا", "هذه", "ذلك", "تلك", "التي", "الذي",
              "الذين", "و", "أو", "او", "ثم", "لا", "ما", "لم", "لن", "قد", "كان", "كانت", "أن", "ان",
              "إن", "هو", "هي", "هم", "نحن", "أنا", "انا", "كل", "بعض", "عند", "بين", "حتى", "إذا",
              "اذا", "كما", "لكن", "أي", "يا", "به", "بها", "له", "لها", "فيه", "فيها", "منه", "هناك"}}};
  auto it = kLists.find(primary_language(lang));
  if (it == kLists.end()) return {};
  std::vector<std::string> out;
  for (const auto& w : it->second) out.push_back(fold_term(w));
  return out;
}

Result<std::vector<WordToken>> word_tokens(std::span<const std::string_view> texts, std::string_view lang) {
  if (auto st = check_texts(texts); !st) return st.error();
  readability::WordSegmenter seg(lang);
  std::vector<WordToken> out;
  for (size_t r = 0; r < texts.size(); ++r) {
    auto t = tokens_of(texts[r], r, seg);
    std::move(t.begin(), t.end(), std::back_inserter(out));
  }
  return out;
}

Result<std::vector<SentenceToken>> sentence_tokens(std::span<const std::string_view> texts, std::string_view lang) {
  if (auto st = check_texts(texts); !st) return st.error();
  readability::WordSegmenter seg(lang);
  std::vector<SentenceToken> out;
  for (size_t r = 0; r < texts.size(); ++r) {
    size_t pos = 0;
    for (const auto& s : readability::sentence_spans(texts[r], lang)) {
      std::string_view piece = texts[r].substr(s.begin, s.end - s.begin);
      auto words = seg.spans(piece);
      if (words.empty()) continue;
      // Leading punctuation (an opening quote) stays; white space either side goes.
      size_t b = s.begin, e = s.end;
      auto space = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; };
      while (b < e && space(texts[r][b])) ++b;
      while (e > b && space(texts[r][e - 1])) --e;
      out.push_back({r, pos++, b, e});
    }
  }
  return out;
}

Result<std::vector<TermCount>> term_frequencies(std::span<const std::string_view> texts, std::string_view lang,
                                                const TermOptions& options) {
  if (auto st = check_texts(texts); !st) return st.error();
  std::set<std::string, std::less<>> stops;
  if (options.remove_stop_words)
    for (auto& w : stop_words(lang)) stops.insert(std::move(w));
  for (const auto& w : options.extra_stop_words) stops.insert(fold_term(w));
  readability::WordSegmenter seg(lang);
  struct Acc {
    int64_t count = 0, responses = 0;
    size_t last_row = SIZE_MAX;
  };
  std::unordered_map<std::string, Acc> acc;
  for (size_t r = 0; r < texts.size(); ++r) {
    for (auto& t : tokens_of(texts[r], r, seg)) {
      if (code_points(t.term) < options.min_letters || stops.count(t.term)) continue;
      Acc& a = acc[t.term];
      ++a.count;
      if (a.last_row != r) {
        ++a.responses;
        a.last_row = r;
      }
    }
  }
  std::vector<TermCount> out;
  out.reserve(acc.size());
  for (auto& [term, a] : acc) out.push_back({term, a.count, a.responses});
  std::sort(out.begin(), out.end(), [](const TermCount& x, const TermCount& y) {
    return x.count != y.count ? x.count > y.count : x.term < y.term;
  });
  return out;
}

Result<std::vector<KwicLine>> keyword_in_context(std::span<const std::string_view> texts, std::string_view keyword,
                                                 std::string_view lang, size_t context) {
  if (auto st = check_texts(texts); !st) return st.error();
  readability::WordSegmenter seg(lang);
  auto pattern = pattern_of(keyword, seg, "keyword");
  if (!pattern) return pattern.error();
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return std::string(s);
  };
  std::vector<KwicLine> out;
  for (size_t r = 0; r < texts.size(); ++r) {
    const std::string_view text = texts[r];
    auto words = tokens_of(text, r, seg);
    for (size_t i = 0; i < words.size(); ++i) {
      if (!matches_at(words, i, *pattern)) continue;
      const size_t last = i + pattern->words.size() - 1;
      const size_t b = words[i].begin, e = words[last].end;
      // Up to `context` words either side; fewer words there means the rest of the text.
      const size_t left_from = context == 0 ? b : (i >= context ? words[i - context].begin : 0);
      const size_t right_to =
          context == 0 ? e : (last + context < words.size() ? words[last + context].end : text.size());
      out.push_back({r, b, e, trim(text.substr(left_from, b - left_from)), std::string(text.substr(b, e - b)),
                     trim(text.substr(e, right_to - e))});
    }
  }
  return out;
}

Result<std::vector<ThemeMatch>> tag_themes(std::span<const std::string_view> texts, std::span<const Theme> codebook,
                                           std::string_view lang) {
  if (auto st = check_texts(texts); !st) return st.error();
  readability::WordSegmenter seg(lang);
  struct Compiled {
    size_t theme, keyword;
    Pattern pattern;
  };
  std::vector<Compiled> patterns;
  for (size_t t = 0; t < codebook.size(); ++t) {
    if (codebook[t].keywords.empty())
      return invalid_argument("/codebook/" + std::to_string(t), "theme \"" + codebook[t].name + "\" has no keywords");
    for (size_t k = 0; k < codebook[t].keywords.size(); ++k) {
      auto p = pattern_of(codebook[t].keywords[k], seg, "/codebook/" + std::to_string(t) + "/keywords/" + std::to_string(k));
      if (!p) return p.error();
      patterns.push_back({t, k, std::move(*p)});
    }
  }
  std::vector<ThemeMatch> out;
  for (size_t r = 0; r < texts.size(); ++r) {
    auto words = tokens_of(texts[r], r, seg);
    for (size_t i = 0; i < words.size(); ++i)
      for (const auto& c : patterns)
        if (matches_at(words, i, c.pattern))
          out.push_back({r, c.theme, c.keyword, words[i].begin, words[i + c.pattern.words.size() - 1].end});
  }
  return out;
}

}  // namespace townhall::analysis
