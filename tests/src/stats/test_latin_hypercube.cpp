#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "src/stats/latin_hypercube.hpp"

using namespace cartsim::stats;
using cartsim::agents::CounterRng;
using cartsim::agents::StreamKey;

namespace {

Eigen::MatrixXd design(std::size_t n, std::size_t d, std::uint32_t stream) {
    CounterRng rng(StreamKey{5, stream, 0, 0, 0});
    return latin_hypercube(n, d, rng);
}

}  // namespace

TEST_CASE("latin hypercube: every column has exactly one point in each of the N strata") {
    for (const std::size_t n : {1u, 2u, 7u, 1000u}) {
        const Eigen::MatrixXd x = design(n, 4, 1);
        REQUIRE(x.rows() == static_cast<Eigen::Index>(n));
        REQUIRE(x.cols() == 4);
        CHECK(x.minCoeff() > 0.0);
        CHECK(x.maxCoeff() < 1.0);
        for (Eigen::Index j = 0; j < x.cols(); ++j) {
            std::vector<int> hits(n, 0);
            for (Eigen::Index i = 0; i < x.rows(); ++i)
                hits[static_cast<std::size_t>(std::floor(x(i, j) * double(n)))] += 1;
            CAPTURE(n);
            CAPTURE(j);
            CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
        }
    }
}

TEST_CASE("latin hypercube: columns are paired at random") {
    // Independent permutations: the correlation between columns has standard error 1/sqrt(N - 1); 4 of them.
    const std::size_t n = 1000;
    const Eigen::MatrixXd x = design(n, 3, 2);
    for (Eigen::Index j = 1; j < 3; ++j) {
        const Eigen::ArrayXd a = x.col(0).array() - 0.5, b = x.col(j).array() - 0.5;
        const double r = (a * b).sum() / std::sqrt((a * a).sum() * (b * b).sum());
        CHECK(std::abs(r) < 4.0 / std::sqrt(double(n - 1)));
    }
    CHECK(x.col(0) != x.col(1));
}

TEST_CASE("latin hypercube: the same stream key gives the same design") {
    CHECK(design(50, 3, 7) == design(50, 3, 7));
    CHECK(design(50, 3, 7) != design(50, 3, 8));
    CounterRng rng(StreamKey{});
    CHECK_THROWS_AS(latin_hypercube(0, 3, rng), std::invalid_argument);
    CHECK_THROWS_AS(latin_hypercube(3, 0, rng), std::invalid_argument);
}
