#include "solvers/hybrid/leap.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace cartsim::hybrid::detail {

/// Binomial(n, p): by counting Bernoulli draws when n is small (the standard distribution's set-up,
/// with its logarithms, would dominate), else std::binomial_distribution.
std::uint64_t binomial(std::uint64_t n, double p, agents::CounterRng& rng) {
    if (p <= 0.0 || n == 0) return 0;
    if (p >= 1.0) return n;
    if (n <= 16) {
        std::uint64_t k = 0;
        for (std::uint64_t i = 0; i < n; ++i) k += rng.uniform() < p;
        return k;
    }
    std::binomial_distribution<std::uint64_t> draw(n, p);
    return draw(rng);
}

/// Poisson(mean): by multiplying uniforms (Knuth) when the mean is small, else std::poisson_distribution.
std::uint64_t poisson(double mean, agents::CounterRng& rng) {
    if (mean <= 0.0) return 0;
    if (mean < 10.0) {
        const double limit = std::exp(-mean);
        std::uint64_t k = 0;
        for (double product = rng.uniform(); product > limit; product *= rng.uniform()) ++k;
        return k;
    }
    std::poisson_distribution<std::uint64_t> draw(mean);
    return draw(rng);
}

std::uint32_t leap_count(const agents::BinnedPopulation& population, const BinChannels& channels, double span,
                         const LeapSettings& settings) {
    double fastest = 0.0;
    for (std::size_t b = 0; b < channels.size(); ++b) {
        if (population.count(b) == 0) continue;
        double total = 0.0;
        for (const auto& c : channels[b]) total += c.rate_per_day;
        fastest = std::max(fastest, total);
    }
    return static_cast<std::uint32_t>(std::max(1.0, std::ceil(fastest * span / settings.max_hazard_per_leap)));
}

}  // namespace cartsim::hybrid::detail
