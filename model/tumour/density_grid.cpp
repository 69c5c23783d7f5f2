#include "model/tumour/density_grid.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace cartsim::tumour {

DensityGrid::DensityGrid(int log_bins, double min_molecules, double max_molecules)
    : log_width_(std::log(max_molecules / min_molecules) / log_bins) {
    edges_.resize(static_cast<std::size_t>(log_bins) + 1);
    for (std::size_t i = 0; i < edges_.size(); ++i)
        edges_[i] = min_molecules * std::exp(log_width_ * static_cast<double>(i));
    centres_.assign(edges_.size(), 0.0);
    for (std::size_t k = 1; k < centres_.size(); ++k) centres_[k] = std::sqrt(edges_[k - 1] * edges_[k]);
}

std::vector<double> DensityGrid::lognormal_weights(double median_molecules, double sigma_log) const {
    std::vector<double> weights(size(), 0.0);
    if (median_molecules <= 0.0) {
        weights[0] = 1.0;
        return weights;
    }
    const std::size_t last = size() - 1;
    if (sigma_log <= 0.0) {
        std::size_t k = 1;
        while (k < last && median_molecules >= edges_[k]) ++k;
        weights[k] = 1.0;
        return weights;
    }
    const auto cdf = [&](double x) {
        return 0.5 * std::erfc(-(std::log(x) - std::log(median_molecules)) / (sigma_log * std::sqrt(2.0)));
    };
    for (std::size_t k = 1; k <= last; ++k) {
        const double lo = (k == 1) ? 0.0 : cdf(edges_[k - 1]);
        const double hi = (k == last) ? 1.0 : cdf(edges_[k]);
        weights[k] = hi - lo;
    }
    return weights;
}

DensityGrid::Split DensityGrid::shift(std::size_t k, double factor) const {
    const double last = static_cast<double>(size() - 1);
    const double position =
        std::clamp(static_cast<double>(k) + std::log(factor) / log_width_, 1.0, last);
    const auto lower = static_cast<std::size_t>(std::floor(position));
    if (lower >= size() - 1) return {size() - 1, size() - 1, 1.0};
    return {lower, lower + 1, 1.0 - (position - static_cast<double>(lower))};
}

double DensityGrid::quantile(const std::vector<double>& cells_per_bin, double share) const {
    const double total = std::accumulate(cells_per_bin.begin(), cells_per_bin.end(), 0.0);
    if (total <= 0.0) return 0.0;
    const double target = share * total;
    double below = cells_per_bin[0];
    if (below >= target) return 0.0;
    for (std::size_t k = 1; k < size(); ++k) {
        const double in_bin = cells_per_bin[k];
        if (below + in_bin >= target && in_bin > 0.0) {
            const double within = (target - below) / in_bin;
            return edges_[k - 1] * std::exp(log_width_ * within);
        }
        below += in_bin;
    }
    return edges_.back();
}

}  // namespace cartsim::tumour
