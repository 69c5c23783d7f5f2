#include "model/reference/cartmath.hpp"

namespace cartsim::reference {

std::vector<std::string> validate(const CartMathParams& p) {
    std::vector<std::string> problems;
    if (!(p.initial_tumour_cells > 0.0)) problems.push_back("initial_tumour_cells: must be positive");
    return problems;
}

void CartMathModel::jacobian(const std::vector<double>& x, std::vector<double>& jac, double /*t*/) const {
    using S = CartMathState;
    constexpr std::size_t n = kCartMathStateCount;
    jac.assign(n * n, 0.0);
    auto d = [&jac](S row, S column) -> double& { return jac[index(row) * n + index(column)]; };
    const double effector = x[index(S::Effector)];
    const double memory = x[index(S::Memory)];
    const double tumour = x[index(S::Tumour)];
    const double theta = p_.memory_activation_rate_per_cell_per_day;
    const double alpha = p_.effector_inhibition_rate_per_cell_per_day;
    const double gamma = p_.tumour_kill_rate_per_cell_per_day;

    d(S::Effector, S::Effector) = p_.effector_expansion_rate_per_day - p_.effector_loss_rate_per_day - alpha * tumour;
    d(S::Effector, S::Memory) = theta * tumour;
    d(S::Effector, S::Tumour) = theta * memory - alpha * effector;
    d(S::Memory, S::Effector) = p_.memory_formation_rate_per_day;
    d(S::Memory, S::Memory) = -theta * tumour - p_.memory_death_rate_per_day;
    d(S::Memory, S::Tumour) = -theta * memory;
    d(S::Tumour, S::Effector) = -gamma * tumour;
    d(S::Tumour, S::Tumour) =
        p_.tumour_growth_rate_per_day * (1.0 - 2.0 * p_.tumour_inverse_capacity_per_cell * tumour) - gamma * effector;
}

CartMathVector CartMathModel::initial_state() const {
    CartMathVector x{};
    x[index(CartMathState::Tumour)] = p_.initial_tumour_cells;
    return x;
}

void CartMathModel::apply_dose(std::span<double> x, double dose_cells) {
    x[index(CartMathState::Effector)] += dose_cells;
}

bool CartMathModel::apply_extinction(std::span<double> x) const {
    if (!(p_.extinction_threshold_cells > 0.0)) return false;
    bool changed = false;
    for (double& cells : x) {
        if (cells != 0.0 && cells < p_.extinction_threshold_cells) {
            cells = 0.0;
            changed = true;
        }
    }
    return changed;
}

}  // namespace cartsim::reference
