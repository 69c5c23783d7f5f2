#pragma once
// Shared helpers of the solvers/ode tests.

#include <array>
#include <limits>
#include <utility>

#include "solvers/ode/integrator.hpp"

namespace cartsim::ode::testing {

/// Every stepper, for tests of behaviour that must not depend on the method.
inline constexpr std::array kAllMethods{Method::Dopri5, Method::Rosenbrock4, Method::Bdf};

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

/// A problem with only a right-hand side (no Jacobian, no post-step hook).
inline Problem rhs_only(Rhs rhs) {
    Problem p;
    p.rhs = std::move(rhs);
    return p;
}

}  // namespace cartsim::ode::testing
