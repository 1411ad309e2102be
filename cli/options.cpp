#include "options.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <random>

namespace townhall::cli {

Result<Region> region_option(const Args& args, Region fallback) {
  auto v = args.option("region");
  if (!v) return fallback;
  return parse_region(*v, "--region");
}

Result<DayCountMode> mode_option(const Args& args, DayCountMode fallback) {
  auto v = args.option("mode");
  if (!v) return fallback;
  return parse_mode(*v, "--mode");
}

Result<int> int_option(const Args& args, const std::string& name, int fallback, int min, int max) {
  auto v = args.option(name);
  if (!v) return fallback;
  int out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || p != v->data() + v->size()) {
    return invalid_argument("--" + name, "expected a whole number, got \"" + *v + "\"");
  }
  if (out < min || out > max) {
    return invalid_argument("--" + name, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return out;
}

Result<Date> date_argument(const std::string& text, const std::string& name) { return Date::parse(text, name); }

Result<Date> date_option(const Args& args, const std::string& name) {
  auto v = args.option(name);
  if (!v) return invalid_argument("--" + name, "is required (YYYY-MM-DD)");
  return Date::parse(*v, "--" + name);
}

Result<Date> counting_date_option(const Args& args, const std::string& name) {
  auto v = args.option(name);
  if (!v) return invalid_argument("--" + name, "is required (YYYY-MM-DD)");
  return HolidayCalendar::parse_supported(*v, "--" + name);
}

Result<Date> counting_date_argument(const std::string& text, const std::string& name) {
  return HolidayCalendar::parse_supported(text, name);
}

Result<CharterPolicy> policy_option(const Args& args) {
  auto path = args.option("policy");
  if (!path) return CharterPolicy::defaults();
  auto text = read_file(*path);
  if (!text) return text.error();
  auto p = CharterPolicy::from_json_text(*text);
  if (!p) {
    Error e = p.error();
    e.message = "policy " + *path + ": " + e.message;
    return e;
  }
  return p;
}


Result<selection::Algorithm> algorithm_option(const Args& args) {
  const std::string algorithm = args.option("algorithm").value_or("leximin");
  if (algorithm == "leximin") return selection::Algorithm::kLeximin;
  if (algorithm == "legacy") return selection::Algorithm::kLegacy;
  return invalid_argument("--algorithm", "must be leximin or legacy");
}

Result<uint64_t> seed_option(const Args& args) {
  auto seed = args.option("seed");
  if (!seed) {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }
  uint64_t out = 0;
  auto [p, ec] = std::from_chars(seed->data(), seed->data() + seed->size(), out);
  if (seed->empty() || ec != std::errc() || p != seed->data() + seed->size()) {
    return invalid_argument("--seed", "'" + *seed + "' is not a non-negative 64-bit integer");
  }
  return out;
}

Result<double> max_seconds_option(const Args& args) {
  auto v = args.option("max-seconds");
  if (!v) return 0.0;
  double out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (v->empty() || ec != std::errc() || p != v->data() + v->size() || !std::isfinite(out) || out <= 0 ||
      out > 1e7) {
    return invalid_argument("--max-seconds", "expected a positive number of seconds, got \"" + *v + "\"");
  }
  return out;
}

void print_leximin_progress(const selection::LeximinProgress& progress) {
  std::fprintf(stderr, "%s\n", selection::describe_progress(progress).c_str());
}

}  // namespace townhall::cli
