#include "src/stats/latin_hypercube.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <utility>
#include <vector>

namespace cartsim::stats {

Eigen::MatrixXd latin_hypercube(std::size_t points, std::size_t dimensions, agents::CounterRng& rng) {
    if (points == 0 || dimensions == 0)
        throw std::invalid_argument("latin_hypercube: need at least one point and one dimension");
    const auto n = static_cast<double>(points);
    Eigen::MatrixXd design(static_cast<Eigen::Index>(points), static_cast<Eigen::Index>(dimensions));
    std::vector<std::size_t> stratum(points);
    for (std::size_t column = 0; column < dimensions; ++column) {
        std::iota(stratum.begin(), stratum.end(), std::size_t{0});
        for (std::size_t i = points - 1; i > 0; --i) std::swap(stratum[i], stratum[rng.below(i + 1)]);
        for (std::size_t row = 0; row < points; ++row) {
            const auto k = static_cast<double>(stratum[row]);
            // For large strata indices k + u can round up to k + 1; keep the point inside its own stratum.
            const double point = std::min((k + rng.uniform()) / n, std::nextafter((k + 1.0) / n, 0.0));
            design(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(column)) = point;
        }
    }
    return design;
}

}  // namespace cartsim::stats
