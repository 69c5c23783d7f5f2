// Step observers and couplings: every accepted step is seen once with its dense output; a step
// observer can stop the integration at a crossing it located; a coupling runs on its own grid,
// interleaved with the outputs, whatever the output times. And the searches inside a step.

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "solvers/ode/integrator.hpp"
#include "solvers/ode/step_search.hpp"
#include "tests/solvers/ode/test_problems.hpp"

namespace {

using cartsim::ode::Method;
using cartsim::ode::Settings;
using cartsim::ode::State;
using cartsim::ode::Step;
using cartsim::ode::testing::kNever;
using cartsim::ode::testing::rhs_only;
using cartsim::ode::testing::tight;

/// x = (sin t, cos t): x0 peaks at pi/2 + 2 pi k.
cartsim::ode::Problem rotation() {
    return rhs_only([](const State& x, State& dxdt, double) {
        dxdt[0] = x[1];
        dxdt[1] = -x[0];
    });
}

}  // namespace

TEST_CASE("golden-section search finds the maximum of a smooth function to the bracket tolerance") {
    int calls = 0;
    const auto g = [&](double t) {
        ++calls;
        return 3.0 - (t - 0.3141) * (t - 0.3141);
    };
    const auto peak = cartsim::ode::golden_section_max(0.0, 1.0, g, 1e-8);
    CHECK(peak.t == doctest::Approx(0.3141).epsilon(1e-7));
    CHECK(peak.value == doctest::Approx(3.0).epsilon(1e-14));
    CHECK(calls < 45);  // ln(1e-8) / ln(0.618) = 38 shrinkings and two starting points
}

TEST_CASE("bisection finds the first time a rising function reaches a level, at or just past it") {
    const auto g = [](double t) { return std::exp(t); };
    const double t = cartsim::ode::first_crossing(0.0, 3.0, g, 10.0, 1e-12);
    CHECK(t == doctest::Approx(std::log(10.0)).epsilon(1e-11));
    CHECK(g(t) >= 10.0);
}

TEST_CASE("a step observer sees every accepted step once, back to back, with dense output inside it") {
    for (Method method : cartsim::ode::testing::kAllMethods) {
        CAPTURE(cartsim::ode::method_name(method));
        State x{0.0, 1.0};
        std::vector<std::pair<double, double>> steps;
        double worst = 0.0;
        cartsim::ode::EventHooks hooks;
        hooks.on_step = [&](const Step& step) {
            steps.push_back({step.start(), step.end()});
            State y;
            for (double f : {0.0, 0.3, 0.7, 1.0}) {
                const double t = step.start() + f * (step.end() - step.start());
                step.state_at(t, y);
                worst = std::max(worst, std::abs(y[0] - std::sin(t)));
            }
            return kNever;
        };
        const auto outcome = cartsim::ode::integrate(rotation(), x, 0.0, 10.0, tight(method), hooks, {}, {});
        REQUIRE(!steps.empty());
        CHECK(steps.size() == static_cast<std::size_t>(outcome.stats.steps));
        CHECK(steps.front().first == 0.0);
        CHECK(steps.back().second == 10.0);
        for (std::size_t i = 1; i < steps.size(); ++i) CHECK(steps[i].first == steps[i - 1].second);
        // Dense output is accurate to about the tolerance (BDF's global error runs to 100x it).
        CHECK(worst < 1e-7);
    }
}

TEST_CASE("a step observer that locates a crossing stops the integration there, outputs up to it served") {
    for (Method method : cartsim::ode::testing::kAllMethods) {
        CAPTURE(cartsim::ode::method_name(method));
        State x{0.0, 1.0};
        cartsim::ode::EventHooks hooks;
        hooks.on_step = [](const Step& step) {  // sin t reaching 0.5 first: t = pi/6
            State y;
            const auto g = [&](double t) {
                step.state_at(t, y);
                return y[0];
            };
            if (g(step.start()) < 0.5 && g(step.end()) >= 0.5)
                return cartsim::ode::first_crossing(step.start(), step.end(), g, 0.5, 1e-12);
            return kNever;
        };
        std::vector<double> seen;
        const std::vector<double> times{0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
        const auto outcome = cartsim::ode::integrate(rotation(), x, 0.0, 10.0, tight(method), hooks, times,
                                                     [&](double t, const State&) { seen.push_back(t); });
        CHECK(outcome.stopped_by_event);
        CHECK(outcome.t_end == doctest::Approx(M_PI / 6.0).epsilon(1e-9));
        CHECK(x[0] == doctest::Approx(0.5).epsilon(1e-8));
        CHECK(seen == std::vector<double>{0.1, 0.2, 0.3, 0.4, 0.5});
    }
}

TEST_CASE("a coupling runs on its own grid, in time order with the outputs, whatever the output times") {
    const auto run = [](const std::vector<double>& times, std::vector<std::pair<double, char>>& log) {
        auto problem = rotation();
        problem.coupling.period_days = 0.75;
        problem.coupling.at = [&](double t, const State& y) {
            log.push_back({t, 'c'});
            CHECK(y[0] == doctest::Approx(std::sin(t)).epsilon(1e-7));
        };
        State x{0.0, 1.0};
        std::vector<double> steps;
        cartsim::ode::EventHooks hooks;
        hooks.on_step = [&](const Step& step) {
            steps.push_back(step.end());
            return kNever;
        };
        cartsim::ode::integrate(problem, x, 0.0, 3.0, tight(Method::Dopri5), hooks, times,
                                [&](double t, const State&) { log.push_back({t, 'o'}); });
        return steps;
    };
    std::vector<std::pair<double, char>> sparse, dense;
    const auto steps_sparse = run({3.0}, sparse);
    const auto steps_dense = run({0.0, 0.5, 0.75, 1.0, 1.5, 2.0, 2.25, 2.5, 3.0}, dense);
    CHECK(steps_sparse == steps_dense);  // outputs and couplings never change the steps
    const std::vector<std::pair<double, char>> expected{{0.0, 'o'},  {0.5, 'o'}, {0.75, 'c'}, {0.75, 'o'},
                                                        {1.0, 'o'},  {1.5, 'c'}, {1.5, 'o'},  {2.0, 'o'},
                                                        {2.25, 'c'}, {2.25, 'o'}, {2.5, 'o'}, {3.0, 'c'},
                                                        {3.0, 'o'}};
    CHECK(dense == expected);
    const std::vector<std::pair<double, char>> coupling_only{{0.75, 'c'}, {1.5, 'c'}, {2.25, 'c'}, {3.0, 'c'},
                                                             {3.0, 'o'}};
    CHECK(sparse == coupling_only);
}
