#pragma once
// What several rooms of the model need from one state, computed once per right-hand-side call before
// any room runs (MyelomaModel::build_context, rate_context.cpp), then read by every room through a
// const reference. No room writes into it, so no room hands results to another behind the const
// right-hand side: the order in which rooms run cannot change their flows.

#include <array>
#include <vector>

#include "model/patient/layout.hpp"
#include "model/patient/therapy_slots.hpp"

namespace cartsim::patient {

using State = std::vector<double>;

/// Per-cell rates of every tumour population (index layout.tumour(clone, bin)) in the current state
/// [1/day]. The right-hand side and the agent layer both use these, so each rate law has one definition.
struct TumourRates {
    std::vector<double> division;  // divisions per cell (mutation shares are part of divisions)
    std::vector<double> death;     // turnover plus every killing hazard
    std::vector<double> immune;    // the part of death caused by T cells (CAR-T, bispecifics)
    std::vector<double> strip;     // trogocytosis: moves to the next lower BCMA bin
    std::vector<double> drift_up;    // phenotypic drift from bin k to k + 1 (at index of bin k)
    std::vector<double> drift_down;  // phenotypic drift from bin k + 1 to k (at index of bin k)
};

/// Per-cell rates of one CAR-T product's pools [1/day]; every daughter is a marrow effector.
struct CarTRates {
    std::array<double, StateLayout::kCarTPools> division{};
    std::array<double, StateLayout::kCarTPools> death{};
    std::array<std::array<double, StateLayout::kCarTPools>, StateLayout::kCarTPools> move{};  // [from][to]
};

/// Shared quantities of one state. Sizes are set once by the model; values are rewritten each call.
struct RateContext {
    double t = 0.0;                 // [day]
    double tumour_total = 0.0;      // tumour cells, all clones and bins
    double suppression = 0.0;       // fraction of T-cell killing removed by suppressive macrophages
    double ld_cytokine = 0.0;       // lymphodepletion cytokine index seen by CAR-T (0 when switched off)
    double t_functional = 0.0;      // functional endogenous T cells
    double lymphocytes = 0.0;       // endogenous T cells and CAR-T cells of every product (cytokine sink;
                                    // 0 unless mechanisms.cytokine_space)
    double car_t_in_marrow = 0.0;   // effector + memory CAR-T in marrow, all products (bispecific bridging)
    // Recognition of every (clone, bin) population by each binder, and its cell-weighted total.
    std::vector<std::vector<double>> cart_r, bispecific_r, antibody_r;
    std::vector<double> cart_total, bispecific_total;
    std::vector<double> cart_coef;             // per product: kill per recognised target per day
    std::vector<double> bispecific_occupancy;  // per bispecific: engagement of tumour targets (killing, and
                                               // exhaustion by engaged targets)
    std::vector<double> bispecific_cd3_occupancy;  // per bispecific: CD3 occupancy (attrition of continuous
                                                   // exposure); equal to the above unless mechanisms.arm_occupancy
    std::vector<double> bispecific_coef;       // per bispecific: kill per recognised target per day
    TumourRates rates;                         // every tumour population's per-cell rates
    std::vector<double> trogocytosis_events;   // per product: stripping contacts per day
    double immune_kill_flux = 0.0;             // tumour cells killed by T cells per day
    double activated_t_cells = 0.0;            // CAR-T engaged by antigen + T cells bridged by engagers
                                               // (0 unless mechanisms.activation_cytokines)
    // Set by events between integration segments; the context points at the model's current values.
    const ActiveEffects* effects = nullptr;
    const std::vector<CarTRuntime>* cart_runtime = nullptr;
    const std::vector<bool>* anti_car_primed = nullptr;  // per CAR binder: primed by an infusion
};

/// Moves `amount` per day from one compartment to another: conservation by construction.
inline void move_between(State& dxdt, std::size_t from, std::size_t to, double amount) {
    dxdt[from] -= amount;
    dxdt[to] += amount;
}

inline double nonnegative_part(double v) { return v > 0.0 ? v : 0.0; }

/// Cells of one CAR-T product, every pool (negative amounts count as none).
inline double cart_cells(const State& x, const StateLayout& layout, std::size_t product) {
    double cells = 0.0;
    for (std::size_t k = 0; k < StateLayout::kCarTPools; ++k)
        cells += nonnegative_part(x[layout.cart(product, static_cast<CarTPool>(k))]);
    return cells;
}

}  // namespace cartsim::patient
