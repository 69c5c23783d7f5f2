// CAR-T readouts in the units trials report: transgene copies per ug of blood DNA beside cells/uL,
// and detectability against a detection limit given as a scenario parameter.

#include <doctest/doctest.h>

#include "model/patient/readouts.hpp"
#include "src/simulate/patient_run.hpp"
#include "tests/src/simulate/run_helpers.hpp"

using namespace cartsim;
using namespace cartsim::simulate;
using namespace cartsim::simulate::testing;

namespace {

Scenario cart_patient() {
    Scenario s = untreated_patient(3e11, 200);
    drugs::Therapy t;
    t.kind = drugs::TherapyKind::CarT;
    t.name = "car";
    t.cart.vector_copies_per_cell = 1.7;
    drugs::Line line;
    line.name = "cart";
    line.therapies.push_back(t);
    s.regimen.push_back(line);
    s.patient.blood_leukocytes_per_ul = 2500.0;
    return s;
}

}  // namespace

TEST_CASE("CAR-T readouts: blood copies per ug DNA = cells/uL x copies per cell x genomes per ug / leukocytes/uL") {
    const Scenario s = cart_patient();
    const auto r = run_patient(s);
    const std::size_t cells = column(r.timeseries, "cart_car_blood_cells_per_ul");
    const std::size_t copies = column(r.timeseries, "cart_car_blood_copies_per_ug_dna");
    // 6.54 pg of DNA per diploid genome (Dolezel et al. 2003): 152,905 genomes per ug.
    const double factor = 1.7 * (1e6 / 6.54) / 2500.0;
    double peak = 0.0;
    for (const auto& row : r.timeseries.rows) {
        CHECK(row[copies] == doctest::Approx(row[cells] * factor).epsilon(1e-12));
        peak = std::max(peak, row[cells]);
    }
    REQUIRE(peak > 1.0);
    // One product: the copies peak is the cell peak times the same factor (both tracked at every step).
    CHECK(r.summary.cart_peak_copies_per_ug_dna ==
          doctest::Approx(r.summary.cart_peak_blood_cells_per_ul * factor).epsilon(1e-6));
    CHECK(r.summary.cart_peak_blood_cells_per_ul >= peak);
}

TEST_CASE("CAR-T readouts: detectable until the last crossing of the stated detection limit") {
    Scenario s = cart_patient();
    s.horizon_days = 400;
    s.endpoints.cart_detection_limit_cells_per_ul = 0.1;
    const auto low = run_patient(s);
    // Memory cells of this non-immunogenic product fall below 30 cells/uL around day 100 (about 11 by day 400).
    s.endpoints.cart_detection_limit_cells_per_ul = 30.0;
    const auto high = run_patient(s);
    REQUIRE(low.summary.cart_detectable_until_day);
    REQUIRE(high.summary.cart_detectable_until_day);
    CHECK(*high.summary.cart_detectable_until_day < *low.summary.cart_detectable_until_day);
    // At the day found, blood CAR-T are at the limit (linear interpolation between daily rows).
    const std::size_t cells = column(high.timeseries, "cart_car_blood_cells_per_ul");
    const double day = *high.summary.cart_detectable_until_day;
    const auto& rows = high.timeseries.rows;
    const auto i = static_cast<std::size_t>(day);
    REQUIRE(i + 1 < rows.size());
    const double f = day - static_cast<double>(i);
    const double at = rows[i][cells] * (1.0 - f) + rows[i + 1][cells] * f;
    CHECK(at == doctest::Approx(30.0).epsilon(0.05));  // curvature within one day: a few percent
    // Above the limit on the day before, below it on the day after.
    CHECK(rows[i][cells] >= 30.0);
    CHECK(rows[i + 1][cells] < 30.0);
}
