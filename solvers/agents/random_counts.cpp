#include "solvers/agents/random_counts.hpp"

#include <cmath>
#include <random>

namespace cartsim::agents {

namespace {

// Below this mean, inversion (a uniform and about `mean` multiplications) beats the standard
// distributions, whose set-up alone costs a few logarithms per call (one call per bin and leap).
constexpr double kInversionMean = 64.0;

/// Binomial(n, p) for n p < kInversionMean and p <= 1/2, by inversion (BINV, Kachitvichyanukul and
/// Schmeiser 1988): walk the probabilities P(0), P(1), ... with the ratio P(x)/P(x-1).
std::uint64_t binomial_inversion(std::uint64_t n, double p, CounterRng& rng) {
    const double s = p / (1.0 - p), a = static_cast<double>(n + 1) * s;
    const double p0 = std::exp(static_cast<double>(n) * std::log1p(-p));  // >= e^-89 here: no underflow
    for (;;) {
        double u = rng.uniform(), px = p0;
        std::uint64_t x = 0;
        while (u > px && x < n) {
            u -= px;
            ++x;
            px *= a / static_cast<double>(x) - s;
        }
        if (u <= px) return x;  // else rounding left u above the whole mass (rare): draw again
    }
}

}  // namespace

/// Binomial(n, p): by counting Bernoulli draws when n is small, by inversion when the mean is
/// moderate, else std::binomial_distribution.
std::uint64_t binomial(std::uint64_t n, double p, CounterRng& rng) {
    if (p <= 0.0 || n == 0) return 0;
    if (p >= 1.0) return n;
    if (n <= 16) {
        std::uint64_t k = 0;
        for (std::uint64_t i = 0; i < n; ++i) k += rng.uniform() < p;
        return k;
    }
    if (p > 0.5) return n - binomial(n, 1.0 - p, rng);
    if (static_cast<double>(n) * p < kInversionMean) return binomial_inversion(n, p, rng);
    std::binomial_distribution<std::uint64_t> draw(n, p);
    return draw(rng);
}

/// Poisson(mean): by inversion when the mean is moderate, else std::poisson_distribution.
std::uint64_t poisson(double mean, CounterRng& rng) {
    if (mean <= 0.0) return 0;
    if (mean < kInversionMean) {
        const double p0 = std::exp(-mean);  // >= e^-64: no underflow
        // Beyond `cap` the remaining mass is below 1e-60: only rounding can get there; draw again.
        const double cap = mean + 40.0 * std::sqrt(mean) + 60.0;
        for (;;) {
            double u = rng.uniform(), px = p0;
            std::uint64_t x = 0;
            while (u > px && static_cast<double>(x) < cap) {
                u -= px;
                ++x;
                px *= mean / static_cast<double>(x);
            }
            if (u <= px) return x;
        }
    }
    std::poisson_distribution<std::uint64_t> draw(mean);
    return draw(rng);
}
}  // namespace cartsim::agents
