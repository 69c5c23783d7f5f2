#pragma once
// Forward-difference derivatives of a right-hand side, for stiff methods when no analytic Jacobian
// is given. Every RHS evaluation spent here is added to an evaluation counter.

#include <cstdint>
#include <vector>

#include "solvers/ode/integrator.hpp"

namespace cartsim::ode {

/// Row-major n x n Jacobian of rhs at (x, t [days]) from f0 = rhs(x, t). Column j perturbs x_j by
/// sqrt(eps) * max(|x_j|, 1). Costs n RHS evaluations. x is restored on return.
void forward_difference_jacobian(const Rhs& rhs, State& x, const State& f0, double t, std::vector<double>& jacobian,
                                 std::int64_t& rhs_evaluations);

/// d(dx/dt)/dt at (x, t [days]) from f0 = rhs(x, t), with step sqrt(eps) * max(|t|, 1) days.
/// Costs one RHS evaluation.
void forward_difference_dfdt(const Rhs& rhs, const State& x, const State& f0, double t, State& dfdt,
                             std::int64_t& rhs_evaluations);

}  // namespace cartsim::ode
