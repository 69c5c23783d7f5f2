#pragma once
// Shared helpers of the solvers/ode tests.

#include <array>
#include <utility>

#include "solvers/ode/integrator.hpp"

namespace cartsim::ode::testing {

/// Every stepper, for tests of behaviour that must not depend on the method.
inline constexpr std::array kAllMethods{Method::Dopri5, Method::Rosenbrock4, Method::Bdf};

/// A problem with only a right-hand side (no Jacobian, no post-step hook).
inline Problem rhs_only(Rhs rhs) {
    Problem p;
    p.rhs = std::move(rhs);
    return p;
}

}  // namespace cartsim::ode::testing
