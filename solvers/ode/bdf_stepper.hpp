#pragma once
// Variable-order (1-5), variable-step BDF/NDF stepper for stiff systems: the quasi-constant-step
// numerical differentiation formulas of Shampine & Reichelt, "The MATLAB ODE suite", SIAM J Sci
// Comput 18 (1997) 1-22, as in MATLAB's ode15s and scipy.integrate.BDF. Internal to solvers/ode; the
// class is declared here (not only behind make_bdf_stepper) so that tests can watch the order.

#include <array>
#include <cstddef>
#include <vector>

#include "solvers/ode/bdf_differences.hpp"
#include "solvers/ode/dense_lu.hpp"
#include "solvers/ode/dense_stepper.hpp"

namespace cartsim::ode::detail {

class BdfStepper final : public DenseStepper {
public:
    BdfStepper(const Problem& problem, const Settings& settings, Stats& stats);

    /// Restarts at order 1. The first trial step is min(dt, max_step_days, the Hairer-Norsett-Wanner
    /// estimate for a first-order method), which costs one RHS evaluation: a step tuned for order 5
    /// before an event is far too long for order 1 after it.
    void initialize(const State& x, double t, double dt) override;
    void do_step() override;
    double previous_time() const override { return t_old_; }
    double current_time() const override { return t_; }
    double proposed_step() const override { return h_; }
    void current_state(State& x) const override { x = y_; }
    void calc_state(double t, State& x) override;

    /// Order (1-5) of the formula the next step will use.
    int order() const { return order_; }

private:
    struct Newton {
        bool converged = false;
        int iterations = 0;
    };

    void rhs(const State& x, State& dxdt, double t);
    void evaluate_jacobian(const State& y, const State& f, double t);
    double initial_step_estimate(const State& f0);
    /// Root mean square of v_i / (abs_tol + rel_tol |y_i|) with the weights of the last set_weights(y).
    double weighted_rms(const double* v) const;
    void set_weights(const State& y);
    /// Simplified Newton on y = y_predicted + d, d = c (f(t_new, y) - psi'), with the factorised
    /// I - c J. Leaves y_new_ and correction_ d.
    Newton solve_corrector(double t_new, double c);
    bool factorize(double c);
    void solve_linear(State& b);  // b <- (I - c J)^-1 b
    void change_step(double factor);
    void select_order_and_step(double error_norm, double safety);

    const Problem& problem_;
    const Settings& settings_;
    Stats& stats_;
    DenseLu lu_;
    BdfDifferences differences_;

    std::array<double, kBdfMaxOrder + 2> gamma_{};        // gamma_k = sum_{j<=k} 1/j
    std::array<double, kBdfMaxOrder + 2> alpha_{};        // (1 - kappa_k) gamma_k
    std::array<double, kBdfMaxOrder + 2> error_const_{};  // kappa_k gamma_k + 1/(k + 1)
    double newton_tol_ = 0.0;

    State y_;
    double t_ = 0.0;
    double t_old_ = 0.0;
    double h_ = 0.0;  // the grid spacing of differences_ [days]
    int order_ = 1;
    int equal_steps_ = 0;  // accepted steps since the last change of step or order

    bool jacobian_fresh_ = false;  // evaluated at the start of this step (after a restart)
    bool lu_valid_ = false;
    std::vector<double> jacobian_, iteration_matrix_, inverse_columns_;

    State f_, f_predict_, y_predict_, psi_, y_new_, correction_, delta_, weights_, scratch_;
};

}  // namespace cartsim::ode::detail
