#pragma once
// Runs one of the published reference models (model/reference) with the ODE solvers and returns its
// time series. The CLI reads the scenario from YAML and writes the table; this file does no I/O.

#include <array>
#include <string>
#include <utility>

#include "model/common/describe.hpp"
#include "model/reference/cartmath.hpp"
#include "model/reference/singh2021.hpp"
#include "solvers/ode/integrator.hpp"
#include "src/simulate/table.hpp"

namespace cartsim::simulate {

enum class ReferenceModel { Singh2021, CartMath };

struct ReferenceScenario {
    ReferenceModel model = ReferenceModel::Singh2021;
    double dose_cells = 450.0e6;  // Singh: infused into blood at day 0; CARTmath: into C_T at dose_day
    double horizon_days = 365.0;
    double output_interval_days = 1.0;  // rows at k * interval for k = 0, 1, ... while <= horizon_days
    reference::Singh2021Params singh;
    reference::CartMathParams cartmath;
    ode::Settings solver;
};

struct ReferenceResult {
    Table timeseries;  // time_day, then the model's columns (REFERENCE_MODELS.md)
    ode::Stats stats;
    std::string method;
};

/// Throws std::invalid_argument listing every problem of the scenario, and ode::IntegrationError when
/// the solver fails.
ReferenceResult run_reference(const ReferenceScenario& scenario);

/// The published case at tight tolerances: Singh 450e6 cells over 365 days, CARTmath 1.5e6 cells at
/// day 42 over 200 days.
ReferenceScenario default_reference_scenario(ReferenceModel model);

}  // namespace cartsim::simulate

namespace cartsim {

template <>
struct EnumNames<simulate::ReferenceModel> {
    static constexpr std::array items{std::pair{simulate::ReferenceModel::Singh2021, "singh2021"},
                                      std::pair{simulate::ReferenceModel::CartMath, "cartmath"}};
};

}  // namespace cartsim
