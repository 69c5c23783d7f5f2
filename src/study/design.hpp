#pragma once
// Sweep designs: the values of every swept parameter at each point.
//   grid   the Cartesian product of each parameter's values (the first parameter varies slowest)
//   lhs    a Latin hypercube of `points` points, mapped to [low, high] on each parameter's scale
//   sobol  a Saltelli design of base size N = `points`: rows A (N), B (N), then A with column i from
//          B for each parameter i (N each), N (d + 2) points in all, mapped likewise

#include <vector>

#include "src/study/study_spec.hpp"

namespace cartsim::study {

std::vector<std::vector<double>> design_points(const SweepSpec& sweep);

}  // namespace cartsim::study
