#include <doctest/doctest.h>

#include <cmath>
#include <numeric>

#include "model/patient/myeloma_model.hpp"

using namespace cartsim;
using namespace cartsim::patient;

namespace {

TherapySlots one_cart() {
    TherapySlots slots;
    slots.cart.push_back({"car", tcells::CarTParams{}});
    return slots;
}

double sum_range(const State& v, std::size_t begin, std::size_t end) {
    return std::accumulate(v.begin() + static_cast<long>(begin), v.begin() + static_cast<long>(end), 0.0);
}

}  // namespace

TEST_CASE("model: initial state starts macrophages, soluble BCMA and M-protein at steady state") {
    MyelomaModel model(PatientParams{}, Mechanisms{}, TherapySlots{});
    const State x = model.initial_state();
    State dx(x.size());
    model(x, dx, 0.0);
    const auto& l = model.layout();
    for (Compartment c : {Compartment::MacrophageNeutral, Compartment::MacrophageSuppressive,
                          Compartment::SolubleBcma, Compartment::MProtein})
        CHECK(std::abs(dx[l.compartment(c)]) <= 1e-9 * std::abs(x[l.compartment(c)]));
    CHECK(model.tumour_cells(x) == doctest::Approx(PatientParams{}.tumour.initial_cells));
}

TEST_CASE("model: CAR-T trafficking, differentiation and exhaustion only move cells (flows conserve)") {
    TherapySlots slots = one_cart();
    auto& cp = slots.cart[0].params;
    cp.expansion_rate_per_day = cp.ld_expansion_rate_per_day = 0.0;
    cp.effector_death_rate_per_day = cp.memory_death_rate_per_day = cp.exhausted_death_rate_per_day = 0.0;
    cp.blood_effector_loss_rate_per_day = 0.0;
    cp.fratricide_per_trogocytosis = 0.0;
    MyelomaModel model(PatientParams{}, Mechanisms{}, slots);
    State x = model.initial_state();
    const auto& l = model.layout();
    double total = 0.0;
    for (std::size_t pool = 0; pool < StateLayout::kCarTPools; ++pool) {
        x[l.cart(0, static_cast<CarTPool>(pool))] = 1e8 * static_cast<double>(pool + 1);
        total += x[l.cart(0, static_cast<CarTPool>(pool))];
    }
    State dx(x.size());
    model(x, dx, 5.0);
    const double moved = std::abs(dx[l.cart(0, CarTPool::EffectorBlood)]) + std::abs(dx[l.cart(0, CarTPool::EffectorMarrow)]);
    CHECK(moved > 1e6);  // cells do move ...
    CHECK(std::abs(sum_range(dx, l.cart(0, CarTPool::EffectorBlood), l.cart(0, CarTPool::Count))) <= 1e-9 * total);
}

TEST_CASE("model: density drift and macrophage polarisation only move cells") {
    PatientParams p;
    p.tumour.growth_rate_per_day = 0.0;
    p.tumour.turnover_death_rate_per_day = 0.0;
    p.tumour.density_drift_rate_per_day = 0.5;
    p.macrophages.basal_recruitment_cells_per_day = p.macrophages.tumour_recruitment_cells_per_day = 0.0;
    p.macrophages.inflammation_recruitment_cells_per_day = p.macrophages.death_rate_per_day = 0.0;
    Mechanisms m;
    m.antigen_loss = false;
    MyelomaModel model(p, m, TherapySlots{});
    State x = model.initial_state();
    const auto& l = model.layout();
    // Push the clone away from its baseline distribution so drift has work to do.
    std::swap(x[l.tumour(0, 3)], x[l.tumour(0, 7)]);
    x[l.compartment(Compartment::MacrophageNeutral)] = 1e10;
    State dx(x.size());
    model(x, dx, 0.0);
    CHECK(std::abs(dx[l.tumour(0, 3)]) > 1e3);
    CHECK(std::abs(sum_range(dx, 0, l.tumour_end())) <= 1e-9 * model.tumour_cells(x));
    const double neutral = dx[l.compartment(Compartment::MacrophageNeutral)];
    const double suppressive = dx[l.compartment(Compartment::MacrophageSuppressive)];
    CHECK(std::abs(neutral) > 1.0);
    CHECK(std::abs(neutral + suppressive) <= 1e-9 * std::abs(neutral));
}

TEST_CASE("model: an empty patient (no cells, no drug) gives finite derivatives") {
    TherapySlots slots = one_cart();
    slots.bispecific.push_back({"bsp", drugs::BispecificParams{}});
    slots.antibodies.push_back({"ab", Antigen::Cd38, BinderAffinity{}, 0.1});
    MyelomaModel model(PatientParams{}, Mechanisms{}, slots);
    ActiveEffects effects;
    effects.antibody_on = {true};
    model.set_effects(effects);
    State x(model.layout().size(), 0.0);
    State dx(x.size(), 1.0);
    model(x, dx, 10.0);
    for (double v : dx) CHECK(std::isfinite(v));
    for (std::size_t i = 0; i < model.layout().tumour_end(); ++i) CHECK(dx[i] == 0.0);
}

TEST_CASE("model: recognised bins are killed faster than bins below the functional floor") {
    MyelomaModel model(PatientParams{}, Mechanisms{}, one_cart());
    State x = model.initial_state();
    const auto& l = model.layout();
    x[l.cart(0, CarTPool::EffectorMarrow)] = 1e10;
    State dx(x.size());
    model(x, dx, 1.0);
    // Bin 2 (about 20 molecules/cell) is below the 50 molecules/cell floor; bin 8 (about 1000) is not.
    const auto per_cell = [&](std::size_t k) { return dx[l.tumour(0, k)] / x[l.tumour(0, k)]; };
    CHECK(model.grid().centre(2) < 50.0);
    CHECK(per_cell(8) < per_cell(2) - 0.1);

    Mechanisms no_selection;
    no_selection.antigen_density_selection = false;
    no_selection.trogocytosis = false;
    no_selection.phenotypic_drift = false;
    no_selection.april_support = false;
    MyelomaModel flat(PatientParams{}, no_selection, one_cart());
    State dy(x.size());
    State y = flat.initial_state();
    y[flat.layout().cart(0, CarTPool::EffectorMarrow)] = 1e10;
    flat(y, dy, 1.0);
    const auto rate = [&](std::size_t k) { return dy[flat.layout().tumour(0, k)] / y[flat.layout().tumour(0, k)]; };
    CHECK(rate(8) == doctest::Approx(rate(4)).epsilon(1e-9));
}
