#pragma once
// Small statistics for ensembles of runs: binomial confidence intervals and medians.

#include <optional>
#include <vector>

namespace cartsim::parallel {

/// z of a two-sided 95% interval: the 0.975 quantile of the standard normal distribution.
inline constexpr double kZ95 = 1.959963984540054;

struct Interval {
    double low = 0.0;   // share, 0..1
    double high = 1.0;  // share, 0..1
};

/// Wilson score interval for a binomial share `successes / n` (E. B. Wilson, JASA 22:209, 1927).
/// Unlike the Wald interval it stays inside [0, 1] and is not empty at 0 or n successes.
/// Returns [0, 1] when n is 0; throws std::invalid_argument unless 0 <= successes <= n.
Interval wilson_interval(long successes, long n, double z = kZ95);

/// Median (mean of the two middle values for an even count); std::nullopt for no values.
std::optional<double> median(std::vector<double> values);

}  // namespace cartsim::parallel
