#pragma once
// Sweep designs: the values of every swept parameter at each point.
//   grid   the Cartesian product of each parameter's values (the first parameter varies slowest)
//   lhs    a Latin hypercube of `points` points, mapped to [low, high] on each parameter's scale
//   sobol  a Saltelli design of base size N = `points`: rows A (N), B (N), then A with column i from
//          B for each parameter i (N each), N (d + 2) points in all, mapped likewise

#include <vector>

#include "src/study/study_spec.hpp"

namespace cartsim::study {

/// Most points a design may have: each is a scenario built and checked when the study loads (about
/// 0.4 ms each), so three grid lines could otherwise ask for 10^18 of them. Fuzz builds lower the limit
/// so that a large legal design is not reported as a hang (the check stays the same).
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
inline constexpr double kMaxSweepPoints = 500;
#else
inline constexpr double kMaxSweepPoints = 100000;
#endif

/// Number of points of the design (grid: the product of the parameters' value counts; lhs: points;
/// sobol: points (d + 2)), as a double so that a large grid cannot overflow.
double design_size(const SweepSpec& sweep);

/// The design's points; callers check design_size against kMaxSweepPoints first (validate does).
std::vector<std::vector<double>> design_points(const SweepSpec& sweep);

}  // namespace cartsim::study
