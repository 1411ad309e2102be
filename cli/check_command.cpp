// townhall check FILE — the compliance report governance staff run before every decision.
#include <iostream>

#include "cli.h"
#include "database_option.h"
#include "options.h"
#include "townhall/compliance/compliance.h"
#include "townhall/util/json_schema.h"

namespace townhall::cli {
namespace {

void print_text(const ComplianceReport& r) {
  for (const auto& f : r.findings) std::cout << f.to_line() << "\n";
  int counts[3] = {0, 0, 0};
  for (const auto& f : r.findings) ++counts[static_cast<int>(f.severity)];
  std::cout << "Checked " << r.consultations_checked << " consultation(s), " << r.key_decisions_checked
            << " key decision(s), " << r.meetings_checked << " meeting(s) as of " << r.as_of.long_english() << ": "
            << counts[0] << " breach(es), " << counts[1] << " warning(s), " << counts[2] << " note(s).\n";
}

int check(const Args& args) {
  const std::string path = args.positional[0];
  auto policy = policy_option(args);
  if (!policy) return bad_input(policy.error());
  auto imported = holidays_option(args);
  if (!imported) return bad_input(imported.error());
  policy->holidays = *imported;
  std::optional<Date> as_of;
  if (args.option("as-of")) {
    auto d = counting_date_option(args, "as-of");
    if (!d) return bad_input(d.error());
    as_of = *d;
  }
  Result<std::string> text = path == "-" ? Result<std::string>(std::string(std::istreambuf_iterator<char>(std::cin), {}))
                                         : read_file(path);
  if (!text) return bad_input(text.error());
  const std::string label = path == "-" ? "standard input" : path;
  std::string format = args.option("format").value_or("");
  if (format.empty()) {
    const bool csv = path.size() > 4 && (path.compare(path.size() - 4, 4, ".csv") == 0 ||
                                         path.compare(path.size() - 4, 4, ".CSV") == 0);
    format = csv ? "csv" : "json";
  }
  if (format != "json" && format != "csv") {
    return bad_input(invalid_argument("--format", "expected json or csv, got \"" + format + "\""));
  }
  Result<ComplianceReport> report = Error{};
  if (format == "csv") {
    report = check_forward_plan_csv(*text, *policy, as_of);
  } else {
    auto doc = parse_json(*text, label);
    if (!doc) return bad_input(doc.error());
    report = check_document(*doc, *policy, as_of);
  }
  if (!report) {
    Error e = report.error();
    e.message = label + ": " + e.message;
    return bad_input(e);
  }
  if (args.json()) {
    std::cout << report->to_json().dump(2) << "\n";
  } else {
    print_text(*report);
  }
  return report->has_breach() ? kExitBreach : kExitOk;
}

TOWNHALL_COMMAND("check",
                 "check FILE|- [--format json|csv] [--policy POLICY.json] [--as-of YYYY-MM-DD] [--db PATH] [--json]   "
                 "(a .csv FILE is a Forward Plan)",
                 OptionSpec{{"policy", "as-of", "format", "db", "audit-key"}, {}, 1, 1}, check);

}  // namespace
}  // namespace townhall::cli
