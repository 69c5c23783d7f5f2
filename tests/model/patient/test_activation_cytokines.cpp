// Cytokine release from T-cell activation with desensitisation (mechanisms.activation_cytokines).

#include <doctest/doctest.h>

#include <cmath>

#include "model/patient/myeloma_model.hpp"
#include "tests/model/patient/fixtures.hpp"

using namespace cartsim;
using namespace cartsim::patient;
using cartsim::patient::testing::legacy_mechanisms;
using cartsim::patient::testing::one_cart;

namespace {

Mechanisms activation_on() {
    Mechanisms m = legacy_mechanisms();
    m.activation_cytokines = true;
    return m;
}

std::size_t at(const MyelomaModel& m, Compartment c) { return m.layout().compartment(c); }

}  // namespace

TEST_CASE("activation cytokines: engaged CAR-T effectors are E phi, phi = R / (R + K_psi (E + M + X))") {
    PatientParams p;
    p.tumour.initial_cells = 1e10;
    MyelomaModel model(p, activation_on(), one_cart());
    State x = model.initial_state();
    x[model.layout().cart(0, CarTPool::EffectorMarrow)] = 1e9;
    x[model.layout().cart(0, CarTPool::MemoryMarrow)] = 5e8;
    x[model.layout().cart(0, CarTPool::ExhaustedMarrow)] = 5e8;
    x[model.layout().cart(0, CarTPool::EffectorBlood)] = 7e8;  // in blood: no antigen met
    const RateContext& c = model.context(x, 0.0);
    const double k = tcells::CarTParams{}.stimulation_half_saturation_targets_per_cell;
    const double phi = c.cart_total[0] / (c.cart_total[0] + k * 2e9);
    CHECK(c.cart_total[0] > 0.0);
    CHECK(c.activated_t_cells == doctest::Approx(1e9 * phi));
}

TEST_CASE("activation cytokines: T cells bridged by an engager are occupancy T R / (R + T)") {
    PatientParams p;
    p.tumour.initial_cells = 1e10;
    TherapySlots slots;
    slots.bispecific.push_back({"bsp", drugs::BispecificParams{}});
    MyelomaModel model(p, activation_on(), slots);
    State x = model.initial_state();
    x[model.layout().bispecific(0, BispecificPool::CentralMgAtDose)] = 2.5;  // 0.5 ug/mL in 5 L: EC50, occupancy 1/2
    const RateContext& c = model.context(x, 0.0);
    const double t = c.t_functional, r = c.bispecific_total[0];
    CHECK(c.bispecific_occupancy[0] == doctest::Approx(0.5));
    CHECK(c.activated_t_cells == doctest::Approx(0.5 * t * r / (r + t)));
}

TEST_CASE("activation cytokines: release is (kills + activated cells) x (1 - D), and D grows with exposure") {
    PatientParams p;
    p.tumour.initial_cells = 1e10;
    p.inflammation.production_per_kill = 2e-10;
    p.inflammation.production_per_activated_t_cell_day = 3e-10;
    p.inflammation.desensitisation_per_index_day = 0.5;
    p.inflammation.desensitisation_recovery_half_life_days = 10.0;
    p.inflammation.clearance_rate_per_day = 1.0;
    MyelomaModel model(p, activation_on(), one_cart());
    State x = model.initial_state();
    x[model.layout().cart(0, CarTPool::EffectorMarrow)] = 1e9;
    x[at(model, Compartment::Inflammation)] = 2.0;
    x[at(model, Compartment::Desensitisation)] = 0.25;
    const RateContext& c = model.context(x, 0.0);
    const double kills = c.immune_kill_flux, activated = c.activated_t_cells;
    CHECK(kills > 0.0);
    CHECK(activated > 0.0);
    State dx(x.size());
    model(x, dx, 0.0);
    // dI/dt = (2e-10 K + 3e-10 A) (1 - 0.25) - 1 * 2; dD/dt = 0.5 * 2 * 0.75 - ln 2 / 10 * 0.25.
    CHECK(dx[at(model, Compartment::Inflammation)] == doctest::Approx((2e-10 * kills + 3e-10 * activated) * 0.75 - 2.0));
    CHECK(dx[at(model, Compartment::Desensitisation)] == doctest::Approx(0.75 - std::log(2.0) / 10.0 * 0.25));
    // Fully refractory: nothing is released, and D can only recover.
    x[at(model, Compartment::Desensitisation)] = 1.0;
    model(x, dx, 0.0);
    CHECK(dx[at(model, Compartment::Inflammation)] == doctest::Approx(-2.0));
    CHECK(dx[at(model, Compartment::Desensitisation)] < 0.0);
}

TEST_CASE("activation cytokines knocked out: kills alone release, D is inert, nothing else changes") {
    PatientParams p;
    p.tumour.initial_cells = 1e10;
    MyelomaModel on(p, activation_on(), one_cart()), off(p, legacy_mechanisms(), one_cart());
    State x = on.initial_state();
    x[on.layout().cart(0, CarTPool::EffectorMarrow)] = 1e9;
    x[at(on, Compartment::Inflammation)] = 1.5;
    State a(x.size()), b(x.size());
    on(x, a, 0.0);
    off(x, b, 0.0);
    const double kills = off.context(x, 0.0).immune_kill_flux;
    CHECK(b[at(off, Compartment::Inflammation)] ==
          doctest::Approx(p.inflammation.production_per_kill * kills - p.inflammation.clearance_rate_per_day * 1.5));
    CHECK(b[at(off, Compartment::Desensitisation)] == 0.0);
    CHECK(a[at(on, Compartment::Inflammation)] > b[at(off, Compartment::Inflammation)]);  // activation adds
    CHECK(a[at(on, Compartment::Desensitisation)] > 0.0);
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (i == at(on, Compartment::Inflammation) || i == at(on, Compartment::Desensitisation)) continue;
        CAPTURE(i);
        CHECK(a[i] == doctest::Approx(b[i]).epsilon(1e-12));
    }
}
