// townhall/analysis/disclosure.h — small-cell suppression that cannot be undone from the totals.
//
// A table of counts (rows × columns, each cell also with its weighted sum) is published with its
// row totals, its column totals when the table has them, and its grand total. Primary
// suppression hides every cell whose count is at least 1 and below the threshold. That alone can
// be undone: a row total minus the row's visible cells gives a lone hidden cell back.
// Secondary (complementary) suppression therefore hides further cells — and, only when nothing
// else will do, totals — until no hidden value is fixed by what is shown: for every hidden value
// there is another table that agrees with everything shown in which that value differs. What a
// reader knows: visible cells and totals, and that zeros are shown (never hidden), so a hidden
// count is at least 1 and a hidden weighted sum at least 0. Counts and weighted sums are each
// protected against their own totals.
//
// Method: hidden values are the edges of a small network (a node per row, per column, and one
// each for the row and column totals); the tables that agree with what is shown differ by
// circulations on it, so a hidden value can change exactly when it lies on a directed cycle of
// the residual network (an increase is always possible, a decrease only above the lower bound).
// For each hidden value on no such cycle, the cheapest cycle through it is found with Dijkstra —
// a visible cell costs its count, so the smallest cells are hidden first, and totals cost more
// than any cell — and its visible members are hidden. Every member of that cycle is then
// protected, and hiding more never unprotects a value, so one pass leaves the table safe.
//
// Not covered: respondents' individual weights are unknown to the reader, so the count and the
// weighted systems are treated as separate; a reader who knows each group's exact weight (all
// weights equal within a group) could combine them.
// Thread-safety: pure functions over caller-owned buffers.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace townhall::analysis {

struct DisclosureTable {
  int32_t rows = 0, columns = 0;
  std::span<const int64_t> counts;    // rows × columns, row-major
  std::span<const double> weighted;   // same shape; empty when unweighted (weighted = count)
  // A one-way tally has no column totals (its cells are the columns); a cross-tabulation
  // publishes them (the tally of the answer over all groups) and the grand total.
  bool column_totals_shown = true;
  bool grand_total_shown = true;
};

struct SuppressionPattern {
  std::vector<uint8_t> cells;          // rows × columns, 1 = hidden
  std::vector<uint8_t> row_totals;     // 1 = the row's total (and so its shares) is hidden
  std::vector<uint8_t> column_totals;  // all 0 when the table has no column totals
  bool grand_total = false;
  int64_t primary = 0;                 // cells hidden for being small
  int64_t secondary = 0;               // cells and totals hidden so the small ones stay hidden
};

// Primary suppression of cells with 1 ≤ count < threshold, then secondary suppression as above.
// threshold ≤ 1 hides nothing.
SuppressionPattern suppress_small_cells(const DisclosureTable& table, int64_t threshold);

// Hidden values that what is shown fixes exactly, as indices: cells 0..rows×columns−1, then
// row totals, then column totals, then the grand total. Empty for a safe pattern.
std::vector<int64_t> determined_hidden_values(const DisclosureTable& table,
                                              const SuppressionPattern& pattern);

}  // namespace townhall::analysis
