// Negative amounts (issue 20 defect 8): a run counts every point at which an amount is below minus the
// solver's absolute tolerance, names the lowest, and writes values within the tolerance as 0.

#include <doctest/doctest.h>

#include <limits>

#include "model/patient/myeloma_model.hpp"
#include "src/scenario/loader.hpp"
#include "src/simulate/patient_run.hpp"
#include "src/simulate/step_endpoints.hpp"
#include "tests/model/patient/fixtures.hpp"
#include "tests/src/simulate/run_helpers.hpp"

using namespace cartsim;
using namespace cartsim::simulate;
using namespace cartsim::simulate::testing;

TEST_CASE("negative states: amounts below -abs_tol are counted and named, the anti-CAR log-odds is not") {
    const patient::MyelomaModel model(patient::PatientParams{}, patient::Mechanisms{}, patient::testing::one_cart());
    const auto& layout = model.layout();
    const double tol = 1e-6;
    StepEndpoints endpoints(model, 1e13, 1.0, 0.3, tol);
    patient::State x = model.initial_state();

    x[layout.anti_car(0)] = -30.0;  // log-odds: negative is its normal range
    x[layout.cart(0, patient::CarTPool::EffectorMarrow)] = -0.9 * tol;  // rounding within the tolerance
    endpoints.check_negative(x);
    CHECK(endpoints.negative_points() == 0);

    x[layout.cart(0, patient::CarTPool::EffectorMarrow)] = -3.0 * tol;
    endpoints.check_negative(x);
    x[layout.compartment(patient::Compartment::SolubleBcma)] = -5.0 * tol;
    endpoints.check_negative(x);
    CHECK(endpoints.negative_points() == 2);
    Summary summary;
    endpoints.fill(summary);
    CHECK(summary.negative_state_points == 2);
    CHECK(summary.most_negative_state == doctest::Approx(-5.0 * tol));
    CHECK(summary.most_negative_state_name == "soluble_bcma");
    CHECK(layout.name(layout.cart(0, patient::CarTPool::EffectorMarrow)) == "cart0_effector_marrow");
    CHECK(layout.name(layout.anti_car(0)) == "anti_car_log_odds0");
    CHECK(layout.may_be_negative(layout.anti_car(0)));
    CHECK_FALSE(layout.may_be_negative(layout.compartment(patient::Compartment::MProtein)));
}

TEST_CASE("negative states: an ide-cel run at the default tolerances writes no value below -abs_tol") {
    // A lymphodepletion surge that lasts (half-life 36 days, not 7) keeps the last ide-cel effectors
    // dividing while they fall towards zero: without the solver's non-negativity guard the blood
    // effectors went below -abs_tol (1e-6) at 525 points, to -1.8e-6 (found by the random-parameter soak).
    const auto loaded = testing::load_text("name: lasting-surge\nhorizon_days: 730\nhybrid: {enabled: false}\n"
                                           "patient: {lymphodepletion: {cytokine_half_life_days: 36}}\n"
                                           "regimen:\n  - {name: cart, start: 0, therapies: [{product: ide-cel}]}\n");
    const RunResult r = run_patient(loaded.scenario);
    CHECK(r.summary.negative_state_points == 0);
    double lowest = std::numeric_limits<double>::infinity();
    for (const auto& row : r.timeseries.rows)
        for (std::size_t j = 1; j < row.size(); ++j) lowest = std::min(lowest, row[j]);
    CHECK(lowest >= 0.0);  // within the tolerance written as 0; none further down
}
