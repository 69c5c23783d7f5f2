#include <doctest/doctest.h>

#include <cmath>
#include <initializer_list>

#include "solvers/agents/counter_rng.hpp"

using cartsim::agents::CounterRng;
using cartsim::agents::StreamKey;

TEST_CASE("counter rng: the stream is a pure function of its key") {
    CounterRng a(StreamKey{7, 1, 2, 3, 4}), b(StreamKey{7, 1, 2, 3, 4});
    for (int i = 0; i < 100; ++i) CHECK(a() == b());
    for (auto changed : {StreamKey{8, 1, 2, 3, 4}, StreamKey{7, 2, 2, 3, 4}, StreamKey{7, 1, 3, 3, 4},
                         StreamKey{7, 1, 2, 4, 4}, StreamKey{7, 1, 2, 3, 5}}) {
        CounterRng c(StreamKey{7, 1, 2, 3, 4}), d(changed);
        int same = 0;
        for (int i = 0; i < 64; ++i) same += c() == d();
        CHECK(same < 3);
    }
}

TEST_CASE("counter rng: uniform draws have mean 1/2 and variance 1/12 within 4 sigma") {
    CounterRng rng(StreamKey{1, 0, 0, 0, 0});
    const int n = 200000;
    double sum = 0.0, sum2 = 0.0;
    for (int i = 0; i < n; ++i) {
        const double u = rng.uniform();
        REQUIRE(u > 0.0);
        REQUIRE(u < 1.0);
        sum += u;
        sum2 += u * u;
    }
    const double mean = sum / n, var = sum2 / n - mean * mean;
    CHECK(std::abs(mean - 0.5) < 4.0 * std::sqrt(1.0 / 12.0 / n));
    // Var of U^2 is 4/45; the sample variance error is about sqrt(1/180/n).
    CHECK(std::abs(var - 1.0 / 12.0) < 4.0 * std::sqrt(1.0 / 180.0 / n));
}
