// Memory CAR-T cells lost as human memory CD8 T cells are (mechanisms.memory_longevity).

#include <doctest/doctest.h>

#include <cmath>

#include <boost/numeric/odeint/integrate/integrate_n_steps.hpp>
#include <boost/numeric/odeint/stepper/runge_kutta4.hpp>

#include "model/patient/myeloma_model.hpp"

using namespace cartsim;
using namespace cartsim::patient;
namespace odeint = boost::numeric::odeint;

namespace {

TherapySlots one_product(double immunogenicity) {
    TherapySlots slots;
    slots.cart.push_back({"bb", tcells::CarTParams{}});
    slots.cart[0].params.immunogenicity_death_multiplier = immunogenicity;
    return slots;
}

std::size_t at(CarTPool pool) { return static_cast<std::size_t>(pool); }

/// Rates of the product infused on `infusion_day`, at day t, with 1e8 effector and memory cells in marrow.
CarTRates rates_at(MyelomaModel& model, double infusion_day, double t) {
    model.cart_runtime(0).infused = true;
    model.cart_runtime(0).infusion_day = infusion_day;
    State x = model.initial_state();
    x[model.layout().cart(0, CarTPool::EffectorMarrow)] = 1e8;
    x[model.layout().cart(0, CarTPool::MemoryMarrow)] = 1e8;
    model.tumour_rates(x, t);
    return model.cart_rates(x, 0, t);
}

}  // namespace

TEST_CASE("memory longevity: natural memory loss is a / max(days since infusion, t0), hand-worked") {
    PatientParams p;
    p.car_design.memory_loss_exponent = 0.6;
    p.car_design.memory_loss_from_day = 30.0;
    MyelomaModel model(p, Mechanisms{}, one_product(0.0));
    // 20 days after an infusion on day 10: before t0, the loss is held at 0.6 / 30.
    CarTRates r = rates_at(model, 10.0, 30.0);
    CHECK(r.death[at(CarTPool::MemoryBlood)] == doctest::Approx(0.02).epsilon(1e-14));
    // 200 days after: 0.6 / 200.
    r = rates_at(model, 10.0, 210.0);
    CHECK(r.death[at(CarTPool::MemoryBlood)] == doctest::Approx(0.003).epsilon(1e-14));
    // In marrow the same loss plus the fratricide shared with the effectors.
    const double fratricide =
        r.death[at(CarTPool::EffectorMarrow)] - tcells::CarTParams{}.effector_death_rate_per_day;
    CHECK(r.death[at(CarTPool::MemoryMarrow)] == doctest::Approx(0.003 + fratricide).epsilon(1e-12));
    // A CD28 product's memory cells (mechanisms.costimulation_kinetics) lose cd28_memory_death_factor times faster.
    TherapySlots cd28 = one_product(0.0);
    cd28.cart[0].params.costimulation = tcells::Costimulation::Cd28;
    MyelomaModel cd28_model(p, Mechanisms{}, cd28);
    CHECK(rates_at(cd28_model, 10.0, 210.0).death[at(CarTPool::MemoryBlood)] ==
          doctest::Approx(0.003 * p.car_design.cd28_memory_death_factor).epsilon(1e-14));
    // A product not yet infused counts from t0.
    model.cart_runtime(0).infused = false;
    State x = model.initial_state();
    x[model.layout().cart(0, CarTPool::MemoryBlood)] = 1e8;
    model.tumour_rates(x, 500.0);
    CHECK(model.cart_rates(x, 0, 500.0).death[at(CarTPool::MemoryBlood)] == doctest::Approx(0.02).epsilon(1e-14));
}

TEST_CASE("memory longevity: a memory cohort without antigen shrinks as exp(-a s/t0), then e^-a (s/t0)^-a (RK4)") {
    PatientParams p;
    p.tumour.initial_cells = 0.0;  // no antigen: no activation, no exhaustion, no fratricide
    Mechanisms m;
    m.lymphodepletion_boost = false;  // no homeostatic division of memory cells
    MyelomaModel model(p, m, one_product(0.0));
    model.cart_runtime(0).infused = true;
    model.cart_runtime(0).infusion_day = 0.0;
    State x = model.initial_state();
    const auto blood = model.layout().cart(0, CarTPool::MemoryBlood);
    const auto marrow = model.layout().cart(0, CarTPool::MemoryMarrow);
    x[blood] = 1e6;
    x[marrow] = 3e6;  // trafficking moves cells between the two, which lose at the same rate
    const double a = p.car_design.memory_loss_exponent, t0 = p.car_design.memory_loss_from_day;
    const auto memory = [&](const State& s) { return s[blood] + s[marrow]; };
    const auto closed = [&](double s) { return 4e6 * (s <= t0 ? std::exp(-a * s / t0) : std::exp(-a) * std::pow(s / t0, -a)); };

    // Classical RK4 through the model's right-hand side; t0 = 42 is a step boundary (h = 0.25), so each
    // step sees a smooth right-hand side.
    const double h = 0.25;
    const auto rhs = [&](const State& y, State& dy, double t) { model(y, dy, t); };
    odeint::runge_kutta4<State> rk4;
    odeint::integrate_n_steps(rk4, rhs, x, 0.0, h, 168);  // to day 42
    CHECK(memory(x) == doctest::Approx(closed(42.0)).epsilon(1e-8));
    odeint::integrate_n_steps(rk4, rhs, x, 42.0, h, 1432);  // to day 400
    CHECK(memory(x) == doctest::Approx(closed(400.0)).epsilon(1e-8));
    // Against the constant assumed rate, the cohort keeps about 22 times more cells at day 400.
    CHECK(memory(x) / (4e6 * std::exp(-tcells::CarTParams{}.memory_death_rate_per_day * 400.0)) > 20.0);
}

TEST_CASE("memory longevity: off, the constant law exactly, and on or off the anti-CAR killing and every other rate alike") {
    PatientParams p;
    for (double immunogenicity : {0.0, 3.0}) {
        CAPTURE(immunogenicity);
        Mechanisms on, off;
        off.memory_longevity = false;
        MyelomaModel with(p, on, one_product(immunogenicity)), without(p, off, one_product(immunogenicity));
        State x = with.initial_state();
        // A primed, half-strength anti-CAR response (log-odds 0), so the immune term is non-zero.
        for (MyelomaModel* model : {&with, &without}) model->prime_anti_car(x, 0);
        x[with.layout().anti_car(0)] = 0.0;
        x[with.layout().cart(0, CarTPool::EffectorMarrow)] = 1e8;
        x[with.layout().cart(0, CarTPool::MemoryMarrow)] = 1e8;
        for (MyelomaModel* model : {&with, &without}) {
            model->cart_runtime(0).infused = true;
            model->cart_runtime(0).infusion_day = 0.0;
            model->tumour_rates(x, 100.0);
        }
        const CarTRates r_on = with.cart_rates(x, 0, 100.0), r_off = without.cart_rates(x, 0, 100.0);
        const double base = tcells::CarTParams{}.memory_death_rate_per_day;
        // The anti-CAR part of the relative death (immune_death - 1), read from the blood effectors.
        const tcells::CarTParams cp;
        const double immune =
            (r_off.death[at(CarTPool::EffectorBlood)] - cp.blood_effector_loss_rate_per_day) / cp.effector_death_rate_per_day;
        CHECK((immunogenicity > 0.0) == (immune > 1e-3));
        CHECK(r_off.death[at(CarTPool::MemoryBlood)] == doctest::Approx(base * (1.0 + immune)).epsilon(1e-12));
        CHECK(r_on.death[at(CarTPool::MemoryBlood)] ==
              doctest::Approx(p.car_design.memory_loss_exponent / 100.0 + base * immune).epsilon(1e-12));
        CHECK(r_on.death[at(CarTPool::MemoryMarrow)] - r_on.death[at(CarTPool::MemoryBlood)] ==
              doctest::Approx(r_off.death[at(CarTPool::MemoryMarrow)] - r_off.death[at(CarTPool::MemoryBlood)]));
        for (auto pool : {CarTPool::EffectorMarrow, CarTPool::EffectorBlood, CarTPool::ExhaustedMarrow})
            CHECK(r_on.death[at(pool)] == r_off.death[at(pool)]);
        CHECK(r_on.division == r_off.division);
        CHECK(r_on.move == r_off.move);
    }
}
