#include "src/simulate/scenario.hpp"

namespace cartsim::simulate {

ode::Settings SolverSettings::to_ode() const {
    ode::Settings settings;
    settings.method = method;
    settings.rel_tol = rel_tol;
    settings.abs_tol = abs_tol;
    settings.initial_step_days = initial_step_days;
    settings.max_step_days = max_step_days;
    return settings;
}

std::vector<std::string> validate(const Scenario& s) {
    std::vector<std::string> problems;
    if (s.model != ModelKind::Myeloma) return problems;
    for (const auto& p : patient::validate(s.patient)) problems.push_back("patient." + p);
    for (const auto& p : drugs::validate(s.regimen)) problems.push_back(p);
    if (s.hybrid.to_ode_above_cells <= s.hybrid.to_agents_below_cells)
        problems.push_back("hybrid.to_ode_above_cells: must be above hybrid.to_agents_below_cells");
    for (const auto& p : validate(s.lesson)) problems.push_back(p);
    return problems;
}

ReferenceScenario to_reference(const Scenario& s) {
    ReferenceScenario r;
    r.model = s.model == ModelKind::CartMath ? ReferenceModel::CartMath : ReferenceModel::Singh2021;
    r.dose_cells = s.dose_cells;
    r.horizon_days = s.horizon_days;
    r.output_interval_days = s.output.interval_days;
    r.singh = s.parameters.singh;
    r.cartmath = s.parameters.cartmath;
    r.solver = s.solver.to_ode();
    return r;
}

}  // namespace cartsim::simulate
