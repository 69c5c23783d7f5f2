#include "solvers/agents/random_counts.hpp"

#include <cmath>

#include <boost/random/binomial_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>

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
/// moderate, else Boost.Random's BTRD (Hormann 1993), whose algorithm does not depend on the standard
/// library (the standard binomial differs between libstdc++ and libc++).
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
    // Signed counts, as Boost's algorithm needs (n of agents stays far below 2^63).
    boost::random::binomial_distribution<std::int64_t, double> draw(static_cast<std::int64_t>(n), p);
    return static_cast<std::uint64_t>(draw(rng));
}

/// Poisson(mean): by inversion when the mean is moderate, else Boost.Random's PTRD (Hormann 1993).
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
    boost::random::poisson_distribution<std::int64_t, double> draw(mean);
    return static_cast<std::uint64_t>(draw(rng));
}

double standard_normal(CounterRng& rng) {
    // Boost.Random's ziggurat (Marsaglia and Tsang 2000, with Doornik's tail): a fixed algorithm that
    // keeps no second draw for later, so each call depends on its own stream alone.
    boost::random::normal_distribution<double> draw(0.0, 1.0);
    return draw(rng);
}
}  // namespace cartsim::agents
