#include "townhall/analysis/disclosure.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <queue>
#include <utility>

namespace townhall::analysis {

namespace {

enum class EdgeState : uint8_t { kVisible, kHidden, kUnconstrained };

// One published value as an edge of the network. Raising a cell (r, c) moves one unit from
// row node r to column node c; a row total enters its row from the row-totals node, a column
// total leaves its column for the column-totals node, and the grand total closes the loop.
struct DisclosureEdge {
  int32_t from = 0, to = 0;
  int64_t count = 0;
  double weighted = 0;
  double cost = 0;  // of hiding it, when visible
  EdgeState state = EdgeState::kVisible;
};

struct DisclosureNetwork {
  int32_t nodes = 0;
  int64_t cells = 0;
  double tolerance = 0;  // weighted sums at or below this cannot be lowered
  std::vector<DisclosureEdge> edges;

  bool can_raise(const DisclosureEdge& e) const { return e.state != EdgeState::kVisible; }
  bool can_lower(const DisclosureEdge& e) const {
    return e.state == EdgeState::kUnconstrained ||
           (e.state == EdgeState::kHidden && e.count > 1 && e.weighted > tolerance);
  }
};

// Cells cost their count (the smallest hidden first; the small constant prefers fewer cells),
// totals far more than any cell, the grand total more than any other total.
constexpr double kTotalCost = 1e12;
constexpr double kGrandCost = 1e15;

DisclosureNetwork build_network(const DisclosureTable& t, const SuppressionPattern& p) {
  const int32_t R = t.rows, C = t.columns;
  DisclosureNetwork net;
  net.nodes = R + C + 2;
  net.cells = static_cast<int64_t>(R) * C;
  const int32_t row_totals_node = R + C, column_totals_node = R + C + 1;
  std::vector<int64_t> row_count(static_cast<size_t>(R), 0), col_count(static_cast<size_t>(C), 0);
  std::vector<double> row_w(static_cast<size_t>(R), 0.0), col_w(static_cast<size_t>(C), 0.0);
  int64_t grand = 0;
  double grand_w = 0;
  net.edges.reserve(static_cast<size_t>(net.cells + R + C + 1));
  for (int32_t r = 0; r < R; ++r)
    for (int32_t c = 0; c < C; ++c) {
      size_t i = static_cast<size_t>(r) * static_cast<size_t>(C) + static_cast<size_t>(c);
      DisclosureEdge e;
      e.from = r;
      e.to = R + c;
      e.count = t.counts[i];
      e.weighted = t.weighted.empty() ? static_cast<double>(e.count) : t.weighted[i];
      e.cost = static_cast<double>(e.count) + 1e-3;
      e.state = p.cells[i] ? EdgeState::kHidden : EdgeState::kVisible;
      row_count[static_cast<size_t>(r)] += e.count;
      col_count[static_cast<size_t>(c)] += e.count;
      row_w[static_cast<size_t>(r)] += e.weighted;
      col_w[static_cast<size_t>(c)] += e.weighted;
      grand += e.count;
      grand_w += e.weighted;
      net.edges.push_back(e);
    }
  for (int32_t r = 0; r < R; ++r) {
    DisclosureEdge e;
    e.from = row_totals_node;
    e.to = r;
    e.count = row_count[static_cast<size_t>(r)];
    e.weighted = row_w[static_cast<size_t>(r)];
    e.cost = kTotalCost + static_cast<double>(e.count);
    e.state = p.row_totals[static_cast<size_t>(r)] ? EdgeState::kHidden : EdgeState::kVisible;
    net.edges.push_back(e);
  }
  for (int32_t c = 0; c < C; ++c) {
    DisclosureEdge e;
    e.from = R + c;
    e.to = column_totals_node;
    e.count = col_count[static_cast<size_t>(c)];
    e.weighted = col_w[static_cast<size_t>(c)];
    e.cost = kTotalCost + static_cast<double>(e.count);
    e.state = !t.column_totals_shown ? EdgeState::kUnconstrained
              : p.column_totals[static_cast<size_t>(c)] ? EdgeState::kHidden
                                                        : EdgeState::kVisible;
    net.edges.push_back(e);
  }
  DisclosureEdge g;
  g.from = column_totals_node;
  g.to = row_totals_node;
  g.count = grand;
  g.weighted = grand_w;
  g.cost = kGrandCost;
  g.state = !t.grand_total_shown ? EdgeState::kUnconstrained
            : p.grand_total      ? EdgeState::kHidden
                                 : EdgeState::kVisible;
  net.edges.push_back(g);
  net.tolerance = 1e-9 * std::max(1.0, std::fabs(grand_w));
  return net;
}

struct Arc {
  int32_t to;
  size_t edge;
  double cost;
};

using Adjacency = std::vector<std::vector<Arc>>;

// Arcs of the residual network. With `may_hide`, visible non-zero values are arcs too, at the
// cost of hiding them (zeros are never hidden). Searches pass the edge whose own arcs to ignore.
Adjacency residual_arcs(const DisclosureNetwork& net, bool may_hide) {
  Adjacency adj(static_cast<size_t>(net.nodes));
  for (size_t i = 0; i < net.edges.size(); ++i) {
    const DisclosureEdge& e = net.edges[i];
    if (e.state == EdgeState::kVisible) {
      if (!may_hide || e.count < 1) continue;
      adj[static_cast<size_t>(e.from)].push_back({e.to, i, e.cost});
      if (e.count > 1 && e.weighted > net.tolerance)
        adj[static_cast<size_t>(e.to)].push_back({e.from, i, e.cost});
      continue;
    }
    if (net.can_raise(e)) adj[static_cast<size_t>(e.from)].push_back({e.to, i, 0.0});
    if (net.can_lower(e)) adj[static_cast<size_t>(e.to)].push_back({e.from, i, 0.0});
  }
  return adj;
}

bool reaches(const Adjacency& adj, int32_t from, int32_t to, size_t skip) {
  std::vector<uint8_t> seen(adj.size(), 0);
  std::vector<int32_t> stack{from};
  seen[static_cast<size_t>(from)] = 1;
  while (!stack.empty()) {
    int32_t u = stack.back();
    stack.pop_back();
    if (u == to) return true;
    for (const Arc& a : adj[static_cast<size_t>(u)])
      if (a.edge != skip && !seen[static_cast<size_t>(a.to)]) {
        seen[static_cast<size_t>(a.to)] = 1;
        stack.push_back(a.to);
      }
  }
  return false;
}

// A hidden value can change iff a directed residual cycle passes through it: raising it needs
// a way back from its head to its tail, lowering it a way from its tail to its head.
bool can_change(const DisclosureNetwork& net, const Adjacency& adj, size_t i) {
  const DisclosureEdge& e = net.edges[i];
  if (reaches(adj, e.to, e.from, i)) return true;
  return net.can_lower(e) && reaches(adj, e.from, e.to, i);
}

// Cheapest path in the residual network with hiding allowed: the edges to hide, and its cost.
std::pair<double, std::vector<size_t>> cheapest_path(const Adjacency& adj, int32_t from,
                                                     int32_t to, size_t skip) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::vector<double> dist(adj.size(), kInf);
  std::vector<std::pair<int32_t, size_t>> via(adj.size(), {-1, 0});
  using Item = std::pair<double, int32_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
  dist[static_cast<size_t>(from)] = 0;
  queue.push({0.0, from});
  while (!queue.empty()) {
    auto [d, u] = queue.top();
    queue.pop();
    if (d > dist[static_cast<size_t>(u)]) continue;
    if (u == to) break;
    for (const Arc& a : adj[static_cast<size_t>(u)]) {
      if (a.edge == skip) continue;
      double nd = d + a.cost;
      if (nd < dist[static_cast<size_t>(a.to)]) {
        dist[static_cast<size_t>(a.to)] = nd;
        via[static_cast<size_t>(a.to)] = {u, a.edge};
        queue.push({nd, a.to});
      }
    }
  }
  std::vector<size_t> path;
  if (dist[static_cast<size_t>(to)] == kInf) return {kInf, path};
  for (int32_t v = to; v != from; v = via[static_cast<size_t>(v)].first)
    path.push_back(via[static_cast<size_t>(v)].second);
  return {dist[static_cast<size_t>(to)], path};
}

void set_hidden(SuppressionPattern& p, const DisclosureTable& t, int64_t i) {
  const int64_t cells = static_cast<int64_t>(t.rows) * t.columns;
  if (i < cells) p.cells[static_cast<size_t>(i)] = 1;
  else if (i < cells + t.rows) p.row_totals[static_cast<size_t>(i - cells)] = 1;
  else if (i < cells + t.rows + t.columns)
    p.column_totals[static_cast<size_t>(i - cells - t.rows)] = 1;
  else p.grand_total = true;
}

}  // namespace

SuppressionPattern suppress_small_cells(const DisclosureTable& t, int64_t threshold) {
  SuppressionPattern p;
  const size_t cells = static_cast<size_t>(t.rows) * static_cast<size_t>(t.columns);
  p.cells.assign(cells, 0);
  p.row_totals.assign(static_cast<size_t>(t.rows), 0);
  p.column_totals.assign(static_cast<size_t>(t.columns), 0);
  for (size_t i = 0; i < cells; ++i)
    if (t.counts[i] >= 1 && t.counts[i] < threshold) {
      p.cells[i] = 1;
      ++p.primary;
    }
  if (p.primary == 0) return p;
  DisclosureNetwork net = build_network(t, p);
  // Protection only grows as values are hidden, so values protected once stay protected; the
  // outer loop is a guard, a second pass finds nothing to do.
  for (bool changed = true; changed;) {
    changed = false;
    Adjacency shown = residual_arcs(net, false);
    for (size_t i = 0; i < net.edges.size(); ++i) {
      if (net.edges[i].state != EdgeState::kHidden || can_change(net, shown, i)) continue;
      const DisclosureEdge& e = net.edges[i];
      Adjacency adj = residual_arcs(net, true);
      auto best = cheapest_path(adj, e.to, e.from, i);
      if (net.can_lower(e)) {
        auto down = cheapest_path(adj, e.from, e.to, i);
        if (down.first < best.first) best = std::move(down);
      }
      bool hid = false;
      for (size_t j : best.second) {
        if (net.edges[j].state != EdgeState::kVisible) continue;
        net.edges[j].state = EdgeState::kHidden;
        set_hidden(p, t, static_cast<int64_t>(j));
        ++p.secondary;
        changed = hid = true;
      }
      if (hid) shown = residual_arcs(net, false);
    }
  }
  return p;
}

std::vector<int64_t> determined_hidden_values(const DisclosureTable& t,
                                              const SuppressionPattern& p) {
  std::vector<int64_t> out;
  DisclosureNetwork net = build_network(t, p);
  Adjacency shown = residual_arcs(net, false);
  for (size_t i = 0; i < net.edges.size(); ++i)
    if (net.edges[i].state == EdgeState::kHidden && !can_change(net, shown, i))
      out.push_back(static_cast<int64_t>(i));
  return out;
}

}  // namespace townhall::analysis
