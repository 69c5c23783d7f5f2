// Analytic cases: growth, elimination and one-compartment PK with bolus doses as events.

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
using cartsim::ode::testing::rhs_only;

struct Sample {
    double t;
    double x;
};

/// Integrates the scalar problem from x0 over [0, t_final] with daily outputs.
std::vector<Sample> run_scalar(const Problem& problem, double x0, double t_final, const Settings& settings,
                               const EventHooks& events = {}) {
    std::vector<double> times;
    for (int day = 0; day <= static_cast<int>(t_final); ++day) times.push_back(day);
    std::vector<Sample> samples;
    State x{x0};
    cartsim::ode::integrate(problem, x, 0.0, t_final, settings, events, times, [&](double t, const State& y) {
        samples.push_back({t, y[0]});
    });
    return samples;
}

Settings tolerances(Method method, double tol) {
    Settings s;
    s.method = method;
    s.rel_tol = tol;
    s.abs_tol = tol;
    return s;
}

double max_relative_error(const std::vector<Sample>& samples, double (*exact)(double)) {
    double worst = 0.0;
    for (const auto& s : samples) worst = std::max(worst, std::abs(s.x - exact(s.t)) / std::abs(exact(s.t)));
    return worst;
}

constexpr double kGrowthPerDay = 0.5;
double growth_exact(double t) { return std::exp(kGrowthPerDay * t); }

constexpr double kEliminationPerDay = 0.3;
double elimination_exact(double t) { return 5.0 * std::exp(-kEliminationPerDay * t); }

}  // namespace

TEST_CASE("exponential growth: error at every daily output shrinks with the tolerance") {
    const Problem growth = rhs_only([](const State& x, State& dxdt, double) { dxdt[0] = kGrowthPerDay * x[0]; });
    for (Method method : cartsim::ode::testing::kAllMethods) {
        CAPTURE(cartsim::ode::method_name(method));
        double previous = 1.0;
        for (double tol : {1e-4, 1e-7, 1e-10}) {
            CAPTURE(tol);
            const auto samples = run_scalar(growth, 1.0, 10.0, tolerances(method, tol));
            REQUIRE(samples.size() == 11);
            const double error = max_relative_error(samples, growth_exact);
            // BDF's global error runs to a few hundred times its tolerance (test_problems.hpp).
            CHECK(error < (method == Method::Bdf ? 500.0 : 200.0) * tol);
            CHECK(error < previous);
            previous = error;
        }
    }
}

TEST_CASE("first-order elimination matches x0 exp(-k t)") {
    const Problem elimination =
        rhs_only([](const State& x, State& dxdt, double) { dxdt[0] = -kEliminationPerDay * x[0]; });
    for (Method method : cartsim::ode::testing::kAllMethods) {
        CAPTURE(cartsim::ode::method_name(method));
        Settings settings = tolerances(method, 1e-10);
        settings.abs_tol = 1e-14;  // x falls to 6e-4: keep the test about the relative tolerance
        const auto samples = run_scalar(elimination, 5.0, 30.0, settings);
        CHECK(samples.back().t == 30.0);
        // BDF's global error is a few hundred times its per-step tolerance here: CVODE reaches 2e-8 to
        // 5.5e-8 depending on its first step, scipy's BDF 1.06e-8.
        const double bound = method == Method::Bdf ? 1e-7 : 1e-8;
        CHECK(max_relative_error(samples, elimination_exact) < bound);
    }
}

TEST_CASE("one-compartment PK: single bolus at t0 and weekly boluses as events match superposition") {
    constexpr double kDoseMg = 100.0;
    constexpr double kVolumeL = 40.0;
    constexpr double kElimPerDay = 0.2;
    const std::vector<double> dose_days{0.0, 7.0, 14.0, 21.0};
    // Amount in the central compartment [mg]; the concentration is amount / volume.
    const Problem pk = rhs_only([](const State& x, State& dxdt, double) { dxdt[0] = -kElimPerDay * x[0]; });
    auto concentration_exact = [&](double t, std::size_t doses_given) {
        double sum = 0.0;
        for (std::size_t i = 0; i < doses_given; ++i) {
            if (dose_days[i] <= t) sum += kDoseMg / kVolumeL * std::exp(-kElimPerDay * (t - dose_days[i]));
        }
        return sum;
    };

    for (std::size_t doses : {std::size_t{1}, dose_days.size()}) {
        for (Method method : cartsim::ode::testing::kAllMethods) {
            CAPTURE(doses);
            CAPTURE(cartsim::ode::method_name(method));
            EventHooks events;
            events.next_event_time = [&](double t) {
                for (std::size_t i = 0; i < doses; ++i) {
                    if (dose_days[i] > t) return dose_days[i];
                }
                return std::numeric_limits<double>::infinity();
            };
            events.apply_events = [&](double t, State& x) {
                for (std::size_t i = 0; i < doses; ++i) {
                    if (dose_days[i] == t) x[0] += kDoseMg;
                }
                return false;
            };
            std::vector<Sample> samples;
            std::vector<double> times;
            for (int day = 0; day <= 28; ++day) times.push_back(day);
            State x{0.0};
            const auto outcome = cartsim::ode::integrate(pk, x, 0.0, 28.0, tolerances(method, 1e-10), events, times,
                                                         [&](double t, const State& y) {
                                                             samples.push_back({t, y[0] / kVolumeL});
                                                         });
            REQUIRE(samples.size() == times.size());
            for (const auto& s : samples) {
                CAPTURE(s.t);
                CHECK(s.x == doctest::Approx(concentration_exact(s.t, doses)).epsilon(1e-8));
            }
            CHECK(outcome.stats.restarts == static_cast<std::int64_t>(doses - 1));
            CHECK(outcome.t_end == 28.0);
        }
    }
}
