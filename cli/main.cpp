// townhall — the command-line tool. Commands register themselves (see cli.h); this file only
// finds the longest registered command path that prefixes argv and runs it.
#include <algorithm>
#include <iostream>
#include <sstream>

#include "cli.h"

using townhall::cli::Command;

namespace {

void print_help(std::ostream& out) {
  out << "townhall — public participation under the Charter for Public Participation\n\n"
         "Usage: townhall COMMAND [ARGS] [--json]\n\nCommands:\n";
  auto cmds = townhall::cli::commands();
  std::sort(cmds.begin(), cmds.end(), [](const Command& a, const Command& b) { return a.path < b.path; });
  for (const auto& c : cmds) out << "  townhall " << c.usage << "\n";
  out << "\nExit codes: 0 success, 1 a check found a breach, 2 bad input.\n";
}

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> out;
  std::istringstream ss(path);
  for (std::string w; ss >> w;) out.push_back(w);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    print_help(args.empty() ? std::cerr : std::cout);
    return args.empty() ? townhall::cli::kExitBadInput : townhall::cli::kExitOk;
  }
  const Command* best = nullptr;
  size_t best_len = 0;
  for (const auto& c : townhall::cli::commands()) {
    auto words = split(c.path);
    if (words.size() > args.size() || words.size() <= best_len) continue;
    if (std::equal(words.begin(), words.end(), args.begin())) {
      best = &c;
      best_len = words.size();
    }
  }
  if (best == nullptr) {
    std::cerr << "townhall: unknown command \"" << args[0] << "\" (see `townhall help`)\n";
    return townhall::cli::kExitBadInput;
  }
  auto parsed = townhall::cli::parse_args({args.begin() + static_cast<long>(best_len), args.end()}, best->spec);
  if (!parsed) {
    std::cerr << "usage: townhall " << best->usage << "\n";
    return townhall::cli::bad_input(parsed.error());
  }
  if (parsed->flag("help")) {
    std::cout << "usage: townhall " << best->usage << "\n";
    return townhall::cli::kExitOk;
  }
  try {
    return best->run(*parsed);
  } catch (const std::exception& e) {
    std::cerr << "townhall: internal error: " << e.what() << "\n";
    return 3;
  }
}
