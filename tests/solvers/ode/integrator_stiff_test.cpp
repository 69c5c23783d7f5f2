// Stiff problems: Rosenbrock4 with analytic and finite-difference Jacobians against exact solutions.

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <vector>

#include "solvers/ode/finite_difference.hpp"
#include "solvers/ode/integrator.hpp"
#include "tests/solvers/ode/stiff_linear.hpp"

namespace {

using cartsim::ode::Method;
using cartsim::ode::Problem;
using cartsim::ode::Settings;
using cartsim::ode::State;

using namespace cartsim::ode::testing;

struct Run {
    double max_error = 0.0;
    cartsim::ode::Stats stats;
};

Run run_stiff(const Problem& problem, Method method) {
    Settings settings;
    settings.method = method;
    settings.rel_tol = 1e-8;
    settings.abs_tol = 1e-10;
    std::vector<double> times;
    for (int i = 0; i <= 100; ++i) times.push_back(0.1 * i);
    Run run;
    State x{2.0, 0.0};
    run.stats = cartsim::ode::integrate(problem, x, 0.0, 10.0, settings, {}, times, [&](double t, const State& y) {
                    const auto exact = stiff_exact(t, 2.0, 0.0);
                    for (std::size_t i = 0; i < 2; ++i) {
                        run.max_error = std::max(run.max_error, std::abs(y[i] - exact[i]) / std::abs(exact[i]));
                    }
                }).stats;
    return run;
}

}  // namespace

TEST_CASE("rosenbrock4 solves a stiff linear system with an analytic or a finite-difference Jacobian") {
    for (bool analytic : {true, false}) {
        CAPTURE(analytic);
        const Run run = run_stiff(stiff_linear(analytic), Method::Rosenbrock4);
        CHECK(run.max_error < 1e-6);
        // One linearisation per accepted step (rejected steps retry from the same point): f, df/dt
        // and, without an analytic Jacobian, n = 2 difference columns; then 5 evaluations per attempt.
        CHECK(run.stats.jacobian_evaluations == run.stats.steps);
        const std::int64_t per_linearisation = analytic ? 2 : 4;
        const std::int64_t stage_evaluations = run.stats.rhs_evaluations - per_linearisation * run.stats.steps;
        CHECK(stage_evaluations % 5 == 0);
        CHECK(stage_evaluations / 5 >= run.stats.steps);
    }
}

TEST_CASE("rosenbrock4 takes far fewer steps than dopri5 on a stiff system") {
    const Run implicit = run_stiff(stiff_linear(true), Method::Rosenbrock4);
    const Run explicit_rk = run_stiff(stiff_linear(true), Method::Dopri5);
    CHECK(explicit_rk.max_error < 1e-5);  // abs_tol 1e-10 against values down to 5e-5
    CHECK(implicit.stats.steps * 20 < explicit_rk.stats.steps);
    CHECK(explicit_rk.stats.jacobian_evaluations == 0);
}

TEST_CASE("rosenbrock4 on a stiff non-autonomous problem (Prothero-Robinson) uses df/dt correctly") {
    // x' = -1e3 (x - cos t) - sin t has the exact solution x = cos t from x(0) = 1.
    Problem p;
    p.rhs = [](const State& x, State& dxdt, double t) { dxdt[0] = -1.0e3 * (x[0] - std::cos(t)) - std::sin(t); };
    Settings settings;
    settings.method = Method::Rosenbrock4;
    settings.rel_tol = 1e-9;
    settings.abs_tol = 1e-9;
    std::vector<double> times;
    for (int i = 0; i <= 50; ++i) times.push_back(0.2 * i);
    double worst = 0.0;
    State x{1.0};
    const auto outcome = cartsim::ode::integrate(p, x, 0.0, 10.0, settings, {}, times, [&](double t, const State& y) {
        worst = std::max(worst, std::abs(y[0] - std::cos(t)));
    });
    CHECK(worst < 2e-8);
    // With odeint 1.74's sign of d4 this took 592,000 steps for an error of 4e-7.
    CHECK(outcome.stats.steps < 20000);
}

TEST_CASE("forward differences reproduce a known Jacobian and df/dt and count their evaluations") {
    const cartsim::ode::Rhs rhs = [](const State& x, State& dxdt, double t) {
        dxdt[0] = x[0] * x[1] + 3.0 * t * t;
        dxdt[1] = -2.0e6 * x[1];
    };
    State x{2.0, 1.0e7};
    State f0(2);
    rhs(x, f0, 1.5);
    std::vector<double> jac;
    State dfdt;
    std::int64_t evaluations = 0;
    cartsim::ode::forward_difference_jacobian(rhs, x, f0, 1.5, jac, evaluations);
    cartsim::ode::forward_difference_dfdt(rhs, x, f0, 1.5, dfdt, evaluations);
    CHECK(evaluations == 3);
    CHECK(x == State{2.0, 1.0e7});  // restored
    CHECK(jac[0] == doctest::Approx(1.0e7).epsilon(1e-6));
    CHECK(jac[1] == doctest::Approx(2.0).epsilon(1e-6));
    CHECK(std::abs(jac[2]) < 1e-6);
    CHECK(jac[3] == doctest::Approx(-2.0e6).epsilon(1e-6));
    CHECK(dfdt[0] == doctest::Approx(9.0).epsilon(1e-5));
    CHECK(std::abs(dfdt[1]) < 1e-6);
}
