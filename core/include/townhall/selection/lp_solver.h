// townhall/selection/lp_solver.h — a small linear / mixed-integer programming interface.
//
// The selection algorithms build their models through this interface only, so another solver
// (GLPK, HiGHS) can replace the COIN-OR one by adding a factory. make_coin_model() solves pure LPs
// with CLP (re-solves warm-start from the previous basis) and models with integer variables with
// CBC. Solver logging is silenced.
// Thread-safety: a model is used by one thread at a time; separate models are independent.
#pragma once

#include <memory>
#include <vector>

namespace townhall::selection {

enum class LpStatus { kOptimal, kInfeasible, kUnbounded, kError };

inline constexpr double kLpInfinity = 1e30;

class LpModel {
 public:
  virtual ~LpModel() = default;
  // Adds a variable with bounds [lo, hi] (kLpInfinity for none) and objective cost; returns its index.
  virtual int add_variable(double lo, double hi, double cost, bool integer = false) = 0;
  // Adds lo <= sum(values[i] * x[vars[i]]) <= hi; returns the row index.
  virtual int add_constraint(const std::vector<int>& vars, const std::vector<double>& values,
                             double lo, double hi) = 0;
  virtual void set_cost(int var, double cost) = 0;
  virtual void set_bounds(int var, double lo, double hi) = 0;
  virtual void set_coefficient(int row, int var, double value) = 0;
  virtual void set_row_bounds(int row, double lo, double hi) = 0;
  // Adds a continuous variable with its entries in existing rows; returns its index.
  virtual int add_column(double lo, double hi, double cost, const std::vector<int>& rows,
                         const std::vector<double>& values) = 0;
  virtual void set_maximize(bool maximize) = 0;
  // Warm-started re-solves of a pure LP use dual simplex instead of primal: better when every
  // re-solve follows bound changes (which cost the old basis its primal feasibility) and changes
  // some costs.
  virtual void set_resolve_dual(bool dual) = 0;
  // For models with integer variables: only accept solutions whose (minimisation) objective is
  // below `cutoff` (kLpInfinity: none), and optionally stop at the first such solution instead of
  // proving optimality. solve() then reports kInfeasible when no solution beats the cutoff.
  virtual void set_mip_cutoff(double cutoff, bool stop_at_first) = 0;
  // For models with integer variables: explore at most this many branch-and-bound nodes (0: no
  // limit). solve() then reports kError when the limit is reached without a solution (neither a
  // panel nor a proof that there is none). A node count, not a clock, so results do not depend on
  // the computer's speed.
  virtual void set_mip_node_limit(int nodes) = 0;
  virtual LpStatus solve() = 0;
  virtual double objective() const = 0;
  virtual std::vector<double> values() const = 0;
  virtual std::vector<double> duals() const = 0;  // row duals of the last LP solve
  virtual int num_variables() const = 0;
  virtual int num_constraints() const = 0;
};

std::unique_ptr<LpModel> make_coin_model();

}  // namespace townhall::selection
