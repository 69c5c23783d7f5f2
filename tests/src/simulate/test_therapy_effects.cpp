// Each exposure therapy changes what it should, compared with the same patient without it.

#include <doctest/doctest.h>

#include <cmath>

#include "src/simulate/patient_run.hpp"
#include "tests/src/simulate/run_helpers.hpp"

using namespace cartsim;
using namespace cartsim::simulate;
using namespace cartsim::simulate::testing;

namespace {

Scenario base_patient(double horizon = 60.0) {
    Scenario s;
    s.horizon_days = horizon;
    s.mechanisms.background_mortality = false;
    return s;
}

Scenario with_therapy(drugs::TherapyKind kind, double horizon = 60.0) {
    Scenario s = base_patient(horizon);
    drugs::Line line;
    line.name = "line";
    drugs::Therapy t;
    t.kind = kind;
    t.name = "drug";
    line.therapies.push_back(t);
    s.regimen.push_back(line);
    return s;
}

}  // namespace

TEST_CASE("therapy: a gamma-secretase inhibitor raises surface BCMA and lowers soluble BCMA") {
    const auto without = run_patient(base_patient());
    const auto with = run_patient(with_therapy(drugs::TherapyKind::GammaSecretaseInhibitor));
    CHECK(value(with, "bcma_median_molecules_per_cell", 1) ==
          doctest::Approx(3.0 * value(without, "bcma_median_molecules_per_cell", 1)).epsilon(0.05));
    CHECK(value(with, "sbcma_ng_per_ml", 30) < 0.5 * value(without, "sbcma_ng_per_ml", 30));
}

TEST_CASE("therapy: anti-CD38 and a BCMA antibody-drug conjugate kill without T cells") {
    const double untreated = value(run_patient(base_patient()), "tumour_total_cells", 30);
    for (auto kind : {drugs::TherapyKind::AntiCd38, drugs::TherapyKind::AntibodyDrugConjugate}) {
        Scenario s = with_therapy(kind);
        auto& effect = s.regimen[0].therapies[0].effect;
        effect.kill_rate_per_day = 0.05;
        effect.target = kind == drugs::TherapyKind::AntiCd38 ? Antigen::Cd38 : Antigen::Bcma;
        if (kind == drugs::TherapyKind::AntibodyDrugConjugate) effect.binder.half_max_molecules_per_cell = 300.0;
        const double treated = value(run_patient(s), "tumour_total_cells", 30);
        CHECK(treated < 0.6 * untreated);
    }
    // The conjugate spares a BCMA-negative tumour.
    Scenario s = with_therapy(drugs::TherapyKind::AntibodyDrugConjugate);
    s.regimen[0].therapies[0].effect.kill_rate_per_day = 0.05;
    s.regimen[0].therapies[0].effect.target = Antigen::Bcma;
    s.patient.tumour.clones[0].bcma.alleles = 0;
    Scenario negative = base_patient();
    negative.patient.tumour.clones[0].bcma.alleles = 0;
    CHECK(value(run_patient(s), "tumour_total_cells", 30) ==
          doctest::Approx(value(run_patient(negative), "tumour_total_cells", 30)));
}

TEST_CASE("therapy: PD-1 blockade and an immunomodulator slow T-cell exhaustion") {
    const auto without = run_patient(base_patient(120));
    for (auto kind : {drugs::TherapyKind::Pd1Blockade, drugs::TherapyKind::Immunomodulator}) {
        const auto with = run_patient(with_therapy(kind, 120));
        CHECK(value(with, "endogenous_t_exhausted_cells", 120) < value(without, "endogenous_t_exhausted_cells", 120));
    }
}

TEST_CASE("therapy: macrophage-directed therapy shrinks the suppressive pool and suppression") {
    const auto without = run_patient(base_patient());
    const auto with = run_patient(with_therapy(drugs::TherapyKind::MacrophageTherapy));
    CHECK(value(with, "macrophage_suppressive_cells", 60) < 0.8 * value(without, "macrophage_suppressive_cells", 60));
    CHECK(value(with, "suppression_fraction", 60) < value(without, "suppression_fraction", 60));
}

TEST_CASE("therapy: focal radiotherapy kills its fraction once, on its day") {
    Scenario s = with_therapy(drugs::TherapyKind::Radiotherapy);
    s.regimen[0].therapies[0].schedule.start_day = 10.0;
    s.regimen[0].therapies[0].effect.kill_fraction = 0.2;
    const auto with = run_patient(s);
    const auto without = run_patient(base_patient());
    CHECK(value(with, "tumour_total_cells", 9) == doctest::Approx(value(without, "tumour_total_cells", 9)));
    CHECK(value(with, "tumour_total_cells", 10) ==
          doctest::Approx(0.8 * value(without, "tumour_total_cells", 10)).epsilon(1e-4));
}

TEST_CASE("therapy: bridging chemotherapy before a later infusion shrinks the tumour first") {
    Scenario s = base_patient(40);
    drugs::Line line;
    line.name = "cart";
    drugs::Therapy cart;
    cart.kind = drugs::TherapyKind::CarT;
    cart.name = "car";
    cart.cart.infusion_day = 30.0;
    drugs::Therapy bridge;
    bridge.kind = drugs::TherapyKind::Chemotherapy;
    bridge.name = "bridge";
    bridge.schedule.duration_days = 25.0;
    bridge.effect.kill_rate_per_day = 0.05;
    line.therapies = {cart, bridge};
    s.regimen.push_back(line);
    const auto result = run_patient(s);
    const auto untreated = run_patient(base_patient(40));
    CHECK(value(result, "tumour_total_cells", 25) < 0.4 * value(untreated, "tumour_total_cells", 25));
    CHECK(value(result, "cart_car_blood_cells_per_ul", 29) == 0.0);
    CHECK(value(result, "cart_car_blood_cells_per_ul", 30) > 0.0);
}

TEST_CASE("patient run: the examples never produce negative cell counts") {
    Scenario s = base_patient(730);
    drugs::Line line;
    line.name = "cart";
    drugs::Therapy cart;
    cart.kind = drugs::TherapyKind::CarT;
    cart.name = "car";
    line.therapies.push_back(cart);
    s.regimen.push_back(line);
    tumour::CloneSpec negative;
    negative.name = "neg";
    negative.fraction = 0.001;
    negative.bcma.alleles = 0;
    s.patient.tumour.clones[0].fraction = 0.999;
    s.patient.tumour.clones.push_back(negative);
    const auto result = run_patient(s);
    for (std::size_t c = 1; c < result.timeseries.columns.size(); ++c) {
        const std::string& name = result.timeseries.columns[c];
        if (name.find("_cells") == std::string::npos) continue;
        double smallest = 0.0, largest = 0.0;
        for (const auto& row : result.timeseries.rows) {
            smallest = std::min(smallest, row[c]);
            largest = std::max(largest, row[c]);
        }
        // Error control allows values of the order of the absolute tolerance (1e-6 cells) around 0.
        INFO(name);
        CHECK(smallest >= -1e-3);
    }
}

TEST_CASE("therapy: acquired resistance halves a chemotherapy's kill every resistance_half_life_days, per cycle") {
    // No net growth, so the tumour falls exactly by the kill: ln N(a)/N(b) = -kill x days.
    const auto run = [](std::optional<double> half_life) {
        Scenario s = with_therapy(drugs::TherapyKind::Chemotherapy, 60.0);
        s.patient.tumour.growth_rate_per_day = 0.0;
        auto& t = s.regimen[0].therapies[0];
        t.effect.kill_rate_per_day = 0.05;
        t.effect.resistance_half_life_days = half_life;
        t.schedule.cycle_days = 10.0;
        t.schedule.days_on = 10.0;
        return run_patient(s);
    };
    const auto constant = run(std::nullopt);
    const auto resistant = run(20.0);
    // Crowding is normalised to the initial burden, so a shrunken tumour regrows a little (about
    // 0.001/day here); the kill is the drop beyond that of an untreated tumour of the same size.
    const auto drop = [](const RunResult& r, std::size_t a, std::size_t b) {
        return std::log(value(r, "tumour_total_cells", b) / value(r, "tumour_total_cells", a));
    };
    CHECK(drop(constant, 20, 30) == doctest::Approx(-0.5).epsilon(0.03));
    CHECK(drop(resistant, 0, 10) == doctest::Approx(-0.5).epsilon(0.03));   // first cycle: full kill
    CHECK(drop(resistant, 20, 30) == doctest::Approx(-0.25).epsilon(0.06));  // day 20: half
    CHECK(drop(resistant, 40, 50) == doctest::Approx(-0.125).epsilon(0.1));  // day 40: a quarter
    // The residual regrowth is the same in both runs, so the differences of drops are exact halvings.
    const double full = drop(constant, 40, 50) - drop(resistant, 40, 50);
    CHECK(full == doctest::Approx(-0.5 * (1.0 - 0.25)).epsilon(0.03));
}
