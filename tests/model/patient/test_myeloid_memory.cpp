// mechanisms.myeloid_memory and mechanisms.april_pdl1 (model/README.md items 25 and 26): the imprint's law,
// suppressive macrophages that outlast an inflammation, and APRIL-induced PD-L1 cutting T-cell killing of
// BCMA-carrying cells by the stated factor.

#include <doctest/doctest.h>

#include <cmath>

#include <boost/numeric/odeint.hpp>

#include "model/patient/myeloma_model.hpp"
#include "tests/model/patient/fixtures.hpp"

namespace cartsim::patient {
using testing::legacy_mechanisms;
namespace {

Mechanisms with_memory(bool on) {
    Mechanisms m = legacy_mechanisms();
    m.myeloid_memory = on;
    return m;
}

TherapySlots one_cart() {
    TherapySlots slots;
    slots.cart.push_back({"car", tcells::CarTParams{}});
    return slots;
}

}  // namespace

TEST_CASE("myeloid memory: the imprint grows with inflammation and fades with its half-life") {
    const PatientParams p;
    const MyeloidRoom room(p.macrophages, with_memory(true));
    const StateLayout l(1, 13, 0, 0);
    State x(l.size(), 0.0);
    x[l.compartment(Compartment::Inflammation)] = 4.0;
    x[l.compartment(Compartment::MyeloidImprint)] = 2.0;
    const ActiveEffects none;
    RateContext c;
    c.effects = &none;
    const auto a = room.amounts(x, l, c);
    CHECK(a[5] == doctest::Approx(p.macrophages.imprint_gain_per_index_day * 4.0).epsilon(1e-15));
    CHECK(a[6] == doctest::Approx(std::log(2.0) / p.macrophages.imprint_half_life_days * 2.0).epsilon(1e-15));
    // Off: no imprint flows, and recruitment and polarisation ignore an imprint left in the state.
    const MyeloidRoom off(p.macrophages, with_memory(false));
    const auto b = off.amounts(x, l, c);
    CHECK(b[5] == 0.0);
    CHECK(b[6] == 0.0);
    x[l.compartment(Compartment::MyeloidImprint)] = 0.0;
    const auto bare = room.amounts(x, l, c);
    CHECK(b[0] == bare[0]);
    CHECK(b[3] == bare[3]);
}

TEST_CASE("myeloid memory: suppressive macrophages stay up after an inflammation has cleared") {
    // An inflammation of index 5 at day 0 (cleared within days at 0.5/day, the default) in an untreated
    // patient: 120 days later the suppressive pool is above its level without memory, and the imprint
    // has faded by its half-life since the inflammation went.
    const auto run = [](bool memory) {
        MyelomaModel model(PatientParams{}, with_memory(memory), TherapySlots{});
        State x = model.initial_state();
        x[model.layout().compartment(Compartment::Inflammation)] = 5.0;
        namespace odeint = boost::numeric::odeint;
        odeint::integrate_adaptive(odeint::make_controlled(1e-8, 1e-8, odeint::runge_kutta_dopri5<State>()),
                                   [&](const State& y, State& dy, double t) { model(y, dy, t); }, x, 0.0, 120.0, 0.01);
        return std::pair{x[model.layout().compartment(Compartment::MacrophageSuppressive)],
                         x[model.layout().compartment(Compartment::MyeloidImprint)]};
    };
    const auto on = run(true), off = run(false);
    CAPTURE(on.first);
    CAPTURE(off.first);
    CHECK(on.first > 1.02 * off.first);
    CHECK(off.second == 0.0);
    CHECK(on.second > 0.0);
}

TEST_CASE("APRIL-induced PD-L1: T-cell killing of a bin falls by p_max x APRIL binding x macrophage density") {
    PatientParams p;
    Mechanisms on = legacy_mechanisms(), off = legacy_mechanisms();
    on.april_pdl1 = true;
    MyelomaModel with(p, on, one_cart()), without(p, off, one_cart());
    const auto& l = with.layout();
    State x = with.initial_state();
    x[l.cart(0, CarTPool::EffectorMarrow)] = 1e9;
    const double ms = x[l.compartment(Compartment::MacrophageSuppressive)];
    REQUIRE(ms > 0.0);
    const double dense = ms / (ms + p.macrophages.suppression_half_saturation_cells);
    const auto& a = with.context(x, 3.0).rates.immune;
    const std::vector<double> cut = a;
    const auto& b = without.context(x, 3.0).rates.immune;
    for (std::size_t k = 1; k < l.bins(); ++k) {
        const std::size_t i = l.tumour(0, k);
        const double density = with.grid().centre(k);
        const double binding = density / (density + p.tumour.april_half_saturation_molecules_per_cell);
        CHECK(cut[i] == doctest::Approx(b[i] * (1.0 - p.tumour.april_pdl1_max_protection * binding * dense)).epsilon(1e-12));
    }
    // Without suppressive macrophages, no protection.
    x[l.compartment(Compartment::MacrophageSuppressive)] = 0.0;
    const std::vector<double> bare = with.context(x, 3.0).rates.immune;
    const auto& reference = without.context(x, 3.0).rates.immune;
    for (std::size_t i = 0; i < l.tumour_end(); ++i) CHECK(bare[i] == reference[i]);
}

}  // namespace cartsim::patient
