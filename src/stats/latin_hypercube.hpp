#pragma once
// Latin hypercube sampling (McKay, Beckman and Conover 1979): space-filling points in the unit cube.

#include <cstddef>

#include <Eigen/Core>

#include "solvers/agents/counter_rng.hpp"

namespace cartsim::stats {

/// `points` x `dimensions` matrix of points in (0, 1): in every column, exactly one point lies in each stratum
/// [k / points, (k + 1) / points), uniformly placed inside it, and the strata are paired across columns by an
/// independent random permutation per column. Map a column to a parameter with quantile(). Draw order (so the result
/// is a pure function of the stream): column by column, a Fisher-Yates shuffle (points - 1 draws) then one uniform
/// per point. Throws std::invalid_argument when points or dimensions is 0.
Eigen::MatrixXd latin_hypercube(std::size_t points, std::size_t dimensions, agents::CounterRng& rng);

}  // namespace cartsim::stats
