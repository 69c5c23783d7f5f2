// T-cell fitness after prior therapy in whole runs (mechanisms.prior_therapy_fitness): a bispecific
// kills less in a patient with more prior lines or prior T-cell redirection, and a CAR-T product made
// from such T cells expands less.

#include <doctest/doctest.h>

#include <string>

#include "src/simulate/patient_run.hpp"
#include "tests/src/simulate/run_helpers.hpp"

namespace cartsim::simulate {
namespace {

Scenario with_history(const std::string& regimen, double lines, double redirection) {
    return testing::load_text("name: prior\nhorizon_days: 120\nhybrid: {enabled: false}\n"
                "patient: {t_cells: {prior_lines: " + std::to_string(lines) +
                ", prior_redirection: " + std::to_string(redirection) + "}}\n" + regimen).scenario;
}

const std::string kTeclistamab = "regimen:\n  - {name: tec, start: 0, therapies: [{product: teclistamab}]}\n";
const std::string kIdecel = "regimen:\n  - {name: car, start: 0, therapies: [{product: ide-cel}]}\n";

}  // namespace

TEST_CASE("prior therapy fitness: more prior lines or prior redirection leave more tumour under teclistamab") {
    const RunResult reference = run_patient(with_history(kTeclistamab, 5, 0));
    const RunResult more_lines = run_patient(with_history(kTeclistamab, 10, 0));
    const RunResult redirected = run_patient(with_history(kTeclistamab, 5, 1));
    for (std::size_t day : {28u, 56u, 84u}) {
        CAPTURE(day);
        const double n = testing::value(reference, "tumour_total_cells", day);
        CHECK(testing::value(more_lines, "tumour_total_cells", day) > n);
        CHECK(testing::value(redirected, "tumour_total_cells", day) > n);
    }
    // With the switch off the history is inert.
    Scenario off = with_history(kTeclistamab, 10, 1);
    off.mechanisms.prior_therapy_fitness = false;
    const RunResult inert = run_patient(off);
    CHECK(testing::value(inert, "tumour_total_cells", 84) == testing::value(reference, "tumour_total_cells", 84));
}

TEST_CASE("prior therapy fitness: a CAR-T product made after prior redirection expands less") {
    const RunResult reference = run_patient(with_history(kIdecel, 5, 0));
    const RunResult redirected = run_patient(with_history(kIdecel, 5, 1));
    REQUIRE(reference.summary.cart_peak_blood_cells_per_ul > 0.0);
    CHECK(redirected.summary.cart_peak_blood_cells_per_ul < reference.summary.cart_peak_blood_cells_per_ul);
}

}  // namespace cartsim::simulate
