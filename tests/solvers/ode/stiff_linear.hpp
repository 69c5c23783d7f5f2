#pragma once
// x' = A x with A = P diag(slow, fast) P^-1, P = [[1, 1], [1, -1]]: a coupled linear system with
// eigenvalues -1 and -1e4 per day, and its exact solution. Shared by the stiff-solver tests.

#include <array>
#include <cmath>
#include <vector>

#include "solvers/ode/integrator.hpp"

namespace cartsim::ode::testing {

constexpr double kSlow = -1.0;
constexpr double kFast = -1.0e4;
constexpr double kDiag = 0.5 * (kSlow + kFast);
constexpr double kOff = 0.5 * (kSlow - kFast);

inline std::array<double, 2> stiff_exact(double t, double x0, double x1) {
    const double slow = 0.5 * (x0 + x1) * std::exp(kSlow * t);
    const double fast = 0.5 * (x0 - x1) * std::exp(kFast * t);
    return {slow + fast, slow - fast};
}

inline Problem stiff_linear(bool analytic_jacobian) {
    Problem p;
    p.rhs = [](const State& x, State& dxdt, double) {
        dxdt[0] = kDiag * x[0] + kOff * x[1];
        dxdt[1] = kOff * x[0] + kDiag * x[1];
    };
    if (analytic_jacobian) {
        p.jacobian = [](const State&, std::vector<double>& jac, double) { jac = {kDiag, kOff, kOff, kDiag}; };
    }
    return p;
}

}  // namespace cartsim::ode::testing
