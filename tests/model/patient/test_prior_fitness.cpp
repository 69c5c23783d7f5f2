// T-cell fitness after prior therapy (mechanisms.prior_therapy_fitness; model/README.md item 27): the
// functional share at day 0 falls with prior lines and after prior T-cell redirection.

#include <doctest/doctest.h>

#include <cmath>

#include "model/patient/host_rooms.hpp"
#include "model/patient/myeloma_model.hpp"
#include "tests/model/patient/fixtures.hpp"

using namespace cartsim;
using namespace cartsim::patient;

TEST_CASE("prior therapy fitness: f0 r^(L - L_ref) (1 - (1 - q) R), clamped to [0, 1]") {
    tcells::EndogenousTParams p;
    p.baseline_functional_fraction = 0.7;
    p.reference_prior_lines = 5.0;
    p.fitness_retention_per_prior_line = 0.9;
    p.prior_redirection_fitness_factor = 0.6;
    SUBCASE("the reference history gives the drawn share exactly") {
        CHECK(EndogenousTRoom::initial_functional_fraction(p, true) == 0.7);
    }
    SUBCASE("three more lines and prior redirection, by hand: 0.7 x 0.9^3 x 0.6 = 0.30618") {
        p.prior_lines = 8.0;
        p.prior_redirection = 1.0;
        CHECK(EndogenousTRoom::initial_functional_fraction(p, true) == doctest::Approx(0.30618).epsilon(1e-12));
    }
    SUBCASE("fewer lines than the reference raise the share, to at most 1") {
        p.prior_lines = 2.0;
        CHECK(EndogenousTRoom::initial_functional_fraction(p, true) == doctest::Approx(0.7 / 0.729).epsilon(1e-12));
        p.prior_lines = 0.0;
        p.fitness_retention_per_prior_line = 0.5;
        CHECK(EndogenousTRoom::initial_functional_fraction(p, true) == 1.0);
    }
    SUBCASE("a half share of prior redirection takes half the factor's loss") {
        p.prior_redirection = 0.5;
        CHECK(EndogenousTRoom::initial_functional_fraction(p, true) == doctest::Approx(0.7 * 0.8).epsilon(1e-12));
    }
    SUBCASE("off: the drawn share whatever the history") {
        p.prior_lines = 12.0;
        p.prior_redirection = 1.0;
        CHECK(EndogenousTRoom::initial_functional_fraction(p, false) == 0.7);
    }
}

TEST_CASE("prior therapy fitness: the initial state splits the same T-cell count, and nothing else moves") {
    PatientParams reference;
    PatientParams treated = reference;
    treated.t_cells.prior_lines = 9.0;
    treated.t_cells.prior_redirection = 1.0;
    const double f = EndogenousTRoom::initial_functional_fraction(treated.t_cells, true);
    REQUIRE(f < reference.t_cells.baseline_functional_fraction);
    Mechanisms on, off;
    off.prior_therapy_fitness = false;
    const MyelomaModel m_ref(reference, on, testing::one_cart()), m_on(treated, on, testing::one_cart()),
        m_off(treated, off, testing::one_cart()), m_ref_off(reference, off, testing::one_cart());
    const State x_ref = m_ref.initial_state(), x_on = m_on.initial_state(), x_off = m_off.initial_state();
    const auto& l = m_on.layout();
    const auto tf = l.compartment(Compartment::EndogenousFunctional), tx = l.compartment(Compartment::EndogenousExhausted);
    const double cells = treated.t_cells.homeostatic_cells;
    CHECK(x_on[tf] == doctest::Approx(cells * f).epsilon(1e-14));
    CHECK(x_on[tf] + x_on[tx] == doctest::Approx(cells).epsilon(1e-14));
    // Knock-out: off, the history changes nothing; on, only the two T-cell compartments differ.
    CHECK(x_off == m_ref_off.initial_state());
    CHECK(x_ref == m_ref_off.initial_state());
    for (std::size_t i = 0; i < x_on.size(); ++i)
        if (i != tf && i != tx) CHECK(x_on[i] == x_ref[i]);
}
