// The BDF stepper (SUNDIALS CVODE): stiff problems, counting, Jacobian reuse, restarts and dense output.

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "solvers/ode/integrator.hpp"
#include "tests/solvers/ode/stiff_linear.hpp"
#include "tests/solvers/ode/test_problems.hpp"

namespace {

using cartsim::ode::EventHooks;
using cartsim::ode::Method;
using cartsim::ode::Problem;
using cartsim::ode::Settings;
using cartsim::ode::State;
using cartsim::ode::Stats;
using cartsim::ode::testing::rhs_only;

Settings bdf(double rel_tol, double abs_tol) {
    Settings s;
    s.method = Method::Bdf;
    s.rel_tol = rel_tol;
    s.abs_tol = abs_tol;
    return s;
}

std::vector<double> grid(double t_final, int intervals) {
    std::vector<double> times;
    for (int i = 0; i <= intervals; ++i) times.push_back(t_final * i / intervals);
    return times;
}

// Robertson's chemical kinetics (Hairer & Wanner, Solving ODEs II, section IV.1), stiff over 40,000 s.
Problem robertson(bool analytic_jacobian) {
    Problem p;
    p.rhs = [](const State& y, State& dydt, double) {
        dydt[0] = -0.04 * y[0] + 1.0e4 * y[1] * y[2];
        dydt[1] = 0.04 * y[0] - 1.0e4 * y[1] * y[2] - 3.0e7 * y[1] * y[1];
        dydt[2] = 3.0e7 * y[1] * y[1];
    };
    if (analytic_jacobian) {
        p.jacobian = [](const State& y, std::vector<double>& j, double) {
            j = {-0.04, 1.0e4 * y[2], 1.0e4 * y[1],                              //
                 0.04,  -1.0e4 * y[2] - 6.0e7 * y[1], -1.0e4 * y[1],             //
                 0.0,   6.0e7 * y[1], 0.0};
        };
    }
    return p;
}

struct RobertsonReference {
    double t;
    std::array<double, 3> y;
};

// scipy 1.10 solve_ivp(method="Radau", rtol=1e-12, atol=[1e-16, 1e-22, 1e-16]) with the analytic Jacobian,
// from y(0) = (1, 0, 0); scipy's BDF and LSODA at the same tolerances agree to 1e-10 relative.
constexpr std::array<RobertsonReference, 6> kRobertson{{
    {0.4, {0.9851721138609929, 3.3863953789749604e-05, 0.014794022185217866}},
    {4.0, {0.9055186785842486, 2.240475687560087e-05, 0.09445891665887654}},
    {40.0, {0.7158270687194117, 9.185534764557314e-06, 0.2841637457458235}},
    {400.0, {0.4505186684710824, 3.2229014416745247e-06, 0.5494781086274758}},
    {4000.0, {0.18320225777670596, 8.942371252776052e-07, 0.8167968479861673}},
    {40000.0, {0.0389833770854831, 1.6217683159096973e-07, 0.9610164607376828}},
}};

// The coupled linear system with eigenvalues -1 and -1e4 per day comes from stiff_linear.hpp.
using namespace cartsim::ode::testing;

struct StiffRun {
    double max_error = 0.0;
    Stats stats;
};

StiffRun run_stiff_linear(const Problem& problem, Method method) {
    Settings settings;
    settings.method = method;
    settings.rel_tol = 1e-8;
    settings.abs_tol = 1e-10;
    StiffRun run;
    State x{2.0, 0.0};
    run.stats = cartsim::ode::integrate(problem, x, 0.0, 10.0, settings, {}, grid(10.0, 100), [&](double t, const State& y) {
                    const auto exact = stiff_exact(t, 2.0, 0.0);
                    for (std::size_t i = 0; i < 2; ++i) {
                        run.max_error = std::max(run.max_error, std::abs(y[i] - exact[i]) / std::abs(exact[i]));
                    }
                }).stats;
    return run;
}

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

TEST_CASE("bdf solves a stiff linear system with an analytic or a finite-difference Jacobian in far fewer steps") {
    const StiffRun explicit_rk = run_stiff_linear(stiff_linear(true), Method::Dopri5);
    for (bool analytic : {true, false}) {
        CAPTURE(analytic);
        const StiffRun run = run_stiff_linear(stiff_linear(analytic), Method::Bdf);
        CHECK(run.max_error < 1e-5);  // relative, at values down to 5e-5 (abs_tol 1e-10); scipy's BDF: 4.9e-6
        CHECK(run.stats.steps * 20 < explicit_rk.stats.steps);
        // The Jacobian of a linear system never goes stale: CVODE refreshes it only every 51 steps
        // (its default) and at the start.
        CHECK(run.stats.jacobian_evaluations <= 1 + run.stats.steps / 51);
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

TEST_CASE("bdf: Robertson's stiff kinetics against scipy's Radau at rtol 1e-12") {
    for (bool analytic : {true, false}) {
        CAPTURE(analytic);
        std::vector<double> times;
        for (const auto& r : kRobertson) times.push_back(r.t);
        std::vector<State> seen;
        State y{1.0, 0.0, 0.0};
        const auto outcome = cartsim::ode::integrate(robertson(analytic), y, 0.0, 40000.0, bdf(1e-10, 1e-16), {}, times,
                                                     [&](double, const State& s) { seen.push_back(s); });
        REQUIRE(seen.size() == kRobertson.size());
        for (std::size_t k = 0; k < kRobertson.size(); ++k) {
            CAPTURE(kRobertson[k].t);
            for (std::size_t i = 0; i < 3; ++i) {
                CAPTURE(i);
                CHECK(seen[k][i] == doctest::Approx(kRobertson[k].y[i]).epsilon(1e-7));
            }
            CHECK(seen[k][0] + seen[k][1] + seen[k][2] == doctest::Approx(1.0).epsilon(1e-12));  // linear invariant
        }
        CHECK(outcome.stats.steps < 5000);
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

TEST_CASE("bdf on a stiff non-autonomous problem (Prothero-Robinson)") {
    Problem p = rhs_only([](const State& x, State& dxdt, double t) {
        dxdt[0] = -1.0e3 * (x[0] - std::cos(t)) - std::sin(t);
    });
    double worst = 0.0;
    State x{1.0};
    const auto outcome = cartsim::ode::integrate(p, x, 0.0, 10.0, bdf(1e-9, 1e-9), {}, grid(10.0, 50),
                                                 [&](double t, const State& y) {
                                                     worst = std::max(worst, std::abs(y[0] - std::cos(t)));
                                                 });
    CHECK(worst < 1e-7);
    CHECK(outcome.stats.steps < 3000);
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
    // Before the jump the steps grow to about a day (order up to 5); the first step after it is CVODE's
    // starting-step estimate for order 1 (about 1e-3 day here at 1e-6), not the last step's length.
    const auto after = std::find_if(steps.begin(), steps.end(), [](const auto& s) { return s.first == 20.0; });
    REQUIRE(after != steps.end());
    double longest_before = 0.0;
    for (auto s = steps.begin(); s != after; ++s) longest_before = std::max(longest_before, s->second - s->first);
    CHECK(longest_before > 0.5);
    CHECK(after->second - after->first < 0.01);
    CHECK(x[0] == doctest::Approx(std::exp(-20.0) * (std::exp(-20.0) + 1.0)).epsilon(1e-4));
}

TEST_CASE("bdf on a 40-state stiff heat equation") {
    // u_t = u_xx on (0, 1), u = 0 at both ends, central differences on 40 interior points. The discrete
    // mode sin(pi x_i) decays exactly as exp(lambda t), lambda = -4 sin^2(pi dx / 2) / dx^2; the
    // fastest mode decays at about -6700 per day.
    constexpr std::size_t kPoints = 40;
    constexpr double kDx = 1.0 / (kPoints + 1);
    const double pi = std::acos(-1.0);
    const double lambda = -4.0 * std::pow(std::sin(pi * kDx / 2.0), 2) / (kDx * kDx);
    const Problem heat = rhs_only([](const State& u, State& dudt, double) {
        for (std::size_t i = 0; i < kPoints; ++i) {
            const double left = i > 0 ? u[i - 1] : 0.0;
            const double right = i + 1 < kPoints ? u[i + 1] : 0.0;
            dudt[i] = (left - 2.0 * u[i] + right) / (kDx * kDx);
        }
    });
    State initial(kPoints);
    for (std::size_t i = 0; i < kPoints; ++i) initial[i] = std::sin(pi * kDx * static_cast<double>(i + 1));
    auto run = [&](Method method) {
        Settings settings = bdf(1e-8, 1e-12);
        settings.method = method;
        double worst = 0.0;
        State u = initial;
        const auto stats =
            cartsim::ode::integrate(heat, u, 0.0, 0.5, settings, {}, grid(0.5, 10), [&](double t, const State& y) {
                for (std::size_t i = 0; i < kPoints; ++i) {
                    const double exact = std::exp(lambda * t) * initial[i];
                    worst = std::max(worst, std::abs(y[i] - exact) / std::exp(lambda * t));
                }
            }).stats;
        return std::pair{worst, stats};
    };
    const auto [error, stats] = run(Method::Bdf);
    const auto [explicit_error, explicit_stats] = run(Method::Dopri5);
    CHECK(error < 1e-6);
    CHECK(explicit_error < 1e-6);
    CHECK(stats.steps * 5 < explicit_stats.steps);
    // Finite-difference Jacobians cost 40 evaluations each and are counted.
    CHECK(stats.rhs_evaluations >= stats.steps + 40 * stats.jacobian_evaluations);
}
