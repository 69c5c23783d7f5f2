#pragma once
// Searches inside one accepted step with the stepper's dense output, for step observers: the largest
// value of a scalar function of the solution, and the first time it reaches a level. Lets a caller
// track peaks and threshold crossings at every step, so they do not depend on the output times.

#include <functional>

#include "solvers/ode/integrator.hpp"

namespace cartsim::ode {

/// A scalar function of time inside a step, g(t) = f(solution(t)).
using StepFunction = std::function<double(double t)>;

struct StepPeak {
    double t = 0.0;      // [days]
    double value = 0.0;
};

/// The largest value of g in [a, b] by golden-section search, until the bracket is narrower than
/// t_tolerance [days]. Finds the maximum when g is unimodal on [a, b] (for example a bracket around
/// the best of a few samples of a step's dense output, a low-order polynomial).
StepPeak golden_section_max(double a, double b, const StepFunction& g, double t_tolerance = 1e-7);

/// The first time in (start, end] at which g reaches `level` from below, by bisection to t_tolerance
/// [days] (the returned time has g >= level), given g(start) < level <= g(end). A crossing that goes
/// back below the level within the step is not seen.
double first_crossing(double start, double end, const StepFunction& g, double level, double t_tolerance = 1e-9);

}  // namespace cartsim::ode
