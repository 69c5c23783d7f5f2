#include <doctest/doctest.h>

#include <cmath>
#include <numeric>

#include "model/tumour/density_grid.hpp"

using cartsim::tumour::DensityGrid;

TEST_CASE("density grid: log-spaced bins plus a zero bin") {
    DensityGrid g(12, 10.0, 1e5);
    REQUIRE(g.size() == 13);
    CHECK(g.centre(0) == 0.0);
    CHECK(g.lower_edge(1) == doctest::Approx(10.0));
    CHECK(g.upper_edge(12) == doctest::Approx(1e5));
    for (std::size_t k = 1; k < g.size(); ++k)
        CHECK(g.centre(k) == doctest::Approx(std::sqrt(g.lower_edge(k) * g.upper_edge(k))));
}

TEST_CASE("density grid: lognormal weights sum to one and put the median bin highest") {
    DensityGrid g(12, 10.0, 1e5);
    const auto w = g.lognormal_weights(670.0, 0.6);
    CHECK(std::accumulate(w.begin(), w.end(), 0.0) == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(w[0] == 0.0);
    std::size_t best = 1;
    for (std::size_t k = 1; k < w.size(); ++k)
        if (w[k] > w[best]) best = k;
    CHECK(g.lower_edge(best) <= 670.0);
    CHECK(g.upper_edge(best) >= 670.0);
    const auto none = g.lognormal_weights(0.0, 0.6);
    CHECK(none[0] == 1.0);
}

TEST_CASE("density grid: halving the density moves cells down by log(2)/bin width bins") {
    DensityGrid g(12, 10.0, 1e5);
    const double width = std::log(1e4) / 12.0;
    const auto split = g.shift(8, 0.5);
    const double position = 8.0 - std::log(2.0) / width;
    CHECK(split.lower == static_cast<std::size_t>(std::floor(position)));
    CHECK(split.upper == split.lower + 1);
    CHECK(split.lower_share == doctest::Approx(1.0 - (position - std::floor(position))));
    // Never below the first log bin.
    CHECK(g.shift(1, 0.01).lower == 1);
}

TEST_CASE("density grid: the median of a histogram lies in the bin holding the middle cell") {
    DensityGrid g(12, 10.0, 1e5);
    std::vector<double> cells(g.size(), 0.0);
    cells[5] = 10.0;
    cells[9] = 10.0;
    const double median = g.quantile(cells, 0.5);
    CHECK(median == doctest::Approx(g.upper_edge(5)));
    cells[0] = 100.0;  // most cells without BCMA: median 0
    CHECK(g.quantile(cells, 0.5) == 0.0);
}
