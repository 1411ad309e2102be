// townhall i18n languages | negotiate
//
// `languages` lists the built-in catalogs with each language's own name (as the picker shows it),
// text direction, number of messages and review status, so an officer can see which languages
// are ready to promise. `negotiate` shows which of them a browser's Accept-Language header gets.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli.h"
#include "townhall/i18n/catalog.h"
#include "townhall/i18n/locale.h"

namespace townhall::cli {
namespace {

int languages_command(const Args& args) {
  const auto& set = i18n::CatalogSet::builtin();
  nlohmann::json out = nlohmann::json::array();
  for (const auto& tag : set.locales()) {
    const auto* c = set.find(tag);
    out.push_back({{"tag", tag},
                   {"endonym", i18n::endonym(tag)},
                   {"english_name", i18n::display_name(tag, "en-GB")},
                   {"dir", i18n::html_dir(tag)},
                   {"messages", c->messages().size()},
                   {"review_status", c->review().status},
                   {"needs_review", c->review().needs_review()},
                   {"uncertain", c->review().uncertain}});
  }
  if (args.json()) {
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  for (const auto& l : out) {
    std::cout << l["tag"].get<std::string>() << "\t" << l["endonym"].get<std::string>() << "\t"
              << l["english_name"].get<std::string>() << "\t" << l["dir"].get<std::string>() << "\t"
              << l["messages"].get<size_t>() << " messages\t" << l["review_status"].get<std::string>();
    if (!l["uncertain"].empty()) std::cout << " (" << l["uncertain"].size() << " uncertain)";
    std::cout << "\n";
  }
  return kExitOk;
}

int negotiate_command(const Args& args) {
  const auto& set = i18n::CatalogSet::builtin();
  const std::string tag = i18n::negotiate_language(args.positional[0], set.locales());
  if (args.json()) {
    std::cout << nlohmann::json{{"accept_language", args.positional[0]}, {"tag", tag}, {"dir", i18n::html_dir(tag)}}.dump(2)
              << "\n";
  } else {
    std::cout << tag << "\n";
  }
  return kExitOk;
}

TOWNHALL_COMMAND("i18n languages", "i18n languages [--json]", OptionSpec{{}, {}, 0, 0}, languages_command);
TOWNHALL_COMMAND("i18n negotiate", "i18n negotiate ACCEPT_LANGUAGE [--json]", OptionSpec{{}, {}, 1, 1},
                 negotiate_command);

}  // namespace
}  // namespace townhall::cli
