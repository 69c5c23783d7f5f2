#include "src/simulate/reference_runner.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <stdexcept>

namespace cartsim::simulate {
namespace {

std::vector<double> output_times(double horizon_days, double interval_days) {
    // k * interval rather than a running sum, so day 365 is exactly 365.
    const auto count = static_cast<std::size_t>(std::floor(horizon_days / interval_days * (1.0 + 1e-12)));
    std::vector<double> times;
    times.reserve(count + 1);
    for (std::size_t k = 0; k <= count; ++k) {
        times.push_back(std::min(static_cast<double>(k) * interval_days, horizon_days));
    }
    return times;
}

void check(const ReferenceScenario& s) {
    std::vector<std::string> problems;
    if (!(s.dose_cells >= 0.0) || !std::isfinite(s.dose_cells)) problems.emplace_back("dose_cells: must be >= 0");
    if (!(s.horizon_days >= 0.0) || !std::isfinite(s.horizon_days)) problems.emplace_back("horizon_days: must be >= 0");
    if (!(s.output_interval_days > 0.0)) problems.emplace_back("output.interval_days: must be positive");
    const auto model_problems =
        s.model == ReferenceModel::Singh2021 ? reference::validate(s.singh) : reference::validate(s.cartmath);
    for (const auto& p : model_problems) problems.push_back("parameters." + p);
    if (problems.empty()) return;
    std::string message = "invalid reference scenario:";
    for (const auto& p : problems) message += " " + p + ";";
    throw std::invalid_argument(message);
}

Table empty_table(std::span<const std::string_view> columns) {
    Table table;
    table.columns.emplace_back("time_day");
    for (auto c : columns) table.columns.emplace_back(c);
    return table;
}

ReferenceResult run_singh(const ReferenceScenario& s, std::span<const double> times) {
    const reference::Singh2021Model model(s.singh);
    ReferenceResult result;
    result.timeseries = empty_table(reference::kSingh2021Columns);
    ode::Problem problem;
    problem.rhs = [&model](const ode::State& x, ode::State& dxdt, double t) { model(x, dxdt, t); };
    problem.jacobian = [&model](const ode::State& x, std::vector<double>& jac, double t) { model.jacobian(x, jac, t); };
    const auto initial = model.initial_state(s.dose_cells);
    ode::State x(initial.begin(), initial.end());
    auto observe = [&](double t, const ode::State& state) {
        std::vector<double> row{t};
        for (double value : model.outputs(state)) row.push_back(value);
        result.timeseries.rows.push_back(std::move(row));
    };
    result.stats = ode::integrate(problem, x, 0.0, s.horizon_days, s.solver, {}, times, observe).stats;
    return result;
}

ReferenceResult run_cartmath(const ReferenceScenario& s, std::span<const double> times) {
    const reference::CartMathModel model(s.cartmath);
    ReferenceResult result;
    result.timeseries = empty_table(reference::kCartMathColumns);
    ode::Problem problem;
    problem.rhs = [&model](const ode::State& x, ode::State& dxdt, double t) { model(x, dxdt, t); };
    problem.jacobian = [&model](const ode::State& x, std::vector<double>& jac, double t) { model.jacobian(x, jac, t); };
    if (s.cartmath.extinction_threshold_cells > 0.0) {
        problem.post_step = [&model](double, ode::State& x) { return model.apply_extinction(x); };
    }
    const double dose_day = s.cartmath.dose_day;
    ode::EventHooks events;
    events.next_event_time = [dose_day](double t) {
        return dose_day > t ? dose_day : std::numeric_limits<double>::infinity();
    };
    events.apply_events = [&](double t, ode::State& x) {
        if (t == dose_day) reference::CartMathModel::apply_dose(x, s.dose_cells);
        return false;
    };
    const auto initial = model.initial_state();
    ode::State x(initial.begin(), initial.end());
    auto observe = [&](double t, const ode::State& state) {
        std::vector<double> row{t};
        row.insert(row.end(), state.begin(), state.end());  // the columns are the states
        result.timeseries.rows.push_back(std::move(row));
    };
    result.stats = ode::integrate(problem, x, 0.0, s.horizon_days, s.solver, events, times, observe).stats;
    return result;
}

}  // namespace

ReferenceResult run_reference(const ReferenceScenario& scenario) {
    check(scenario);
    const auto times = output_times(scenario.horizon_days, scenario.output_interval_days);
    ReferenceResult result =
        scenario.model == ReferenceModel::Singh2021 ? run_singh(scenario, times) : run_cartmath(scenario, times);
    result.method = ode::method_name(scenario.solver.method);
    return result;
}

ReferenceScenario default_reference_scenario(ReferenceModel model) {
    ReferenceScenario s;
    s.model = model;
    s.solver.rel_tol = 1e-10;
    s.solver.abs_tol = 1e-10;
    if (model == ReferenceModel::Singh2021) {
        s.dose_cells = 450.0e6;
        s.horizon_days = 365.0;
        s.solver.method = ode::Method::Bdf;  // stiff (Kel_e = 113/day, koff = 206/day); BDF is cheapest at 1e-10
    } else {
        s.dose_cells = 1.5e6;
        s.horizon_days = 200.0;
        // Explicit like the published code (fixed-step RK4, dt = 1e-3 day): empty populations stay exactly
        // empty and dopri5 needs 1255 steps. BDF needs 4131: the extinction rule clips the small memory
        // population after the dose and restarts it about 100 times.
        s.solver.method = ode::Method::Dopri5;
    }
    return s;
}

}  // namespace cartsim::simulate
