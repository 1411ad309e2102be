// The panel's CSV files (panel/csv.h, read leniently for files typed by hand) and what is read from
// them: a member list (members_from_csv), a quota table and a pool (parse_quotas, parse_pool), and a
// council's targets (parse_targets_csv).
// Input: one CSV, or two separated by a line "----" (quotas, then the pool read against them).
// Properties: no crash; every cell read is valid UTF-8; every row has the header's width and a
// line after the header's; errors name the file.
#include "fuzz_support.h"
#include "townhall/analysis/census.h"
#include "townhall/i18n/text.h"
#include "townhall/util/csv_table.h"
#include "townhall/selection/instance.h"
#include "townhall/panel/member_import.h"

namespace {

using townhall::fuzz::fail;

void check_table(const townhall::Result<townhall::csv::CsvTable>& t, std::string_view text, const std::string& source) {
  if (!t) {
    if (t.error().code != townhall::ErrorCode::kInvalidCsv || t.error().message.rfind(source, 0) != 0) {
      fail("a CSV error that does not name the file", t.error().message);
    }
    return;
  }
  if (t->rows.size() != t->line_of_row.size()) fail("rows and their lines differ in number", text);
  for (const auto& h : t->header) {
    if (!townhall::i18n::validate_utf8(h, "header")) fail("a header cell that is not UTF-8", text);
  }
  for (const auto& row : t->rows) {
    for (const auto& cell : row) {
      if (!townhall::i18n::validate_utf8(cell, "cell")) fail("a cell that is not UTF-8", text);
    }
  }
  size_t last = 1;
  for (size_t r = 0; r < t->rows.size(); ++r) {
    if (t->rows[r].size() != t->header.size()) fail("a row without the header's width", text);
    if (t->line_of_row[r] <= last && r > 0) fail("rows out of line order", text);
    if (t->line_of_row[r] < 2) fail("a row on the header's line", text);
    last = t->line_of_row[r];
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace townhall;
  auto [first, second] = fuzz::split_at_line(fuzz::as_text(data, size), "----");
  auto table = csv::parse_csv(first, "members.csv");
  check_table(table, first, "members.csv");
  if (table) {
    panel::ImportOptions options;
    options.today = Date::from_ymd(2026, 3, 1);
    (void)panel::members_from_csv(*table, options);
    auto categories = selection::parse_quotas(*table);
    if (categories && !second.empty()) {
      auto pool = csv::parse_csv(second, "pool.csv");
      check_table(pool, second, "pool.csv");
      if (pool) {
        selection::PoolOptions with_ids{"id", {"address", "postcode"}};
        (void)selection::parse_pool(*categories, *pool, selection::PoolOptions{});
        (void)selection::parse_pool(*categories, *pool, with_ids);
      }
    }
  }
  (void)analysis::parse_targets_csv(first, "targets.csv");
  return 0;
}
