#pragma once
// Calibration: fit uncertain parameters of population and product presets to the targets of validation
// studies. A spec (scenarios/calibration/*.yaml) names the studies, the parameters (a preset file and a
// key inside it, with bounds and a documented prior) and, for each parameter, the targets that inform
// it: that parameter-by-target matrix is the objective (every target some parameter names) and defines
// the folds of the leave-one-trial-out prediction (a parameter whose informing targets all leave goes
// to its prior).
//
// Objective: the sum of the targets' deviances (src/study/likelihood.hpp), an approximate -2 log
// likelihood of the trials' own data. Search: NLopt's Nelder-Mead (or Subplex) on each parameter's
// position in [low, high] on its scale. Every evaluation runs the same virtual patients (the studies'
// calibration seeds, never a validation seed), so the objective is a deterministic function of the
// parameters and the search is not misled by noise. Trial values are applied in memory
// (LoadOptions::preset_overrides); files change only on write-back.

#include <atomic>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/common/describe.hpp"
#include "src/config/error.hpp"
#include "src/scenario/loader.hpp"
#include "src/stats/optimise.hpp"
#include "src/study/study_spec.hpp"
#include "src/study/validation.hpp"

namespace cartsim::study {

struct CalibrationParameter {
    std::string file;  // preset file, relative to the spec's folder
    std::string key;   // key path inside the preset, as for --set
    double low = 0.0;
    double high = 1.0;
    Scale scale = Scale::Log;
    std::optional<double> prior;            // the value before any fit (used where no informing target is left)
    std::string prior_source;               // where the prior comes from ("model default (assumed)", a paper)
    std::vector<std::string> informed_by;   // ids of the targets that inform this parameter
    std::vector<std::string> copies;        // other preset files that carry the same value (kept in step)
};

template <class V>
void describe(CalibrationParameter& p, V& v) {
    v.field("file", p.file, FieldInfo{"", "", "preset file (product or population), relative to this file"});
    v.field("key", p.key, FieldInfo{"", "", "key path inside the preset, as for --set"});
    v.field("low", p.low, any_value("parameter unit", "", "lower bound"));
    v.field("high", p.high, any_value("parameter unit", "", "upper bound"));
    v.field("scale", p.scale, FieldInfo{"", "", "log (low > 0) or linear: how the search moves between the bounds"});
    v.field("prior", p.prior, any_value("parameter unit", "", "the value before any fit, with prior_source"));
    v.field("prior_source", p.prior_source, FieldInfo{"", "", "where the prior comes from"});
    v.field("informed_by", p.informed_by, FieldInfo{"", "", "ids of the targets that inform this parameter"});
    v.field("copies", p.copies, FieldInfo{"", "", "other preset files carrying the same value (relative to this file)"});
}

struct CalibrationMethod {
    stats::Optimiser optimiser = stats::Optimiser::NelderMead;
    int max_evaluations = 150;
    double initial_step = 0.15;  // first simplex: this fraction of each parameter's range, in its scale
    double tolerance = 0.01;     // stop when the simplex is smaller than this in every coordinate (fraction of the range)
    double surface_step = 0.1;   // --uncertainty: the design spans the fit +- this fraction of each range
};

template <class V>
void describe(CalibrationMethod& m, V& v) {
    v.field("optimiser", m.optimiser, FieldInfo{"", "", "nelder_mead or subplex (NLopt)"});
    v.field("max_evaluations", m.max_evaluations, bounded("evaluations", "", "budget of virtual-trial sets", 2.0, 1e6));
    v.field("initial_step", m.initial_step, bounded("-", "", "first simplex: fraction of each range", 1e-6, 0.5));
    v.field("tolerance", m.tolerance, bounded("-", "", "stop when the simplex is this small (fraction of each range)", 0.0, 1e3));
    v.field("surface_step", m.surface_step, bounded("-", "", "uncertainty design: +- this fraction of each range", 1e-4, 0.5));
}

struct CalibrationSpec {
    std::string name = "calibration";
    std::string description;
    int order = 0;                     // fits run in this order when several are chained (leave-one-out)
    std::vector<std::string> studies;  // validation studies, relative to the spec's folder
    std::vector<double> seeds;         // calibration cohort seed per study (default: each study's seeds.calibration)
    int cohort_size = 0;               // patients per arm in every evaluation (0: each study's own)
    std::vector<CalibrationParameter> parameters;
    CalibrationMethod method;
};

template <class V>
void describe(CalibrationSpec& s, V& v) {
    v.field("name", s.name, FieldInfo{"", "", "calibration name"});
    v.field("description", s.description, FieldInfo{"", "", "free text"});
    v.field("order", s.order, bounded("-", "", "position when fits are chained (leave-one-out runs them in this order)", -1e6, 1e6));
    v.field("studies", s.studies, FieldInfo{"", "", "validation studies whose targets are fitted"});
    v.field("seeds", s.seeds, bounded("-", "", "calibration cohort seed per study (default: each study's seeds.calibration)", 0.0, 2147483647.0));
    v.field("cohort_size", s.cohort_size, bounded("patients", "", "patients per arm in each evaluation (0: the study's own)", 0.0, 1e7));
    v.list("parameters", s.parameters);
    v.section("method", s.method);
}

/// A spec with its files resolved, each parameter's current value read from its preset, and every
/// named target found in the studies.
struct LoadedCalibration {
    std::string path;
    CalibrationSpec spec;
    std::vector<std::filesystem::path> studies;              // absolute
    std::vector<int> seeds;                                  // calibration cohort seed per study
    std::vector<std::filesystem::path> files;                // per parameter, absolute
    std::vector<std::vector<std::filesystem::path>> copies;  // per parameter, absolute
    std::vector<double> start;                               // per parameter, the value written in the file now
    std::vector<std::set<std::string>> study_targets;        // per study, the ids of its targets
    std::set<std::string> objective;                         // target ids in the objective
    std::vector<std::optional<double>> fixed;                // per parameter: held at this value (a fold's prior)
};

/// Reads the spec strictly and checks it against its studies; every problem comes back with file, line
/// and key. A calibration seed that is a validation seed of any study beside the named ones (the same
/// folders) is refused, naming both files.
config::Result<LoadedCalibration> load_calibration(const std::string& path, const scenario::LoadOptions& options = {});

/// Position of a value in [0, 1] (its place between low and high on the parameter's scale) and back.
double to_unit(const CalibrationParameter& p, double value);
double from_unit(const CalibrationParameter& p, double unit);

/// A fitted value that ended at the edge of its search range: the best fit may lie beyond it, so the
/// range or the model may be what holds it (a wider range where the biology allows, or a structural cause).
struct BoundHit {
    std::size_t parameter = 0;
    bool upper = false;  // the upper bound (high), else the lower (low)
    double bound = 0.0;  // that bound's value
};
/// Every free parameter whose value lies within `margin` of either end of [0, 1] on its scale (held
/// parameters are not searched and never listed).
std::vector<BoundHit> parameters_at_bounds(const LoadedCalibration& c, const std::vector<double>& values, double margin = 0.03);

/// One evaluation: the parameter values, the deviance and every target's result (all targets of the
/// studies are evaluated; the objective's count in the deviance).
struct Evaluation {
    std::vector<double> values;
    double deviance = 0.0;
    std::vector<TargetResult> results;
};

/// Thrown when the stop flag ends an evaluation early.
struct CalibrationInterrupted : std::runtime_error {
    CalibrationInterrupted() : std::runtime_error("interrupted") {}
};

struct EvaluationOptions {
    scenario::LoadOptions load;  // base options (product folders, --set, earlier fits); the values are added
    int threads = 1;
    int cohort_size = 0;  // overrides the spec's when > 0
    const std::atomic<bool>* stop = nullptr;
    bool objective_only = false;  // skip studies without an objective target (a fold's refit needs only the deviance)
};

/// The targets of one study, run in memory (no files): its results and its horizon.
struct StudyTargets {
    std::vector<TargetResult> results;
    double horizon_days = 0.0;
};
/// Loads the study with `load` (preset overrides, cohort seed, size), runs it and evaluates its targets.
/// Throws std::runtime_error for a study that does not load, CalibrationInterrupted on the stop flag.
StudyTargets run_study_targets(const std::string& file, const scenario::LoadOptions& load, int threads,
                              const std::atomic<bool>* stop);

/// Runs every study on its calibration seed with the parameter values (all of them, in spec order) in
/// place and evaluates its targets. Deterministic: rows are sorted by (group, patient) before the
/// statistics, so threads do not change the result.
Evaluation evaluate_calibration(const LoadedCalibration& calibration, const std::vector<double>& values,
                                const EvaluationOptions& options);

/// "key=value" changes for LoadOptions::preset_overrides (each parameter's file and its copies).
std::vector<scenario::PresetOverride> preset_overrides(const LoadedCalibration& calibration,
                                                        const std::vector<double>& values);

/// history.csv: evaluation, the parameter keys, deviance, then one column per objective target ("id").
std::string history_header(const LoadedCalibration& calibration);
std::string history_line(int evaluation, const LoadedCalibration& calibration, const Evaluation& e);
/// Evaluations already in a history file, keyed by their exact parameter values (for --resume).
std::map<std::vector<double>, double> read_history(std::istream& in, std::size_t parameters);

/// Writes `value` over the parameter's value in its preset file (atomically), and puts a comment line
/// above it naming what it was fitted to. Throws std::runtime_error when the key cannot be found.
void write_back(const std::filesystem::path& file, const std::string& key, double value, const std::string& comment);

}  // namespace cartsim::study

namespace cartsim {
template <>
struct EnumNames<stats::Optimiser> {
    static constexpr std::array items{std::pair{stats::Optimiser::NelderMead, "nelder_mead"},
                                      std::pair{stats::Optimiser::Subplex, "subplex"}};
};
}  // namespace cartsim
