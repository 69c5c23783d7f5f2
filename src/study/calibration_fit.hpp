#pragma once
// One calibration run: the search over a spec's free parameters (those not held at a fold's prior),
// with a replay cache so that an interrupted run resumes with identical evaluations, and a callback per
// new evaluation (the CLI prints it and appends it to history.csv).

#include <functional>
#include <map>
#include <vector>

#include "src/study/calibration.hpp"

namespace cartsim::study {

struct FitOptions {
    EvaluationOptions evaluation;
    int max_evaluations = 0;                       // 0: the spec's budget
    std::vector<double> start;                     // every parameter's start value (empty: the files' values)
    std::map<std::vector<double>, double> replay;  // deviances already known (a history), by exact values
    /// Called after each newly simulated evaluation: its number, the result, the best deviance so far
    /// and the wall time of the evaluation in seconds.
    std::function<void(int, const Evaluation&, double, double)> on_evaluation;
};

struct FitResult {
    std::vector<double> values;  // best values of every parameter (held ones at their held value)
    Evaluation best;             // the full evaluation at the best values
    int evaluations = 0;         // evaluations the search asked for (replayed ones included)
    int simulated = 0;           // of those, simulated now
    bool converged = false;
    std::string reason;  // the optimiser's stopping reason
};

/// Minimises the deviance. Throws CalibrationInterrupted when the stop flag is raised, and whatever an
/// evaluation throws.
FitResult fit_calibration(const LoadedCalibration& calibration, const FitOptions& options);

}  // namespace cartsim::study
