#include <doctest/doctest.h>

#include "model/tumour/clone_set.hpp"

using namespace cartsim;
using namespace cartsim::tumour;

namespace {
TumourParams two_clones() {
    TumourParams p;
    p.clones.clear();
    CloneSpec main;
    main.name = "main";
    main.fraction = 0.99;
    CloneSpec het;
    het.name = "het";
    het.fraction = 0.01;
    het.bcma.alleles = 1;
    p.clones = {main, het};
    return p;
}
}  // namespace

TEST_CASE("clone set: BCMA loss derives one-allele and null clones with routes") {
    const TumourParams p = two_clones();
    DensityGrid g(p.bcma_bins, p.bcma_bin_min_molecules_per_cell, p.bcma_bin_max_molecules_per_cell);
    const CloneSet set = build_clone_set(p, g, {Antigen::Bcma});
    std::vector<std::string> names;
    for (const auto& c : set.clones) names.push_back(c.name);
    CHECK(names == std::vector<std::string>{"main", "het", "main.bcma1", "het.bcma0", "main.bcma0"});
    REQUIRE(set.routes.size() == 3);
    // Two intact alleles: either can be hit, so the per-division rate doubles.
    CHECK(set.routes[0].from == 0);
    CHECK(set.routes[0].per_division == doctest::Approx(2 * p.bcma_loss_per_division));
    CHECK(set.clones[4].expression.bcma.alleles == 0);
    CHECK(set.clones[4].baseline_bcma_weights[0] == 1.0);
    CHECK(set.clones[2].initial_fraction == 0.0);
}

TEST_CASE("clone set: GPRC5D loss clones exist only when GPRC5D is losable, none without loss") {
    const TumourParams p = two_clones();
    DensityGrid g(p.bcma_bins, p.bcma_bin_min_molecules_per_cell, p.bcma_bin_max_molecules_per_cell);
    CHECK(build_clone_set(p, g, {}).clones.size() == 2);
    const CloneSet both = build_clone_set(p, g, {Antigen::Bcma, Antigen::Gprc5d});
    bool found_double = false;
    for (const auto& c : both.clones) found_double = found_double || c.name == "main.bcma0.gprc5d0";
    CHECK(found_double);
    // Two paths lead to main.bcma1.gprc5d0 (BCMA first or GPRC5D first); they meet in one clone.
    int count = 0;
    for (const auto& c : both.clones) count += c.name == "main.bcma1.gprc5d0";
    CHECK(count == 1);
}

TEST_CASE("clone set: a second site copies every clone with its share, and mutation stays within a site") {
    TumourParams p = two_clones();
    p.extramedullary.share = 0.2;
    DensityGrid g(p.bcma_bins, p.bcma_bin_min_molecules_per_cell, p.bcma_bin_max_molecules_per_cell);
    const CloneSet one = build_clone_set(two_clones(), g, {Antigen::Bcma});
    const CloneSet set = build_clone_set(p, g, {Antigen::Bcma});
    const std::size_t n = one.clones.size();
    REQUIRE(set.clones.size() == 2 * n);
    REQUIRE(set.routes.size() == 2 * one.routes.size());
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const Clone &marrow = set.clones[i], &em = set.clones[i + n];
        CHECK(marrow.name == one.clones[i].name);
        CHECK(em.name == one.clones[i].name + ".em");
        CHECK(marrow.site == 0);
        CHECK(em.site == 1);
        CHECK(marrow.initial_fraction == doctest::Approx(0.8 * one.clones[i].initial_fraction).epsilon(1e-15));
        CHECK(em.initial_fraction == doctest::Approx(0.2 * one.clones[i].initial_fraction).epsilon(1e-15));
        CHECK(em.parent == (one.clones[i].parent < 0 ? -1 : one.clones[i].parent + static_cast<int>(n)));
        total += marrow.initial_fraction + em.initial_fraction;
    }
    CHECK(total == doctest::Approx(1.0).epsilon(1e-12));
    for (const auto& r : set.routes) CHECK(set.clones[r.from].site == set.clones[r.to].site);
}

TEST_CASE("clone set: a fast subclone copies every clone, fed by divisions, before the second site copies both") {
    TumourParams p = two_clones();
    p.fast_subclone.fraction = 0.05;
    p.fast_subclone.per_division = 1e-6;
    p.extramedullary.share = 0.1;
    DensityGrid g(p.bcma_bins, p.bcma_bin_min_molecules_per_cell, p.bcma_bin_max_molecules_per_cell);
    const CloneSet one = build_clone_set(two_clones(), g, {Antigen::Bcma});
    const CloneSet set = build_clone_set(p, g, {Antigen::Bcma});
    const std::size_t n = one.clones.size();
    REQUIRE(set.clones.size() == 4 * n);
    // Antigen routes twice per class and site, plus one route per clone into its fast copy, per site.
    CHECK(set.routes.size() == 2 * (2 * one.routes.size() + n));
    for (std::size_t i = 0; i < n; ++i) {
        const double f = one.clones[i].initial_fraction;
        CHECK(set.clones[i].initial_fraction == doctest::Approx(f * 0.95 * 0.9).epsilon(1e-14));
        CHECK(set.clones[i + n].name == one.clones[i].name + ".fast");
        CHECK(set.clones[i + n].fast);
        CHECK(set.clones[i + n].initial_fraction == doctest::Approx(f * 0.05 * 0.9).epsilon(1e-14));
        CHECK(set.clones[i + 3 * n].name == one.clones[i].name + ".fast.em");
        CHECK(set.clones[i + 3 * n].fast);
        CHECK(set.clones[i + 3 * n].site == 1);
    }
    std::size_t to_fast = 0;
    for (const auto& r : set.routes) {
        CHECK(set.clones[r.from].site == set.clones[r.to].site);
        if (r.antigen == Antigen::Count) {
            ++to_fast;
            CHECK(!set.clones[r.from].fast);
            CHECK(set.clones[r.to].fast);
            CHECK(set.clones[r.to].name == set.clones[r.from].name.substr(0, set.clones[r.from].name.size() -
                                                                              (set.clones[r.from].site ? 3 : 0)) +
                                               ".fast" + (set.clones[r.from].site ? ".em" : ""));
            CHECK(r.per_division == 1e-6);
        } else {
            CHECK(set.clones[r.from].fast == set.clones[r.to].fast);
        }
    }
    CHECK(to_fast == 2 * n);
}
