#include "src/parallel/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace cartsim::parallel {

Interval wilson_interval(long successes, long n, double z) {
    if (n < 0 || successes < 0 || successes > n)
        throw std::invalid_argument("wilson_interval: need 0 <= successes <= n, got " + std::to_string(successes) +
                                    " of " + std::to_string(n));
    if (n == 0) return {0.0, 1.0};
    const double trials = static_cast<double>(n);
    const double p = static_cast<double>(successes) / trials;
    const double z2 = z * z;
    const double centre = (p + z2 / (2.0 * trials)) / (1.0 + z2 / trials);
    const double half_width =
        z / (1.0 + z2 / trials) * std::sqrt(p * (1.0 - p) / trials + z2 / (4.0 * trials * trials));
    // At 0 and n successes the bound is exactly 0 or 1; rounding must not move it inside.
    const double low = successes == 0 ? 0.0 : std::max(0.0, centre - half_width);
    const double high = successes == n ? 1.0 : std::min(1.0, centre + half_width);
    return {low, high};
}

std::optional<double> median(std::vector<double> values) {
    if (values.empty()) return std::nullopt;
    const std::size_t middle = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle), values.end());
    const double upper = values[middle];
    if (values.size() % 2 == 1) return upper;
    const double lower = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle));
    return lower + (upper - lower) / 2.0;
}

}  // namespace cartsim::parallel
