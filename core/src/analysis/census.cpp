#include "townhall/analysis/census.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>

#include "townhall/util/csv_table.h"

namespace townhall::embedded::data {
std::string_view census_ts021();
std::string_view census_ts030();
std::string_view census_ts054();
}  // namespace townhall::embedded::data

namespace townhall::analysis {
namespace {

struct CensusTable {
  const char* variable;
  const char* file;
  const char* table;   // ONS table id
  const char* prefix;  // column prefix
  const char* unit;
  std::vector<std::string> aggregates;  // high-level columns that overlap others
  std::string_view (*builtin)();        // the same file as compiled into the library
};

const std::vector<CensusTable>& tables() {
  static const std::vector<CensusTable> t = {
      {"ethnicity", "census2021-ts021-ward-rbkc-hounslow.csv", "TS021", "Ethnic group", "usual residents", {},
       embedded::data::census_ts021},
      {"tenure", "census2021-ts054-ward-rbkc-hounslow.csv", "TS054", "Tenure of household", "households",
       {"Owns with a mortgage or loan or shared ownership", "Private rented or lives rent free"},
       embedded::data::census_ts054},
      {"religion", "census2021-ts030-ward-rbkc-hounslow.csv", "TS030", "Religion", "usual residents", {},
       embedded::data::census_ts030},
  };
  return t;
}

struct LoadedRows {
  csv::CsvTable table;
  size_t name_col = 0, code_col = 0;
  std::vector<size_t> rows;  // in the order of ward_codes
};

Result<LoadedRows> load_rows(const std::string& dir, const CensusTable& t, const std::vector<std::string>& ward_codes) {
  auto table = dir.empty() ? csv::parse_csv(t.builtin(), std::string("built-in ") + t.file)
                           : csv::read_csv_file(dir + "/" + t.file);
  if (!table) return table.error();
  LoadedRows out{std::move(*table), 0, 0, {}};
  auto code = out.table.column("geography code");
  auto name = out.table.column("geography");
  if (!code || !name) {
    std::string missing = code ? "geography" : "geography code";
    return Error{ErrorCode::kInvalidArgument, missing, std::string(t.file) + " has no '" + missing + "' column"};
  }
  out.code_col = *code;
  out.name_col = *name;
  std::map<std::string, size_t> by_code;
  for (size_t r = 0; r < out.table.rows.size(); ++r) by_code[out.table.rows[r][*code]] = r;
  std::string missing;
  for (const auto& w : ward_codes) {
    auto it = by_code.find(w);
    if (it == by_code.end()) {
      missing += (missing.empty() ? "" : ", ") + w;
    } else {
      out.rows.push_back(it->second);
    }
  }
  if (!missing.empty()) {
    return Error{ErrorCode::kNotFound, "wards", std::string(t.file) + " has no rows for wards " + missing};
  }
  if (ward_codes.empty()) return invalid_argument("wards", "no wards given");
  return out;
}

Result<double> cell(const LoadedRows& l, size_t row, size_t col) {
  const std::string& s = l.table.rows[row][col];
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v) || v < 0) {
    return invalid_argument(l.table.header[col], csv::csv_location(l.table, row, l.table.header[col]) +
                                                     ": '" + s + "' is not a count");
  }
  return v;
}

}  // namespace

Result<std::vector<std::string>> borough_ward_codes(std::string_view borough_code) {
  std::vector<std::string> out;
  if (borough_code == "E09000020") {
    for (int n = 9388; n <= 9405; ++n) out.push_back("E0500" + std::to_string(n));
  } else if (borough_code == "E09000018") {
    for (int n = 13606; n <= 13627; ++n) out.push_back("E050" + std::to_string(n));
  } else {
    return Error{ErrorCode::kNotFound, "borough",
                 "no ward list for borough \"" + std::string(borough_code) + "\" (known: E09000020, E09000018)"};
  }
  return out;
}

std::string default_census_dir() {
  if (const char* d = std::getenv("TOWNHALL_CENSUS_DIR"); d && *d) return d;
  return "";
}

std::string_view builtin_census_table(std::string_view file_name) {
  for (const auto& t : tables()) {
    if (file_name == t.file) return t.builtin();
  }
  return {};
}

Result<std::vector<std::pair<std::string, std::string>>> census_ward_names(const std::string& dir,
                                                                            const std::vector<std::string>& ward_codes) {
  auto l = load_rows(dir, tables()[0], ward_codes);
  if (!l) return l.error();
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t r : l->rows) out.emplace_back(l->table.rows[r][l->code_col], l->table.rows[r][l->name_col]);
  return out;
}

Result<CategoryTargets> census_targets(const std::string& dir, std::string_view variable,
                                       const std::vector<std::string>& ward_codes, const std::string& area_label) {
  const bool ward = variable == "ward";
  const CensusTable* t = ward ? &tables()[0] : nullptr;
  for (const auto& c : tables()) {
    if (variable == c.variable) t = &c;
  }
  if (!t) {
    return Error{ErrorCode::kNotFound, "variable",
                 "unknown census variable \"" + std::string(variable) + "\" (known: ward, ethnicity, tenure, religion)"};
  }
  auto l = load_rows(dir, *t, ward_codes);
  if (!l) return l.error();
  const auto& header = l->table.header;
  const std::string prefix = std::string(t->prefix) + ": ";
  std::optional<size_t> total_col;
  for (size_t c = 0; c < header.size(); ++c) {
    if (header[c].rfind(prefix + "Total", 0) == 0) total_col = c;
  }
  if (!total_col) {
    return Error{ErrorCode::kInvalidArgument, prefix + "Total",
                 std::string(t->file) + " has no '" + prefix + "Total: ...' column"};
  }
  CategoryTargets out;
  out.category = std::string(variable);
  out.source = std::string("Census 2021 ") + t->table + " (" + t->unit + "), " + area_label;
  double total = 0;
  for (size_t r : l->rows) {
    auto v = cell(*l, r, *total_col);
    if (!v) return v.error();
    total += *v;
    if (ward) out.values.push_back({l->table.rows[r][l->name_col], *v, 0});
  }
  if (!ward) {
    for (size_t c = 0; c < header.size(); ++c) {
      if (c == *total_col || header[c].rfind(prefix, 0) != 0) continue;
      std::string rest = header[c].substr(prefix.size());
      if (rest.find(": ") != std::string::npos) continue;  // a sub-category
      if (std::find(t->aggregates.begin(), t->aggregates.end(), rest) != t->aggregates.end()) continue;
      double sum = 0;
      for (size_t r : l->rows) {
        auto v = cell(*l, r, c);
        if (!v) return v.error();
        sum += *v;
      }
      out.values.push_back({rest, sum, 0});
    }
    double parts = 0;
    for (const auto& v : out.values) parts += v.count;
    if (out.values.empty() || std::abs(parts - total) > 0.5) {
      return Error{ErrorCode::kInvalidArgument, header[*total_col],
                   std::string(t->file) + ": the categories sum to " + std::to_string(static_cast<int64_t>(parts)) +
                       ", the total column to " + std::to_string(static_cast<int64_t>(total))};
    }
  }
  if (total <= 0) return Error{ErrorCode::kInvalidArgument, header[*total_col], std::string(t->file) + ": the total is 0"};
  for (auto& v : out.values) v.share = v.count / total;
  return out;
}

namespace {

// One row of a targets table, wherever it came from; share is nullopt when not a number.
struct TargetRow {
  std::string category, value;
  std::optional<double> share;
  std::string share_text;
};
// Where a row's cell is, for errors: {field, message prefix}.
using Locate = std::function<std::pair<std::string, std::string>(size_t row, const char* column)>;

Result<std::vector<CategoryTargets>> targets_from_rows(const std::vector<TargetRow>& rows, const std::string& source,
                                                       const Locate& at) {
  auto bad = [&](size_t r, const char* column, const std::string& msg) -> Error {
    auto [field, where] = at(r, column);
    return invalid_argument(field, where + ": " + msg);
  };
  std::vector<CategoryTargets> out;
  std::map<std::string, size_t> index;
  for (size_t r = 0; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.category.empty()) return bad(r, "category", "is empty");
    if (row.value.empty()) return bad(r, "value", "is empty");
    if (!row.share || !(*row.share >= 0 && *row.share <= 1)) {
      return bad(r, "share", "'" + row.share_text + "' is not a share between 0 and 1");
    }
    auto [it, added] = index.emplace(row.category, out.size());
    if (added) out.push_back({row.category, source, {}});
    auto& cat = out[it->second];
    for (const auto& v : cat.values) {
      if (v.value == row.value) return bad(r, "value", "'" + row.value + "' is listed twice for " + row.category);
    }
    cat.values.push_back({row.value, 0, *row.share});
  }
  if (out.empty()) return invalid_argument(at(0, "category").first, source + ": has no targets");
  for (auto& cat : out) {
    double sum = 0;
    for (const auto& v : cat.values) sum += v.share;
    if (std::abs(sum - 1) > 0.01) {
      // Name the category's first row.
      size_t first = 0;
      while (rows[first].category != cat.category) ++first;
      auto [field, where] = at(first, "share");
      return invalid_argument(field, source + ": the shares of " + cat.category + " sum to " + std::to_string(sum) + ", not 1");
    }
    for (auto& v : cat.values) v.share /= sum;
  }
  return out;
}

}  // namespace

Result<std::vector<CategoryTargets>> parse_targets_csv(std::string_view text, const std::string& source) {
  auto table = csv::parse_csv(text, source);
  if (!table) return table.error();
  std::optional<size_t> cols[3];
  const char* names[3] = {"category", "value", "share"};
  for (int i = 0; i < 3; ++i) {
    cols[i] = table->column(names[i]);
    if (!cols[i]) {
      return Error{ErrorCode::kInvalidArgument, names[i],
                   source + ": missing column '" + names[i] + "' (a targets file has columns category,value,share)"};
    }
  }
  std::vector<TargetRow> rows;
  for (const auto& row : table->rows) {
    TargetRow t{row[*cols[0]], row[*cols[1]], std::nullopt, row[*cols[2]]};
    char* end = nullptr;
    double share = std::strtod(t.share_text.c_str(), &end);
    if (!t.share_text.empty() && end == t.share_text.c_str() + t.share_text.size()) t.share = share;
    rows.push_back(std::move(t));
  }
  return targets_from_rows(rows, source, [&](size_t r, const char* column) {
    return std::pair<std::string, std::string>{column, csv::csv_location(*table, r, column)};
  });
}

Result<std::vector<CategoryTargets>> targets_from_json(const nlohmann::json& rows, const std::string& source,
                                                       const std::string& pointer) {
  auto at = [&](size_t r, const char* column) {
    return std::pair<std::string, std::string>{pointer + "/" + std::to_string(r) + "/" + column,
                                               source + ", row " + std::to_string(r + 1) + ", " + column};
  };
  if (!rows.is_array()) return invalid_argument(pointer, "targets are an array of {category, value, share}");
  std::vector<TargetRow> out;
  for (size_t r = 0; r < rows.size(); ++r) {
    const auto& row = rows[r];
    TargetRow t;
    auto text = [&](const char* key) {
      return row.is_object() && row.contains(key) && row[key].is_string() ? row[key].get<std::string>() : std::string();
    };
    t.category = text("category");
    t.value = text("value");
    if (row.is_object() && row.contains("share")) {
      t.share_text = row["share"].dump();
      if (row["share"].is_number()) t.share = row["share"].get<double>();
    }
    out.push_back(std::move(t));
  }
  return targets_from_rows(out, source, at);
}

}  // namespace townhall::analysis
