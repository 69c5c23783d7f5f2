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

/// The mechanisms before the issue-17 recalibration switched seven on: the baseline against which a rate-law
/// test isolates the one mechanism it is about.
inline Mechanisms legacy_mechanisms() {
    Mechanisms m;
    m.cytokine_space = m.expansion_capacity = m.activation_cytokines = false;
    m.arm_occupancy = m.heritable_density = m.myeloid_memory = m.april_pdl1 = m.memory_longevity = false;
    return m;
}

}  // namespace cartsim::patient::testing
