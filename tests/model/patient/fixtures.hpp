#pragma once
// Therapy slots shared by the model tests.

#include "model/patient/mechanisms.hpp"
#include "model/patient/therapy_slots.hpp"

namespace cartsim::patient::testing {

/// One CAR-T product named "car" with the default parameters.
inline TherapySlots one_cart() {
    TherapySlots slots;
    slots.cart.push_back({"car", tcells::CarTParams{}});
    return slots;
}

/// The mechanisms on before the issue-17 recalibration switched seven more on: the baseline against which a
/// rate-law test isolates the one mechanism it is about. A mechanism added later is off here unless named.
inline Mechanisms legacy_mechanisms() {
    return only_mechanisms({"antigen_loss", "antigen_density_selection", "phenotypic_drift", "soluble_bcma",
                            "trogocytosis", "april_support", "macrophage_suppression", "exhaustion",
                            "lymphodepletion_boost", "immunogenicity", "manufacturing_fitness", "background_mortality",
                            "fcrn_saturation", "anti_car_memory", "anti_car_contraction", "costimulation_kinetics",
                            "extramedullary_site", "growth_heterogeneity", "prior_therapy_fitness"});
}

}  // namespace cartsim::patient::testing
