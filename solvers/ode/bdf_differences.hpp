#pragma once
// The history of the BDF stepper: backward differences of the solution on an equally spaced grid
// t, t - h, t - 2h, ... (the array D of Shampine & Reichelt 1997, section 2.2). Row 0 is y(t); row k
// is the k-th backward difference. A step-size change re-expresses the same interpolating polynomial
// on the new grid (their matrices R and U), so the stepper keeps quasi-constant steps.

#include <cstddef>
#include <vector>

#include "solvers/ode/integrator.hpp"

namespace cartsim::ode::detail {

inline constexpr int kBdfMaxOrder = 5;

class BdfDifferences {
public:
    /// Starts a new history for n states: y and h f(y), everything else zero.
    void reset(const State& y, const State& f, double h);

    double* row(int k) { return data_.data() + static_cast<std::size_t>(k) * n_; }
    const double* row(int k) const { return data_.data() + static_cast<std::size_t>(k) * n_; }

    /// The predictor, the polynomial extrapolated one step: the sum of rows 0..order.
    void predict(int order, State& y) const;

    /// Re-expresses rows 0..order for the step h * factor (D <- (R U)^T D).
    void change_step(int order, double factor);

    /// Folds the Newton correction d = y_new - y_predicted of an accepted step into the history:
    /// rows order + 1 and order + 2 become the new high differences, then every row shifts to t + h.
    void accept(int order, const State& correction);

    /// The interpolating polynomial of degree order through the grid ending at t_now with spacing
    /// h [days], evaluated at t [days].
    void evaluate(int order, double t_now, double h, double t, State& y) const;

private:
    std::size_t n_ = 0;
    std::vector<double> data_;     // (kBdfMaxOrder + 3) rows of n
    std::vector<double> scratch_;  // rows 0..order while they are rewritten
};

}  // namespace cartsim::ode::detail
