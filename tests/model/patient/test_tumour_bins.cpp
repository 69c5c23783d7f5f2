// What lets the tumour room compute a clone without BCMA alleles in bin 0 alone (tumour_room.hpp,
// bins_used_): such a clone starts there, no law moves its cells out of bin 0, and every mutant
// daughter founding it lands there.

#include <doctest/doctest.h>

#include "model/patient/myeloma_model.hpp"
#include "tests/model/patient/fixtures.hpp"

using namespace cartsim;
using namespace cartsim::patient;
using cartsim::patient::testing::one_cart;

TEST_CASE("tumour bins: a clone without BCMA alleles starts in bin 0 and nothing moves its cells out") {
    PatientParams p;
    p.tumour.clones.resize(2);
    p.tumour.clones[0].fraction = 0.99;
    p.tumour.clones[1].name = "neg";
    p.tumour.clones[1].bcma.alleles = 0;
    p.tumour.density_drift_rate_per_day = 0.5;
    Mechanisms m;  // antigen loss, drift and trogocytosis on
    REQUIRE(m.antigen_loss);
    REQUIRE(m.trogocytosis);
    MyelomaModel model(p, m, one_cart());
    const auto& l = model.layout();
    const auto& clones = model.clone_set().clones;
    State x = model.initial_state();
    x[l.cart(0, CarTPool::EffectorMarrow)] = 1e9;  // killing, so stripping
    std::size_t negative = 0;
    for (std::size_t c = 0; c < clones.size(); ++c) {
        CAPTURE(clones[c].name);
        CHECK(model.tumour_rates(x, 0.0).drift_up[l.tumour(c, 0)] == 0.0);  // nothing drifts up out of bin 0
        if (clones[c].expression.bcma.alleles != 0) continue;
        ++negative;
        for (std::size_t k = 1; k < l.bins(); ++k) {
            CHECK(clones[c].baseline_bcma_weights[k] == 0.0);
            CHECK(x[l.tumour(c, k)] == 0.0);
        }
    }
    CHECK(negative == 2);  // the declared one and main's biallelic-loss descendant
    const TumourRates& rates = model.tumour_rates(x, 0.0);
    for (std::size_t c = 0; c < clones.size(); ++c) {
        CHECK(rates.strip[l.tumour(c, 0)] == 0.0);  // stripping moves bin k to k - 1 from k >= 2 only
        CHECK(rates.strip[l.tumour(c, 1)] == 0.0);
    }
}

TEST_CASE("tumour bins: every mutant daughter of a one-allele clone lands in bin 0 of its no-allele child") {
    Mechanisms m;
    MyelomaModel model(PatientParams{}, m, one_cart());
    const auto& l = model.layout();
    const auto& set = model.clone_set();
    bool found = false;
    for (const auto& route : set.routes) {
        if (set.clones[route.from].expression.bcma.alleles != 1 || set.clones[route.to].expression.bcma.alleles != 0)
            continue;
        found = true;
        // Cells in every bin of the parent only: the child's bin 0 must receive all their mutant births.
        State x = model.initial_state();
        for (std::size_t i = 0; i < l.tumour_end(); ++i) x[i] = 0.0;
        for (std::size_t k = 0; k < l.bins(); ++k) x[l.tumour(route.from, k)] = 1e6 * static_cast<double>(k + 1);
        const TumourRates rates = model.tumour_rates(x, 0.0);
        double births = 0.0;
        for (std::size_t k = 0; k < l.bins(); ++k)
            births += rates.division[l.tumour(route.from, k)] * x[l.tumour(route.from, k)];
        State dx(x.size());
        model(x, dx, 0.0);
        CHECK(births > 0.0);
        CHECK(dx[l.tumour(route.to, 0)] == doctest::Approx(route.per_division * births).epsilon(1e-12));
    }
    CHECK(found);
}
