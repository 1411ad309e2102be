// Catalog loading and ICU MessageFormat formatting; see townhall/i18n/catalog.h.
#include "townhall/i18n/catalog.h"

#include <algorithm>
#include <atomic>
#include <unordered_map>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <unicode/datefmt.h>
#include <unicode/fmtable.h>
#include <unicode/msgfmt.h>
#include <unicode/numberformatter.h>
#include <unicode/parseerr.h>

#include "i18n/icu_util.h"
#include "townhall/i18n/catalog_check.h"
#include "townhall/i18n/locale.h"
#include "townhall/i18n/text.h"
#include "townhall/util/json_parse.h"

namespace townhall {
namespace embedded::i18n {
std::string_view lookup(std::string_view name);
const std::vector<std::string_view>& file_names();
}  // namespace embedded::i18n

namespace i18n {
namespace {

std::atomic<uint64_t> g_next_set_id{1};  // ids of loaded CatalogSets

constexpr double kMillisPerDay = 86400000.0;

// Noon UTC of the local date is the same calendar day in Europe/London (UTC+0 or UTC+1).
UDate to_udate(Date d) { return static_cast<double>(d.days_since_epoch()) * kMillisPerDay + kMillisPerDay / 2; }

}  // namespace

Result<Catalog> Catalog::parse(std::string_view json_text, std::string_view source) {
  const std::string src(source);
  if (auto st = validate_utf8(json_text, src); !st) return st.error();
  // A catalog is a file someone edited: read with the depth limit, so a malformed one cannot
  // overflow the stack of the copies and walks below.
  nlohmann::json j;
  try {
    j = parse_stored_json(json_text, "the catalog");
  } catch (const std::exception& e) {
    return Error{ErrorCode::kInvalidJson, src, std::string("is not valid JSON (") + e.what() + ")"};
  }
  if (!j.is_object()) return Error{ErrorCode::kSchemaViolation, src, "must be a JSON object"};
  if (!j.contains("meta") || !j["meta"].is_object()) {
    return Error{ErrorCode::kSchemaViolation, src + "#/meta", "missing object \"meta\""};
  }
  if (!j.contains("messages") || !j["messages"].is_object()) {
    return Error{ErrorCode::kSchemaViolation, src + "#/messages", "missing object \"messages\""};
  }
  Catalog c;
  c.meta_ = j["meta"];
  if (!c.meta_.contains("locale") || !c.meta_["locale"].is_string()) {
    return Error{ErrorCode::kSchemaViolation, src + "#/meta/locale", "missing string \"locale\""};
  }
  auto tag = canonical_tag(c.meta_["locale"].get<std::string>(), src + "#/meta/locale");
  if (!tag) return tag.error();
  if (*tag != c.meta_["locale"].get<std::string>()) {
    return Error{ErrorCode::kSchemaViolation, src + "#/meta/locale",
                 "\"" + c.meta_["locale"].get<std::string>() + "\" is not canonical; write \"" + *tag + "\""};
  }
  c.locale_ = *tag;
  if (c.meta_.contains("review")) {
    const auto& r = c.meta_["review"];
    if (!r.is_object() || !r.contains("status") || !r["status"].is_string()) {
      return Error{ErrorCode::kSchemaViolation, src + "#/meta/review/status", "missing string \"status\""};
    }
    c.review_.status = r["status"].get<std::string>();
    if (c.review_.status != "reviewed" && c.review_.status != "machine-draft" && c.review_.status != "needs-review") {
      return Error{ErrorCode::kSchemaViolation, src + "#/meta/review/status",
                   "expected reviewed, machine-draft or needs-review, got \"" + c.review_.status + "\""};
    }
    if (r.contains("note") && r["note"].is_string()) c.review_.note = r["note"].get<std::string>();
    if (r.contains("uncertain")) {
      if (!r["uncertain"].is_array()) {
        return Error{ErrorCode::kSchemaViolation, src + "#/meta/review/uncertain", "must be an array of keys"};
      }
      for (const auto& k : r["uncertain"]) {
        if (!k.is_string()) {
          return Error{ErrorCode::kSchemaViolation, src + "#/meta/review/uncertain", "must be an array of keys"};
        }
        c.review_.uncertain.push_back(k.get<std::string>());
      }
    }
  } else {
    c.review_.status = "needs-review";
  }
  for (const auto& [key, value] : j["messages"].items()) {
    if (!value.is_string()) {
      return Error{ErrorCode::kSchemaViolation, src + "#/messages/" + key, "must be a string (an ICU MessageFormat pattern)"};
    }
    c.messages_.emplace(key, value.get<std::string>());
  }
  return c;
}

const std::string* Catalog::pattern(std::string_view key) const {
  auto it = messages_.find(key);
  return it == messages_.end() ? nullptr : &it->second;
}

const CatalogSet& CatalogSet::builtin() {
  static const CatalogSet set = [] {
    std::vector<std::pair<std::string, std::string>> files;
    for (auto name : embedded::i18n::file_names()) {
      files.emplace_back(std::string(name), std::string(embedded::i18n::lookup(name)));
    }
    auto r = from_sources(files);
    // The build-time check has already rejected broken catalogs, so this cannot fail in a built
    // binary; an empty set is the safe answer if it somehow does.
    return r ? std::move(*r) : CatalogSet{};
  }();
  return set;
}

Result<CatalogSet> CatalogSet::load_directory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Error{ErrorCode::kIo, dir, "is not a directory"};
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    if (!in) return Error{ErrorCode::kIo, entry.path().string(), "cannot be read"};
    std::stringstream ss;
    ss << in.rdbuf();
    files.emplace_back(entry.path().filename().string(), ss.str());
  }
  if (ec) return Error{ErrorCode::kIo, dir, ec.message()};
  std::sort(files.begin(), files.end());
  return from_sources(files);
}

Result<CatalogSet> CatalogSet::from_sources(const std::vector<std::pair<std::string, std::string>>& files) {
  CatalogSet set;
  set.id_ = g_next_set_id.fetch_add(1);
  for (const auto& [name, text] : files) {
    auto c = Catalog::parse(text, name);
    if (!c) return c.error();
    const std::string stem = std::filesystem::path(name).stem().string();
    if (stem != c->locale()) {
      return Error{ErrorCode::kSchemaViolation, name + "#/meta/locale",
                   "locale \"" + c->locale() + "\" does not match the file name (expected " + c->locale() + ".json)"};
    }
    if (set.catalogs_.count(c->locale())) {
      return Error{ErrorCode::kConflict, name, "a second catalog for " + c->locale()};
    }
    set.catalogs_.emplace(c->locale(), std::move(*c));
  }
  return set;
}

std::vector<std::string> CatalogSet::locales() const {
  std::vector<std::string> out;
  if (catalogs_.count(kDefaultLocale)) out.emplace_back(kDefaultLocale);
  for (const auto& [tag, c] : catalogs_) {
    if (tag != kDefaultLocale) out.push_back(tag);
  }
  return out;
}

const Catalog* CatalogSet::find(std::string_view locale) const {
  auto it = catalogs_.find(locale);
  return it == catalogs_.end() ? nullptr : &it->second;
}

const Catalog* CatalogSet::resolve(std::string_view locale) const {
  auto tag = canonical_tag(locale);
  if (tag) {
    std::string t = *tag;
    while (!t.empty()) {
      if (const Catalog* c = find(t)) return c;
      auto dash = t.rfind('-');
      if (dash == std::string::npos) break;
      t.resize(dash);
    }
    // "pa-PK" has no catalog of its own but ICU knows it is written in Arabic script: try the
    // language with its likely script ("pa-Arab"), then the bare language's likely script.
    auto loc = detail::parse_locale(*tag);
    if (loc) {
      UErrorCode status = U_ZERO_ERROR;
      icu::Locale max = *loc;
      max.addLikelySubtags(status);
      if (U_SUCCESS(status)) {
        std::string with_script = std::string(max.getLanguage()) + "-" + max.getScript();
        if (const Catalog* c = find(with_script)) return c;
      }
    }
  }
  return find(kDefaultLocale);
}

namespace {

// A pattern compiled once: ICU's MessageFormat plus its arguments (for checking the caller's).
struct CompiledMessage {
  std::unique_ptr<icu::MessageFormat> format;
  std::vector<PatternArgument> arguments;
};

Result<CompiledMessage> compile(std::string_view locale, std::string_view pattern) {
  auto analysed = analyse_pattern(pattern);
  if (!analysed) return analysed.error();
  const icu::Locale loc = detail::formatting_locale(locale);
  UErrorCode status = U_ZERO_ERROR;
  UParseError perr{};
  auto mf = std::make_unique<icu::MessageFormat>(detail::from_utf8(pattern), loc, perr, status);
  if (U_FAILURE(status)) {
    return invalid_argument("pattern", std::string("does not compile: ") + u_errorName(status));
  }
  return CompiledMessage{std::move(mf), std::move(*analysed)};
}

Result<std::string> run(const CompiledMessage& m, const MessageArgs& args) {
  for (const auto& a : m.arguments) {
    auto it = args.find(a.name);
    if (it == args.end()) return invalid_argument(a.name, "argument missing for this message");
    const auto& v = it->second;
    const bool numeric_kind = a.kind == "plural" || a.kind == "selectordinal" ||
                              (a.kind == "simple" && a.simple_type == "number");
    if (numeric_kind && !std::holds_alternative<int64_t>(v) && !std::holds_alternative<double>(v)) {
      return invalid_argument(a.name, "must be a number for this message");
    }
    if (a.kind == "simple" && (a.simple_type == "date" || a.simple_type == "time") && !std::holds_alternative<Date>(v)) {
      return invalid_argument(a.name, "must be a date for this message");
    }
  }
  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> values;
  names.reserve(args.size());
  values.reserve(args.size());
  for (const auto& [name, v] : args) {
    names.push_back(detail::from_utf8(name));
    if (const auto* s = std::get_if<std::string>(&v)) {
      if (auto st = validate_utf8(*s, name); !st) return st.error();
      values.emplace_back(detail::from_utf8(*s));
    } else if (const auto* i = std::get_if<int64_t>(&v)) {
      values.emplace_back(*i);
    } else if (const auto* d = std::get_if<double>(&v)) {
      values.emplace_back(*d);
    } else {
      values.emplace_back(to_udate(std::get<Date>(v)), icu::Formattable::kIsDate);
    }
  }
  icu::UnicodeString out;
  UErrorCode status = U_ZERO_ERROR;
  m.format->format(names.data(), values.data(), static_cast<int32_t>(names.size()), out, status);
  if (U_FAILURE(status)) {
    return invalid_argument("args", std::string("formatting failed: ") + u_errorName(status));
  }
  return detail::to_utf8(out);
}

// ICU formatters are not safe to share between threads, and compiling a pattern costs ~20 times
// as much as formatting with it (bench/bench_i18n.cpp), so each thread keeps its own compiled
// messages, keyed by catalog set, locale and key. Bounded: cleared when it grows past kMaxCached.
constexpr size_t kMaxCached = 4096;
thread_local std::unordered_map<std::string, CompiledMessage> t_compiled;


}  // namespace

Result<std::string> format_pattern(std::string_view locale, std::string_view pattern, const MessageArgs& args) {
  auto compiled = compile(locale, pattern);
  if (!compiled) return compiled.error();
  return run(*compiled, args);
}

Result<FormattedMessage> CatalogSet::format(std::string_view locale, std::string_view key, const MessageArgs& args) const {
  const Catalog* cat = resolve(locale);
  if (cat == nullptr) return Error{ErrorCode::kNotFound, std::string(key), "no catalog for " + std::string(locale) + " and no en-GB"};
  const Catalog* const resolved = cat;
  const std::string* pattern = cat->pattern(key);
  if (pattern == nullptr && cat->locale() != kDefaultLocale) {
    cat = find(kDefaultLocale);
    if (cat != nullptr) pattern = cat->pattern(key);
  }
  if (pattern == nullptr) return Error{ErrorCode::kNotFound, std::string(key), "no such message"};
  std::string cache_key = std::to_string(id_) + '\n' + cat->locale() + '\n';
  cache_key.append(key);
  auto it = t_compiled.find(cache_key);
  if (it == t_compiled.end()) {
    auto compiled = compile(cat->locale(), *pattern);
    if (!compiled) return compiled.error();
    if (t_compiled.size() >= kMaxCached) t_compiled.clear();
    it = t_compiled.emplace(std::move(cache_key), std::move(*compiled)).first;
  }
  auto text = run(it->second, args);
  if (!text) return text.error();
  FormattedMessage m;
  m.text = std::move(*text);
  m.locale = cat->locale();
  // A fallback is text not in the requested language: the key came from en-GB instead of the
  // resolved catalog, or no catalog of the language exists ("fr" → en-GB; "en-US" → en-GB and
  // "pa-PK" → pa-Arab are matches, not fallbacks).
  auto requested = detail::parse_locale(locale);
  const bool english_requested = requested && std::string_view(requested->getLanguage()) == "en";
  m.fell_back = cat != resolved || (resolved->locale() == kDefaultLocale && !english_requested);
  return m;
}

std::string format_date(std::string_view locale, Date date, DateStyle style) {
  const icu::Locale loc = detail::formatting_locale(locale);
  icu::DateFormat::EStyle s = icu::DateFormat::kLong;
  switch (style) {
    case DateStyle::kFull: s = icu::DateFormat::kFull; break;
    case DateStyle::kLong: s = icu::DateFormat::kLong; break;
    case DateStyle::kMedium: s = icu::DateFormat::kMedium; break;
    case DateStyle::kShort: s = icu::DateFormat::kShort; break;
  }
  std::unique_ptr<icu::DateFormat> df(icu::DateFormat::createDateInstance(s, loc));
  if (!df) return date.iso();
  df->adoptTimeZone(icu::TimeZone::createTimeZone(icu::UnicodeString(kTimeZone.data(), static_cast<int32_t>(kTimeZone.size()), US_INV)));
  icu::UnicodeString out;
  df->format(to_udate(date), out);
  return detail::to_utf8(out);
}

std::string format_number(std::string_view locale, double value, int max_fraction_digits) {
  const icu::Locale loc = detail::formatting_locale(locale);
  UErrorCode status = U_ZERO_ERROR;
  auto f = icu::number::NumberFormatter::withLocale(loc)
               .precision(icu::number::Precision::maxFraction(max_fraction_digits))
               .formatDouble(value, status);
  if (U_FAILURE(status)) return std::to_string(value);
  std::string out;
  f.toString(status).toUTF8String(out);
  return out;
}

}  // namespace i18n
}  // namespace townhall
