// The mechanism switches: declared beside their parameters, gathered by Mechanisms, listed and set by name.

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "model/patient/mechanisms.hpp"
#include "tests/model/patient/fixtures.hpp"

using namespace cartsim::patient;

TEST_CASE("every mechanism switch is listed once, on by default, and set by its name alone") {
    const Mechanisms defaults;
    const auto names = mechanism_names(defaults);
    // One switch per room's struct at least, and no key twice (a repeated key would shadow a switch).
    CHECK(names.size() >= 27);
    CHECK(std::set<std::string>(names.begin(), names.end()).size() == names.size());
    CHECK(mechanism_names(defaults, true) == names);  // all on by default
    // Switches from each room's struct are gathered (spot checks across the headers).
    for (const char* key : {"antigen_loss", "exhaustion", "anti_car_memory", "myeloid_memory", "arm_occupancy",
                            "memory_longevity"})
        CHECK(std::find(names.begin(), names.end(), key) != names.end());
    for (const auto& name : names) {
        Mechanisms m;
        REQUIRE(set_mechanism(m, name, false));
        const auto on = mechanism_names(m, true);
        CHECK(on.size() == names.size() - 1);
        CHECK(std::find(on.begin(), on.end(), name) == on.end());
    }
    Mechanisms m;
    CHECK_FALSE(set_mechanism(m, "no_such_mechanism", false));
    CHECK(mechanism_names(m, true) == names);
    // The bases are reached through the gathered struct: the field the rate laws read is the one set.
    CHECK(set_mechanism(m, "memory_longevity", false));
    CHECK_FALSE(m.memory_longevity);
    CHECK(m.exhaustion);
}

TEST_CASE("only_mechanisms keeps exactly the named switches on") {
    const Mechanisms m = only_mechanisms({"exhaustion", "fcrn_saturation"});
    CHECK(mechanism_names(m, true) == std::vector<std::string>{"exhaustion", "fcrn_saturation"});
    CHECK(mechanism_names(only_mechanisms({}), true).empty());
    CHECK_THROWS_AS(only_mechanisms({"exhaustion", "exhaustoin"}), std::invalid_argument);
}

TEST_CASE("the legacy test baseline is the switch set it was written as") {
    // Before it was a list of names, the baseline was every switch on but these eight (of the 27 switches of
    // the day); a switch added since is off in it, so only those 27 are compared.
    Mechanisms before;
    before.cytokine_space = before.expansion_capacity = before.activation_cytokines = false;
    before.arm_occupancy = before.heritable_density = before.myeloid_memory = before.april_pdl1 = false;
    before.memory_longevity = false;
    const auto on_before = mechanism_names(before, true);
    const auto on_legacy = mechanism_names(testing::legacy_mechanisms(), true);
    const auto on = [](const std::vector<std::string>& names, const char* key) {
        return std::find(names.begin(), names.end(), key) != names.end();
    };
    int compared = 0;
    for (const char* key :
         {"antigen_loss", "antigen_density_selection", "phenotypic_drift", "soluble_bcma", "trogocytosis",
          "april_support", "macrophage_suppression", "exhaustion", "lymphodepletion_boost", "immunogenicity",
          "manufacturing_fitness", "background_mortality", "fcrn_saturation", "anti_car_memory",
          "anti_car_contraction", "cytokine_space", "expansion_capacity", "activation_cytokines",
          "costimulation_kinetics", "memory_longevity", "extramedullary_site", "growth_heterogeneity",
          "arm_occupancy", "heritable_density", "myeloid_memory", "april_pdl1", "prior_therapy_fitness"}) {
        CHECK_MESSAGE(on(on_legacy, key) == on(on_before, key), key);
        ++compared;
    }
    CHECK(compared == 27);
    CHECK(on_legacy.size() == 19);
}
