// The BDF stepper (SUNDIALS CVODE): accuracy against the tolerance, counting, Jacobian reuse, restarts,
// first steps and dense output. Stiff test problems are in integrator_stiff_test.cpp.

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "solvers/ode/integrator.hpp"
#include "tests/solvers/ode/stiff_problems.hpp"
#include "tests/solvers/ode/test_problems.hpp"

namespace {

using cartsim::ode::EventHooks;
using cartsim::ode::Method;
using cartsim::ode::Problem;
using cartsim::ode::Settings;
using cartsim::ode::State;
using cartsim::ode::Stats;
using cartsim::ode::testing::rhs_only;

using namespace cartsim::ode::testing;

}  // namespace

TEST_CASE("bdf: exponential decay and growth match the analytic solution, the error shrinking with the tolerance") {
    for (double rate : {-0.3, 0.5}) {
        CAPTURE(rate);
        const Problem p = rhs_only([rate](const State& x, State& dxdt, double) { dxdt[0] = rate * x[0]; });
        double previous_error = std::numeric_limits<double>::infinity();
        std::int64_t previous_steps = 0;
        for (double tol : {1e-4, 1e-6, 1e-8, 1e-10}) {
            CAPTURE(tol);
            double error = 0.0;
            State x{5.0};
            const auto outcome = cartsim::ode::integrate(p, x, 0.0, 10.0, bdf(tol, 1e-14), {}, grid(10.0, 40),
                                                         [&](double t, const State& y) {
                                                             const double exact = 5.0 * std::exp(rate * t);
                                                             error = std::max(error, std::abs(y[0] - exact) / exact);
                                                         });
            CHECK(error < 300.0 * tol);
            CHECK(error < 0.3 * previous_error);
            CHECK(outcome.stats.steps > previous_steps);
            previous_error = error;
            previous_steps = outcome.stats.steps;
        }
    }
}

TEST_CASE("bdf counts every RHS evaluation, finite-difference columns included") {
    for (bool analytic : {true, false}) {
        CAPTURE(analytic);
        std::int64_t calls = 0;
        Problem p = robertson(analytic);
        p.rhs = [inner = p.rhs, &calls](const State& y, State& dydt, double t) {
            ++calls;
            inner(y, dydt, t);
        };
        State y{1.0, 0.0, 0.0};
        const auto outcome = cartsim::ode::integrate(p, y, 0.0, 400.0, bdf(1e-8, 1e-14), {}, {}, {});
        CHECK(outcome.stats.rhs_evaluations == calls);
        CHECK(outcome.stats.jacobian_evaluations >= 1);
        CHECK(outcome.stats.jacobian_evaluations * 10 < outcome.stats.steps);  // reused across steps
        // Newton needs at least two iterations to see its contraction rate (or one exact correction).
        CHECK(outcome.stats.rhs_evaluations >= outcome.stats.steps + (analytic ? 0 : 3 * outcome.stats.jacobian_evaluations));
    }
}

TEST_CASE("bdf: dense output inside every step is as accurate as the step ends") {
    // Harmonic oscillator x = cos t, v = -sin t; a step observer samples each step's interpolant.
    const Problem p = rhs_only([](const State& x, State& dxdt, double) {
        dxdt[0] = x[1];
        dxdt[1] = -x[0];
    });
    double worst_dense = 0.0;
    double worst_end = 0.0;
    double shortest = kNever;
    double longest = 0.0;
    EventHooks hooks;
    hooks.on_step = [&](const cartsim::ode::Step& step) {
        State x;
        for (double s : {0.25, 0.5, 0.75}) {
            const double t = step.start() + s * (step.end() - step.start());
            step.state_at(t, x);
            worst_dense = std::max(worst_dense, std::abs(x[0] - std::cos(t)));
        }
        step.state_at(step.end(), x);
        worst_end = std::max(worst_end, std::abs(x[0] - std::cos(step.end())));
        shortest = std::min(shortest, step.end() - step.start());
        longest = std::max(longest, step.end() - step.start());
        return kNever;
    };
    State x{1.0, 0.0};
    cartsim::ode::integrate(p, x, 0.0, 20.0, bdf(1e-10, 1e-10), hooks, {}, {});
    CHECK(worst_end < 1e-7);
    CHECK(worst_dense < 2.0 * worst_end + 1e-9);
    // Variable order: the steps grow far beyond the order-1 start (a fixed low order would keep them short).
    CHECK(longest > 1000.0 * shortest);
}

TEST_CASE("bdf: oral PK with fast absorption and repeated boluses matches the Bateman superposition") {
    // Depot -> central [mg] with ka = 50/day (stiff against ke = 0.2/day); 100 mg into the depot every 3.5 days.
    constexpr double kAbsorption = 50.0;
    constexpr double kElimination = 0.2;
    constexpr double kDose = 100.0;
    std::vector<double> dose_days;
    for (int i = 0; i < 8; ++i) dose_days.push_back(3.5 * i);
    const Problem pk = rhs_only([](const State& x, State& dxdt, double) {
        dxdt[0] = -kAbsorption * x[0];
        dxdt[1] = kAbsorption * x[0] - kElimination * x[1];
    });
    EventHooks events;
    events.next_event_time = [&](double t) {
        for (double d : dose_days) {
            if (d > t) return d;
        }
        return std::numeric_limits<double>::infinity();
    };
    events.apply_events = [&](double t, State& x) {
        for (double d : dose_days) {
            if (d == t) x[0] += kDose;
        }
        return false;
    };
    auto central_exact = [&](double t) {
        double sum = 0.0;
        for (double d : dose_days) {
            if (d > t) continue;
            const double s = t - d;
            sum += kDose * kAbsorption / (kAbsorption - kElimination) *
                   (std::exp(-kElimination * s) - std::exp(-kAbsorption * s));
        }
        return sum;
    };
    const auto times = grid(30.0, 240);  // every 3 hours, including the dose times
    double worst = 0.0;
    State x{0.0, 0.0};
    const auto outcome = cartsim::ode::integrate(pk, x, 0.0, 30.0, bdf(1e-10, 1e-12), events, times,
                                                 [&](double t, const State& y) {
                                                     const double exact = central_exact(t);
                                                     if (exact > 0.0) worst = std::max(worst, std::abs(y[1] - exact) / exact);
                                                 });
    CHECK(worst < 1e-7);
    CHECK(outcome.stats.restarts == static_cast<std::int64_t>(dose_days.size() - 1));
    CHECK(outcome.stats.jacobian_evaluations >= outcome.stats.restarts);  // a fresh Jacobian after every jump
}

TEST_CASE("bdf: the first step never exceeds initial_step_days and the restart after a jump starts small") {
    const Problem p = rhs_only([](const State& x, State& dxdt, double) { dxdt[0] = -x[0]; });
    std::vector<std::pair<double, double>> steps;  // (start, end)
    EventHooks hooks;
    hooks.on_step = [&](const cartsim::ode::Step& step) {
        steps.emplace_back(step.start(), step.end());
        return kNever;
    };
    hooks.next_event_time = [](double t) { return t < 20.0 ? 20.0 : kNever; };
    hooks.apply_events = [](double, State& x) {
        x[0] += 1.0;
        return false;
    };
    Settings settings = bdf(1e-6, 1e-6);
    settings.initial_step_days = 1e-7;
    State x{1.0};
    cartsim::ode::integrate(p, x, 0.0, 40.0, settings, hooks, {}, {});
    REQUIRE(steps.size() > 2);
    CHECK(steps.front().second <= 1e-7 * (1.0 + 1e-12));
    // Before the jump the steps grow to about a day (order up to 5); the first step after it is the
    // starting-step estimate for order 1 (about 1e-4 day here at 1e-6), not the last step's length.
    const auto after = std::find_if(steps.begin(), steps.end(), [](const auto& s) { return s.first == 20.0; });
    REQUIRE(after != steps.end());
    double longest_before = 0.0;
    for (auto s = steps.begin(); s != after; ++s) longest_before = std::max(longest_before, s->second - s->first);
    CHECK(longest_before > 0.5);
    CHECK(after->second - after->first < 0.01);
    CHECK(x[0] == doctest::Approx(std::exp(-20.0) * (std::exp(-20.0) + 1.0)).epsilon(1e-4));
}
