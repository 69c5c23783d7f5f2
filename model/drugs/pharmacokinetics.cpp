#include "model/drugs/pharmacokinetics.hpp"

#include <cmath>

namespace cartsim::drugs {
namespace {

/// (1 - exp(-z)) / z for z >= 0, without cancellation near 0 (where it tends to 1).
double one_minus_exp_over(double z) { return z > 1e-12 ? -std::expm1(-z) / z : 1.0 - 0.5 * z; }

/// Elimination rate constant [1/day] from the half-life.
double elimination_rate_per_day(const BispecificParams& p) { return std::log(2.0) / p.half_life_days; }

}  // namespace

PkAmounts pk_after(const BispecificParams& p, PkAmounts start, double days) {
    const double tau = days > 0.0 ? days : 0.0;
    const double ka = p.absorption_rate_per_day, ke = elimination_rate_per_day(p);
    // Bateman: central(tau) = C0 e^(-ke tau) + D0 ka (e^(-ke tau) - e^(-ka tau)) / (ka - ke). The
    // fraction is symmetric in ka and ke; written as e^(-slow tau) tau (1 - e^(-(fast - slow) tau)) /
    // ((fast - slow) tau), it stays exact when the two rates are equal or close.
    const double absorbed = std::exp(-ka * tau), eliminated = std::exp(-ke * tau);
    const double slow = ka < ke ? absorbed : eliminated;  // e^(-min(ka, ke) tau)
    const double transfer = slow * tau * one_minus_exp_over(std::abs(ka - ke) * tau);
    return {start.depot_mg * absorbed, start.central_mg * eliminated + start.depot_mg * ka * transfer};
}

}  // namespace cartsim::drugs
