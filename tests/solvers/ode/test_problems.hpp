#pragma once
// Shared helpers of the solvers/ode tests.

#include <array>
#include <limits>
#include <utility>
#include <vector>

#include "solvers/ode/integrator.hpp"

namespace cartsim::ode::testing {

/// Every stepper, for tests of behaviour that must not depend on the method.
inline constexpr std::array kAllMethods{Method::Dopri5, Method::Bdf};

/// "No event": a step observer's or an event schedule's +infinity.
inline constexpr double kNever = std::numeric_limits<double>::infinity();

/// Tight tolerances (relative 1e-10, absolute 1e-12) for comparisons with analytic solutions.
inline Settings tight(Method method) {
    Settings s;
    s.method = method;
    s.rel_tol = 1e-10;
    s.abs_tol = 1e-12;
    return s;
}

/// Method::Bdf with the given relative and absolute tolerances.
inline Settings bdf(double rel_tol, double abs_tol) {
    Settings s;
    s.method = Method::Bdf;
    s.rel_tol = rel_tol;
    s.abs_tol = abs_tol;
    return s;
}

/// intervals + 1 equally spaced times from 0 to t_final [days].
inline std::vector<double> grid(double t_final, int intervals) {
    std::vector<double> times;
    for (int i = 0; i <= intervals; ++i) times.push_back(t_final * i / intervals);
    return times;
}

/// Relative accuracy tight(method) reaches on the smooth scalar test problems (x' = +-k x over days).
/// BDF's global error runs to a few hundred times its local tolerance: CVODE measured 140-250 times
/// on x' = +-x at 1e-10, scipy's BDF about 100 times, as the order is low and errors accumulate.
inline double tight_accuracy(Method method) { return method == Method::Bdf ? 3e-8 : 1e-9; }

/// A problem with only a right-hand side (no Jacobian, no post-step hook).
inline Problem rhs_only(Rhs rhs) {
    Problem p;
    p.rhs = std::move(rhs);
    return p;
}

}  // namespace cartsim::ode::testing
