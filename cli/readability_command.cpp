// townhall readability FILE --lang L [--json]
//
// Reports sentences, words, the longest sentences, LIX (any language), Flesch reading ease and
// Flesch–Kincaid grade (English) and the GOV.UK plain-language guidance the text misses. FILE "-"
// reads standard input. Exit 0 with the report (missing guidance is advice, not a failed check);
// 2 for bad input (unreadable file, invalid UTF-8, unknown language tag, no words).
#include <cmath>
#include <iostream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "cli.h"
#include "townhall/readability/report.h"

namespace townhall::cli {
namespace {

int readability_command(const Args& args) {
  const std::string& path = args.positional[0];
  auto lang = args.option("lang");
  if (!lang) return bad_input(invalid_argument("--lang", "is required (a language tag such as en-GB, cy, ar)"));
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    auto file = read_file(path);
    if (!file) return bad_input(file.error());
    text = std::move(*file);
  }
  auto report = readability::analyse_readability(text, *lang, "FILE");
  if (!report) {
    Error e = report.error();
    if (e.field == "lang") e.field = "--lang";
    return bad_input(e);
  }
  const auto& r = *report;
  if (args.json()) {
    std::cout << r.to_json().dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "Language: " << r.lang << "\n"
            << "Sentences: " << r.sentences << "\n"
            << "Words: " << r.words << " (" << r.words_per_sentence << " per sentence)\n"
            << "Long words (more than 6 letters): " << r.long_words << "\n"
            << "LIX: " << r.lix << "\n";
  if (r.english) {
    std::cout << "Syllables: " << r.syllables << "\n"
              << "Flesch reading ease: " << *r.flesch_reading_ease << "\n"
              << "Flesch-Kincaid grade: " << *r.flesch_kincaid_grade << " (reading age about "
              << static_cast<long>(std::lround(*r.reading_age)) << ")\n";
  } else {
    std::cout << "Flesch scores: English only\n";
  }
  std::cout << "Longest sentences:\n";
  for (const auto& s : r.longest) std::cout << "  " << s.words << " words (sentence " << s.index << "): " << s.text << "\n";
  if (r.guidance.empty()) {
    std::cout << "Meets the plain-language guidance (sentences of 25 words or fewer"
              << (r.english ? ", reading age about 9" : "") << ").\n";
  } else {
    std::cout << "Guidance missed:\n";
    for (const auto& g : r.guidance) std::cout << "  " << g.id << ": " << g.message << "\n";
  }
  return kExitOk;
}

TOWNHALL_COMMAND("readability", "readability FILE --lang L [--json]", OptionSpec{{"lang"}, {}, 1, 1},
                 readability_command);

}  // namespace
}  // namespace townhall::cli
