#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <numeric>
#include <utility>
#include <vector>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/poisson.hpp>

#include "solvers/agents/random_counts.hpp"
#include "tests/solvers/agents/sampler_kat.hpp"

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

TEST_CASE("random counts: the samplers give their known-answer draws (the same with libc++: tests/samplers)") {
    const auto cases = kat::draw_cases();
    const auto want = kat::expected();
    REQUIRE(cases.size() == want.size());
    for (std::size_t k = 0; k < cases.size(); ++k) {
        INFO(cases[k].name);
        CHECK(cases[k].draws == want[k]);
    }
}

namespace {

/// Pearson's chi-square of `draws` counts against an exact probability mass function, cells pooled
/// from the tails inwards until each expects at least 5; returns the statistic and its degrees of freedom.
std::pair<double, int> chi_square(const std::map<std::int64_t, int>& counts, int draws,
                                  const std::function<double(std::int64_t)>& pmf, std::int64_t lo, std::int64_t hi) {
    std::vector<double> expected, observed;
    double e = 0.0, o = 0.0;
    for (std::int64_t k = lo; k <= hi; ++k) {
        e += draws * pmf(k);
        const auto it = counts.find(k);
        o += it == counts.end() ? 0.0 : it->second;
        if (e >= 5.0) {
            expected.push_back(e), observed.push_back(o);
            e = o = 0.0;
        }
    }
    // Mass outside [lo, hi] and the last partial cell join the last cell.
    double outside = 0.0;
    for (const auto& [k, n] : counts)
        if (k < lo || k > hi) outside += n;
    expected.back() += e + (draws - std::accumulate(expected.begin(), expected.end(), 0.0) - e);
    observed.back() += o + outside;
    double chi2 = 0.0;
    for (std::size_t i = 0; i < expected.size(); ++i) chi2 += std::pow(observed[i] - expected[i], 2) / expected[i];
    return {chi2, static_cast<int>(expected.size()) - 1};
}

}  // namespace

TEST_CASE("random counts: binomial, Poisson and normal draws fit their exact distributions on every path") {
    // 20,000 draws per case from independent streams; Pearson's chi-square against the exact pmf
    // (Boost.Math), rejected at p < 1e-4 (12 cases: a false alarm in about 1 of 800 runs of the suite,
    // and the draws are fixed, so a pass stays a pass).
    const int draws = 20000;
    auto fit = [&](const char* name, auto draw, auto pmf, std::int64_t lo, std::int64_t hi) {
        std::map<std::int64_t, int> counts;
        for (int i = 0; i < draws; ++i) {
            CounterRng rng(StreamKey{77, 1, 2, static_cast<std::uint32_t>(i), 3});
            ++counts[static_cast<std::int64_t>(draw(rng))];
        }
        const auto fitted = chi_square(counts, draws, pmf, lo, hi);
        const double chi2 = fitted.first;  // plain variables: clang 14 cannot capture bindings in INFO
        const int df = fitted.second;
        const double p = boost::math::cdf(boost::math::complement(boost::math::chi_squared(df), chi2));
        INFO(name << ": chi-square " << chi2 << " on " << df << " degrees of freedom, p = " << p);
        CHECK(df >= 3);
        CHECK(p > 1e-4);
    };
    for (auto [n, q] : {std::pair{12, 0.3}, std::pair{430, 0.03}, std::pair{200, 0.9}, std::pair{5000, 0.2},
                        std::pair{3'000'000, 0.45}}) {
        const boost::math::binomial_distribution<double> exact(n, q);
        const double mean = n * q, sd = std::sqrt(n * q * (1 - q));
        fit("binomial", [n = n, q = q](CounterRng& rng) { return binomial(static_cast<std::uint64_t>(n), q, rng); },
            [&](std::int64_t k) { return boost::math::pdf(exact, static_cast<double>(k)); },
            std::max<std::int64_t>(0, static_cast<std::int64_t>(mean - 6 * sd)),
            std::min<std::int64_t>(n, static_cast<std::int64_t>(mean + 6 * sd) + 1));
    }
    for (double mean : {3.0, 40.0, 500.0, 2e7}) {
        const boost::math::poisson_distribution<double> exact(mean);
        const double sd = std::sqrt(mean);
        fit("poisson", [mean](CounterRng& rng) { return poisson(mean, rng); },
            [&](std::int64_t k) { return boost::math::pdf(exact, static_cast<double>(k)); },
            std::max<std::int64_t>(0, static_cast<std::int64_t>(mean - 6 * sd)),
            static_cast<std::int64_t>(mean + 6 * sd) + 1);
    }
    // The normal: counts in 40 cells of width 0.2 over [-4, 4) against the exact cell probabilities.
    const boost::math::normal_distribution<double> unit;
    fit("standard normal", [](CounterRng& rng) { return std::floor(standard_normal(rng) / 0.2); },
        [&](std::int64_t k) {
            return boost::math::cdf(unit, 0.2 * static_cast<double>(k + 1)) - boost::math::cdf(unit, 0.2 * static_cast<double>(k));
        },
        -20, 19);
}
