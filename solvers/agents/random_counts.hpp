#pragma once
// Random variates drawn from a CounterRng: exact binomial and Poisson counts, fast for the small and
// moderate means of agent leaps (one of each per bin and leap) and of mutant draws, and standard
// normals. Every algorithm is fixed (ours or Boost.Random's), never a std:: distribution, whose
// algorithms differ between standard libraries: the same stream gives the same draws with libstdc++
// and libc++ (tests/solvers/agents/sampler_kat.hpp). No state is kept between calls.

#include <cstdint>

#include "solvers/agents/counter_rng.hpp"

namespace cartsim::agents {

/// Binomial(n, p).
std::uint64_t binomial(std::uint64_t n, double p, CounterRng& rng);
/// Poisson(mean).
std::uint64_t poisson(double mean, CounterRng& rng);
/// Normal(0, 1).
double standard_normal(CounterRng& rng);

}  // namespace cartsim::agents
