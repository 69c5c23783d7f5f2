#include "solvers/ode/finite_difference.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cartsim::ode {
namespace {

const double kSqrtEps = std::sqrt(std::numeric_limits<double>::epsilon());

/// A perturbation that is exactly representable as (value + h) - value, so the quotient uses the
/// step actually taken.
double representable_step(double value) {
    const double nominal = kSqrtEps * std::max(std::abs(value), 1.0);
    const volatile double shifted = value + nominal;
    return shifted - value;
}

}  // namespace

void forward_difference_jacobian(const Rhs& rhs, State& x, const State& f0, double t, std::vector<double>& jacobian,
                                 std::int64_t& rhs_evaluations) {
    const std::size_t n = x.size();
    jacobian.assign(n * n, 0.0);
    State f_perturbed(n);
    for (std::size_t j = 0; j < n; ++j) {
        const double saved = x[j];
        const double h = representable_step(saved);
        x[j] = saved + h;
        rhs(x, f_perturbed, t);
        ++rhs_evaluations;
        x[j] = saved;
        for (std::size_t i = 0; i < n; ++i) jacobian[i * n + j] = (f_perturbed[i] - f0[i]) / h;
    }
}

void forward_difference_dfdt(const Rhs& rhs, const State& x, const State& f0, double t, State& dfdt,
                             std::int64_t& rhs_evaluations) {
    const double h = representable_step(t);
    dfdt.resize(x.size());
    rhs(x, dfdt, t + h);
    ++rhs_evaluations;
    for (std::size_t i = 0; i < x.size(); ++i) dfdt[i] = (dfdt[i] - f0[i]) / h;
}

}  // namespace cartsim::ode
