#include "src/study/uncertainty.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

#include <Eigen/Dense>
#include <fmt/format.h>

#include "solvers/agents/counter_rng.hpp"
#include "src/config/reader.hpp"
#include "src/io/csv.hpp"
#include "src/stats/latin_hypercube.hpp"
#include "src/stats/normal.hpp"

namespace cartsim::study {
namespace fs = std::filesystem;
namespace {

constexpr std::uint32_t kDesignStream = 0x5355u;  // "SU": surface design
constexpr std::uint32_t kDrawStream = 0x5044u;    // "PD": parameter draws
constexpr double kMaxSdUnit = 0.5;  // a direction not determined within half the searched range is unidentified

std::vector<std::size_t> free_parameters(const LoadedCalibration& c) {
    std::vector<std::size_t> free;
    for (std::size_t i = 0; i < c.spec.parameters.size(); ++i)
        if (!c.fixed[i]) free.push_back(i);
    return free;
}

std::string join(const std::vector<double>& v) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) s += fmt::format("{}{:.17g}", i ? ", " : "", v[i]);
    return s;
}

std::string name_of(const CalibrationParameter& p) { return fs::path(p.file).stem().string() + ":" + p.key; }

}  // namespace

std::vector<std::vector<double>> surface_design(const LoadedCalibration& c, const std::vector<double>& centre, int points,
                                                double step, std::uint64_t seed) {
    const auto free = free_parameters(c);
    std::vector<std::vector<double>> design{centre};
    if (points < 2 || free.empty()) return design;
    agents::CounterRng rng(agents::StreamKey{seed, 0, kDesignStream, 0, 0});
    const Eigen::MatrixXd lhs = stats::latin_hypercube(static_cast<std::size_t>(points - 1), free.size(), rng);
    for (Eigen::Index r = 0; r < lhs.rows(); ++r) {
        std::vector<double> values = centre;
        for (std::size_t k = 0; k < free.size(); ++k) {
            const auto& p = c.spec.parameters[free[k]];
            const double u = to_unit(p, centre[free[k]]) + step * (2.0 * lhs(r, static_cast<Eigen::Index>(k)) - 1.0);
            values[free[k]] = from_unit(p, std::clamp(u, 0.0, 1.0));
        }
        design.push_back(std::move(values));
    }
    return design;
}

ParameterUncertainty analyse_uncertainty(const LoadedCalibration& c, const std::vector<double>& centre,
                                         const std::vector<std::vector<double>>& design, const std::vector<double>& deviances) {
    if (design.size() != deviances.size()) throw std::invalid_argument("one deviance per design point");
    ParameterUncertainty u;
    u.free = free_parameters(c);
    u.centre = centre;
    u.points = static_cast<int>(design.size());
    const auto k = static_cast<Eigen::Index>(u.free.size());
    if (k == 0) throw std::invalid_argument("no free parameter");
    Eigen::MatrixXd x(static_cast<Eigen::Index>(design.size()), k);
    Eigen::VectorXd d(static_cast<Eigen::Index>(design.size()));
    for (std::size_t r = 0; r < design.size(); ++r) {
        d(static_cast<Eigen::Index>(r)) = deviances[r];
        for (Eigen::Index j = 0; j < k; ++j) {
            const auto& p = c.spec.parameters[u.free[static_cast<std::size_t>(j)]];
            x(static_cast<Eigen::Index>(r), j) = to_unit(p, design[r][u.free[static_cast<std::size_t>(j)]]) -
                                                 to_unit(p, centre[u.free[static_cast<std::size_t>(j)]]);
        }
    }
    u.surface = stats::fit_quadratic(x, d);
    u.curvature = stats::analyse_curvature(u.surface.hessian, kMaxSdUnit);
    return u;
}

std::string uncertainty_csv(const LoadedCalibration& c, const ParameterUncertainty& u) {
    std::string out = "parameter,fitted,sd_unit,ci_low,ci_high,identified\n";
    for (std::size_t j = 0; j < u.free.size(); ++j) {
        const auto& p = c.spec.parameters[u.free[j]];
        const double centre = to_unit(p, u.centre[u.free[j]]);
        const double sd = std::sqrt(u.curvature.covariance(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(j)));
        // A parameter is identified when no unidentified direction loads on it noticeably.
        bool identified = true;
        for (const auto& dir : u.curvature.directions)
            if (!dir.identified && std::abs(dir.vector(static_cast<Eigen::Index>(j))) > 0.3) identified = false;
        out += fmt::format("{},{},{},{},{},{}\n", io::csv_cell(name_of(p)), io::format_number(u.centre[u.free[j]]),
                           io::format_number(sd), io::format_number(from_unit(p, centre - 1.959964 * sd)),
                           io::format_number(from_unit(p, centre + 1.959964 * sd)), identified ? "true" : "false");
    }
    return out;
}

std::string directions_csv(const LoadedCalibration& c, const ParameterUncertainty& u) {
    std::string out = "direction,curvature,sd_unit,identified";
    for (std::size_t j : u.free) out += "," + io::csv_cell(name_of(c.spec.parameters[j]));
    out += "\n";
    for (std::size_t i = 0; i < u.curvature.directions.size(); ++i) {
        const auto& dir = u.curvature.directions[i];
        out += fmt::format("{},{},{},{}", i + 1, io::format_number(dir.curvature), io::format_number(dir.sd),
                           dir.identified ? "true" : "false");
        for (Eigen::Index j = 0; j < dir.vector.size(); ++j) out += "," + io::format_number(dir.vector(j));
        out += "\n";
    }
    return out;
}

std::string uncertainty_yaml(const LoadedCalibration& c, const ParameterUncertainty& u, const std::string& spec) {
    std::vector<double> free(u.free.begin(), u.free.end()), covariance;
    for (Eigen::Index i = 0; i < u.curvature.covariance.rows(); ++i)
        for (Eigen::Index j = 0; j < u.curvature.covariance.cols(); ++j) covariance.push_back(u.curvature.covariance(i, j));
    std::string out = "# The parameters' uncertainty from a quadratic response surface of the deviance (cartsim calibrate\n"
                      "# --uncertainty); cartsim validate --parameter-draws K draws parameter sets from it.\n";
    out += fmt::format("calibration: {}\nspec: {}\npoints: {}\nr_squared: {:.6g}\nresidual_sd: {:.6g}\n", c.spec.name, spec, u.points,
                       u.surface.r_squared, u.surface.residual_sd);
    out += "free: [" + join(free) + "]\ncentre: [" + join(u.centre) + "]\ncovariance: [" + join(covariance) + "]\n";
    return out;
}

config::Result<ParameterDistributionSet> load_uncertainty(const std::string& path) {
    auto root = config::load_yaml_file(path);
    if (!root) return root.errors();
    auto read = config::read_struct(root.value(), "", UncertaintyFile{});
    if (!read) return read.errors();
    const UncertaintyFile& f = read.value();
    ParameterDistributionSet set;
    set.path = path;
    auto cal = load_calibration((fs::absolute(path).parent_path() / f.spec).string());
    if (!cal) return cal.errors();
    set.calibration = cal.value();
    const std::size_t n = set.calibration.spec.parameters.size(), k = f.free.size();
    const auto bad = [&](const std::string& key, const std::string& message) {
        return config::make_error(root.value().origin, key, message);
    };
    if (f.centre.size() != n) return bad("centre", fmt::format("expected {} values (the spec's parameters)", n));
    if (f.covariance.size() != k * k) return bad("covariance", fmt::format("expected {} values ({} x {})", k * k, k, k));
    for (double i : f.free) {
        if (i < 0 || i >= double(n) || i != std::floor(i)) return bad("free", "indices of the spec's parameters");
        set.free.push_back(static_cast<std::size_t>(i));
    }
    set.centre = f.centre;
    set.covariance = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
        f.covariance.data(), static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k));
    return set;
}

std::vector<double> draw_parameters(const ParameterDistributionSet& set, int draw, std::uint64_t seed) {
    std::vector<double> values = set.centre;
    if (draw == 0 || set.free.empty()) return values;
    const auto k = static_cast<Eigen::Index>(set.free.size());
    Eigen::LLT<Eigen::MatrixXd> llt(set.covariance + 1e-12 * Eigen::MatrixXd::Identity(k, k));
    agents::CounterRng rng(agents::StreamKey{seed, static_cast<std::uint32_t>(draw), kDrawStream, 0, 0});
    Eigen::VectorXd z(k);
    for (Eigen::Index j = 0; j < k; ++j) z(j) = stats::normal_quantile(rng.uniform());
    const Eigen::VectorXd shift = llt.matrixL() * z;
    for (Eigen::Index j = 0; j < k; ++j) {
        const auto& p = set.calibration.spec.parameters[set.free[static_cast<std::size_t>(j)]];
        const double u = to_unit(p, set.centre[set.free[static_cast<std::size_t>(j)]]) + shift(j);
        values[set.free[static_cast<std::size_t>(j)]] = from_unit(p, std::clamp(u, 0.0, 1.0));
    }
    return values;
}

void include_parameter_draws(std::vector<TargetResult>& results, const std::vector<std::vector<TargetResult>>& draws) {
    constexpr double z = 1.959963984540054;
    for (std::size_t i = 0; i < results.size(); ++i) {
        TargetResult& r = results[i];
        if (!r.model_value) continue;
        const bool log_scale = metric_is_ratio_scale(r.target.metric) && *r.model_value > 0.0;
        const auto f = [&](double x) { return log_scale ? std::log(std::max(x, 1e-300)) : x; };
        const auto back = [&](double x) { return log_scale ? std::exp(x) : x; };
        std::vector<double> values;
        std::size_t without_value = 0;  // draws whose value is undefined (a median not reached ...)
        for (const auto& d : draws) {
            if (i >= d.size() || d[i].target.id != r.target.id) continue;
            if (d[i].model_value)
                values.push_back(f(*d[i].model_value));
            else
                ++without_value;
        }
        if (values.size() < 2) continue;
        double mean = 0.0, var = 0.0;
        for (double v : values) mean += v / double(values.size());
        for (double v : values) var += (v - mean) * (v - mean) / double(values.size() - 1);
        // An end the run left open (a confidence limit not reached) stays open, and so does the upper end
        // of a median or hazard ratio when a draw did not reach its median: widening must not close it.
        // The within-run spread then comes from the closed side alone.
        const bool open_high = (r.ci_low && !r.ci_high) || (without_value > 0 && log_scale);
        const bool open_low = !r.ci_low && r.ci_high;
        const auto usable = [&](double x) { return !log_scale || x > 0.0; };
        // The within-run spread of each side from that side of the run's interval (a Wilson interval at
        // 0% or 100% is one-sided), the other side's when one is missing; each side then widens by the
        // between-draw variance, so the result always contains the run's own interval.
        std::optional<double> below, above;
        if (r.ci_low && usable(*r.ci_low)) below = (f(*r.model_value) - f(*r.ci_low)) / z;
        if (r.ci_high && usable(*r.ci_high)) above = (f(*r.ci_high) - f(*r.model_value)) / z;
        const double within_low = below.value_or(above.value_or(0.0)), within_high = above.value_or(below.value_or(0.0));
        double low = back(f(*r.model_value) - z * std::sqrt(within_low * within_low + var));
        double high = back(f(*r.model_value) + z * std::sqrt(within_high * within_high + var));
        if (metric_is_percent(r.target.metric)) low = std::max(low, 0.0), high = std::min(high, 100.0);
        r.ci_low = open_low ? std::nullopt : std::optional<double>(low);
        r.ci_high = open_high ? std::nullopt : std::optional<double>(high);
        if (without_value > 0)
            r.note += fmt::format("{}{} of {} parameter draws gave no value", r.note.empty() ? "" : "; ", without_value,
                                  without_value + values.size());
        r.note += fmt::format("{}CI includes parameter uncertainty ({} draws; between-draw sd {:.3g}{})", r.note.empty() ? "" : "; ",
                              values.size(), std::sqrt(var), log_scale ? " on the log scale" : "");
    }
}

}  // namespace cartsim::study
