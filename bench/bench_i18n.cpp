// Benchmarks of the i18n and readability paths a page render or an officer's check takes.
// Each figure is printed with a baseline measured in the same run and their ratio:
//  - CatalogSet::format (looks up, validates arguments and compiles the pattern on every call)
//    against formatting the same pattern with one ICU MessageFormat compiled once;
//  - negotiate_language (builds an ICU LocaleMatcher per call) against a single match on a
//    matcher built once;
//  - analyse_readability over the council seed texts against a naive split on white space and
//    full stops (what the ICU BreakIterator, NFC and syllable counting cost on top).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unicode/localematcher.h>
#include <unicode/msgfmt.h>

#include "townhall/i18n/catalog.h"
#include "townhall/i18n/locale.h"
#include "townhall/readability/report.h"

namespace {

using Clock = std::chrono::steady_clock;

template <typename F>
double seconds(F f) {
  const auto t0 = Clock::now();
  f();
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

volatile size_t g_sink = 0;

}  // namespace

int main() {
  using namespace townhall;
  i18n::init_i18n();
  const auto& set = i18n::CatalogSet::builtin();

  // 1. Message formatting.
  constexpr int kCalls = 20000;
  const double t_format = seconds([&] {
    for (int i = 0; i < kCalls; ++i) {
      auto m = set.format("cy", "consultation.days_left", {{"count", int64_t{i % 40}}});
      g_sink = g_sink + m->text.size();
    }
  });
  const std::string& pattern = *set.find("cy")->pattern("consultation.days_left");
  UErrorCode status = U_ZERO_ERROR;
  icu::MessageFormat mf(icu::UnicodeString::fromUTF8(pattern), icu::Locale("cy@numbers=latn"), status);
  const double t_cached = seconds([&] {
    icu::UnicodeString name("count");
    for (int i = 0; i < kCalls; ++i) {
      icu::Formattable v(static_cast<int64_t>(i % 40));
      icu::UnicodeString out;
      UErrorCode st = U_ZERO_ERROR;
      mf.format(&name, &v, 1, out, st);
      std::string s;
      out.toUTF8String(s);
      g_sink = g_sink + s.size();
    }
  });
  std::printf("format (cy plural): %.2f us/call; baseline precompiled ICU MessageFormat %.2f us/call; ratio %.1fx\n",
              1e6 * t_format / kCalls, 1e6 * t_cached / kCalls, t_format / t_cached);

  // 2. Accept-Language negotiation.
  const std::vector<std::string> supported = set.locales();
  constexpr int kNegotiations = 2000;
  const double t_neg = seconds([&] {
    for (int i = 0; i < kNegotiations; ++i) {
      g_sink = g_sink + i18n::negotiate_language("pa-PK,pa;q=0.9,en-GB;q=0.8,en;q=0.7", supported).size();
    }
  });
  std::vector<icu::Locale> locs;
  for (const auto& s : supported) locs.push_back(icu::Locale::forLanguageTag(s, status));
  icu::LocaleMatcher matcher = icu::LocaleMatcher::Builder().setSupportedLocales(locs.begin(), locs.end()).build(status);
  const double t_neg_cached = seconds([&] {
    for (int i = 0; i < kNegotiations; ++i) {
      UErrorCode st = U_ZERO_ERROR;
      g_sink = g_sink + (matcher.getBestMatchForListString("pa-PK,pa;q=0.9,en-GB;q=0.8,en;q=0.7", st) != nullptr);
    }
  });
  std::printf("negotiate_language: %.2f us/call; baseline prebuilt LocaleMatcher %.2f us/call; ratio %.1fx\n",
              1e6 * t_neg / kNegotiations, 1e6 * t_neg_cached / kNegotiations, t_neg / t_neg_cached);

  // 3. Readability over the council seed texts.
  std::string corpus;
  const std::filesystem::path seeds = std::filesystem::path(TOWNHALL_SOURCE_DIR) / ".." / "shared" / "seeds";
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(seeds, ec)) {
    std::ifstream in(e.path());
    std::stringstream ss;
    ss << in.rdbuf();
    corpus += ss.str() + "\n\n";
  }
  if (corpus.empty()) {
    std::printf("readability: no seed texts in %s; skipped\n", seeds.string().c_str());
    return 0;
  }
  constexpr int kRounds = 20;
  size_t words = 0;
  const double t_read = seconds([&] {
    for (int i = 0; i < kRounds; ++i) {
      auto r = readability::analyse_readability(corpus, "en-GB");
      words = r->words;
      g_sink = g_sink + r->sentences;
    }
  });
  const double t_naive = seconds([&] {
    for (int i = 0; i < kRounds; ++i) {
      size_t w = 0, s = 0;
      bool in_word = false;
      for (char c : corpus) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (!space && !in_word) ++w;
        in_word = !space;
        if (c == '.') ++s;
      }
      g_sink = g_sink + w + s;
    }
  });
  const double mb = static_cast<double>(corpus.size()) * kRounds / 1e6;
  std::printf("readability (en-GB, %zu bytes, %zu words): %.1f MB/s, %.2f ms per text; baseline naive split %.1f MB/s; "
              "ratio %.1fx slower\n",
              corpus.size(), words, mb / t_read, 1e3 * t_read / kRounds, mb / t_naive, t_read / t_naive);
  return 0;
}
