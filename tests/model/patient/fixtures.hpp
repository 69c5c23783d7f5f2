#pragma once
// Therapy slots shared by the model tests.

#include "model/patient/therapy_slots.hpp"

namespace cartsim::patient::testing {

/// One CAR-T product named "car" with the default parameters.
inline TherapySlots one_cart() {
    TherapySlots slots;
    slots.cart.push_back({"car", tcells::CarTParams{}});
    return slots;
}

}  // namespace cartsim::patient::testing
