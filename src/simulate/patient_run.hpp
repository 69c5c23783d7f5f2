#pragma once
// Runs one patient of the myeloma model through its regimen: builds the model, turns the regimen
// into scheduled events (doses, infusions, drug exposure, assessments, line switches at progression),
// integrates between them and collects readouts and endpoints.

#include <stdexcept>

#include "src/simulate/run_result.hpp"
#include "src/simulate/scenario.hpp"

namespace cartsim::simulate {

/// Throws ode::IntegrationError when the solver fails and std::invalid_argument for a scenario that
/// does not use the myeloma model.
RunResult run_patient(const Scenario& scenario);

}  // namespace cartsim::simulate
