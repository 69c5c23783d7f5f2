#pragma once
// The Nelder-Mead simplex minimiser (Nelder and Mead 1965, in the form of Lagarias et al. 1998:
// reflection 1, expansion 2, contraction 1/2, shrink 1/2). Deterministic: the same start and the
// same objective give the same sequence of evaluations, which is what lets a calibration resume by
// replaying its history.

#include <functional>
#include <vector>

namespace cartsim::stats {

struct NelderMeadOptions {
    std::vector<double> initial_step;  // per coordinate; the simplex is x0 and x0 + step_i e_i
    int max_evaluations = 200;
    double f_tolerance = 1e-4;  // stop when max |f_i - f_best| over the simplex falls below this
    double x_tolerance = 1e-4;  // ... and max |x_i - x_best| (infinity norm) falls below this
};

struct NelderMeadResult {
    std::vector<double> x;  // best point found
    double f = 0.0;
    int evaluations = 0;
    int iterations = 0;
    bool converged = false;  // tolerances met (else the evaluation budget ran out)
};

/// Minimises `f` from `x0`. `f` may return +infinity for an infeasible point. Throws
/// std::invalid_argument when x0 is empty or initial_step has the wrong size or a zero entry.
NelderMeadResult nelder_mead(const std::function<double(const std::vector<double>&)>& f, const std::vector<double>& x0,
                             const NelderMeadOptions& options);

}  // namespace cartsim::stats
