// townhall-i18n-check — the build-time check of the message catalogs in a directory.
//
// Usage: townhall-i18n-check [--allow-missing] DIR
// Loads every DIR/*.json catalog and runs townhall::i18n::check_catalogs(): every pattern compiles,
// plural/selectordinal keys are the locale's CLDR categories with `other` and every category a
// whole number reaches, select has `other`, no stray keys or arguments, and keys missing per locale.
// Prints one line per problem ("<locale>: <key>: <problem>") on stderr, then a summary on stdout
// including how many catalogs still need a council translator's review.
// Exit 0: no errors (warnings allowed); 1: errors; 2: the directory or a file cannot be loaded.
#include <cstring>
#include <iostream>
#include <string>

#include "townhall/i18n/catalog.h"
#include "townhall/i18n/catalog_check.h"

int main(int argc, char** argv) {
  using namespace townhall::i18n;
  CheckOptions options;
  std::string dir;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--allow-missing") == 0) {
      options.allow_missing = true;
    } else if (argv[i][0] == '-' || !dir.empty()) {
      std::cerr << "usage: townhall-i18n-check [--allow-missing] DIR\n";
      return 2;
    } else {
      dir = argv[i];
    }
  }
  if (dir.empty()) {
    std::cerr << "usage: townhall-i18n-check [--allow-missing] DIR\n";
    return 2;
  }
  auto set = CatalogSet::load_directory(dir);
  if (!set) {
    std::cerr << "townhall-i18n-check: " << set.error().describe() << "\n";
    return 2;
  }
  const auto problems = check_catalogs(*set, options);
  size_t errors = 0, warnings = 0;
  for (const auto& p : problems) {
    std::cerr << p.describe() << "\n";
    (p.error ? errors : warnings)++;
  }
  size_t messages = 0;
  std::string to_review;
  for (const auto& tag : set->locales()) {
    const Catalog* c = set->find(tag);
    messages += c->messages().size();
    if (c->review().needs_review()) {
      to_review += (to_review.empty() ? "" : ", ") + tag + " (" + c->review().status;
      if (!c->review().uncertain.empty()) to_review += ", " + std::to_string(c->review().uncertain.size()) + " uncertain";
      to_review += ")";
    }
  }
  std::cout << "i18n check: " << set->locales().size() << " locales, " << messages << " messages, " << errors
            << " error(s), " << warnings << " warning(s)\n";
  if (!to_review.empty()) std::cout << "awaiting a council translator's review: " << to_review << "\n";
  return errors == 0 ? 0 : 1;
}
