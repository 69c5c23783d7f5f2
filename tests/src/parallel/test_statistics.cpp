// src/parallel/statistics: Wilson score interval and median.

#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

#include "src/parallel/statistics.hpp"

using cartsim::parallel::median;
using cartsim::parallel::wilson_interval;

// Reference bounds solved independently as the two roots of (k/n - p)^2 = z^2 p (1 - p) / n, i.e.
// (n + z^2) p^2 - (2k + z^2) p + k^2/n = 0, with Python's decimal module at 40 digits and
// z = 1.959963984540054 (scipy.stats.norm.ppf(0.975)):
//     0/10    [0,                      0.27753279986288920453]
//     5/10    [0.23659309051256400056, 0.76340690948743599944]
//    10/10    [0.72246720013711079547, 1]
//    37/168   [0.16421726335801918879, 0.28876689631393079233]
//     3/7 (z = 1) [0.2623087779433162, 0.6126912220566838]
TEST_CASE("wilson interval matches independently computed bounds") {
    const double tolerance = 1e-14;
    struct Case {
        long k, n;
        double low, high;
    };
    for (const Case& c :
         {Case{0, 10, 0.0, 0.27753279986288920453}, Case{5, 10, 0.23659309051256400056, 0.76340690948743599944},
          Case{10, 10, 0.72246720013711079547, 1.0}, Case{37, 168, 0.16421726335801918879, 0.28876689631393079233}}) {
        CAPTURE(c.k);
        CAPTURE(c.n);
        const auto ci = wilson_interval(c.k, c.n);
        CHECK(ci.low == doctest::Approx(c.low).epsilon(tolerance));
        CHECK(ci.high == doctest::Approx(c.high).epsilon(tolerance));
    }
    const auto z1 = wilson_interval(3, 7, 1.0);
    CHECK(z1.low == doctest::Approx(0.2623087779433162).epsilon(tolerance));
    CHECK(z1.high == doctest::Approx(0.6126912220566838).epsilon(tolerance));
}

TEST_CASE("wilson interval: exact 0 and 1 at the ends, symmetric, contains the share") {
    CHECK(wilson_interval(0, 10).low == 0.0);
    CHECK(wilson_interval(10, 10).high == 1.0);  // the formula gives 0.9999999999999999
    for (long n : {1L, 2L, 7L, 20L, 200L, 10000L}) {
        for (long k = 0; k <= n; k += (n > 20 ? n / 10 : 1)) {
            const auto ci = wilson_interval(k, n);
            const auto mirror = wilson_interval(n - k, n);
            const double share = static_cast<double>(k) / static_cast<double>(n);
            CHECK(ci.low >= 0.0);
            CHECK(ci.high <= 1.0);
            CHECK(ci.low <= share);
            CHECK(ci.high >= share);
            CHECK(ci.low == doctest::Approx(1.0 - mirror.high).epsilon(1e-12));
        }
    }
    // The 95% interval contains the 68% (z = 1) one.
    const auto narrow = wilson_interval(37, 168, 1.0), wide = wilson_interval(37, 168);
    CHECK(wide.low < narrow.low);
    CHECK(wide.high > narrow.high);
}

TEST_CASE("wilson interval: no trials give [0, 1], impossible counts are refused") {
    const auto empty = wilson_interval(0, 0);
    CHECK(empty.low == 0.0);
    CHECK(empty.high == 1.0);
    CHECK_THROWS_AS(wilson_interval(11, 10), std::invalid_argument);
    CHECK_THROWS_AS(wilson_interval(-1, 10), std::invalid_argument);
    CHECK_THROWS_AS(wilson_interval(0, -1), std::invalid_argument);
}

TEST_CASE("median: odd and even counts, order does not matter, empty has none") {
    CHECK_FALSE(median({}).has_value());
    CHECK(median({4.0}) == 4.0);
    CHECK(median({3.0, 1.0, 2.0}) == 2.0);
    CHECK(median({10.0, 1.0, 4.0, 2.0}) == 3.0);
    CHECK(median({5.0, 5.0, 1.0, 9.0}) == 5.0);
    CHECK(median({-2.0, 8.0}) == 3.0);
    std::vector<double> many;
    for (int i = 100; i >= 0; --i) many.push_back(i * 1.5);
    CHECK(median(many) == 75.0);
}
