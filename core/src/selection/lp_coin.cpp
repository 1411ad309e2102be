// COIN-OR implementation of LpModel: OsiClpSolverInterface holds the model; CLP solves LPs,
// CBC solves models with integer variables.
#include <CbcModel.hpp>
#include <CoinMessageHandler.hpp>
#include <ClpSimplex.hpp>
#include <OsiClpSolverInterface.hpp>

#include "townhall/selection/lp_solver.h"

namespace townhall::selection {
namespace {

class CoinModel final : public LpModel {
 public:
  CoinModel() {
    si_.messageHandler()->setLogLevel(0);
    si_.getModelPtr()->setLogLevel(0);
    si_.setHintParam(OsiDoReducePrint, true, OsiHintTry);
  }

  int add_variable(double lo, double hi, double cost, bool integer) override {
    si_.addCol(0, nullptr, nullptr, lo, clamp(hi), cost);
    int idx = si_.getNumCols() - 1;
    if (integer) {
      si_.setInteger(idx);
      has_integer_ = true;
    }
    return idx;
  }

  int add_constraint(const std::vector<int>& vars, const std::vector<double>& vals, double lo,
                     double hi) override {
    structure_changed_ = true;
    si_.addRow(static_cast<int>(vars.size()), vars.data(), vals.data(), clamp(lo), clamp(hi));
    return si_.getNumRows() - 1;
  }

  void set_cost(int var, double cost) override { si_.setObjCoeff(var, cost); }
  void set_bounds(int var, double lo, double hi) override {
    structure_changed_ = true;
    si_.setColLower(var, clamp(lo));
    si_.setColUpper(var, clamp(hi));
  }
  void set_coefficient(int row, int var, double value) override {
    structure_changed_ = true;
    si_.modifyCoefficient(row, var, value, false);
  }
  void set_row_bounds(int row, double lo, double hi) override {
    structure_changed_ = true;
    si_.setRowLower(row, clamp(lo));
    si_.setRowUpper(row, clamp(hi));
  }
  int add_column(double lo, double hi, double cost, const std::vector<int>& rows,
                 const std::vector<double>& values) override {
    si_.addCol(static_cast<int>(rows.size()), rows.data(), values.data(), clamp(lo), clamp(hi), cost);
    return si_.getNumCols() - 1;
  }
  void set_maximize(bool maximize) override { si_.setObjSense(maximize ? -1.0 : 1.0); }
  void set_resolve_dual(bool dual) override { resolve_dual_ = dual; }

  void set_mip_cutoff(double cutoff, bool stop_at_first) override {
    cutoff_ = cutoff;
    stop_at_first_ = stop_at_first;
  }
  void set_mip_node_limit(int nodes) override { node_limit_ = nodes; }

  LpStatus solve() override {
    if (has_integer_) return solve_mip();
    ClpSimplex* clp = si_.getModelPtr();
    if (!solved_once_) {
      // The first solve starts from the slack basis. The LEXIMIN models have a column (the level z)
      // in every type's row; primal simplex from the slack basis then takes thousands of
      // iterations, each refactorising a basis that holds that dense column (32 s of 34 on 10 000
      // volunteers), where dual simplex needs a few hundred (1 s).
      clp->dual();
      solved_once_ = true;
    } else {
      // Warm start from the current basis (1: keep work areas); when only columns were added
      // since the last solve the old factorisation is still valid (2).
      if (resolve_dual_) clp->dual(0, structure_changed_ ? 1 : 3);
      else clp->primal(0, structure_changed_ ? 1 : 3);
    }
    structure_changed_ = false;
    if (clp->status() == 0) {
      objective_ = clp->objectiveValue();
      const double* x = clp->primalColumnSolution();
      values_.assign(x, x + clp->numberColumns());
      const double* y = clp->dualRowSolution();
      duals_.assign(y, y + clp->numberRows());
      return LpStatus::kOptimal;
    }
    // A warm start can occasionally stall; retry from a slack basis with each simplex variant.
    for (int attempt = 0; attempt < 2; ++attempt) {
      clp->allSlackBasis(true);
      if (attempt == 0) clp->primal();
      else clp->dual();
      if (clp->status() == 0) {
        structure_changed_ = true;
        objective_ = clp->objectiveValue();
        const double* x = clp->primalColumnSolution();
        values_.assign(x, x + clp->numberColumns());
        const double* y = clp->dualRowSolution();
        duals_.assign(y, y + clp->numberRows());
        return LpStatus::kOptimal;
      }
    }
    si_.initialSolve();
    if (si_.isProvenOptimal()) {
      objective_ = si_.getObjValue();
      const double* x = si_.getColSolution();
      values_.assign(x, x + si_.getNumCols());
      const double* y = si_.getRowPrice();
      duals_.assign(y, y + si_.getNumRows());
      return LpStatus::kOptimal;
    }
    if (si_.isProvenPrimalInfeasible()) return LpStatus::kInfeasible;
    if (si_.isProvenDualInfeasible()) return LpStatus::kUnbounded;
    return LpStatus::kError;
  }

  double objective() const override { return objective_; }
  std::vector<double> values() const override { return values_; }
  std::vector<double> duals() const override { return duals_; }
  int num_variables() const override { return si_.getNumCols(); }
  int num_constraints() const override { return si_.getNumRows(); }

 private:
  static double clamp(double v) {
    if (v >= kLpInfinity) return COIN_DBL_MAX;
    if (v <= -kLpInfinity) return -COIN_DBL_MAX;
    return v;
  }

  LpStatus solve_mip() {
    // Root LP warm-started from the previous call's basis (only the objective changes between
    // pricing calls), so that CBC's copy starts optimal instead of from a slack basis.
    si_.getModelPtr()->primal();
    CbcModel model(si_);
    // No strong branching: these small pricing problems are solved faster by plain depth-first
    // branching (measured: CBC time in LEXIMIN on geneva_30 down by a third).
    model.setNumberStrong(0);
    model.setLogLevel(0);
    model.messageHandler()->setLogLevel(0);
    model.solver()->messageHandler()->setLogLevel(0);
    model.setNumberThreads(0);
    model.setIntegerTolerance(1e-7);
    model.setAllowableGap(1e-9);
    model.setAllowableFractionGap(1e-9);
    if (cutoff_ < kLpInfinity) model.setCutoff(cutoff_);
    if (stop_at_first_) model.setMaximumSolutions(1);
    if (node_limit_ > 0) model.setMaximumNodes(node_limit_);
    model.branchAndBound();
    if (model.bestSolution() == nullptr && model.isNodeLimitReached()) return LpStatus::kError;
    if (model.bestSolution() == nullptr) {
      if (model.isProvenInfeasible() || model.isProvenOptimal() || cutoff_ < kLpInfinity) return LpStatus::kInfeasible;
      return LpStatus::kError;
    }
    if (!stop_at_first_ && !model.isProvenOptimal()) return LpStatus::kError;
    objective_ = model.getObjValue();
    const double* x = model.bestSolution();
    values_.assign(x, x + si_.getNumCols());
    duals_.clear();
    return LpStatus::kOptimal;
  }

  OsiClpSolverInterface si_;
  bool has_integer_ = false;
  bool solved_once_ = false;
  bool structure_changed_ = true;
  double cutoff_ = kLpInfinity;
  bool stop_at_first_ = false;
  bool resolve_dual_ = false;
  int node_limit_ = 0;
  double objective_ = 0;
  std::vector<double> values_, duals_;
};

}  // namespace

std::unique_ptr<LpModel> make_coin_model() { return std::make_unique<CoinModel>(); }

}  // namespace townhall::selection
