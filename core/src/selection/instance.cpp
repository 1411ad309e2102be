#include "townhall/selection/instance.h"

#include <cctype>
#include <charconv>
#include <map>
#include <set>

namespace townhall::selection {
namespace {

Error csv_error(const csv::CsvTable& t, size_t row, std::string_view column, const std::string& msg) {
  return Error{ErrorCode::kInvalidCsv, std::string(column), csv::csv_location(t, row, column) + ": " + msg};
}

std::optional<int> parse_int(const std::string& s) {
  int v = 0;
  std::string_view sv = s;
  // Accept "3.0" from spreadsheets.
  if (auto dot = sv.find('.'); dot != std::string_view::npos) {
    for (size_t i = dot + 1; i < sv.size(); ++i)
      if (sv[i] != '0') return std::nullopt;
    sv = sv.substr(0, dot);
  }
  auto [p, ec] = std::from_chars(sv.data(), sv.data() + sv.size(), v);
  if (ec != std::errc() || p != sv.data() + sv.size() || sv.empty()) return std::nullopt;
  return v;
}

}  // namespace

std::string normalise_household(const std::vector<std::string>& parts) {
  std::string out;
  bool any = false;
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string norm;
    bool pending_space = false;
    for (unsigned char c : parts[i]) {
      if (std::isspace(c) || c == ',' || c == '-' || c == '/') {
        pending_space = !norm.empty();
      } else if (std::ispunct(c)) {
        continue;
      } else {
        if (pending_space) norm += ' ';
        pending_space = false;
        norm += static_cast<char>(std::tolower(c));
      }
    }
    if (!norm.empty()) any = true;
    if (i) out += '|';
    out += norm;
  }
  return any ? out : std::string();
}

Result<std::vector<Category>> parse_quotas(const csv::CsvTable& t) {
  auto cat_col = t.column("category");
  std::optional<size_t> val_col;
  if (cat_col) {
    val_col = t.column("feature");
    if (!val_col) val_col = t.column("name");
    if (!val_col) val_col = t.column("value");
  } else {
    cat_col = t.column("feature");
    val_col = t.column("value");
  }
  if (!cat_col || !val_col) {
    return Error{ErrorCode::kInvalidCsv, "category",
                 t.source + ": quota file needs columns category,feature|name,min,max or "
                            "feature,value,min,max"};
  }
  auto min_col = t.column("min"), max_col = t.column("max");
  if (!min_col) return csv_error(t, SIZE_MAX, "min", "missing column");
  if (!max_col) return csv_error(t, SIZE_MAX, "max", "missing column");
  if (t.rows.empty()) return Error{ErrorCode::kInvalidCsv, t.source, t.source + ": no quota rows"};
  std::vector<Category> cats;
  std::map<std::string, size_t> index;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    const std::string& cname = row[*cat_col];
    const std::string& vname = row[*val_col];
    if (cname.empty()) return csv_error(t, r, t.header[*cat_col], "empty category");
    if (vname.empty()) return csv_error(t, r, t.header[*val_col], "empty value");
    auto mn = parse_int(row[*min_col]);
    if (!mn || *mn < 0) return csv_error(t, r, "min", "'" + row[*min_col] + "' is not a non-negative integer");
    auto mx = parse_int(row[*max_col]);
    if (!mx || *mx < 0) return csv_error(t, r, "max", "'" + row[*max_col] + "' is not a non-negative integer");
    if (*mn > *mx) return csv_error(t, r, "min", "min " + std::to_string(*mn) + " exceeds max " + std::to_string(*mx));
    auto [it, inserted] = index.emplace(cname, cats.size());
    if (inserted) cats.push_back(Category{cname, {}, {}, {}});
    Category& c = cats[it->second];
    for (const auto& v : c.values)
      if (v == vname) return csv_error(t, r, t.header[*val_col], "duplicate value '" + vname + "' in category '" + cname + "'");
    c.values.push_back(vname);
    c.min.push_back(*mn);
    c.max.push_back(*mx);
  }
  return cats;
}

Result<Instance> parse_pool(std::vector<Category> categories, const csv::CsvTable& t,
                            const PoolOptions& options) {
  Instance inst;
  std::vector<size_t> cols;
  for (const auto& c : categories) {
    auto col = t.column(c.name);
    if (!col) return Error{ErrorCode::kInvalidCsv, c.name, t.source + ": missing column '" + c.name + "' (a quota category)"};
    cols.push_back(*col);
  }
  std::optional<size_t> id_col;
  if (!options.id_column.empty()) {
    id_col = t.column(options.id_column);
    if (!id_col) return Error{ErrorCode::kInvalidCsv, options.id_column, t.source + ": missing id column '" + options.id_column + "'"};
  }
  std::vector<size_t> hh_cols;
  for (const auto& h : options.household_columns) {
    auto col = t.column(h);
    if (!col) return Error{ErrorCode::kInvalidCsv, h, t.source + ": missing household column '" + h + "'"};
    hh_cols.push_back(*col);
  }
  if (t.rows.empty()) return Error{ErrorCode::kInvalidCsv, t.source, t.source + ": the pool is empty"};
  std::vector<std::map<std::string, int>> lookup(categories.size());
  for (size_t c = 0; c < categories.size(); ++c)
    for (size_t v = 0; v < categories[c].values.size(); ++v) lookup[c][categories[c].values[v]] = static_cast<int>(v);
  std::set<std::string> ids;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    Person p;
    p.row = r;
    p.id = id_col ? row[*id_col] : std::to_string(r);
    if (p.id.empty()) return csv_error(t, r, options.id_column, "empty id");
    if (!ids.insert(p.id).second) return csv_error(t, r, options.id_column, "duplicate id '" + p.id + "'");
    for (size_t c = 0; c < categories.size(); ++c) {
      auto it = lookup[c].find(row[cols[c]]);
      if (it == lookup[c].end()) {
        return csv_error(t, r, categories[c].name,
                         "unknown value '" + row[cols[c]] + "' (not in the quotas for '" + categories[c].name + "')");
      }
      p.values.push_back(it->second);
    }
    if (!hh_cols.empty()) {
      std::vector<std::string> parts;
      for (auto col : hh_cols) parts.push_back(row[col]);
      p.household = normalise_household(parts);
    }
    inst.people.push_back(std::move(p));
  }
  inst.categories = std::move(categories);
  return inst;
}

Result<Instance> load_instance(const std::string& quotas_path, const std::string& pool_path,
                               const PoolOptions& options) {
  auto q = csv::read_csv_file(quotas_path);
  if (!q) return q.error();
  auto cats = parse_quotas(*q);
  if (!cats) return cats.error();
  auto p = csv::read_csv_file(pool_path);
  if (!p) return p.error();
  return parse_pool(std::move(*cats), *p, options);
}

}  // namespace townhall::selection
