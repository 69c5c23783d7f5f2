// Convergence of the steppers: Dormand-Prince's global error falls as h^5 at fixed steps, and BDF's
// (CVODE) global error falls in proportion to the tolerance.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/numeric/odeint/integrate/integrate_n_steps.hpp>
#include <boost/numeric/odeint/stepper/runge_kutta4.hpp>

#include "solvers/ode/integrator.hpp"
#include "tests/solvers/ode/test_problems.hpp"

namespace {

using cartsim::ode::Method;
using cartsim::ode::Problem;
using cartsim::ode::Settings;
using cartsim::ode::State;
using cartsim::ode::testing::rhs_only;

/// A scalar problem x' = f(x, t) with its exact solution from x(0) = 1 on [0, t_final].
struct Exact {
    std::string name;
    cartsim::ode::Rhs rhs;
    double (*solution)(double t);
    double t_final;
    int coarsest_halvings;  // the largest step is 2^-coarsest_halvings day
};

// Non-autonomous, so that the stage times c_i matter, not only the stability polynomial (on x' = -x
// any method with the right polynomial looks 5th order). The step ranges keep every error between
// 1e-13 and 1e-7: above round-off, and past the larger steps where the h^6 terms still show.
const std::vector<Exact>& problems() {
    static const std::vector<Exact> list{
        {"x' = x cos t, x = exp(sin t)", [](const State& x, State& dxdt, double t) { dxdt[0] = x[0] * std::cos(t); },
         [](double t) { return std::exp(std::sin(t)); }, 4.0, 3},
        {"x' = -2 t x, x = exp(-t^2)", [](const State& x, State& dxdt, double t) { dxdt[0] = -2.0 * t * x[0]; },
         [](double t) { return std::exp(-t * t); }, 2.0, 4},
    };
    return list;
}

/// Least-squares slope of log(y) against log(x).
double log_log_slope(const std::vector<double>& x, const std::vector<double>& y) {
    double sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0;
    const double n = static_cast<double>(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double lx = std::log(x[i]), ly = std::log(y[i]);
        sx += lx;
        sy += ly;
        sxx += lx * lx;
        sxy += lx * ly;
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

constexpr int kStepSizes = 4;  // h, h/2, h/4, h/8

// The observed order must be 5 within 0.4. Measured: 4.89 and 5.15 (the h^6 terms still add at the
// coarsest step); classical RK4 on the same problems and steps gives 3.95 and 4.07 (the control below),
// so a stepper of order 4 fails this test and one of order 5 passes it.
constexpr double kOrderSlack = 0.4;

}  // namespace

TEST_CASE("dopri5 converges at order 5: the global error at fixed steps falls as h^5") {
    for (const auto& problem : problems()) {
        CAPTURE(problem.name);
        std::vector<double> steps, errors;
        for (int k = 0; k < kStepSizes; ++k) {
            // A power of 2, so the steps land exactly on t_final and no output is interpolated.
            const double h = std::ldexp(1.0, -(problem.coarsest_halvings + k));
            // max_step_days fixes the step; the loose tolerance never makes the controller reject or
            // shrink it (checked below through the counts).
            Settings settings;
            settings.method = Method::Dopri5;
            settings.rel_tol = 1e-2;
            settings.abs_tol = 1e-2;
            settings.initial_step_days = h;
            settings.max_step_days = h;
            State x{1.0};
            const auto outcome = cartsim::ode::integrate(rhs_only(problem.rhs), x, 0.0, problem.t_final, settings, {},
                                                         {}, {});
            const auto expected_steps = static_cast<std::int64_t>(std::lround(problem.t_final / h));
            CHECK(outcome.stats.steps == expected_steps);
            CHECK(outcome.stats.rhs_evaluations == 1 + 6 * expected_steps);  // FSAL, no rejected trial
            steps.push_back(h);
            errors.push_back(std::abs(x[0] - problem.solution(problem.t_final)));
        }
        const double order = log_log_slope(steps, errors);
        CAPTURE(errors.front());
        CAPTURE(errors.back());
        CHECK(order == doctest::Approx(5.0).epsilon(kOrderSlack / 5.0));
    }
}

TEST_CASE("convergence order control: classical RK4 on the same problems and steps measures order 4") {
    // Shows that the measurement above tells order 4 from order 5.
    namespace odeint = boost::numeric::odeint;
    for (const auto& problem : problems()) {
        CAPTURE(problem.name);
        std::vector<double> steps, errors;
        for (int k = 0; k < kStepSizes; ++k) {
            const double h = std::ldexp(1.0, -(problem.coarsest_halvings + k));
            State x{1.0};
            odeint::integrate_n_steps(odeint::runge_kutta4<State>(), problem.rhs, x, 0.0, h,
                                      static_cast<std::size_t>(std::lround(problem.t_final / h)));
            steps.push_back(h);
            errors.push_back(std::abs(x[0] - problem.solution(problem.t_final)));
        }
        const double order = log_log_slope(steps, errors);
        CHECK(order == doctest::Approx(4.0).epsilon(0.1 / 4.0));
        CHECK(std::abs(order - 5.0) > kOrderSlack);
    }
}

TEST_CASE("bdf: the global error falls in proportion to the tolerance") {
    // CVODE controls the local error per step; the global error then falls about in proportion to the
    // tolerance, slightly less at tight tolerances as more steps add up (Hindmarsh et al. 2005). Fitted
    // slopes of log(error) against log(tol) over 1e-3..1e-11, measured: 0.83, 0.91, 0.82. The bounds
    // [0.7, 1.2] ask for proportionality; a stepper whose error did not follow the tolerance gives ~0.
    struct Case {
        std::string name;
        cartsim::ode::Rhs rhs;
        double (*solution)(double t);
        double x0;
    };
    const std::vector<Case> cases{
        {"x' = x cos t", [](const State& x, State& dxdt, double t) { dxdt[0] = x[0] * std::cos(t); },
         [](double t) { return std::exp(std::sin(t)); }, 1.0},
        {"x' = -x^2", [](const State& x, State& dxdt, double) { dxdt[0] = -x[0] * x[0]; },
         [](double t) { return 1.0 / (1.0 + t); }, 1.0},
        {"logistic", [](const State& x, State& dxdt, double) { dxdt[0] = x[0] * (1.0 - x[0]); },
         [](double t) { return 1.0 / (1.0 + 9.0 * std::exp(-t)); }, 0.1},
    };
    constexpr double kFinal = 10.0;
    for (const auto& c : cases) {
        CAPTURE(c.name);
        std::vector<double> tolerances, errors;
        for (int k = 3; k <= 11; ++k) {
            const double tol = std::pow(10.0, -k);
            CAPTURE(tol);
            double worst = 0.0;
            State x{c.x0};
            cartsim::ode::integrate(rhs_only(c.rhs), x, 0.0, kFinal, cartsim::ode::testing::bdf(tol, tol), {},
                                    cartsim::ode::testing::grid(kFinal, 40), [&](double t, const State& y) {
                                        worst = std::max(worst, std::abs(y[0] - c.solution(t)));
                                    });
            // A few hundred times the tolerance at most (measured up to 655 at 1e-11).
            CHECK(worst < 2000.0 * tol);
            // Two decades tighter is always more accurate (one decade is not, by chance, everywhere).
            if (errors.size() >= 2) CHECK(worst < errors[errors.size() - 2]);
            tolerances.push_back(tol);
            errors.push_back(worst);
        }
        const double slope = log_log_slope(tolerances, errors);
        CHECK(slope > 0.7);
        CHECK(slope < 1.2);
    }
}
