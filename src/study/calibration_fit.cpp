#include "src/study/calibration_fit.hpp"

#include <chrono>
#include <cmath>
#include <limits>

namespace cartsim::study {

FitResult fit_calibration(const LoadedCalibration& c, const FitOptions& options) {
    const auto& params = c.spec.parameters;
    std::vector<double> start = options.start.empty() ? c.start : options.start;
    std::vector<std::size_t> free;
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (c.fixed[i]) start[i] = *c.fixed[i];
        else free.push_back(i);
    }
    std::vector<double> x0;
    for (std::size_t i : free) x0.push_back(to_unit(params[i], start[i]));
    const auto values_of = [&](const std::vector<double>& unit) {
        std::vector<double> values = start;
        // The start point maps back to the values it was given, not to a rounding of them.
        for (std::size_t k = 0; k < free.size(); ++k)
            if (unit[k] != x0[k]) values[free[k]] = from_unit(params[free[k]], unit[k]);
        return values;
    };

    FitResult result;
    double best_deviance = std::numeric_limits<double>::infinity();
    std::optional<Evaluation> best;
    const auto objective = [&](const std::vector<double>& unit) {
        const std::vector<double> values = values_of(unit);
        ++result.evaluations;
        if (auto hit = options.replay.find(values); hit != options.replay.end()) {
            if (hit->second < best_deviance) best_deviance = hit->second, result.values = values;
            return hit->second;
        }
        const auto t0 = std::chrono::steady_clock::now();
        Evaluation e = evaluate_calibration(c, values, options.evaluation);
        ++result.simulated;
        if (e.deviance < best_deviance) {
            best_deviance = e.deviance;
            result.values = values;
            best = e;
        }
        if (options.on_evaluation)
            options.on_evaluation(result.evaluations, e, best_deviance,
                                  std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        return e.deviance;
    };

    const int budget = options.max_evaluations > 0 ? options.max_evaluations : c.spec.method.max_evaluations;
    if (free.empty()) {
        objective({});
        result.converged = true;
        result.reason = "no free parameter";
    } else {
        stats::OptimiseOptions o;
        o.method = c.spec.method.optimiser;
        o.lower.assign(free.size(), 0.0);
        o.upper.assign(free.size(), 1.0);
        o.initial_step.assign(free.size(), c.spec.method.initial_step);
        o.max_evaluations = budget;
        o.f_tolerance = 0.0;  // a simulated deviance has flat steps: stop on the simplex size, not on equal values
        o.x_tolerance = c.spec.method.tolerance;
        const auto r = stats::minimise(objective, x0, o);
        result.converged = r.converged;
        result.reason = r.reason;
    }
    // The best point's full table; recomputed when it came from the history of an earlier run.
    result.best = best && best->values == result.values ? *best : evaluate_calibration(c, result.values, options.evaluation);
    return result;
}

}  // namespace cartsim::study
