// Problem::non_negative (issue 20 defect 8): Dopri5 keeps amounts above -abs_tol at step ends and in
// its dense output, without changing the flows.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "solvers/ode/integrator.hpp"
#include "tests/solvers/ode/test_problems.hpp"

using namespace cartsim::ode;
using namespace cartsim::ode::testing;

namespace {

/// Saturable elimination of a drug into a sink: dx/dt = -V x / (K + x), ds/dt = +V x / (K + x), with a
/// tiny K, so the rate falls from V to 0 within a few K of the empty source: an explicit method steps
/// over the corner into negative amounts. x + s is conserved.
Problem saturable_elimination() {
    return rhs_only([](const State& y, State& dy, double) {
        const double rate = 1.0 * y[0] / (1e-4 + y[0]);
        dy[0] = -rate;
        dy[1] = rate;
    });
}

struct Lowest {
    double at_step_ends = 0.0, in_dense_output = 0.0, at_outputs = 0.0;
    double conservation_error = 0.0;
    std::int64_t steps = 0;
};

Lowest integrate_and_watch(bool guarded, double abs_tol) {
    Problem problem = saturable_elimination();
    if (guarded) problem.non_negative = {1, 1};
    Settings settings;
    settings.rel_tol = 1e-4;
    settings.abs_tol = abs_tol;
    Lowest lowest;
    EventHooks hooks;
    State y;
    hooks.on_step = [&](const Step& step) {
        for (int k = 0; k <= 64; ++k) {
            step.state_at(step.start() + (step.end() - step.start()) * k / 64.0, y);
            lowest.in_dense_output = std::min(lowest.in_dense_output, y[0]);
        }
        step.state_at(step.end(), y);
        lowest.at_step_ends = std::min(lowest.at_step_ends, y[0]);
        lowest.conservation_error = std::max(lowest.conservation_error, std::abs(y[0] + y[1] - 1.0));
        return kNever;
    };
    std::vector<double> outputs;
    for (int i = 0; i <= 3000; ++i) outputs.push_back(i * 1e-3);
    State x{1.0, 0.0};
    const auto outcome = integrate(problem, x, 0.0, 3.0, settings, hooks, outputs,
                                   [&](double, const State& s) { lowest.at_outputs = std::min(lowest.at_outputs, s[0]); });
    lowest.steps = outcome.stats.steps;
    return lowest;
}

}  // namespace

TEST_CASE("non-negative amounts: without the guard the test problem does go below -abs_tol") {
    // The guard's test means something only if the unguarded solver overshoots on this problem.
    const Lowest free = integrate_and_watch(false, 1e-6);
    MESSAGE("lowest step end without the guard: " << free.at_step_ends << " in " << free.steps << " steps");
    CHECK(free.at_step_ends < -1e-6);
}

TEST_CASE("non-negative amounts: with the guard no step end, dense output or output is below -abs_tol") {
    for (const double abs_tol : {1e-4, 1e-6, 1e-8}) {
        CAPTURE(abs_tol);
        const Lowest guarded = integrate_and_watch(true, abs_tol);
        CHECK(guarded.at_step_ends >= -0.5 * abs_tol);
        CHECK(guarded.at_outputs >= -abs_tol);
        CHECK(guarded.in_dense_output >= -abs_tol);
        // The flows are untouched: the sink receives exactly what the source loses (to rounding).
        CHECK(guarded.conservation_error < 1e-12);
    }
}

TEST_CASE("non-negative amounts: the guard keeps the solution's accuracy") {
    // x reaches 0 near t = 1 + K ln(1/K)... and then stays within the tolerance of it; s = 1 - x.
    Problem problem = saturable_elimination();
    problem.non_negative = {1, 1};
    Settings settings;
    settings.rel_tol = 1e-8;
    settings.abs_tol = 1e-10;
    State x{1.0, 0.0};
    const std::vector<double> no_outputs;
    integrate(problem, x, 0.0, 0.5, settings, {}, no_outputs, [](double, const State&) {});
    // Before the corner the elimination runs at nearly V: x(t) solves x + K ln x = 1 - V t (x0 = 1).
    const double expected = 0.5 - 1e-4 * std::log(x[0]);
    CHECK(x[0] == doctest::Approx(expected).epsilon(1e-7));
}

TEST_CASE("non-negative amounts: between step ends the guard looks at the amounts near zero, whatever else the state holds") {
    // No output times inside the steps, so only the quarter, half and three-quarter points of each step
    // guard the dense output; a large third amount far from zero (interpolated only when the whole state
    // is) sits before and after the source, so a guard that looked at the wrong components would miss.
    Problem problem = rhs_only([](const State& y, State& dy, double) {
        const double rate = 1.0 * y[1] / (1e-4 + y[1]);
        dy[0] = 0.01 * y[0];
        dy[1] = -rate;
        dy[2] = rate;
        dy[3] = -0.01 * y[3];
    });
    problem.non_negative = {1, 1, 1, 1};
    for (const double abs_tol : {1e-4, 1e-6, 1e-8}) {
        CAPTURE(abs_tol);
        Settings settings;
        settings.rel_tol = 1e-4;
        settings.abs_tol = abs_tol;
        double lowest = 0.0;
        EventHooks hooks;
        State y;
        hooks.on_step = [&](const Step& step) {
            for (int k = 0; k <= 64; ++k) {
                step.state_at(step.start() + (step.end() - step.start()) * k / 64.0, y);
                lowest = std::min(lowest, y[1]);
            }
            return kNever;
        };
        State x{1e6, 1.0, 0.0, 1e6};
        const std::vector<double> ends_only{0.0, 3.0};
        integrate(problem, x, 0.0, 3.0, settings, hooks, ends_only, [](double, const State&) {});
        CHECK(lowest >= -abs_tol);
        CHECK(x[0] == doctest::Approx(1e6 * std::exp(0.03)).epsilon(1e-3));
    }
}
