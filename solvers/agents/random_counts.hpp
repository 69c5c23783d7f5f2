#pragma once
// Random counts drawn from a CounterRng: exact binomial and Poisson variates, fast for the small and
// moderate means of agent leaps (one of each per bin and leap) and of mutant draws.

#include <cstdint>

#include "solvers/agents/counter_rng.hpp"

namespace cartsim::agents {

/// Binomial(n, p).
std::uint64_t binomial(std::uint64_t n, double p, CounterRng& rng);
/// Poisson(mean).
std::uint64_t poisson(double mean, CounterRng& rng);

}  // namespace cartsim::agents
