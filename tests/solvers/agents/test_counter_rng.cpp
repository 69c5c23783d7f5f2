#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include <Random123/philox.h>

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

TEST_CASE("counter rng: the stream is Random123's Philox4x32-10, block after block") {
    // Reference: block i of stream (seed, counter) is Philox4x32-10 of the counter with key
    // {seed low ^ i, seed high + 0x9E3779B9 (i + 1)}. 40 blocks span several refills.
    const StreamKey key{0x123456789ABCDEFull, 3, 5, 7, 11};
    CounterRng rng(key);
    using Philox = r123::Philox4x32;
    const Philox::ctr_type counter = {{key.patient, key.population, key.agent, key.step}};
    for (std::uint32_t block = 0; block < 40; ++block) {
        const Philox::key_type k = {{static_cast<std::uint32_t>(key.seed) ^ block,
                                     static_cast<std::uint32_t>(key.seed >> 32) + 0x9E3779B9u * (block + 1)}};
        const Philox::ctr_type expected = Philox{}(counter, k);
        for (int i = 0; i < 4; ++i) CHECK(rng() == expected.v[i]);
    }
}

TEST_CASE("counter rng: below(n) is uniform over 0 ... n-1 within 4 sigma") {
    // Small n: every value's share; n near 2^32 and above: range and mean.
    CounterRng rng(StreamKey{2, 0, 0, 0, 0});
    const int draws = 120000;
    std::vector<int> counts(6, 0);
    for (int i = 0; i < draws; ++i) {
        const auto v = rng.below(6);
        REQUIRE(v < 6u);
        ++counts[v];
    }
    const double p = 1.0 / 6.0, sd = std::sqrt(draws * p * (1 - p));
    for (int c : counts) CHECK(std::abs(c - draws * p) < 4.0 * sd);
    for (std::uint64_t n : {std::uint64_t{3000000000u}, std::uint64_t{1} << 40}) {
        double sum = 0.0;
        for (int i = 0; i < draws; ++i) {
            const auto v = rng.below(n);
            REQUIRE(v < n);
            sum += static_cast<double>(v) / static_cast<double>(n);
        }
        CHECK(std::abs(sum / draws - 0.5) < 4.0 * std::sqrt(1.0 / 12.0 / draws));
    }
    CHECK(rng.below(1) == 0u);
    CHECK(rng.below(0) == 0u);
}
