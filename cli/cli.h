// cli/cli.h — the command framework of the `townhall` tool.
//
// Each command file registers its commands with a static TOWNHALL_COMMAND(...) so main.cpp never
// changes when a command is added. Exit codes are the contract scripts rely on:
// 0 success, 1 a check found a breach, 2 bad input (message on stderr naming the problem).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "townhall/error.h"

namespace townhall::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitBreach = 1;
inline constexpr int kExitBadInput = 2;

// Parsed arguments of one command. Options are `--name value` or `--name=value`; flags are bare.
class Args {
 public:
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;
  std::set<std::string> flags;

  bool flag(const std::string& name) const { return flags.count(name) > 0; }
  std::optional<std::string> option(const std::string& name) const;
  bool json() const { return flag("json"); }
};

struct OptionSpec {
  std::set<std::string> with_value;  // e.g. {"region", "from"}
  std::set<std::string> flags;       // e.g. {"json"}; "json" and "help" are always accepted
  size_t min_positional = 0;
  size_t max_positional = 0;
};

Result<Args> parse_args(const std::vector<std::string>& argv, const OptionSpec& spec);

struct Command {
  std::string path;   // "calendar holidays"
  std::string usage;  // one line, shown by `townhall help`
  OptionSpec spec;
  std::function<int(const Args&)> run;
};

bool register_command(Command command);
const std::vector<Command>& commands();

// Writes "townhall: <field>: <message>" to stderr and returns kExitBadInput.
int bad_input(const Error& error);
int bad_input(const std::string& message);

// Reads a whole file; the error names the path.
Result<std::string> read_file(const std::string& path);

}  // namespace townhall::cli

#define TOWNHALL_CLI_CONCAT2(a, b) a##b
#define TOWNHALL_CLI_CONCAT(a, b) TOWNHALL_CLI_CONCAT2(a, b)
#define TOWNHALL_COMMAND(...) \
  static const bool TOWNHALL_CLI_CONCAT(townhall_command_, __LINE__) = \
      ::townhall::cli::register_command(::townhall::cli::Command{__VA_ARGS__})
