#pragma once
// Shared helpers of the solvers/ode tests.

#include <utility>

#include "solvers/ode/integrator.hpp"

namespace cartsim::ode::testing {

/// A problem with only a right-hand side (no Jacobian, no post-step hook).
inline Problem rhs_only(Rhs rhs) {
    Problem p;
    p.rhs = std::move(rhs);
    return p;
}

}  // namespace cartsim::ode::testing
