#include "model/drugs/pharmacokinetics.hpp"

#include <cmath>

namespace cartsim::drugs {
namespace {

/// (1 - exp(-z)) / z for z >= 0, without cancellation near 0 (where it tends to 1).
double one_minus_exp_over(double z) { return z > 1e-12 ? -std::expm1(-z) / z : 1.0 - 0.5 * z; }

/// (e^(-b tau) - e^(-a tau)) / (a - b): the convolution of e^(-a t) with e^(-b t) over [0, tau].
/// Symmetric in a and b; written as e^(-min tau) tau (1 - e^(-|a - b| tau)) / (|a - b| tau), it stays
/// exact when the two rates are equal or close (where it tends to tau e^(-a tau)).
double convolution(double a, double b, double tau) {
    return std::exp(-std::min(a, b) * tau) * tau * one_minus_exp_over(std::abs(a - b) * tau);
}

}  // namespace

double clearance_factor(const BispecificParams& p, double days_on_drug) {
    if (p.clearance_reduction_max <= 0.0 || days_on_drug <= 0.0) return 1.0;
    const double x = std::pow(days_on_drug / p.clearance_reduction_half_time_days, p.clearance_reduction_hill);
    return 1.0 - p.clearance_reduction_max * x / (1.0 + x);
}

PkRates pk_rates(const BispecificParams& p, double clearance_factor) {
    PkRates r;
    r.ka = p.absorption_rate_per_day;
    r.k10 = std::log(2.0) / p.half_life_days * clearance_factor;
    if (p.peripheral_volume_l > 0.0) {
        r.k12 = p.intercompartmental_clearance_l_per_day / p.volume_l;
        r.k21 = p.intercompartmental_clearance_l_per_day / p.peripheral_volume_l;
    }
    return r;
}

PkAmounts pk_after(const PkRates& r, PkAmounts start, double days) {
    const double tau = days > 0.0 ? days : 0.0;
    const double ka = r.ka;
    const double d0 = start.depot_mg, c0 = start.central_mg, p0 = start.peripheral_mg;
    const double absorbed = std::exp(-ka * tau);
    if (r.k12 <= 0.0) {
        // One compartment (Bateman): central(tau) = C0 e^(-k10 tau) + D0 ka (e^(-k10 tau) - e^(-ka tau)) /
        // (ka - k10); a peripheral amount (none without exchange) would only decay back at k21.
        const double peripheral = p0 * std::exp(-r.k21 * tau);
        return {d0 * absorbed, c0 * std::exp(-r.k10 * tau) + d0 * ka * convolution(ka, r.k10, tau), peripheral};
    }
    // Two compartments: the disposition rates alpha > beta > 0 are the roots of
    // l^2 - (k10 + k12 + k21) l + k10 k21; s^2 - 4 k10 k21 > 0 whenever k12 > 0.
    const double s = r.k10 + r.k12 + r.k21;
    const double alpha = 0.5 * (s + std::sqrt(s * s - 4.0 * r.k10 * r.k21));
    const double beta = r.k10 * r.k21 / alpha;
    const double gap = alpha - beta;
    const double fast = (alpha - r.k21) / gap, slow = (r.k21 - beta) / gap;  // central response to a unit in central
    const double ea = std::exp(-alpha * tau), eb = std::exp(-beta * tau);
    const double exchange = convolution(alpha, beta, tau);  // (e^-beta - e^-alpha) / (alpha - beta)
    const double via_alpha = convolution(ka, alpha, tau), via_beta = convolution(ka, beta, tau);
    PkAmounts out;
    out.depot_mg = d0 * absorbed;
    out.central_mg = c0 * (fast * ea + slow * eb) + p0 * r.k21 * exchange + d0 * ka * (fast * via_alpha + slow * via_beta);
    out.peripheral_mg =
        c0 * r.k12 * exchange + p0 * (slow * ea + fast * eb) + d0 * ka * r.k12 * (via_beta - via_alpha) / gap;
    return out;
}

}  // namespace cartsim::drugs
