#include <doctest/doctest.h>

#include <cmath>
#include <numeric>

#include "model/patient/myeloma_model.hpp"
#include "tests/model/patient/fixtures.hpp"

using namespace cartsim;
using namespace cartsim::patient;
using cartsim::patient::testing::legacy_mechanisms;
using cartsim::patient::testing::one_cart;

namespace {

double sum_range(const State& v, std::size_t begin, std::size_t end) {
    return std::accumulate(v.begin() + static_cast<long>(begin), v.begin() + static_cast<long>(end), 0.0);
}

}  // namespace

TEST_CASE("model: initial state starts macrophages, soluble BCMA and M-protein at steady state") {
    MyelomaModel model(PatientParams{}, legacy_mechanisms(), TherapySlots{});
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
    MyelomaModel model(PatientParams{}, legacy_mechanisms(), slots);
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
    Mechanisms m = legacy_mechanisms();
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
    MyelomaModel model(PatientParams{}, legacy_mechanisms(), slots);
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
    MyelomaModel model(PatientParams{}, legacy_mechanisms(), one_cart());
    State x = model.initial_state();
    const auto& l = model.layout();
    x[l.cart(0, CarTPool::EffectorMarrow)] = 1e10;
    State dx(x.size());
    model(x, dx, 1.0);
    // Bin 2 (about 20 molecules/cell) is below the 50 molecules/cell floor; bin 8 (about 1000) is not.
    const auto per_cell = [&](std::size_t k) { return dx[l.tumour(0, k)] / x[l.tumour(0, k)]; };
    CHECK(model.grid().centre(2) < 50.0);
    CHECK(per_cell(8) < per_cell(2) - 0.1);

    Mechanisms no_selection = legacy_mechanisms();
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

namespace {

// A patient on one bispecific whose binder sees every BCMA-positive cell fully (r = 1), without the
// soluble-BCMA decoy, so the recognised targets R are the tumour cells.
struct EngagerPatient {
    MyelomaModel model;
    State x;
    EngagerPatient(const PatientParams& p, double tumour_scale)
        : model(p, legacy_mechanisms(), [] {
              TherapySlots slots;
              drugs::BispecificParams bp;
              bp.binder = BinderAffinity{1e-9, 1.0, 0.0};
              slots.bispecific.push_back({"bsp", bp});
              return slots;
          }()) {
        x = model.initial_state();
        for (std::size_t i = 0; i < model.layout().tumour_end(); ++i) x[i] *= tumour_scale;
        x[model.layout().compartment(Compartment::SolubleBcma)] = 0.0;
        x[model.layout().bispecific(0, BispecificPool::CentralMgAtDose)] = 5.0;  // 1 ug/mL in 5 L
        x[model.layout().bispecific(0, BispecificPool::DoseDay)] = kDay;      // given at the time looked at
    }
    double tumour() const { return sum_range(x, 0, model.layout().tumour_end()); }
    static constexpr double kDay = 10.0;  // [day] when the rates are looked at
    double occupancy() const {
        const double c = model.bispecific_concentration_ug_per_ml(x, 0, kDay);
        return c / (c + drugs::BispecificParams{}.ec50_ug_per_ml);
    }
    // T-cell kill hazard of a BCMA-bright cell of the main clone.
    double kill() { return model.tumour_rates(x, kDay).immune[model.layout().tumour(0, 8)]; }
};

}  // namespace

TEST_CASE("model: T-cell engager kill law with encounter (K_E) and activation (K_R) terms") {
    PatientParams p;
    const double tf = p.t_cells.baseline_functional_fraction * p.t_cells.homeostatic_cells;
    const drugs::BispecificParams bp;
    SUBCASE("K_E = K_R = 0 (MODEL.md section 4): killing per cell rises towards k_max as the tumour shrinks") {
        EngagerPatient big(p, 1.0), small(p, 1e-4);
        const double supp = big.model.suppression(big.x);
        const double e = big.occupancy() * tf;
        CHECK(big.kill() == doctest::Approx(bp.max_kill_rate_per_day * (1 - supp) * e / (big.tumour() + e)).epsilon(1e-6));
        CHECK(small.kill() > 5.0 * big.kill());
    }
    SUBCASE("with K_E and K_R: the closed form, and killing per cell falls as the tumour shrinks") {
        p.t_cells.engager_effector_half_saturation_cells = 2e10;
        p.t_cells.engager_activation_half_saturation_cells = 1e10;
        for (double scale : {1.0, 1e-2, 1e-4}) {
            CAPTURE(scale);
            EngagerPatient pt(p, scale);
            const double r = pt.tumour();
            const double supp = pt.model.suppression(pt.x);
            const double e = pt.occupancy() * r / (r + 1e10) * tf;
            CHECK(pt.kill() == doctest::Approx(bp.max_kill_rate_per_day * (1 - supp) * e / (r + e + 2e10)).epsilon(1e-6));
        }
        EngagerPatient big(p, 1.0), small(p, 1e-4);
        CHECK(small.kill() < 0.1 * big.kill());
    }
}

TEST_CASE("model: antigen-independent attrition exhausts T cells in proportion to bispecific occupancy") {
    PatientParams off;
    PatientParams on = off;
    on.t_cells.bispecific_attrition_rate_per_day = 0.02;
    for (double scale : {1.0, 1e-6}) {  // the same extra flow whatever the tumour
        CAPTURE(scale);
        EngagerPatient a(off, scale), b(on, scale);
        State da(a.x.size()), db(b.x.size());
        a.model(a.x, da, EngagerPatient::kDay);
        b.model(b.x, db, EngagerPatient::kDay);
        const auto f = a.model.layout().compartment(Compartment::EndogenousFunctional);
        const auto x = a.model.layout().compartment(Compartment::EndogenousExhausted);
        const double supp = a.model.suppression(a.x);
        const double expected = 0.02 * a.occupancy() * (1.0 + on.t_cells.exhaustion_suppression_gain * supp) * a.x[f];
        CHECK(da[f] - db[f] == doctest::Approx(expected).epsilon(1e-9));
        CHECK(db[x] - da[x] == doctest::Approx(expected).epsilon(1e-9));
    }
}

TEST_CASE("model: the patient's anti-CAR immunity scales the product's immunogenic death") {
    TherapySlots slots = one_cart();
    auto& cp = slots.cart[0].params;
    cp.immunogenicity_death_multiplier = 2.5;
    cp.fratricide_per_trogocytosis = 0.0;  // leaves immune death as the only death besides the base rate
    for (double factor : {0.0, 0.4, 3.0}) {
        CAPTURE(factor);
        PatientParams p;
        p.t_cells.anti_car_immunity_factor = factor;
        MyelomaModel model(p, legacy_mechanisms(), slots);
        State x = model.initial_state();
        x[model.layout().cart(0, CarTPool::EffectorMarrow)] = 1e8;
        x[model.layout().cart(0, CarTPool::MemoryMarrow)] = 1e8;
        model.prime_anti_car(x, 0);
        for (double log_odds : {-40.0, 0.0, 3.0}) {  // the host's anti-CAR response in the state
            CAPTURE(log_odds);
            x[model.layout().anti_car(model.binder_of(0))] = log_odds;
            const double response = 1.0 / (1.0 + std::exp(-log_odds));
            model.tumour_rates(x, 10.0);
            const CarTRates r = model.cart_rates(x, 0, 10.0);
            const double expected = cp.memory_death_rate_per_day * (1.0 + factor * 2.5 * response);
            CHECK(r.death[static_cast<std::size_t>(CarTPool::MemoryMarrow)] == doctest::Approx(expected).epsilon(1e-12));
        }
    }
}
