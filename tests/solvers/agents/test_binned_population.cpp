// The agent store's count: kept through add, take and clear, and always the sum of its bins.

#include <doctest/doctest.h>

#include <cstddef>

#include "solvers/agents/binned_population.hpp"
#include "solvers/agents/counter_rng.hpp"

namespace {

using cartsim::agents::Agent;
using cartsim::agents::BinnedPopulation;

std::size_t summed(const BinnedPopulation& p) {
    std::size_t n = 0;
    for (std::size_t b = 0; b < p.bins(); ++b) n += p.bin(b).size();
    return n;
}

}  // namespace

TEST_CASE("binned population: size() equals the agents of all bins after every add, take and clear") {
    BinnedPopulation p(5);
    CHECK(p.size() == 0);
    cartsim::agents::CounterRng rng({7, 1, 2, 3, 4});
    // A random walk of adds and takes, checked after each step.
    std::size_t expected = 0;
    for (int i = 0; i < 5000; ++i) {
        const std::size_t b = rng.below(p.bins());
        if (p.count(b) > 0 && rng.uniform() < 0.45) {
            const Agent a = p.take(b, rng.below(p.count(b)));
            CHECK(a.id > 0);
            --expected;
        } else {
            Agent a;
            a.id = static_cast<std::uint64_t>(i) + 1;
            p.add(b, a);
            ++expected;
        }
        REQUIRE(p.size() == expected);
        REQUIRE(p.size() == summed(p));
    }
    CHECK(expected > 100);  // the walk left a population behind
    p.clear();
    CHECK(p.size() == 0);
    CHECK(summed(p) == 0);
}
