#pragma once
// The standard normal distribution, shared by the survival intervals and the samplers.

namespace cartsim::stats {

/// Phi(z): probability that a standard normal variable is below z (z in standard deviations).
double normal_cdf(double z);

/// Phi^-1(p) for p in (0, 1), in standard deviations; -inf at p = 0, +inf at p = 1. Accurate in both
/// tails (computed from erfc_inv, not from 1 - p). Throws std::invalid_argument outside [0, 1].
double normal_quantile(double p);

/// z of a two-sided interval with coverage `confidence` (0.95 gives 1.959964): Phi^-1((1 + confidence) / 2).
/// Throws std::invalid_argument unless 0 < confidence < 1.
double two_sided_z(double confidence);

}  // namespace cartsim::stats
