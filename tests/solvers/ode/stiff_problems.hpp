#pragma once
// Stiff test problems shared by the stiff-solver tests.
//
// x' = A x with A = P diag(slow, fast) P^-1, P = [[1, 1], [1, -1]]: a coupled linear system with
// eigenvalues -1 and -1e4 per day, and its exact solution.

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

/// Robertson's chemical kinetics (Hairer & Wanner, Solving ODEs II, section IV.1), stiff over 40,000 s,
/// from y(0) = (1, 0, 0); y0 + y1 + y2 = 1 is invariant.
inline Problem robertson(bool analytic_jacobian) {
    Problem p;
    p.rhs = [](const State& y, State& dydt, double) {
        dydt[0] = -0.04 * y[0] + 1.0e4 * y[1] * y[2];
        dydt[1] = 0.04 * y[0] - 1.0e4 * y[1] * y[2] - 3.0e7 * y[1] * y[1];
        dydt[2] = 3.0e7 * y[1] * y[1];
    };
    if (analytic_jacobian) {
        p.jacobian = [](const State& y, std::vector<double>& j, double) {
            j = {-0.04, 1.0e4 * y[2], 1.0e4 * y[1],                   //
                 0.04,  -1.0e4 * y[2] - 6.0e7 * y[1], -1.0e4 * y[1],  //
                 0.0,   6.0e7 * y[1], 0.0};
        };
    }
    return p;
}

}  // namespace cartsim::ode::testing
