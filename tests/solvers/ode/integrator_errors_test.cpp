// Failures surface as IntegrationError, never as silent NaN or an endless loop.

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "solvers/ode/integrator.hpp"
#include "tests/solvers/ode/test_problems.hpp"

namespace {

using cartsim::ode::IntegrationError;
using cartsim::ode::Method;
using cartsim::ode::Problem;
using cartsim::ode::Settings;
using cartsim::ode::State;
using cartsim::ode::testing::rhs_only;

Settings with(Method method) {
    Settings s;
    s.method = method;
    return s;
}

}  // namespace

TEST_CASE("a NaN from the right-hand side raises IntegrationError naming the time") {
    const Problem p = rhs_only([](const State&, State& dxdt, double t) {
        dxdt[0] = t < 2.0 ? 1.0 : std::numeric_limits<double>::quiet_NaN();
    });
    for (Method method : cartsim::ode::testing::kAllMethods) {
        CAPTURE(cartsim::ode::method_name(method));
        State x{0.0};
        try {
            cartsim::ode::integrate(p, x, 0.0, 5.0, with(method), {}, {}, {});
            FAIL("no IntegrationError");
        } catch (const IntegrationError& e) {
            CHECK(std::string(e.what()).find("t = ") != std::string::npos);
        }
    }
}

TEST_CASE("a NaN put into the state by an event raises IntegrationError") {
    const Problem p = rhs_only([](const State& x, State& dxdt, double) { dxdt[0] = -x[0]; });
    cartsim::ode::EventHooks events;
    events.next_event_time = [](double t) { return t < 1.0 ? 1.0 : std::numeric_limits<double>::infinity(); };
    events.apply_events = [](double t, State& x) {
        if (t == 1.0) x[0] = std::numeric_limits<double>::quiet_NaN();
        return false;
    };
    State x{1.0};
    CHECK_THROWS_AS(cartsim::ode::integrate(p, x, 0.0, 2.0, with(Method::Dopri5), events, {}, {}), IntegrationError);
}

TEST_CASE("a finite-time blow-up raises IntegrationError instead of looping") {
    const Problem p = rhs_only([](const State& x, State& dxdt, double) { dxdt[0] = x[0] * x[0]; });  // x = 1 / (1 - t)
    for (Method method : cartsim::ode::testing::kAllMethods) {
        CAPTURE(cartsim::ode::method_name(method));
        State x{1.0};
        CHECK_THROWS_AS(cartsim::ode::integrate(p, x, 0.0, 2.0, with(method), {}, {}, {}), IntegrationError);
    }
}

TEST_CASE("exceeding max_steps raises IntegrationError") {
    const Problem p = rhs_only([](const State& x, State& dxdt, double) { dxdt[0] = -x[0]; });
    for (Method method : cartsim::ode::testing::kAllMethods) {
        CAPTURE(cartsim::ode::method_name(method));
        Settings s = with(method);
        s.max_step_days = 1.0;
        s.max_steps = 10;
        State x{1.0};
        CHECK_THROWS_AS(cartsim::ode::integrate(p, x, 0.0, 100.0, s, {}, {}, {}), IntegrationError);
        s.max_steps = 200;
        x = {1.0};
        const auto outcome = cartsim::ode::integrate(p, x, 0.0, 100.0, s, {}, {}, {});
        CHECK(outcome.stats.steps >= 100);  // max_step_days is honoured
    }
}

TEST_CASE("bad arguments raise IntegrationError") {
    const Problem p = rhs_only([](const State& x, State& dxdt, double) { dxdt[0] = -x[0]; });
    State x{1.0};
    CHECK_THROWS_AS(cartsim::ode::integrate(p, x, 1.0, 0.0, with(Method::Dopri5), {}, {}, {}), IntegrationError);
    cartsim::ode::EventHooks stuck;
    stuck.next_event_time = [](double t) { return t; };  // not strictly later
    CHECK_THROWS_AS(cartsim::ode::integrate(p, x, 0.0, 1.0, with(Method::Dopri5), stuck, {}, {}), IntegrationError);
    CHECK_THROWS_AS(cartsim::ode::integrate(Problem{}, x, 0.0, 1.0, with(Method::Dopri5), {}, {}, {}),
                    IntegrationError);
}

TEST_CASE("bdf refuses an empty state with a clear message") {
    const Problem p = rhs_only([](const State&, State&, double) {});
    State x;
    try {
        cartsim::ode::integrate(p, x, 0.0, 1.0, with(Method::Bdf), {}, {}, {});
        FAIL("no IntegrationError");
    } catch (const IntegrationError& e) {
        CHECK(std::string(e.what()).find("no state variables") != std::string::npos);
    }
}

TEST_CASE("method names") {
    CHECK(cartsim::ode::method_name(Method::Dopri5) == "dopri5");
    CHECK(cartsim::ode::method_name(Method::Bdf) == "bdf");
}
