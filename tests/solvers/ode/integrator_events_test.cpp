// Event semantics: jumps at t0 and t_final, outputs at event times, stopping, post-step hooks.

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "solvers/ode/integrator.hpp"
#include "tests/solvers/ode/test_problems.hpp"

namespace {

using cartsim::ode::EventHooks;
using cartsim::ode::Method;
using cartsim::ode::Problem;
using cartsim::ode::Settings;
using cartsim::ode::State;
using cartsim::ode::testing::kNever;
using cartsim::ode::testing::rhs_only;
using cartsim::ode::testing::tight;
using cartsim::ode::testing::tight_accuracy;

Problem decay(double rate_per_day) {
    return rhs_only([rate_per_day](const State& x, State& dxdt, double) { dxdt[0] = -rate_per_day * x[0]; });
}

/// Adds `amount` to x[0] at each listed day.
EventHooks jumps(std::vector<double> days, double amount, double stop_day = kNever) {
    EventHooks events;
    events.next_event_time = [days](double t) {
        for (double d : days) {
            if (d > t) return d;
        }
        return kNever;
    };
    events.apply_events = [days, amount, stop_day](double t, State& x) {
        for (double d : days) {
            if (d == t) x[0] += amount;
        }
        return t == stop_day;
    };
    return events;
}

}  // namespace

TEST_CASE("events at t0 and at t_final are applied and seen by the outputs at those times") {
    for (Method method : cartsim::ode::testing::kAllMethods) {
        CAPTURE(cartsim::ode::method_name(method));
        std::vector<double> seen_t, seen_x;
        const std::vector<double> times{0.0, 1.0, 2.0};
        State x{0.0};
        const auto outcome = cartsim::ode::integrate(decay(1.0), x, 0.0, 2.0, tight(method), jumps({0.0, 2.0}, 10.0),
                                                     times, [&](double t, const State& y) {
                                                         seen_t.push_back(t);
                                                         seen_x.push_back(y[0]);
                                                     });
        REQUIRE(seen_t == times);
        CHECK(seen_x[0] == 10.0);  // the dose at t0 is in before the first output
        CHECK(seen_x[1] == doctest::Approx(10.0 * std::exp(-1.0)).epsilon(tight_accuracy(method)));
        CHECK(seen_x[2] == doctest::Approx(10.0 * std::exp(-2.0) + 10.0).epsilon(tight_accuracy(method)));
        CHECK(x[0] == seen_x[2]);
        CHECK(outcome.t_end == 2.0);
        CHECK_FALSE(outcome.stopped_by_event);
    }
}

TEST_CASE("outputs at event times observe the state after the jump, outputs between them are interpolated") {
    std::vector<double> times;
    for (int i = 0; i <= 40; ++i) times.push_back(0.25 * i);
    for (Method method : cartsim::ode::testing::kAllMethods) {
        CAPTURE(cartsim::ode::method_name(method));
        std::vector<double> seen;
        State x{1.0};
        cartsim::ode::integrate(decay(0.5), x, 0.0, 10.0, tight(method), jumps({2.5, 5.0}, 1.0), times,
                                [&](double, const State& y) { seen.push_back(y[0]); });
        REQUIRE(seen.size() == times.size());
        for (std::size_t i = 0; i < times.size(); ++i) {
            const double t = times[i];
            double exact = std::exp(-0.5 * t);
            if (t >= 2.5) exact += std::exp(-0.5 * (t - 2.5));
            if (t >= 5.0) exact += std::exp(-0.5 * (t - 5.0));
            CAPTURE(t);
            CHECK(seen[i] == doctest::Approx(exact).epsilon(tight_accuracy(method)));
        }
    }
}

TEST_CASE("an event that asks to stop ends the integration at its time") {
    const std::vector<double> times{0.0, 1.0, 2.0, 3.0, 4.0, 5.0};
    for (Method method : cartsim::ode::testing::kAllMethods) {
        CAPTURE(cartsim::ode::method_name(method));
        std::vector<double> seen_t;
        State x{1.0};
        const auto outcome =
            cartsim::ode::integrate(decay(1.0), x, 0.0, 5.0, tight(method), jumps({1.5, 3.0}, 2.0, 3.0), times,
                                    [&](double t, const State&) { seen_t.push_back(t); });
        CHECK(outcome.stopped_by_event);
        CHECK(outcome.t_end == 3.0);
        CHECK(seen_t == std::vector<double>{0.0, 1.0, 2.0, 3.0});  // day 3 is observed, after the jump
        const double exact = std::exp(-3.0) + 2.0 * std::exp(-1.5) + 2.0;
        CHECK(x[0] == doctest::Approx(exact).epsilon(1e-9));
    }
}

TEST_CASE("output times are served in order and those outside [t0, t_final] are ignored") {
    const std::vector<double> times{3.0, -1.0, 0.5, 2.0, 7.0, 1.0};
    for (Method method : cartsim::ode::testing::kAllMethods) {
        CAPTURE(cartsim::ode::method_name(method));
        std::vector<double> seen;
        State x{1.0};
        cartsim::ode::integrate(decay(1.0), x, 0.5, 3.0, tight(method), {}, times,
                                [&](double t, const State&) { seen.push_back(t); });
        CHECK(seen == std::vector<double>{0.5, 1.0, 2.0, 3.0});
    }
}

TEST_CASE("post_step hook: extinction below a threshold, outputs before it interpolated, after it exact zero") {
    constexpr double kThreshold = 1e-3;
    for (Method method : cartsim::ode::testing::kAllMethods) {
        CAPTURE(cartsim::ode::method_name(method));
        double extinction_time = kNever;
        Problem problem = decay(1.0);
        problem.post_step = [&](double t, State& x) {
            if (x[0] == 0.0 || x[0] >= kThreshold) return false;
            x[0] = 0.0;
            extinction_time = std::min(extinction_time, t);
            return true;
        };
        std::vector<double> times;
        for (int i = 0; i <= 240; ++i) times.push_back(i / 24.0);  // hourly over 10 days
        std::vector<std::pair<double, double>> seen;
        State x{1.0};
        const auto outcome = cartsim::ode::integrate(problem, x, 0.0, 10.0, tight(method), {}, times,
                                                     [&](double t, const State& y) { seen.emplace_back(t, y[0]); });
        REQUIRE(std::isfinite(extinction_time));
        CHECK(extinction_time > std::log(1.0 / kThreshold));
        CHECK(outcome.stats.restarts == 1);
        for (const auto& sample : seen) {
            const double t = sample.first, value = sample.second;  // clang 14 cannot capture bindings
            CAPTURE(t);
            if (t < extinction_time) {
                CHECK(value == doctest::Approx(std::exp(-t)).epsilon(1e-8));
            } else {
                CHECK(value == 0.0);
            }
        }
        CHECK(x[0] == 0.0);
    }
}

TEST_CASE("a post_step hook that changes nothing does not restart the stepper") {
    for (Method method : cartsim::ode::testing::kAllMethods) {
        CAPTURE(cartsim::ode::method_name(method));
        Problem problem = decay(1.0);
        int calls = 0;
        problem.post_step = [&](double, State&) {
            ++calls;
            return false;
        };
        State x{1.0};
        const auto outcome = cartsim::ode::integrate(problem, x, 0.0, 5.0, tight(method), {}, {}, {});
        CHECK(calls == outcome.stats.steps);
        CHECK(outcome.stats.restarts == 0);
        CHECK(x[0] == doctest::Approx(std::exp(-5.0)).epsilon(1e-9));
    }
}

TEST_CASE("a post_step hook that clips a population fed from zero after every step does not stall the integration") {
    // CARTmath's extinction rule on its memory cells, which start at zero and are fed by effectors:
    // CVODE's own starting-step estimate moves no component by more than abs_tol (about 1e-13 day
    // here), so after each clip the same tiny step followed and `method: bdf` never left the dose day.
    constexpr double kThreshold = 1e-6;
    constexpr double kInflow = 1e3;  // cells/day
    Problem problem = rhs_only([](const State&, State& dxdt, double) { dxdt[0] = kInflow; });
    problem.post_step = [](double, State& x) {
        if (x[0] == 0.0 || x[0] >= kThreshold) return false;
        x[0] = 0.0;
        return true;
    };
    for (Method method : cartsim::ode::testing::kAllMethods) {
        CAPTURE(cartsim::ode::method_name(method));
        Settings settings = tight(method);
        settings.abs_tol = 1e-10;
        settings.max_steps = 10'000;
        State x{0.0};
        const auto outcome = cartsim::ode::integrate(problem, x, 0.0, 1.0, settings, {}, {}, {});
        CHECK(outcome.stats.restarts < 10);
        CHECK(x[0] == doctest::Approx(kInflow).epsilon(1e-6));
    }
}
