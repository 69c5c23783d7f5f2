#pragma once
// What the drugs switched on now do to the model: direct kill, shedding block, exhaustion relief,
// antibody exposure, macrophage reprogramming. Acquired resistance halves a drug's direct kill every
// resistance_half_life_days after it first switched on.

#include <vector>

#include "model/patient/myeloma_model.hpp"
#include "src/simulate/regimen_plan.hpp"

namespace cartsim::simulate {

/// The exposures of a regimen and which are on now.
struct ExposureView {
    const RegimenPlan& plan;
    const std::vector<drugs::Line>& regimen;
    const std::vector<bool>& on;               // per exposure of plan.exposures
    const std::vector<double>& first_on;       // day each exposure first switched on [days]
};

patient::ActiveEffects active_effects(const ExposureView& view, double t);

}  // namespace cartsim::simulate
