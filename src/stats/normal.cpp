#include "src/stats/normal.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <boost/math/special_functions/erf.hpp>

namespace cartsim::stats {

double normal_cdf(double z) {
    // erfc keeps the relative precision of the lower tail, where 1 + erf(z) would cancel.
    return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

double normal_quantile(double p) {
    if (!(p >= 0.0 && p <= 1.0))
        throw std::invalid_argument("normal_quantile: p must be in [0, 1], got " + std::to_string(p));
    if (p == 0.0) return -std::numeric_limits<double>::infinity();
    if (p == 1.0) return std::numeric_limits<double>::infinity();
    return -std::sqrt(2.0) * boost::math::erfc_inv(2.0 * p);
}

double two_sided_z(double confidence) {
    if (!(confidence > 0.0 && confidence < 1.0))
        throw std::invalid_argument("two_sided_z: confidence must be in (0, 1), got " + std::to_string(confidence));
    // (1 - confidence) / 2 is the upper tail; erfc_inv of it avoids forming 1 - small.
    return std::sqrt(2.0) * boost::math::erfc_inv(1.0 - confidence);
}

}  // namespace cartsim::stats
