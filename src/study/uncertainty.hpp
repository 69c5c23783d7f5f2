#pragma once
// How well the trials determine a calibration's parameters: a quadratic response surface of the deviance
// fitted over a Latin-hypercube design around the fit (src/stats/response_surface.hpp), evaluated on the
// same calibration patients. The covariance it gives is that of the trials' sampling error (the
// deviance is their approximate likelihood); the roughness of a simulated deviance is averaged over the
// design rather than amplified by finite differences. Directions along which the deviance stays within
// the design's noise over half the searched range are named as not identified.
//
// Limits: a quadratic is a local description (the design spans `step` of each range around the fit);
// the virtual cohort's own noise is not in the likelihood (the fit is on fixed patients); a parameter
// at a bound gets a one-sided interval that the normal approximation does not describe.
//
// The result is also written as a small YAML file (next to its spec, in uncertainty/<name>.yaml) from
// which `cartsim validate --parameter-draws K` draws parameter sets, so that the model's intervals
// include this uncertainty.

#include <filesystem>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "src/config/error.hpp"
#include "src/stats/response_surface.hpp"
#include "src/study/calibration.hpp"

namespace cartsim::study {

/// Design points (every parameter's value) around `centre`: the centre first, then a Latin hypercube of
/// `points - 1` points in centre +- step (unit coordinates, clipped to [0, 1]) over the free parameters.
std::vector<std::vector<double>> surface_design(const LoadedCalibration& calibration, const std::vector<double>& centre,
                                                int points, double step, std::uint64_t seed);

struct ParameterUncertainty {
    std::vector<std::size_t> free;     // parameter indices the surface spans (not held)
    std::vector<double> centre;        // every parameter's value at the fit
    stats::QuadraticSurface surface;   // in unit coordinates minus the centre's
    stats::Curvature curvature;        // covariance in unit coordinates
    int points = 0;
};

/// Fits the surface to the design's deviances. Throws std::invalid_argument when there are too few points.
ParameterUncertainty analyse_uncertainty(const LoadedCalibration& calibration, const std::vector<double>& centre,
                                         const std::vector<std::vector<double>>& design, const std::vector<double>& deviances);

/// uncertainty.csv: parameter, fitted value, sd (unit coordinates), 95% interval in the parameter's unit, identified.
std::string uncertainty_csv(const LoadedCalibration& calibration, const ParameterUncertainty& u);
/// directions.csv: each principal direction, flattest first: curvature, sd, identified, then its components.
std::string directions_csv(const LoadedCalibration& calibration, const ParameterUncertainty& u);
/// The YAML from which validation draws parameter sets (`spec` is the spec's path relative to the file).
std::string uncertainty_yaml(const LoadedCalibration& calibration, const ParameterUncertainty& u, const std::string& spec);

/// The file written by uncertainty_yaml (described for its reader and for `cartsim schema`).
struct UncertaintyFile {
    std::string calibration;
    std::string spec;
    int points = 0;
    double r_squared = 0.0;
    double residual_sd = 0.0;
    std::vector<double> free;
    std::vector<double> centre;
    std::vector<double> covariance;  // row-major, free x free
};

template <class V>
void describe(UncertaintyFile& f, V& v) {
    v.field("calibration", f.calibration, FieldInfo{"", "", "calibration name"});
    v.field("spec", f.spec, FieldInfo{"", "", "the calibration spec, relative to this file"});
    v.field("points", f.points, bounded("-", "", "design points of the response surface", 0.0, 1e9));
    v.field("r_squared", f.r_squared, any_value("-", "", "share of the deviance's variance the surface explains"));
    v.field("residual_sd", f.residual_sd, any_value("deviance", "", "root mean square residual of the surface"));
    v.field("free", f.free, any_value("-", "", "indices of the parameters the surface spans"));
    v.field("centre", f.centre, any_value("parameter unit", "", "every parameter's fitted value"));
    v.field("covariance", f.covariance, any_value("unit coordinates", "", "covariance of the free parameters, row-major"));
}

/// A parameter distribution read back from an uncertainty file: the spec's preset changes for a draw.
struct ParameterDistributionSet {
    std::string path;
    LoadedCalibration calibration;
    std::vector<std::size_t> free;
    std::vector<double> centre;
    Eigen::MatrixXd covariance;  // unit coordinates of the free parameters
};

config::Result<ParameterDistributionSet> load_uncertainty(const std::string& path);

/// Values of every parameter in draw `draw` (draw 0 is the fit itself): a normal draw in unit coordinates,
/// clipped to the bounds, from the stream (seed, draw).
std::vector<double> draw_parameters(const ParameterDistributionSet& set, int draw, std::uint64_t seed);

/// Widens each result's 95% interval to include parameter uncertainty: `draws[d]` holds the same targets
/// (same order) computed with parameter draw d + 1. The interval becomes value +- 1.96 sqrt(se_w^2 +
/// var_b), where se_w is the within-run standard error implied by the result's own interval and var_b
/// the variance of the value between draws; medians and hazard ratios on the log scale, percentages
/// clipped to [0, 100]. The note says how many draws and the between-draw sd.
void include_parameter_draws(std::vector<TargetResult>& results, const std::vector<std::vector<TargetResult>>& draws);

}  // namespace cartsim::study
