#pragma once
// Calibration: fit uncertain parameters of population and product presets so that the validation
// studies' calibrated targets are met. The spec (scenarios/calibration/*.yaml) names the studies, the
// parameters (a preset file and a key inside it, with bounds) and the optimiser's budget.
//
// Method: NLopt's Nelder-Mead on each parameter's position in [low, high] (on a log or linear scale),
// minimising the weighted distance
//   D = sum over calibrated targets of weight * ((model - clinical) / w)^2
// (w: distance from the clinical figure to its band edge on the model's side; see distance_term).
// Every evaluation runs the same virtual patients (common random numbers: fixed cohort and patient
// seeds), so D is a deterministic function of the parameters and the simplex is not misled by noise.
// Trial values are applied in memory (LoadOptions::preset_overrides); files change only on write-back.

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "model/common/describe.hpp"
#include "src/config/error.hpp"
#include "src/scenario/loader.hpp"
#include "src/study/study_spec.hpp"
#include "src/study/validation.hpp"

namespace cartsim::study {

struct CalibrationParameter {
    std::string file;  // preset file, relative to the spec's folder
    std::string key;   // key path inside the preset, as for --set
    double low = 0.0;
    double high = 1.0;
    Scale scale = Scale::Log;
};

template <class V>
void describe(CalibrationParameter& p, V& v) {
    v.field("file", p.file, FieldInfo{"", "", "preset file (product or population), relative to this file"});
    v.field("key", p.key, FieldInfo{"", "", "key path inside the preset, as for --set"});
    v.field("low", p.low, any_value("parameter unit", "", "lower bound"));
    v.field("high", p.high, any_value("parameter unit", "", "upper bound"));
    v.field("scale", p.scale, FieldInfo{"", "", "log (low > 0) or linear: how the simplex moves between the bounds"});
}

struct CalibrationMethod {
    int max_evaluations = 150;
    double initial_step = 0.15;  // first simplex: this fraction of each parameter's range, in its scale
    double tolerance = 0.01;     // stop when the simplex's distances and positions agree within this
};

template <class V>
void describe(CalibrationMethod& m, V& v) {
    v.field("max_evaluations", m.max_evaluations, bounded("evaluations", "", "budget of virtual-trial sets", 2.0, 1e6));
    v.field("initial_step", m.initial_step, bounded("-", "", "first simplex: fraction of each range", 1e-6, 0.5));
    v.field("tolerance", m.tolerance, bounded("-", "", "convergence tolerance on distance and position", 0.0, 1e3));
}

struct CalibrationSpec {
    std::string name = "calibration";
    std::string description;
    std::vector<std::string> studies;  // validation studies, relative to the spec's folder
    int cohort_size = 0;               // patients per arm in every evaluation (0: each study's own)
    std::vector<CalibrationParameter> parameters;
    CalibrationMethod method;
};

template <class V>
void describe(CalibrationSpec& s, V& v) {
    v.field("name", s.name, FieldInfo{"", "", "calibration name"});
    v.field("description", s.description, FieldInfo{"", "", "free text"});
    v.field("studies", s.studies, FieldInfo{"", "", "validation studies whose calibrated targets are fitted"});
    v.field("cohort_size", s.cohort_size, bounded("patients", "", "patients per arm in each evaluation (0: the study's own)", 0.0, 1e7));
    v.list("parameters", s.parameters);
    v.section("method", s.method);
}

/// A spec with its files resolved and each parameter's current value read from its preset.
struct LoadedCalibration {
    std::string path;
    CalibrationSpec spec;
    std::vector<std::filesystem::path> studies;  // absolute
    std::vector<std::filesystem::path> files;    // per parameter, absolute
    std::vector<double> start;                   // per parameter, the value written in the file now
};

/// Reads the spec strictly; every problem comes back with file, line and key.
config::Result<LoadedCalibration> load_calibration(const std::string& path);

/// Position of a value in [0, 1] (its place between low and high on the parameter's scale) and back.
double to_unit(const CalibrationParameter& p, double value);
double from_unit(const CalibrationParameter& p, double unit);

/// One evaluation: the parameter values, the distance and every target's result (calibrated ones
/// count in the distance; all are evaluated).
struct Evaluation {
    std::vector<double> values;
    double distance = 0.0;
    std::vector<TargetResult> results;
};

/// Thrown when the stop flag ends an evaluation early.
struct CalibrationInterrupted : std::runtime_error {
    CalibrationInterrupted() : std::runtime_error("interrupted") {}
};

struct EvaluationOptions {
    scenario::LoadOptions load;  // base options (product folders, --set); preset overrides are added
    int threads = 1;
    int cohort_size = 0;  // overrides the spec's when > 0
    const std::atomic<bool>* stop = nullptr;
};

/// Runs every study with the parameter values in place and evaluates its targets. Deterministic: rows
/// are sorted by (group, patient) before the statistics, so threads do not change the result.
Evaluation evaluate_calibration(const LoadedCalibration& calibration, const std::vector<double>& values,
                                const EvaluationOptions& options);

/// "key=value" changes for LoadOptions::preset_overrides.
std::vector<scenario::PresetOverride> preset_overrides(const LoadedCalibration& calibration,
                                                        const std::vector<double>& values);

/// history.csv: evaluation, the parameter keys, distance, then one column per target ("trial: quantity").
std::string history_header(const LoadedCalibration& calibration, const std::vector<TargetResult>& results);
std::string history_line(int evaluation, const Evaluation& e);
/// Evaluations already in a history file, keyed by their exact parameter values (for --resume).
std::map<std::vector<double>, double> read_history(std::istream& in, std::size_t parameters);

/// Writes `value` over the parameter's value in its preset file (atomically), and puts a comment line
/// above it naming what it was fitted to. Throws std::runtime_error when the key cannot be found.
void write_back(const std::filesystem::path& file, const std::string& key, double value, const std::string& comment);

}  // namespace cartsim::study
