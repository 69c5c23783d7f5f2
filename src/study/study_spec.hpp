#pragma once
// The study blocks of a scenario file: `cohort:` (virtual patients drawn from distributions),
// `sweep:` (a design over parameter paths) and `arms:` (regimens run on the same patients).
// Parameters are named by the same paths as `--set` (patient.tumour.growth_rate_per_day,
// regimen[cart].therapies[ide-cel].dose_cells, patient.tumour.clones[bcma_neg].fraction).

#include <string>
#include <vector>

#include "model/common/describe.hpp"
#include "src/study/targets.hpp"

namespace cartsim::study {

enum class DistributionKind { Lognormal, TruncatedLognormal, Normal, TruncatedNormal, Uniform, LogUniform, Beta, Choice };

/// One drawn parameter of a cohort. Which keys apply depends on `distribution`.
struct ParameterDistribution {
    std::string path;
    DistributionKind distribution = DistributionKind::Lognormal;
    double median = 1.0;  // lognormal, truncated_lognormal
    double cv = 0.3;      // lognormal: coefficient of variation of the value itself
    double lognormal_low = 0.0;   // truncated_lognormal: its `low` and `high` (open ends by default)
    double lognormal_high = kInf;
    double mean = 0.0;    // normal, truncated_normal
    double sd = 1.0;      // normal, truncated_normal
    double low = 0.0;     // truncated_normal, uniform, log_uniform, beta (scaled to [low, high])
    double high = 1.0;
    double a = 1.0;  // beta shape
    double b = 1.0;
    std::vector<double> values;   // choice
    std::vector<double> weights;  // choice (empty: equal)
};

template <class V>
void describe(ParameterDistribution& d, V& v) {
    v.field("path", d.path, FieldInfo{"", "", "parameter path, as for --set"});
    v.field("distribution", d.distribution,
            FieldInfo{"", "",
                      "lognormal, truncated_lognormal, normal, truncated_normal, uniform, log_uniform, beta or choice"});
    switch (d.distribution) {
        case DistributionKind::Lognormal:
            v.field("median", d.median, bounded("parameter unit", "", "median", 1e-300, kInf));
            v.field("cv", d.cv, nonnegative("-", "", "coefficient of variation (sd / mean)"));
            break;
        case DistributionKind::TruncatedLognormal:
            v.field("median", d.median, bounded("parameter unit", "", "median before truncation", 1e-300, kInf));
            v.field("cv", d.cv, bounded("-", "", "coefficient of variation before truncation", 1e-300, kInf));
            v.field("low", d.lognormal_low, nonnegative("parameter unit", "", "lower bound (default 0: none)"));
            v.field("high", d.lognormal_high, bounded("parameter unit", "", "upper bound (default: none)", 0.0, kInf));
            break;
        case DistributionKind::Normal:
            v.field("mean", d.mean, any_value("parameter unit", "", "mean"));
            v.field("sd", d.sd, nonnegative("parameter unit", "", "standard deviation"));
            break;
        case DistributionKind::TruncatedNormal:
            v.field("mean", d.mean, any_value("parameter unit", "", "mean before truncation"));
            v.field("sd", d.sd, bounded("parameter unit", "", "sd before truncation", 1e-300, kInf));
            v.field("low", d.low, any_value("parameter unit", "", "lower bound"));
            v.field("high", d.high, any_value("parameter unit", "", "upper bound"));
            break;
        case DistributionKind::Uniform:
        case DistributionKind::LogUniform:
            v.field("low", d.low, any_value("parameter unit", "", "lower bound"));
            v.field("high", d.high, any_value("parameter unit", "", "upper bound"));
            break;
        case DistributionKind::Beta:
            v.field("a", d.a, bounded("-", "", "first shape", 1e-6, kInf));
            v.field("b", d.b, bounded("-", "", "second shape", 1e-6, kInf));
            v.field("low", d.low, any_value("parameter unit", "", "value at 0 (default 0)"));
            v.field("high", d.high, any_value("parameter unit", "", "value at 1 (default 1)"));
            break;
        case DistributionKind::Choice:
            v.field("values", d.values, any_value("parameter unit", "", "the possible values"));
            v.field("weights", d.weights, nonnegative("-", "", "relative weights (default: equal)"));
            break;
    }
}

enum class CorrelationMethod { Gaussian, Rank };

struct CorrelationPair {
    std::string a;  // parameter paths, both listed under parameters
    std::string b;
    double value = 0.0;
};

template <class V>
void describe(CorrelationPair& c, V& v) {
    v.field("a", c.a, FieldInfo{"", "", "first parameter path"});
    v.field("b", c.b, FieldInfo{"", "", "second parameter path"});
    v.field("value", c.value, bounded("-", "", "correlation between the two", -1.0, 1.0));
}

struct CohortSpec {
    int size = 100;
    int seed = 1;
    std::vector<ParameterDistribution> parameters;
    CorrelationMethod correlation = CorrelationMethod::Gaussian;
    std::vector<CorrelationPair> correlations;
};

template <class V>
void describe(CohortSpec& c, V& v) {
    v.field("size", c.size, bounded("patients", "", "virtual patients", 1.0, 1e7));
    v.field("seed", c.seed, bounded("-", "", "patient i is drawn from the stream (seed, i)", 0.0, 2147483647.0));
    v.list("parameters", c.parameters);
    v.field("correlation", c.correlation,
            FieldInfo{"", "", "gaussian (Pearson r of the normal scores) or rank (Spearman rho), both by a Gaussian copula"});
    v.list("correlations", c.correlations);
}

enum class SweepDesign { Grid, Lhs, Sobol };
enum class Scale { Linear, Log };

struct SweepParameter {
    std::string path;
    std::vector<double> values;  // grid: explicit values (else low..high in count steps)
    double low = 0.0;
    double high = 1.0;
    int count = 3;  // grid only
    Scale scale = Scale::Linear;
};

template <class V>
void describe(SweepParameter& p, V& v) {
    v.field("path", p.path, FieldInfo{"", "", "parameter path, as for --set"});
    v.field("values", p.values, any_value("parameter unit", "", "grid: the values (else low..high in count steps)"));
    v.field("low", p.low, any_value("parameter unit", "", "lower end"));
    v.field("high", p.high, any_value("parameter unit", "", "upper end"));
    v.field("count", p.count, bounded("-", "", "grid: number of values from low to high", 1.0, 1e6));
    v.field("scale", p.scale, FieldInfo{"", "", "linear or log spacing (log: low > 0)"});
}

struct SweepSpec {
    SweepDesign design = SweepDesign::Grid;
    int points = 16;  // lhs: points; sobol: base sample N, giving N (d + 2) evaluations
    int seed = 1;
    std::string endpoint = "mean_pfs_days";  // sobol: a column of sweep.csv
    std::vector<SweepParameter> parameters;
};

template <class V>
void describe(SweepSpec& s, V& v) {
    v.field("design", s.design, FieldInfo{"", "", "grid, lhs (Latin hypercube) or sobol (Saltelli design)"});
    v.field("points", s.points, bounded("-", "", "lhs: points; sobol: base sample N (N (d + 2) runs)", 1.0, 1e7));
    v.field("seed", s.seed, bounded("-", "", "seed of the lhs or sobol design", 0.0, 2147483647.0));
    v.field("endpoint", s.endpoint,
            FieldInfo{"", "", "sobol: the endpoint whose variance is split (an endpoint column of sweep.csv)"});
    v.list("parameters", s.parameters);
}

/// Which virtual patients a validation study draws. `cartsim calibrate` fits on the calibration seed,
/// `cartsim validate` scores the validation seeds (the first by default, more with --seeds), and the two
/// never share a seed, so validation scores patients the fit never saw. A seed sets both the cohort's
/// draw (cohort.seed) and the patients' own random parts (seed).
struct SeedsSpec {
    int calibration = -1;
    std::vector<double> validation;  // whole numbers
};

template <class V>
void describe(SeedsSpec& s, V& v) {
    v.field("calibration", s.calibration, bounded("-", "", "cohort seed of the patients cartsim calibrate fits on", -1.0, 2147483647.0));
    v.field("validation", s.validation,
            bounded("-", "", "cohort seeds of the patients cartsim validate scores (the first is the default)", 0.0, 2147483647.0));
}

/// How the arms of a trial are compared (the `comparison:` block).
struct ComparisonSpec {
    std::string reference_arm;             // empty: the first arm
    std::optional<double> rmst_horizon_days;  // empty: the study's horizon
};

template <class V>
void describe(ComparisonSpec& c, V& v) {
    v.field("reference_arm", c.reference_arm,
            FieldInfo{"", "", "the arm every other arm is compared with (hazard ratios are arm / reference; default: the first arm)"});
    v.field("rmst_horizon_days", c.rmst_horizon_days,
            bounded("day", "", "horizon of the restricted mean survival time (default: the study's horizon_days)", 1.0, 36525.0));
}

/// The study blocks of one file; `has_*` say which were written.
struct StudySpec {
    bool has_cohort = false;
    bool has_sweep = false;
    bool has_arms = false;
    bool has_targets = false;
    bool has_seeds = false;
    CohortSpec cohort;
    SweepSpec sweep;
    TargetsSpec targets;  // validation targets (scenarios/validation)
    SeedsSpec seeds;
    ComparisonSpec comparison;
};

/// Cross-field problems ("key.path: message").
std::vector<std::string> validate(const CohortSpec& c);
std::vector<std::string> validate(const SweepSpec& s);
std::vector<std::string> validate(const SeedsSpec& s);
inline std::vector<std::string> validate(const ComparisonSpec&) { return {}; }  // checked against the arms at load

}  // namespace cartsim::study

namespace cartsim {
template <>
struct EnumNames<study::DistributionKind> {
    static constexpr std::array items{std::pair{study::DistributionKind::Lognormal, "lognormal"},
                                      std::pair{study::DistributionKind::TruncatedLognormal, "truncated_lognormal"},
                                      std::pair{study::DistributionKind::Normal, "normal"},
                                      std::pair{study::DistributionKind::TruncatedNormal, "truncated_normal"},
                                      std::pair{study::DistributionKind::Uniform, "uniform"},
                                      std::pair{study::DistributionKind::LogUniform, "log_uniform"},
                                      std::pair{study::DistributionKind::Beta, "beta"},
                                      std::pair{study::DistributionKind::Choice, "choice"}};
};
template <>
struct EnumNames<study::CorrelationMethod> {
    static constexpr std::array items{std::pair{study::CorrelationMethod::Gaussian, "gaussian"},
                                      std::pair{study::CorrelationMethod::Rank, "rank"}};
};
template <>
struct EnumNames<study::SweepDesign> {
    static constexpr std::array items{std::pair{study::SweepDesign::Grid, "grid"},
                                      std::pair{study::SweepDesign::Lhs, "lhs"},
                                      std::pair{study::SweepDesign::Sobol, "sobol"}};
};
template <>
struct EnumNames<study::Scale> {
    static constexpr std::array items{std::pair{study::Scale::Linear, "linear"}, std::pair{study::Scale::Log, "log"}};
};
}  // namespace cartsim
