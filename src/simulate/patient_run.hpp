#pragma once
// Runs one patient of the myeloma model through its regimen: builds the model, turns the regimen
// into scheduled events (doses, infusions, drug exposure, assessments, line switches at progression),
// integrates between them and collects readouts and endpoints.

#include <stdexcept>

#include "src/simulate/run_result.hpp"
#include "src/simulate/scenario.hpp"

namespace cartsim::simulate {

/// How one run is carried out, beyond its scenario (these do not change its numbers).
struct RunOptions {
    /// Wall-clock seconds one run may take (0: no limit). A run that takes longer stops with
    /// RunTimeLimitExceeded; a study records it as an error row and goes on. The limit is checked at
    /// every solver step and agent grid step. Which runs reach it depends on the machine.
    double wall_seconds_limit = 0.0;
    /// Collect RunResult::lineages (hybrid mode). Studies leave them out: they write no lineage.csv.
    bool lineages = true;
    /// Keep a time-series row at every output time. Studies read only the first row (day 0) and
    /// leave the rest out (a 5-year study run takes 1.3 times as long with daily rows). Endpoints
    /// do not depend on it (they are tracked at every solver step); the state may move within the
    /// solver's tolerance, as the non-negativity guard also looks at the output times.
    bool timeseries = true;
};

/// A run stopped by RunOptions::wall_seconds_limit.
class RunTimeLimitExceeded : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Throws ode::IntegrationError when the solver fails, RunTimeLimitExceeded when the run takes longer
/// than options.wall_seconds_limit, and std::invalid_argument for a scenario that does not use the
/// myeloma model.
RunResult run_patient(const Scenario& scenario, const RunOptions& options = {});

}  // namespace cartsim::simulate
