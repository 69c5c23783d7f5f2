#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "src/stats/optimise.hpp"

using cartsim::stats::minimise;
using cartsim::stats::OptimiseOptions;
using cartsim::stats::Optimiser;

namespace {

double rosenbrock(const std::vector<double>& x) {
    return 100.0 * std::pow(x[1] - x[0] * x[0], 2) + std::pow(1.0 - x[0], 2);
}

OptimiseOptions box(std::size_t n, double low, double high, double step) {
    OptimiseOptions o;
    o.lower.assign(n, low);
    o.upper.assign(n, high);
    o.initial_step.assign(n, step);
    return o;
}

}  // namespace

TEST_CASE("minimise: both methods find the analytic minimum of the Rosenbrock function from (-1.2, 1)") {
    for (auto method : {Optimiser::NelderMead, Optimiser::Subplex}) {
        auto o = box(2, -5.0, 5.0, 0.1);
        o.method = method;
        o.max_evaluations = 5000;
        o.f_tolerance = 1e-14;
        o.x_tolerance = 1e-10;
        const auto r = minimise(rosenbrock, {-1.2, 1.0}, o);
        CHECK(r.converged);
        CHECK(r.x[0] == doctest::Approx(1.0).epsilon(1e-4));
        CHECK(r.x[1] == doctest::Approx(1.0).epsilon(1e-4));
        CHECK(r.f < 1e-8);
        CHECK(r.evaluations <= o.max_evaluations);
    }
}

TEST_CASE("minimise: a quadratic whose minimum lies outside the box ends on the bound, and +inf points are avoided") {
    const std::vector<double> centre{0.3, -2.0, 5.0, 1.0};
    const auto f = [&](const std::vector<double>& x) -> double {
        if (x[3] > 1.5) return INFINITY;  // a wall the minimiser must respect
        double s = 0.0;
        for (std::size_t i = 0; i < x.size(); ++i) s += double(i + 1) * (x[i] - centre[i]) * (x[i] - centre[i]);
        return s;
    };
    auto o = box(4, -1.0, 3.0, 0.5);  // centre[1] = -2 and centre[2] = 5 lie outside [-1, 3]
    o.max_evaluations = 4000;
    o.f_tolerance = 1e-14;
    o.x_tolerance = 1e-9;
    const auto r = minimise(f, {1.0, 1.0, 1.0, 0.0}, o);
    REQUIRE(r.converged);
    CHECK(r.x[0] == doctest::Approx(0.3).epsilon(1e-5));
    CHECK(r.x[1] == doctest::Approx(-1.0).epsilon(1e-6));
    CHECK(r.x[2] == doctest::Approx(3.0).epsilon(1e-6));
    CHECK(r.x[3] == doctest::Approx(1.0).epsilon(1e-5));
}

TEST_CASE("minimise: the budget is respected and the same start gives the same sequence of evaluations") {
    std::vector<std::vector<double>> first, second;
    auto o = box(3, -10.0, 10.0, 1.0);
    o.max_evaluations = 25;
    o.f_tolerance = 0.0;
    o.x_tolerance = 0.0;
    const auto f1 = [&](const std::vector<double>& x) { first.push_back(x); return x[0] * x[0] + 3 * x[1] * x[1] + std::abs(x[2]); };
    const auto f2 = [&](const std::vector<double>& x) { second.push_back(x); return x[0] * x[0] + 3 * x[1] * x[1] + std::abs(x[2]); };
    const auto r = minimise(f1, {4.0, -3.0, 2.0}, o);
    minimise(f2, {4.0, -3.0, 2.0}, o);
    CHECK_FALSE(r.converged);
    CHECK(r.evaluations == 25);
    CHECK(first.size() == 25);
    CHECK(first == second);
    CHECK(r.f < 4.0 * 4.0 + 27.0 + 2.0);  // better than the start
}

TEST_CASE("minimise: an exception thrown by the objective stops the search and reaches the caller") {
    int calls = 0;
    const auto f = [&](const std::vector<double>& x) -> double {
        if (++calls == 7) throw std::runtime_error("interrupted");
        return x[0] * x[0];
    };
    auto o = box(1, -5.0, 5.0, 0.5);
    CHECK_THROWS_WITH_AS(minimise(f, {3.0}, o), "interrupted", std::runtime_error);
    CHECK(calls == 7);
}

TEST_CASE("minimise: bad arguments are refused") {
    const auto f = [](const std::vector<double>& x) { return x[0]; };
    auto o = box(1, 0.0, 1.0, 0.1);
    CHECK_THROWS_AS(minimise(f, {}, o), std::invalid_argument);
    CHECK_THROWS_AS(minimise(f, {2.0}, o), std::invalid_argument);  // outside the bounds
    o.initial_step = {0.0};
    CHECK_THROWS_AS(minimise(f, {0.5}, o), std::invalid_argument);
    o = box(2, 0.0, 1.0, 0.1);
    CHECK_THROWS_AS(minimise(f, {0.5}, o), std::invalid_argument);  // sizes differ
}
