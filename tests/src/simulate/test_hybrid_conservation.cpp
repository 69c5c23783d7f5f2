// Conservation through mutation and hand-over: a mutant drawn from an ODE clone into an agent clone
// is one cell more, and the ODE clone loses nothing for it beyond its own rate law (whose divisions
// that found mutants already add no cell to it).

#include <doctest/doctest.h>

#include <cmath>

#include "src/simulate/patient_run.hpp"
#include "tests/src/simulate/run_helpers.hpp"

using namespace cartsim;
using namespace cartsim::simulate;
using namespace cartsim::simulate::testing;

TEST_CASE("hybrid conservation: mutants drawn into an agent clone do not deplete the ODE clone twice") {
    // 1e9 cells in the ODE lose a BCMA allele at 2e-4 per division: about 2e5 mutants in 60 days, all
    // agents of the heterozygous clone (its hand-over to the ODE is moved out of reach).
    Scenario s = untreated_patient(1e9, 60.0);
    s.mechanisms.antigen_loss = true;
    s.patient.tumour.bcma_loss_per_division = 1e-4;
    s.solver.rel_tol = 1e-10;
    s.solver.abs_tol = 1e-6;
    s.hybrid.to_ode_above_cells = 1e9;
    const RunResult hybrid = run_patient(s);
    Scenario ode = s;
    ode.hybrid.enabled = false;
    const RunResult reference = run_patient(ode);
    // The source clone's law does not depend on where its mutants live: the same in both runs, to the
    // solver's tolerance (one cell per mutant, about 7e-5 of the clone by day 60, would show).
    for (std::size_t day : {20u, 40u, 60u}) {
        const double expected = value(reference, "tumour_main_cells", day);
        INFO("day " << day);
        CHECK(std::abs(value(hybrid, "tumour_main_cells", day) - expected) < 1e-8 * expected);
    }
    // The mutant clone as agents has the ODE's mean: 2e5 cells, so chance is within 1%.
    const double agents = value(hybrid, "tumour_main_bcma1_cells", 60);
    const double mean = value(reference, "tumour_main_bcma1_cells", 60);
    REQUIRE(mean > 1e5);
    CHECK(agents == doctest::Approx(mean).epsilon(0.01));
}

TEST_CASE("hybrid lineages: a lineage held in the ODE has its share of the clone's size and of its peak") {
    // The declared clone stays in the ODE with share 1 of its lineage; a treated tumour shrinks, so
    // the lineage's peak is the clone's size at the start and its final size the clone's at the end.
    Scenario s = untreated_patient(3e9, 60.0);
    s.mechanisms.antigen_loss = true;
    s.patient.tumour.bcma_loss_per_division = 1e-6;
    s.patient.tumour.growth_rate_per_day = -0.02;  // shrinking: the peak is at day 0
    const RunResult r = run_patient(s);
    REQUIRE_FALSE(r.lineages.empty());
    const LineageRecord& main = r.lineages[0];
    CHECK(main.parent_clone == -1);
    CHECK(main.peak_cells == doctest::Approx(value(r, "tumour_main_cells", 0)).epsilon(1e-9));
    CHECK(main.cells == doctest::Approx(value(r, "tumour_main_cells", 60)).epsilon(1e-6));
    CHECK(main.cells < 0.5 * main.peak_cells);
}
