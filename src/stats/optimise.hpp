#pragma once
// Bound-constrained, derivative-free minimisation through NLopt (Debian's libnlopt-dev): Nelder-Mead
// (NLopt's LN_NELDERMEAD, with bounds handled by projection) or Rowan's Subplex (LN_SBPLX, Nelder-Mead
// on subspaces, more robust on rugged objectives). Both are deterministic: the same start and the same
// objective give the same sequence of evaluations, which is what lets a calibration resume by
// replaying its history.
//
// The objective may throw: the search stops at once and `minimise` rethrows the exception.

#include <functional>
#include <string>
#include <vector>

namespace cartsim::stats {

enum class Optimiser { NelderMead, Subplex };

struct OptimiseOptions {
    Optimiser method = Optimiser::NelderMead;
    std::vector<double> lower;         // bounds per coordinate (finite)
    std::vector<double> upper;
    std::vector<double> initial_step;  // per coordinate: the size of the first simplex
    int max_evaluations = 200;
    double f_tolerance = 1e-4;  // stop when an iteration changes f by less than this (absolute)
    double x_tolerance = 1e-4;  // ... or moves every coordinate by less than this (absolute)
};

struct OptimiseResult {
    std::vector<double> x;  // best point found
    double f = 0.0;
    int evaluations = 0;
    bool converged = false;  // a tolerance was met (else the evaluation budget ran out)
    std::string reason;      // NLopt's stopping reason, in words
};

/// Minimises `f` from `x0` inside [lower, upper]. `f` may return +infinity for an infeasible point.
/// Throws std::invalid_argument for inconsistent sizes, empty x0, x0 outside the bounds or a zero step.
OptimiseResult minimise(const std::function<double(const std::vector<double>&)>& f, const std::vector<double>& x0,
                        const OptimiseOptions& options);

}  // namespace cartsim::stats
