// CAR-T expansion by mechanism: the homeostatic cytokine space that lymphocytes share
// (mechanisms.cytokine_space) and the division capacity of a product (mechanisms.expansion_capacity).

#include <doctest/doctest.h>

#include <cmath>

#include "model/patient/myeloma_model.hpp"
#include "tests/model/patient/fixtures.hpp"

using namespace cartsim;
using namespace cartsim::patient;
using cartsim::patient::testing::legacy_mechanisms;
using cartsim::patient::testing::one_cart;

namespace {

PatientParams no_tumour() {
    PatientParams p;
    p.tumour.initial_cells = 0.0;  // no antigen: CAR-T divide only by the homeostatic cytokines
    return p;
}

/// Both mechanisms on (they are off by default until the recalibration).
Mechanisms expansion_on() {
    Mechanisms m = legacy_mechanisms();
    m.cytokine_space = true;
    m.expansion_capacity = true;
    return m;
}

std::size_t at(const MyelomaModel& m, Compartment c) { return m.layout().compartment(c); }

}  // namespace

TEST_CASE("cytokine space: C = C_max / (1 + (C_max - 1) L / L0), by hand, with CAR-T cells counted") {
    PatientParams p = no_tumour();
    p.lymphodepletion.cytokine_fold_without_lymphocytes = 10.0;
    p.t_cells.homeostatic_cells = 2e10;
    MyelomaModel model(p, expansion_on(), one_cart());
    State x = model.initial_state();
    CHECK(model.homeostatic_cytokine_fold(x) == doctest::Approx(1.0).epsilon(1e-14));  // L = L0 at the start
    // Half the T cells gone (L / L0 = 1/2): C = 10 / (1 + 9 / 2) = 1.81818...
    x[at(model, Compartment::EndogenousFunctional)] = 0.6e10;
    x[at(model, Compartment::EndogenousExhausted)] = 0.4e10;
    CHECK(model.homeostatic_cytokine_fold(x) == doctest::Approx(10.0 / 5.5).epsilon(1e-14));
    // CAR-T cells are lymphocytes too: 1e10 of them bring L back to L0.
    x[model.layout().cart(0, CarTPool::MemoryBlood)] = 1e10;
    CHECK(model.homeostatic_cytokine_fold(x) == doctest::Approx(1.0).epsilon(1e-14));
    // No lymphocytes at all: C_max.
    x[at(model, Compartment::EndogenousFunctional)] = x[at(model, Compartment::EndogenousExhausted)] = 0.0;
    x[model.layout().cart(0, CarTPool::MemoryBlood)] = 0.0;
    CHECK(model.homeostatic_cytokine_fold(x) == doctest::Approx(10.0).epsilon(1e-14));
}

TEST_CASE("cytokine space: the level is the rest point of dC/dt = k (C_max - C) - k (C_max - 1) (L / L0) C") {
    PatientParams p = no_tumour();
    p.lymphodepletion.cytokine_fold_without_lymphocytes = 6.0;
    MyelomaModel model(p, expansion_on(), one_cart());
    for (double share : {0.0, 0.1, 0.5, 1.0, 3.0}) {
        CAPTURE(share);
        State x = model.initial_state();
        x[at(model, Compartment::EndogenousFunctional)] = share * p.t_cells.homeostatic_cells;
        x[at(model, Compartment::EndogenousExhausted)] = 0.0;
        const double c = model.homeostatic_cytokine_fold(x);
        // The dynamic law at any clearance k vanishes there (k = 1 here; the rest point does not depend on k).
        CHECK((6.0 - c) - 5.0 * share * c == doctest::Approx(0.0).scale(6.0));
    }
}

TEST_CASE("cytokine space: CAR-T see (C - 1) / (C_max - 1), never below 0, and divide by it") {
    PatientParams p = no_tumour();
    p.lymphodepletion.cytokine_fold_without_lymphocytes = 5.0;
    Mechanisms m = expansion_on();
    m.expansion_capacity = false;
    MyelomaModel model(p, m, one_cart());
    const double l0 = p.t_cells.homeostatic_cells, memory = 1e8;
    // L / L0 = 0: C = 5, index 1; L / L0 = 1/4: C = 5 / 2 = 2.5, index 0.375; L = L0: 0; L = 3 L0: C < 1, 0.
    for (const auto& share_index : {std::pair{0.0, 1.0}, {0.25, 0.375}, {1.0, 0.0}, {3.0, 0.0}}) {
        const double share = share_index.first, index = share_index.second;  // clang 14: no captured bindings
        CAPTURE(share);
        State x = model.initial_state();
        x[model.layout().cart(0, CarTPool::MemoryMarrow)] = memory;
        x[at(model, Compartment::EndogenousFunctional)] = share * l0 - memory;
        x[at(model, Compartment::EndogenousExhausted)] = 0.0;
        if (share == 0.0) x[model.layout().cart(0, CarTPool::MemoryMarrow)] = 0.0;
        if (share == 0.0) x[at(model, Compartment::EndogenousFunctional)] = 0.0;
        CHECK(model.ld_cytokine_index(x) == doctest::Approx(index).epsilon(1e-12));
        if (share == 0.0) continue;  // no CAR-T cells to divide
        model.tumour_rates(x, 0.0);
        const CarTRates r = model.cart_rates(x, 0, 0.0);
        const double k = tcells::CarTParams{}.ld_expansion_rate_per_day;
        CHECK(r.division[static_cast<std::size_t>(CarTPool::MemoryMarrow)] == doctest::Approx(k * index).epsilon(1e-12));
    }
}

TEST_CASE("cytokine space knocked out: the fixed surge drives CAR-T, the level reads 1, nothing else changes") {
    PatientParams p = no_tumour();
    p.tumour.initial_cells = 1e11;
    Mechanisms on = expansion_on(), off = expansion_on();
    off.cytokine_space = false;
    MyelomaModel with(p, on, one_cart()), without(p, off, one_cart());
    State x = with.initial_state();
    x[with.layout().cart(0, CarTPool::EffectorMarrow)] = 1e9;
    x[at(with, Compartment::EndogenousFunctional)] *= 0.1;  // lymphodepleted
    x[at(with, Compartment::EndogenousExhausted)] *= 0.1;
    // The surge set to the index the lymphocytes give with the switch on: the right-hand sides agree.
    x[at(with, Compartment::LdCytokine)] = with.ld_cytokine_index(x);
    REQUIRE(with.ld_cytokine_index(x) > 0.1);
    CHECK(with.ld_cytokine_index(x) == doctest::Approx(without.ld_cytokine_index(x)).epsilon(1e-14));
    CHECK(with.homeostatic_cytokine_fold(x) > 1.0);
    CHECK(without.homeostatic_cytokine_fold(x) == 1.0);
    State a(x.size()), b(x.size());
    with(x, a, 0.0);
    without(x, b, 0.0);
    for (std::size_t i = 0; i < x.size(); ++i) {
        CAPTURE(i);
        CHECK(a[i] == doctest::Approx(b[i]).epsilon(1e-12));
    }
}

TEST_CASE("expansion capacity: division falls as 1 / (1 + (g / D)^h), D scaled by fitness at apheresis") {
    PatientParams p = no_tumour();
    p.tumour.initial_cells = 1e11;
    TherapySlots slots = one_cart();
    auto& cp = slots.cart[0].params;
    cp.division_capacity_doublings = 12.0;
    cp.division_capacity_hill = 4.0;
    cp.manufacturing_sensitivity = 0.5;
    MyelomaModel model(p, expansion_on(), slots);
    State x = model.initial_state();
    x[model.layout().cart(0, CarTPool::EffectorMarrow)] = 1e8;
    const std::size_t g = model.layout().cart_doublings(0);
    const auto division = [&] {
        model.tumour_rates(x, 0.0);
        return model.cart_rates(x, 0, 0.0).division[static_cast<std::size_t>(CarTPool::EffectorMarrow)];
    };
    const double fresh = division();
    CHECK(fresh > 0.0);
    for (const auto& spent_left : {std::pair{6.0, 1.0 / (1.0 + 1.0 / 16.0)}, {12.0, 0.5}, {24.0, 1.0 / 17.0}}) {
        const double spent = spent_left.first, left = spent_left.second;
        CAPTURE(spent);
        x[g] = spent;
        CHECK(division() == doctest::Approx(fresh * left));
    }
    // Fitness at apheresis half the reference: capacity 12 * (1 - 0.5 + 0.5 * 0.5) = 9, and the
    // antigen-driven rate falls by the same 0.75 (the ld part is 0 here: no lymphodepletion).
    model.cart_runtime(0).fitness_ratio = 0.5;
    x[g] = 0.0;
    const double unfit = division();
    x[g] = 9.0;
    CHECK(division() == doctest::Approx(0.5 * unfit));
}

TEST_CASE("expansion capacity: doublings advance by the cell-weighted division rate over ln 2, agents included") {
    PatientParams p = no_tumour();
    p.tumour.initial_cells = 1e11;
    MyelomaModel model(p, expansion_on(), one_cart());
    State x = model.initial_state();
    x[model.layout().cart(0, CarTPool::EffectorMarrow)] = 3e8;
    x[model.layout().cart(0, CarTPool::MemoryBlood)] = 1e8;
    model.tumour_rates(x, 0.0);
    const CarTRates r = model.cart_rates(x, 0, 0.0);
    const double expected =
        (r.division[static_cast<std::size_t>(CarTPool::EffectorMarrow)] * 3e8 +
         r.division[static_cast<std::size_t>(CarTPool::MemoryBlood)] * 1e8) / 4e8 / std::log(2.0);
    CHECK(expected > 0.0);
    State dx(x.size());
    model(x, dx, 0.0);
    const std::size_t g = model.layout().cart_doublings(0);
    CHECK(dx[g] == doctest::Approx(expected));
    model.set_cart_frozen(0, true);  // held by agents: the pools stay, the capacity is still spent
    model(x, dx, 0.0);
    CHECK(dx[g] == doctest::Approx(expected));
    CHECK(dx[model.layout().cart(0, CarTPool::EffectorMarrow)] == 0.0);

    Mechanisms off = expansion_on();
    off.expansion_capacity = false;
    MyelomaModel unlimited(p, off, one_cart());
    x[g] = 100.0;  // spent many times over: without the mechanism it does not matter and does not grow
    unlimited.tumour_rates(x, 0.0);
    CHECK(unlimited.cart_rates(x, 0, 0.0).division == r.division);
    unlimited(x, dx, 0.0);
    CHECK(dx[g] == 0.0);
}

TEST_CASE("expansion capacity: a new infusion mixes fresh cells into the spent doublings by count") {
    MyelomaModel model(no_tumour(), expansion_on(), one_cart());
    State x = model.initial_state();
    const std::size_t g = model.layout().cart_doublings(0);
    model.add_cart_doublings_share(x, 0, 5e8);  // first infusion: nothing spent
    CHECK(x[g] == 0.0);
    x[model.layout().cart(0, CarTPool::MemoryMarrow)] = 1e9;
    x[g] = 10.0;
    model.add_cart_doublings_share(x, 0, 3e9);
    CHECK(x[g] == doctest::Approx(2.5));
}
