#include "src/study/design.hpp"

#include <cmath>

#include "src/stats/latin_hypercube.hpp"
#include "src/stats/sensitivity.hpp"

namespace cartsim::study {
namespace {

constexpr std::uint32_t kDesignStream = 0xDE5160;

double on_scale(const SweepParameter& p, double u) {
    if (p.scale == Scale::Log) return std::exp(std::log(p.low) + u * (std::log(p.high) - std::log(p.low)));
    return p.low + u * (p.high - p.low);
}

std::vector<double> grid_values(const SweepParameter& p) {
    if (!p.values.empty()) return p.values;
    std::vector<double> out;
    for (int i = 0; i < p.count; ++i) out.push_back(on_scale(p, p.count == 1 ? 0.0 : double(i) / (p.count - 1)));
    return out;
}

std::vector<std::vector<double>> mapped(const SweepSpec& s, const Eigen::MatrixXd& unit) {
    std::vector<std::vector<double>> out;
    for (Eigen::Index r = 0; r < unit.rows(); ++r) {
        std::vector<double> point;
        for (std::size_t k = 0; k < s.parameters.size(); ++k)
            point.push_back(on_scale(s.parameters[k], unit(r, static_cast<Eigen::Index>(k))));
        out.push_back(std::move(point));
    }
    return out;
}

}  // namespace

double design_size(const SweepSpec& s) {
    if (s.design == SweepDesign::Lhs) return s.points;
    if (s.design == SweepDesign::Sobol) return double(s.points) * (double(s.parameters.size()) + 2.0);
    double points = 1.0;
    for (const auto& p : s.parameters) points *= p.values.empty() ? double(p.count) : double(p.values.size());
    return points;
}

std::vector<std::vector<double>> design_points(const SweepSpec& s) {
    agents::CounterRng rng(agents::StreamKey{static_cast<std::uint64_t>(s.seed), 0, kDesignStream, 0, 0});
    const std::size_t d = s.parameters.size();
    if (s.design == SweepDesign::Lhs) return mapped(s, stats::latin_hypercube(static_cast<std::size_t>(s.points), d, rng));
    if (s.design == SweepDesign::Sobol)
        return mapped(s, stats::saltelli_design(static_cast<std::size_t>(s.points), d, rng).points());
    std::vector<std::vector<double>> out{{}};
    for (const auto& p : s.parameters) {
        std::vector<std::vector<double>> next;
        for (const auto& prefix : out)
            for (double v : grid_values(p)) {
                next.push_back(prefix);
                next.back().push_back(v);
            }
        out = std::move(next);
    }
    return out;
}

}  // namespace cartsim::study
