#include "cli.h"

#include <fstream>
#include <iostream>
#include <sstream>

namespace townhall::cli {

std::optional<std::string> Args::option(const std::string& name) const {
  auto it = options.find(name);
  if (it == options.end()) return std::nullopt;
  return it->second;
}

Result<Args> parse_args(const std::vector<std::string>& argv, const OptionSpec& spec) {
  Args args;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.size() > 2 && a.rfind("--", 0) == 0) {
      std::string name = a.substr(2), value;
      bool has_inline = false;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_inline = true;
      }
      if (name == "json" || name == "help" || spec.flags.count(name)) {
        if (has_inline) return invalid_argument("--" + name, "takes no value");
        args.flags.insert(name);
      } else if (spec.with_value.count(name)) {
        if (!has_inline) {
          if (i + 1 >= argv.size()) return invalid_argument("--" + name, "needs a value");
          value = argv[++i];
        }
        args.options[name] = value;
      } else {
        return invalid_argument("--" + name, "unknown option");
      }
    } else {
      args.positional.push_back(a);
    }
  }
  if (args.flag("help")) return args;
  if (args.positional.size() < spec.min_positional || args.positional.size() > spec.max_positional) {
    std::ostringstream msg;
    msg << "expected ";
    if (spec.min_positional == spec.max_positional) msg << spec.min_positional;
    else msg << spec.min_positional << " to " << spec.max_positional;
    msg << " argument(s), got " << args.positional.size();
    return invalid_argument("", msg.str());
  }
  return args;
}

namespace {
std::vector<Command>& registry() {
  static std::vector<Command> r;
  return r;
}
}  // namespace

bool register_command(Command command) {
  registry().push_back(std::move(command));
  return true;
}

const std::vector<Command>& commands() { return registry(); }

int bad_input(const Error& error) {
  std::cerr << "townhall: " << error.describe() << "\n";
  return kExitBadInput;
}

int bad_input(const std::string& message) {
  std::cerr << "townhall: " << message << "\n";
  return kExitBadInput;
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::kIo, path, "cannot open file"};
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace townhall::cli
