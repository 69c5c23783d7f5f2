#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "src/stats/nelder_mead.hpp"

using cartsim::stats::nelder_mead;
using cartsim::stats::NelderMeadOptions;

namespace {

double rosenbrock(const std::vector<double>& x) {
    return 100.0 * std::pow(x[1] - x[0] * x[0], 2) + std::pow(1.0 - x[0], 2);
}

}  // namespace

TEST_CASE("nelder_mead: finds the analytic minimum of the Rosenbrock function from (-1.2, 1)") {
    NelderMeadOptions o;
    o.initial_step = {0.1, 0.1};
    o.max_evaluations = 2000;
    o.f_tolerance = 1e-12;
    o.x_tolerance = 1e-8;
    const auto r = nelder_mead(rosenbrock, {-1.2, 1.0}, o);
    CHECK(r.converged);
    CHECK(r.x[0] == doctest::Approx(1.0).epsilon(1e-5));
    CHECK(r.x[1] == doctest::Approx(1.0).epsilon(1e-5));
    CHECK(r.f < 1e-10);
    CHECK(r.evaluations <= o.max_evaluations);
}

TEST_CASE("nelder_mead: a shifted quadratic in 4 dimensions, infeasible points (+inf) are avoided") {
    const std::vector<double> centre{0.3, -2.0, 5.0, 1.0};
    const auto f = [&](const std::vector<double>& x) -> double {
        if (x[0] < 0.0) return INFINITY;  // a wall the minimiser must respect
        double s = 0.0;
        for (std::size_t i = 0; i < x.size(); ++i) s += double(i + 1) * (x[i] - centre[i]) * (x[i] - centre[i]);
        return s;
    };
    NelderMeadOptions o;
    o.initial_step = {0.5, 0.5, 0.5, 0.5};
    o.max_evaluations = 4000;
    o.f_tolerance = 1e-14;
    o.x_tolerance = 1e-8;
    const auto r = nelder_mead(f, {1.0, 1.0, 1.0, 1.0}, o);
    REQUIRE(r.converged);
    for (std::size_t i = 0; i < centre.size(); ++i) CHECK(r.x[i] == doctest::Approx(centre[i]).epsilon(1e-5));
}

TEST_CASE("nelder_mead: the same start gives the same sequence of evaluations, the budget is respected") {
    std::vector<std::vector<double>> first, second;
    NelderMeadOptions o;
    o.initial_step = {0.2, 0.2};
    o.max_evaluations = 37;
    nelder_mead([&](const std::vector<double>& x) { first.push_back(x); return rosenbrock(x); }, {-1.2, 1.0}, o);
    const auto r = nelder_mead([&](const std::vector<double>& x) { second.push_back(x); return rosenbrock(x); }, {-1.2, 1.0}, o);
    CHECK(first == second);
    CHECK(r.evaluations == static_cast<int>(second.size()));
    CHECK(r.evaluations <= 37);
    CHECK_FALSE(r.converged);
}

TEST_CASE("nelder_mead: rejects an empty start and a degenerate simplex") {
    NelderMeadOptions o;
    CHECK_THROWS_AS(nelder_mead(rosenbrock, {}, o), std::invalid_argument);
    o.initial_step = {0.1};
    CHECK_THROWS_AS(nelder_mead(rosenbrock, {1.0, 1.0}, o), std::invalid_argument);
    o.initial_step = {0.1, 0.0};
    CHECK_THROWS_AS(nelder_mead(rosenbrock, {1.0, 1.0}, o), std::invalid_argument);
}
