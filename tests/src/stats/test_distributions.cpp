#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/math/special_functions/beta.hpp>

#include "src/stats/distributions.hpp"
#include "src/stats/normal.hpp"

using namespace cartsim::stats;
using cartsim::agents::CounterRng;
using cartsim::agents::StreamKey;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Moments {
    double mean = 0.0, variance = 0.0, fourth = 0.0;  // sample mean, variance and fourth central moment
};

Moments moments_of(const std::vector<double>& x) {
    Moments m;
    const auto n = static_cast<double>(x.size());
    for (double v : x) m.mean += v / n;
    for (double v : x) {
        const double d2 = (v - m.mean) * (v - m.mean);
        m.variance += d2 / n;
        m.fourth += d2 * d2 / n;
    }
    return m;
}

std::vector<double> draws(const Distribution& d, int n, std::uint32_t stream) {
    CounterRng rng(StreamKey{2024, stream, 0, 0, 0});
    std::vector<double> x(static_cast<std::size_t>(n));
    for (auto& v : x) v = sample(d, rng);
    return x;
}

}  // namespace

TEST_CASE("distributions: sample mean and variance within 4 standard errors of the exact moments") {
    // With n = 100,000 draws the sample mean has standard error sqrt(var / n) and the sample variance
    // sqrt((mu4 - var^2) / n) (mu4 estimated from the sample). 4 standard errors: a false alarm has probability
    // about 6e-5 per check, and the draws are fixed by the stream key, so the outcome is reproducible.
    const int n = 100000;
    const std::vector<std::pair<std::string, Distribution>> cases = {
        {"lognormal", LogNormal{100.0, 0.5}},
        {"normal", Normal{3.0, 2.0}},
        {"truncated normal", TruncatedNormal{1.0, 2.0, 0.0, 3.0}},
        {"truncated normal, upper tail", TruncatedNormal{0.0, 1.0, 2.5, kInf}},
        {"uniform", Uniform{-2.0, 5.0}},
        {"log-uniform", LogUniform{1e-3, 10.0}},
        {"beta", Beta{2.0, 5.0, 10.0, 20.0}},
        {"discrete", DiscreteChoice{{1.0, 2.0, 7.0}, {0.2, 0.5, 0.3}}},
    };
    std::uint32_t stream = 0;
    for (const auto& named : cases) {
        const auto& name = named.first;  // not a binding: clang 14 cannot capture one in CAPTURE
        const auto& d = named.second;
        CAPTURE(name);
        const Moments m = moments_of(draws(d, n, stream++));
        CHECK(std::abs(m.mean - mean(d)) < 4.0 * std::sqrt(variance(d) / n));
        CHECK(std::abs(m.variance - variance(d)) < 4.0 * std::sqrt((m.fourth - m.variance * m.variance) / n));
    }
}

TEST_CASE("distributions: closed-form moments") {
    // Lognormal: mean = median sqrt(1 + cv^2), sd / mean = cv.
    CHECK(mean(LogNormal{100.0, 0.5}) == doctest::Approx(100.0 * std::sqrt(1.25)).epsilon(1e-14));
    CHECK(std::sqrt(variance(LogNormal{100.0, 0.5})) / mean(LogNormal{100.0, 0.5}) ==
          doctest::Approx(0.5).epsilon(1e-14));
    // Truncating symmetrically about the mean keeps the mean; the untruncated limit gives the normal moments.
    CHECK(mean(TruncatedNormal{4.0, 1.5, 1.0, 7.0}) == doctest::Approx(4.0).epsilon(1e-14));
    CHECK(variance(TruncatedNormal{4.0, 1.5, -kInf, kInf}) == doctest::Approx(2.25).epsilon(1e-14));
    // Half-normal: mean sqrt(2/pi), variance 1 - 2/pi.
    CHECK(mean(TruncatedNormal{0.0, 1.0, 0.0, kInf}) ==
          doctest::Approx(std::sqrt(2.0 / std::numbers::pi)).epsilon(1e-14));
    CHECK(variance(TruncatedNormal{0.0, 1.0, 0.0, kInf}) ==
          doctest::Approx(1.0 - 2.0 / std::numbers::pi).epsilon(1e-13));
    CHECK(mean(LogUniform{1.0, std::exp(1.0)}) == doctest::Approx(std::exp(1.0) - 1.0).epsilon(1e-14));
    CHECK(mean(Beta{2.0, 6.0, 0.0, 4.0}) == doctest::Approx(1.0).epsilon(1e-14));
}

TEST_CASE("distributions: quantile inverts the known CDFs") {
    // Each CDF written out independently of the quantile code; |F(Q(u)) - u| < 1e-12 over a grid including the tails.
    for (double u : {1e-9, 1e-4, 0.01, 0.1, 0.3, 0.5, 0.77, 0.95, 0.999, 1.0 - 1e-9}) {
        CAPTURE(u);
        const double ln = quantile(LogNormal{50.0, 0.8}, u);
        CHECK(normal_cdf((std::log(ln / 50.0)) / std::sqrt(std::log(1.0 + 0.64))) == doctest::Approx(u).epsilon(1e-12));
        const double x = quantile(Normal{3.0, 2.0}, u);
        CHECK(0.5 * std::erfc(-(x - 3.0) / 2.0 / std::sqrt(2.0)) == doctest::Approx(u).epsilon(1e-12));
        const double t = quantile(TruncatedNormal{1.0, 2.0, 0.0, 3.0}, u);
        const double f0 = normal_cdf(-0.5), f1 = normal_cdf(1.0);
        CHECK((normal_cdf((t - 1.0) / 2.0) - f0) / (f1 - f0) == doctest::Approx(u).epsilon(1e-11));
        CHECK((quantile(Uniform{-2.0, 5.0}, u) + 2.0) / 7.0 == doctest::Approx(u).epsilon(1e-14));
        CHECK(std::log(quantile(LogUniform{1e-3, 10.0}, u) / 1e-3) / std::log(1e4) ==
              doctest::Approx(u).epsilon(1e-12));
        const double b = quantile(Beta{2.0, 5.0, 10.0, 20.0}, u);
        CHECK(boost::math::ibeta(2.0, 5.0, (b - 10.0) / 10.0) == doctest::Approx(u).epsilon(1e-12));
    }
    CHECK(quantile(LogNormal{50.0, 0.8}, 0.5) == doctest::Approx(50.0).epsilon(1e-15));
    CHECK(quantile(Normal{3.0, 2.0}, 0.975) == doctest::Approx(3.0 + 2.0 * 1.959963984540054).epsilon(1e-14));
    // Ends of the support.
    CHECK(quantile(Normal{3.0, 2.0}, 0.0) == -kInf);
    CHECK(quantile(Uniform{-2.0, 5.0}, 1.0) == 5.0);
    CHECK(quantile(Beta{2.0, 5.0, 10.0, 20.0}, 0.0) == 10.0);
    CHECK(quantile(TruncatedNormal{1.0, 2.0, 0.0, 3.0}, 1.0) == 3.0);
    // Degenerate spreads give the centre with certainty.
    CHECK(quantile(LogNormal{7.0, 0.0}, 0.01) == 7.0);
    CHECK(quantile(Normal{7.0, 0.0}, 0.99) == 7.0);
}

TEST_CASE("distributions: truncated normal stays inside its bounds, even far in a tail") {
    // [8, 9] sd above the mean: a naive Phi^-1(Phi(a) + u (Phi(b) - Phi(a))) rounds Phi to 1 and returns inf or NaN.
    const TruncatedNormal tail{0.0, 1.0, 8.0, 9.0};
    const auto x = draws(tail, 20000, 77);
    CHECK(*std::min_element(x.begin(), x.end()) >= 8.0);
    CHECK(*std::max_element(x.begin(), x.end()) <= 9.0);
    // The density falls by e^-8 per unit here, so the mean sits close to the lower bound (about 8 + 1/8).
    const Moments m = moments_of(x);
    CHECK(std::abs(m.mean - mean(tail)) < 4.0 * std::sqrt(variance(tail) / 20000.0));
    CHECK(mean(tail) == doctest::Approx(8.0 + 1.0 / 8.0).epsilon(0.01));
    const auto y = draws(TruncatedNormal{5.0, 3.0, 4.0, 4.5}, 20000, 78);
    CHECK(*std::min_element(y.begin(), y.end()) >= 4.0);
    CHECK(*std::max_element(y.begin(), y.end()) <= 4.5);
}

TEST_CASE("distributions: discrete choice frequencies within 4 binomial standard errors, zero weight never drawn") {
    const DiscreteChoice d{{10.0, 20.0, 30.0, 40.0, 50.0}, {1.0, 2.0, 3.0, 0.0, 4.0}};
    const int n = 100000;
    const auto x = draws(d, n, 5);
    double chi2 = 0.0;
    for (std::size_t i = 0; i < d.values.size(); ++i) {
        const double p = d.weights[i] / 10.0;
        const auto count = static_cast<double>(std::count(x.begin(), x.end(), d.values[i]));
        CAPTURE(i);
        CHECK(std::abs(count - n * p) <= 4.0 * std::sqrt(n * p * (1.0 - p)));
        if (p > 0.0) chi2 += (count - n * p) * (count - n * p) / (n * p);
    }
    CHECK(std::count(x.begin(), x.end(), 40.0) == 0);
    // Pearson chi-square with 3 degrees of freedom: P(chi2_3 > 21.1) = 1e-4.
    CHECK(chi2 < 21.1);
    // Quantile: the smallest value whose cumulative share reaches u.
    CHECK(quantile(d, 0.0) == 10.0);
    CHECK(quantile(d, 0.1) == 10.0);
    CHECK(quantile(d, 0.1000001) == 20.0);
    CHECK(quantile(d, 0.6) == 30.0);
    CHECK(quantile(d, 0.6000001) == 50.0);
    CHECK(quantile(d, 1.0) == 50.0);
}

TEST_CASE("distributions: the same stream key gives the same draws, and each draw takes one uniform") {
    const Distribution d = Beta{0.5, 0.5, -1.0, 1.0};
    CHECK(draws(d, 100, 3) == draws(d, 100, 3));
    CHECK(draws(d, 100, 3) != draws(d, 100, 4));
    CounterRng a(StreamKey{9, 9, 9, 9, 9}), b(StreamKey{9, 9, 9, 9, 9});
    (void)sample(DiscreteChoice{{1.0, 2.0}, {1.0, 1.0}}, a);
    (void)b.uniform();
    CHECK(a.uniform() == b.uniform());
}

TEST_CASE("distributions: validate lists every problem, quantile rejects bad input") {
    CHECK(validate(LogNormal{100.0, 0.5}).empty());
    CHECK(validate(LogNormal{-1.0, -0.5}).size() == 2);
    CHECK(validate(Beta{0.0, -1.0, 1.0, 0.0}).size() == 3);
    CHECK(validate(DiscreteChoice{{1.0, 2.0}, {0.0, -1.0, 1.0}}).size() == 3);  // sizes, negative weight, sum 0
    CHECK(validate(TruncatedNormal{0.0, 1.0, 2.0, 1.0}).size() == 1);
    CHECK_THROWS_AS(quantile(Normal{0.0, 1.0}, 1.5), std::invalid_argument);
    CHECK_THROWS_AS(quantile(Normal{0.0, 1.0}, std::nan("")), std::invalid_argument);
    CHECK_THROWS_AS(quantile(Uniform{2.0, 1.0}, 0.5), std::invalid_argument);
    CHECK_THROWS_AS(mean(LogUniform{0.0, 1.0}), std::invalid_argument);
}

TEST_CASE("distributions: truncated lognormal is the lognormal conditioned on its bounds") {
    const double median = 3e11, cv = 0.8, low = 5e10, high = 2e12;
    const double sigma = std::sqrt(std::log1p(cv * cv));
    const auto cdf = [&](double x) { return normal_cdf(std::log(x / median) / sigma); };
    const TruncatedLogNormal d{median, cv, low, high};
    // F_trunc(Q(u)) = u, with the CDF written out from the untruncated lognormal.
    for (double u : {1e-9, 1e-4, 0.1, 0.5, 0.9, 0.999, 1.0 - 1e-9}) {
        CAPTURE(u);
        const double x = quantile(d, u);
        CHECK((cdf(x) - cdf(low)) / (cdf(high) - cdf(low)) == doctest::Approx(u).epsilon(1e-10));
    }
    CHECK(quantile(d, 0.0) == low);
    CHECK(quantile(d, 1.0) == high);
    // Open ends give back the lognormal, quantiles and moments.
    const TruncatedLogNormal open{median, cv, 0.0, kInf};
    for (double u : {0.01, 0.5, 0.99})
        CHECK(quantile(open, u) == doctest::Approx(quantile(LogNormal{median, cv}, u)).epsilon(1e-12));
    CHECK(mean(open) == doctest::Approx(mean(LogNormal{median, cv})).epsilon(1e-12));
    CHECK(variance(open) == doctest::Approx(variance(LogNormal{median, cv})).epsilon(1e-12));
    // Only an upper bound: the mean falls below the lognormal's, and no draw exceeds the bound.
    const TruncatedLogNormal capped{median, cv, 0.0, 1e12};
    CHECK(mean(capped) < mean(LogNormal{median, cv}));
    const auto x = draws(capped, 100000, 91);
    CHECK(*std::max_element(x.begin(), x.end()) <= 1e12);
    // Sample moments within 4 standard errors (as in the test above; the draws are fixed by the stream key).
    const Moments m = moments_of(x);
    CHECK(std::abs(m.mean - mean(capped)) < 4.0 * std::sqrt(variance(capped) / 100000.0));
    CHECK(std::abs(m.variance - variance(capped)) < 4.0 * std::sqrt((m.fourth - m.variance * m.variance) / 100000.0));
    // A window far in the upper tail (12 to 13 sigma): no cancellation, draws stay inside.
    const double far_low = median * std::exp(12.0 * sigma), far_high = median * std::exp(13.0 * sigma);
    const auto y = draws(TruncatedLogNormal{median, cv, far_low, far_high}, 1000, 92);
    CHECK(*std::min_element(y.begin(), y.end()) >= far_low);
    CHECK(*std::max_element(y.begin(), y.end()) <= far_high);
    CHECK(validate(TruncatedLogNormal{median, 0.0, 0.0, 1.0}).size() == 1);
    CHECK(validate(TruncatedLogNormal{median, cv, 2.0, 1.0}).size() == 1);
}
