// The second tumour site (tumour.extramedullary, mechanisms.extramedullary_site; model/README.md item
// 22): T cells reach it at its effector access, marrow readouts count marrow cells, focal radiotherapy
// treats it, and with the switch off a split tumour behaves as one.

#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "model/patient/myeloma_model.hpp"
#include "model/patient/readouts.hpp"
#include "src/simulate/patient_run.hpp"
#include "tests/src/simulate/run_helpers.hpp"

namespace cartsim::simulate {
namespace {

Scenario load(const std::string& text) { return testing::load_text(text).scenario; }

/// Teclistamab from day 0 in the default patient, with `share` of the tumour in the second site. The
/// mechanisms the issue-17 recalibration switched on are off, so the site is what these tests isolate.
Scenario teclistamab(double share, double access) {
    return load("name: site\nhorizon_days: 200\nhybrid: {enabled: false}\n"
                "mechanisms: {cytokine_space: false, expansion_capacity: false, activation_cytokines: false, "
                "arm_occupancy: false, heritable_density: false, myeloid_memory: false, april_pdl1: false}\n"
                "patient: {tumour: {extramedullary: {share: " + std::to_string(share) +
                ", effector_access: " + std::to_string(access) + "}}}\n"
                "regimen:\n  - {name: tec, start: 0, therapies: [{product: teclistamab}]}\n");
}

}  // namespace

TEST_CASE("second site: CAR-T and engager-bridged T cells recognise its cells at their own access") {
    patient::PatientParams params;
    params.tumour.extramedullary = {0.25, 0.3, 0.6};  // share, engager access, CAR-T access
    patient::TherapySlots slots;
    slots.cart.push_back({"car", tcells::CarTParams{}});
    slots.bispecific.push_back({"bsp", drugs::BispecificParams{}});
    patient::MyelomaModel model(params, patient::Mechanisms{}, slots);
    const auto& l = model.layout();
    const std::size_t n = l.clones() / 2;
    patient::State x = model.initial_state();
    x[l.cart(0, patient::CarTPool::EffectorMarrow)] = 1e9;
    x[l.bispecific(0, patient::BispecificPool::CentralMgAtDose)] = 2.5;
    const auto& c = model.context(x, 0.0);
    REQUIRE(c.bispecific_occupancy[0] > 0.0);
    for (std::size_t clone = 0; clone < n; ++clone)
        for (std::size_t k = 0; k < l.bins(); ++k) {
            CHECK(c.cart_r[0][l.tumour(clone + n, k)] == doctest::Approx(0.6 * c.cart_r[0][l.tumour(clone, k)]).epsilon(1e-14));
            CHECK(c.bispecific_r[0][l.tumour(clone + n, k)] ==
                  doctest::Approx(0.3 * c.bispecific_r[0][l.tumour(clone, k)]).epsilon(1e-14));
        }
    // Marrow readouts count the marrow's 75% only.
    const double marrow = 0.75 * params.tumour.initial_cells;
    CHECK(model.marrow_tumour_cells(x) == doctest::Approx(marrow).epsilon(1e-12));
    CHECK(patient::tumour_marrow_fraction(model, x) ==
          doctest::Approx(marrow / (marrow + params.tumour.marrow_other_cells)).epsilon(1e-12));
}

TEST_CASE("second site: cells there survive a bispecific that clears the marrow") {
    // Access 0.3: by day 120 the marrow has lost over 99.9% of its cells while the site keeps most of the
    // remaining tumour; with access 1 the site keeps its 10% share (the split changes nothing else).
    const RunResult poor = run_patient(teclistamab(0.1, 0.3)), full = run_patient(teclistamab(0.1, 1.0));
    const auto share = [](const RunResult& r, std::size_t day) {
        return testing::value(r, "extramedullary_cells", day) / testing::value(r, "tumour_total_cells", day);
    };
    const double marrow0 = testing::value(poor, "tumour_total_cells", 0) - testing::value(poor, "extramedullary_cells", 0);
    const double marrow120 = testing::value(poor, "tumour_total_cells", 120) - testing::value(poor, "extramedullary_cells", 120);
    CHECK(marrow120 < 1e-3 * marrow0);
    CHECK(share(poor, 120) > 0.9);
    CHECK(share(full, 120) == doctest::Approx(0.1).epsilon(1e-4));
}

TEST_CASE("second site: a relapse out of a site T cells barely reach is typed as a sanctuary relapse") {
    // Access 0.01 and 10% of the tumour in the site: teclistamab clears the marrow, the site keeps
    // growing, and at progression most of the tumour is there, still BCMA-positive.
    Scenario s = teclistamab(0.1, 0.01);
    s.horizon_days = 730;
    const RunResult r = run_patient(s);
    REQUIRE(r.summary.progression_day.has_value());
    CHECK(r.summary.relapse_type == endpoints::RelapseType::Sanctuary);
    // The same patient with full access does not relapse from the site.
    Scenario reached = teclistamab(0.1, 1.0);
    reached.horizon_days = 730;
    const RunResult f = run_patient(reached);
    CHECK((!f.summary.progression_day || f.summary.relapse_type != endpoints::RelapseType::Sanctuary));
}

TEST_CASE("second site: with the switch off a split tumour runs as the one-site tumour") {
    // Every per-cell rate is the same in both copies, so the totals follow the one-site patient to within
    // the solver's tolerance (1e-6 per step; 1e-4 relative allowed over 200 days).
    Scenario split = teclistamab(0.2, 0.3);
    split.mechanisms.extramedullary_site = false;
    const RunResult a = run_patient(split), b = run_patient(teclistamab(0.0, 0.3));
    for (std::size_t day : {30u, 90u, 150u})
        CHECK(testing::value(a, "tumour_total_cells", day) ==
              doctest::Approx(testing::value(b, "tumour_total_cells", day)).epsilon(1e-4));
    CHECK(a.timeseries.columns.size() == b.timeseries.columns.size() + 3);  // the .em copies; no site column
}

TEST_CASE("second site: focal radiotherapy treats the site, and the marrow only abscopally") {
    const auto run = [](double share) {
        return run_patient(load("name: rt\nhorizon_days: 3\nhybrid: {enabled: false}\n"
                                "patient: {tumour: {extramedullary: {share: " + std::to_string(share) + "}}}\n"
                                "regimen:\n  - {name: rt, start: 1, therapies: [{product: focal-radiotherapy}]}\n"));
    };
    const RunResult with = run(0.1), without = run(0.0);
    // Day 0 to 2 across the radiotherapy on day 1: the marrow only grows (by about 2% in two days), the
    // site keeps 10% of what growth alone would leave, and without a site 95% of every cell is left.
    const auto marrow = [&](std::size_t d) {
        return testing::value(with, "tumour_total_cells", d) - testing::value(with, "extramedullary_cells", d);
    };
    const double growth = marrow(2) / marrow(0);
    CHECK(growth > 1.0);
    CHECK(growth < 1.03);
    const double site = testing::value(with, "extramedullary_cells", 2) / testing::value(with, "extramedullary_cells", 0);
    CHECK(std::abs(site / (0.1 * growth) - 1.0) < 1e-3);
    const double all = testing::value(without, "tumour_total_cells", 2) / testing::value(without, "tumour_total_cells", 0);
    CHECK(std::abs(all / (0.95 * growth) - 1.0) < 1e-3);
}

}  // namespace cartsim::simulate
