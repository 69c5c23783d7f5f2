#include "src/study/study_spec.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "src/study/design.hpp"

namespace cartsim::study {
namespace {

bool listed(const std::vector<ParameterDistribution>& parameters, const std::string& path) {
    return std::any_of(parameters.begin(), parameters.end(), [&](const auto& p) { return p.path == path; });
}

}  // namespace

std::vector<std::string> validate(const CohortSpec& c) {
    std::vector<std::string> problems;
    std::set<std::string> paths;
    for (const auto& p : c.parameters) {
        const std::string at = "cohort.parameters[" + p.path + "]";
        if (p.path.empty()) problems.push_back("cohort.parameters: every parameter needs a path");
        if (!paths.insert(p.path).second) problems.push_back(at + ".path: listed twice");
        switch (p.distribution) {
            case DistributionKind::TruncatedNormal:
            case DistributionKind::Uniform:
                if (!(p.low < p.high)) problems.push_back(at + ".low: must be below high");
                break;
            case DistributionKind::TruncatedLognormal:
                if (!(p.lognormal_low < p.lognormal_high)) problems.push_back(at + ".low: must be below high");
                break;
            case DistributionKind::LogUniform:
                if (!(p.low > 0.0)) problems.push_back(at + ".low: must be above 0 for log_uniform");
                if (!(p.low < p.high)) problems.push_back(at + ".low: must be below high");
                break;
            case DistributionKind::Beta:
                if (!(p.low < p.high)) problems.push_back(at + ".low: must be below high");
                break;
            case DistributionKind::Choice:
                if (p.values.empty()) problems.push_back(at + ".values: give at least one value");
                if (!p.weights.empty() && p.weights.size() != p.values.size())
                    problems.push_back(fmt::format("{}.weights: {} weights for {} values", at, p.weights.size(),
                                                   p.values.size()));
                if (!p.weights.empty() && std::all_of(p.weights.begin(), p.weights.end(), [](double w) { return w == 0.0; }))
                    problems.push_back(at + ".weights: at least one weight must be above 0");
                break;
            default:
                break;
        }
    }
    std::set<std::pair<std::string, std::string>> pairs;
    for (const auto& r : c.correlations) {
        const std::string at = "cohort.correlations[" + r.a + "," + r.b + "]";
        if (!listed(c.parameters, r.a)) problems.push_back(at + ".a: '" + r.a + "' is not among cohort.parameters");
        if (!listed(c.parameters, r.b)) problems.push_back(at + ".b: '" + r.b + "' is not among cohort.parameters");
        if (r.a == r.b) problems.push_back(at + ".b: a parameter cannot be correlated with itself");
        if (std::abs(r.value) >= 1.0)
            problems.push_back(at + ".value: must lie strictly between -1 and 1 (a perfect correlation makes one "
                                    "parameter a function of the other: draw one and derive the other)");
        if (!pairs.insert(std::minmax(r.a, r.b)).second) problems.push_back(at + ": pair listed twice");
    }
    return problems;
}

std::vector<std::string> validate(const SweepSpec& s) {
    std::vector<std::string> problems;
    if (s.parameters.empty()) problems.push_back("sweep.parameters: give at least one parameter");
    std::set<std::string> paths;
    for (const auto& p : s.parameters) {
        const std::string at = "sweep.parameters[" + p.path + "]";
        if (p.path.empty()) problems.push_back("sweep.parameters: every parameter needs a path");
        if (!paths.insert(p.path).second) problems.push_back(at + ".path: listed twice");
        const bool explicit_values = s.design == SweepDesign::Grid && !p.values.empty();
        if (!p.values.empty() && s.design != SweepDesign::Grid)
            problems.push_back(at + ".values: only a grid takes explicit values; give low and high");
        if (!explicit_values) {
            if (!(p.low <= p.high)) problems.push_back(at + ".low: must not be above high");
            if (p.scale == Scale::Log && !(p.low > 0.0)) problems.push_back(at + ".low: must be above 0 on a log scale");
        }
    }
    if (s.design == SweepDesign::Sobol && s.parameters.size() < 2)
        problems.push_back("sweep.parameters: Sobol indices need at least two parameters");
    if (const double points = design_size(s); points > kMaxSweepPoints)
        problems.push_back(fmt::format("sweep: the design has {:.4g} points, more than {:.0f} (each point is a scenario "
                                       "built and checked when the study loads)",
                                       points, kMaxSweepPoints));
    return problems;
}

}  // namespace cartsim::study

namespace cartsim::study {

std::vector<std::string> validate(const SeedsSpec& s) {
    std::vector<std::string> problems;
    if (s.calibration < 0) problems.push_back("seeds.calibration: give the cohort seed cartsim calibrate fits on");
    if (s.validation.empty()) problems.push_back("seeds.validation: give at least one cohort seed for cartsim validate");
    std::set<double> seen;
    for (double v : s.validation) {
        if (v != std::floor(v)) problems.push_back(fmt::format("seeds.validation: {} is not a whole number", v));
        if (!seen.insert(v).second) problems.push_back(fmt::format("seeds.validation: {} is listed twice", v));
        if (s.calibration >= 0 && v == double(s.calibration))
            problems.push_back(fmt::format("seeds.validation: {} is also the calibration seed; validation must score "
                                           "patients the fit never saw",
                                           s.calibration));
    }
    return problems;
}

}  // namespace cartsim::study
