#pragma once
// CARTmath (Barros et al. 2021): effector and memory CAR-T against the HDLM-2 tumour in mice, as in
// REFERENCE_MODELS.md section 2. Cell counts; time in days.

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/common/describe.hpp"

namespace cartsim::reference {

inline constexpr std::string_view kCartMathNear =
    "assumed: within 10x of the published estimate (Barros et al. 2021)";
inline constexpr std::string_view kCartMathSource = "Barros et al. 2021, Cancers 13:2941 (CARTmath, HDLM-2)";

/// Published values for HDLM-2 with CAR-T 123; the paper's symbol is named in each field's description.
struct CartMathParams {
    double effector_expansion_rate_per_day = 0.265;
    double effector_loss_rate_per_day = 0.350;
    double memory_formation_rate_per_day = 0.150;
    double memory_activation_rate_per_cell_per_day = 6.0e-6;
    double effector_inhibition_rate_per_cell_per_day = 4.5e-8;
    double memory_death_rate_per_day = 5.0e-3;
    double tumour_growth_rate_per_day = 5.650026e-2;
    double tumour_inverse_capacity_per_cell = 1.404029e-12;
    double tumour_kill_rate_per_cell_per_day = 3.715843e-6;
    double initial_tumour_cells = 2.0e6;
    double dose_day = 42.0;
    /// The published code zeroes any population below this after every step; 0 switches it off.
    double extinction_threshold_cells = 1.0e-6;
};

template <class V>
void describe(CartMathParams& p, V& v) {
    const std::string_view src = kCartMathSource;
    // Plausible unless stated otherwise: within 10x of the published estimate (100x off warns).
    static constexpr CartMathParams published{};
    const auto near = [](FieldInfo info, double estimate) {
        return info.plausible(estimate / 10.0, estimate * 10.0, kCartMathNear);
    };
    v.field(
        "effector_expansion_rate_per_day", p.effector_expansion_rate_per_day,
        near(nonnegative("1/day", src, "phi: effector CAR-T expansion"), published.effector_expansion_rate_per_day));
    v.field("effector_loss_rate_per_day", p.effector_loss_rate_per_day,
            near(nonnegative("1/day", src, "rho: effector CAR-T loss (phi < rho: no net expansion without tumour)"),
                 published.effector_loss_rate_per_day));
    v.field("memory_formation_rate_per_day", p.memory_formation_rate_per_day,
            near(nonnegative("1/day", src, "eps: memory CAR-T formed per effector (not removed from effectors)"),
                 published.memory_formation_rate_per_day));
    v.field("memory_activation_rate_per_cell_per_day", p.memory_activation_rate_per_cell_per_day,
            near(nonnegative("1/(cell day)", src, "theta: memory to effector conversion on meeting tumour cells"),
                 published.memory_activation_rate_per_cell_per_day));
    v.field("effector_inhibition_rate_per_cell_per_day", p.effector_inhibition_rate_per_cell_per_day,
            near(nonnegative("1/(cell day)", src, "alpha: effector CAR-T inactivation by tumour cells"),
                 published.effector_inhibition_rate_per_cell_per_day));
    v.field("memory_death_rate_per_day", p.memory_death_rate_per_day,
            near(nonnegative("1/day", src, "mu: memory CAR-T death"), published.memory_death_rate_per_day));
    v.field("tumour_growth_rate_per_day", p.tumour_growth_rate_per_day,
            near(nonnegative("1/day", src, "r: logistic tumour growth rate"), published.tumour_growth_rate_per_day));
    v.field("tumour_inverse_capacity_per_cell", p.tumour_inverse_capacity_per_cell,
            near(nonnegative("1/cell", src, "b: inverse carrying capacity of the logistic growth"),
                 published.tumour_inverse_capacity_per_cell));
    v.field("tumour_kill_rate_per_cell_per_day", p.tumour_kill_rate_per_cell_per_day,
            near(nonnegative("1/(cell day)", src, "gamma: tumour cells killed per effector CAR-T"),
                 published.tumour_kill_rate_per_cell_per_day));
    v.field("initial_tumour_cells", p.initial_tumour_cells,
            near(nonnegative("cells", src, "T(0): tumour cells injected at day 0"), published.initial_tumour_cells));
    v.field("dose_day", p.dose_day,
            nonnegative("day", src, "day of the CAR-T injection into the effector pool")
                .plausible(0.0, 365.0, "assumed (within a year of tumour injection; the paper infuses on day 42)"));
    v.field("extinction_threshold_cells", p.extinction_threshold_cells,
            nonnegative("cells", "CARTmath published code (rk4.R)",
                        "populations below this are set to zero after every step; 0 disables the rule")
                .plausible(0.0, 1.0, "the published code uses 1e-6 cells; 0 disables the rule; assumed up to 1 cell"));
}

/// Problems the field ranges cannot express; empty when valid.
std::vector<std::string> validate(const CartMathParams& p);

enum class CartMathState {
    Effector,  // C_T, cells
    Memory,    // C_M, cells
    Tumour,    // T, cells
    Count
};
inline constexpr std::size_t kCartMathStateCount = static_cast<std::size_t>(CartMathState::Count);
constexpr std::size_t index(CartMathState s) { return static_cast<std::size_t>(s); }
using CartMathVector = std::array<double, kCartMathStateCount>;

/// Output columns of timeseries.csv (after time_day): the states, in enum order.
inline constexpr std::array<std::string_view, kCartMathStateCount> kCartMathColumns{
    "cart_effector_cells", "cart_memory_cells", "tumour_cells"};

class CartMathModel {
public:
    explicit CartMathModel(const CartMathParams& params) : p_(params) {}

    /// dx/dt [cells/day]; State is std::array or std::vector of kCartMathStateCount.
    template <class State>
    void operator()(const State& x, State& dxdt, double t) const;

    /// Row-major d(dx_i/dt)/dx_j; resizes jacobian to n x n. The system is autonomous.
    void jacobian(const std::vector<double>& x, std::vector<double>& jacobian, double t) const;

    /// Tumour cells only; the CAR-T dose arrives later as a jump (apply_dose).
    CartMathVector initial_state() const;

    /// Adds dose_cells to the effector pool.
    static void apply_dose(std::span<double> x, double dose_cells);

    /// The published extinction rule: every population below the threshold (negative ones too) is set
    /// to zero. Returns true when a value changed.
    bool apply_extinction(std::span<double> x) const;

    const CartMathParams& params() const { return p_; }

private:
    CartMathParams p_;
};

template <class State>
void CartMathModel::operator()(const State& x, State& dxdt, double /*t*/) const {
    using S = CartMathState;
    const double effector = x[index(S::Effector)];
    const double memory = x[index(S::Memory)];
    const double tumour = x[index(S::Tumour)];

    // Memory cells meeting tumour become effectors: a conserved flow [cells/day].
    const double memory_to_effector = p_.memory_activation_rate_per_cell_per_day * tumour * memory;

    dxdt[index(S::Effector)] = (p_.effector_expansion_rate_per_day - p_.effector_loss_rate_per_day) * effector +
                               memory_to_effector - p_.effector_inhibition_rate_per_cell_per_day * tumour * effector;
    dxdt[index(S::Memory)] =
        p_.memory_formation_rate_per_day * effector - memory_to_effector - p_.memory_death_rate_per_day * memory;
    dxdt[index(S::Tumour)] =
        p_.tumour_growth_rate_per_day * tumour * (1.0 - p_.tumour_inverse_capacity_per_cell * tumour) -
        p_.tumour_kill_rate_per_cell_per_day * effector * tumour;
}

}  // namespace cartsim::reference
