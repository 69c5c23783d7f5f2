// Growth heterogeneity (tumour.fast_subclone, mechanisms.growth_heterogeneity; model/README.md item 24):
// therapy selects the faster copy, which then carries the relapse; switched off, a split tumour runs as
// one.

#include <doctest/doctest.h>

#include <string>

#include "src/simulate/patient_run.hpp"
#include "tests/src/simulate/run_helpers.hpp"

namespace cartsim::simulate {
namespace {

/// Ide-cel from day 0 in the default patient; `fraction` of every clone grows 3x faster.
Scenario idecel(double fraction, bool on) {
    Scenario s;
    s.horizon_days = 400;
    s.hybrid.enabled = false;
    s.patient.tumour.fast_subclone.fraction = fraction;
    s.patient.tumour.fast_subclone.growth_fold = 3.0;
    s.mechanisms.growth_heterogeneity = on;
    drugs::Line line;
    line.name = "cart";
    drugs::Therapy car;
    car.name = "car";
    car.kind = drugs::TherapyKind::CarT;
    line.therapies.push_back(car);
    s.regimen.push_back(line);
    return s;
}

double fast_share(const RunResult& r, std::size_t day) {
    double fast = 0.0;
    for (std::size_t j = 0; j < r.timeseries.columns.size(); ++j) {
        const auto& name = r.timeseries.columns[j];
        if (name.rfind("tumour_", 0) == 0 && name.find("_fast") != std::string::npos) fast += r.timeseries.rows.at(day)[j];
    }
    return fast / testing::value(r, "tumour_total_cells", day);
}

}  // namespace

TEST_CASE("growth heterogeneity: CAR-T therapy selects the faster copy, which carries the regrowth") {
    // 1% of cells grow 3x faster. Killing does not tell them apart, so after the response their share grows
    // with the growth difference: over half of the tumour by day 400 (measured 0.90); off, it stays 1%.
    const RunResult on = run_patient(idecel(0.01, true)), off = run_patient(idecel(0.01, false));
    CHECK(fast_share(on, 0) == doctest::Approx(0.01).epsilon(1e-12));
    CHECK(fast_share(on, 100) > 0.03);
    CHECK(fast_share(on, 400) > 0.5);
    CHECK(fast_share(off, 400) == doctest::Approx(0.01).epsilon(1e-4));
}

TEST_CASE("growth heterogeneity: with the switch off a split tumour runs as the one-class tumour") {
    const RunResult split = run_patient(idecel(0.2, false)), one = run_patient(idecel(0.0, false));
    for (std::size_t day : {30u, 150u, 300u})
        CHECK(testing::value(split, "tumour_total_cells", day) ==
              doctest::Approx(testing::value(one, "tumour_total_cells", day)).epsilon(1e-4));
}

}  // namespace cartsim::simulate
