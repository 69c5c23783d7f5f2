#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <utility>

#include "solvers/agents/random_counts.hpp"

using namespace cartsim::agents;

TEST_CASE("random counts: binomial and Poisson counts have their mean and variance, on every path") {
    // 20000 draws: the sample mean is within 4.5 standard errors; the sample variance within 4.5
    // standard errors of the variance estimate (sd of s^2 about var sqrt(2/N + kurtosis excess/N)).
    const int draws = 20000;
    auto check = [&](double mean, double var, auto draw) {
        double sum = 0.0, sum2 = 0.0;
        for (int i = 0; i < draws; ++i) {
            CounterRng rng(StreamKey{9, 0, 0, static_cast<std::uint32_t>(i), 0});
            const auto k = static_cast<double>(draw(rng));
            sum += k;
            sum2 += k * k;
        }
        const double m = sum / draws, v = sum2 / draws - m * m;
        INFO("mean " << m << " expected " << mean << ", variance " << v << " expected " << var);
        CHECK(std::abs(m - mean) < 4.5 * std::sqrt(var / draws));
        CHECK(std::abs(v - var) < 4.5 * var * std::sqrt(2.0 / draws + 1.0 / (var * draws)));
    };
    // Bernoulli counting, inversion, inversion of the complement, the standard distribution.
    for (auto [n, p] : {std::pair{12.0, 0.3}, std::pair{430.0, 0.03}, std::pair{200.0, 0.9}, std::pair{5000.0, 0.2}})
        check(n * p, n * p * (1 - p), [n = n, p = p](CounterRng& rng) {
            return binomial(static_cast<std::uint64_t>(n), p, rng);
        });
    for (double mean : {0.05, 3.0, 40.0, 500.0})
        check(mean, mean, [mean](CounterRng& rng) { return poisson(mean, rng); });
}
