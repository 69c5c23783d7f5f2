// The CAR-T room's rate laws (cart_room.hpp).

#include "model/patient/cart_room.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "model/patient/host_rooms.hpp"

namespace cartsim::patient {
namespace {

/// mechanisms.memory_longevity: natural per-cell loss of memory cells [1/day] (a CD28 product's times its
/// domain factor), a / max(days since infusion, s0), so a cohort of memory cells shrinks as (time)^-a.
double memory_loss_rate(const CarDesignParams& design, double days_since_infusion) {
    return design.memory_loss_exponent / std::max(days_since_infusion, design.memory_loss_from_day);
}

}  // namespace

CarTRoom::CarTRoom(const TherapySlots& slots, const Mechanisms& mechanisms, double anti_car_immunity_factor,
                   const CarDesignParams& design, const StateLayout& layout, std::vector<std::size_t> binder_of)
    : mechanisms_(mechanisms),
      anti_car_immunity_factor_(anti_car_immunity_factor),
      design_(design),
      layout_(layout),
      binder_of_(std::move(binder_of)) {
    for (const auto& p : slots.cart) products_.push_back(p.params);
}

CarTRates CarTRoom::rates(const State& x, const RateContext& c, std::size_t p) const {
    CarTRates r;
    const auto& cp = products_[p];
    const auto& run = (*c.cart_runtime)[p];
    const ActiveEffects& fx = *c.effects;
    const auto n = [&](CarTPool pool) { return nonnegative_part(x[layout_.cart(p, pool)]); };
    const auto i = [](CarTPool pool) { return static_cast<std::size_t>(pool); };
    const double marrow = n(CarTPool::EffectorMarrow) + n(CarTPool::MemoryMarrow) + n(CarTPool::ExhaustedMarrow);
    const double supp = c.suppression;
    const double ld = c.ld_cytokine;

    const double phi = stimulation(c.cart_total[p], cp.stimulation_half_saturation_targets_per_cell, marrow);
    const double fitness = fitness_scale(run, p);
    const double capacity = capacity_left(x[layout_.cart_doublings(p)], run, p);
    // Anti-CAR immunity: the host's response against this product's binder (0 until primed).
    double immune_death = 1.0;
    if (mechanisms_.immunogenicity && cp.immunogenicity_death_multiplier > 0.0) {
        const std::size_t b = binder_of_[p];
        immune_death += anti_car_immunity_factor_ * cp.immunogenicity_death_multiplier *
                        AntiCarRoom::response(x[layout_.anti_car(b)], (*c.anti_car_primed)[b]);
    }
    const double exhaustion =
        mechanisms_.exhaustion ? cp.exhaustion_rate_per_day * phi * (1.0 + cp.exhaustion_suppression_gain * supp) *
                                     (1.0 - fx.exhaustion_reduction)
                               : 0.0;
    // A CD28 domain favours effector over central memory: its memory cells die sooner.
    const double domain = mechanisms_.costimulation_kinetics && cp.costimulation == tcells::Costimulation::Cd28
                              ? design_.cd28_memory_death_factor
                              : 1.0;
    // Memory loss: natural (a constant, or falling with time since infusion as human memory CD8 T cells
    // are lost) plus the anti-CAR killing, which scales with the constant rate in either case.
    const double memory_death_ref = cp.memory_death_rate_per_day * domain;
    const double days_since_infusion = run.infused ? c.t - run.infusion_day : 0.0;
    const double memory_death =
        mechanisms_.memory_longevity
            ? memory_loss_rate(design_, days_since_infusion) * domain + memory_death_ref * (immune_death - 1.0)
            : memory_death_ref * immune_death;
    // Fratricide of antigen-carrying CAR-T cells after trogocytosis, shared by the marrow pools.
    const double fratricide = marrow > 0.0 ? cp.fratricide_per_trogocytosis * c.trogocytosis_events[p] / marrow : 0.0;

    r.division[i(CarTPool::EffectorMarrow)] =
        (cp.expansion_rate_per_day * fitness * phi + cp.ld_expansion_rate_per_day * ld) * capacity;
    r.division[i(CarTPool::MemoryMarrow)] = cp.ld_expansion_rate_per_day * ld * capacity;  // daughters are effectors
    r.death[i(CarTPool::EffectorMarrow)] = cp.effector_death_rate_per_day * immune_death + fratricide;
    r.death[i(CarTPool::MemoryMarrow)] = memory_death + fratricide;
    r.death[i(CarTPool::ExhaustedMarrow)] = cp.exhausted_death_rate_per_day + fratricide;
    r.death[i(CarTPool::EffectorBlood)] =
        cp.blood_effector_loss_rate_per_day + cp.effector_death_rate_per_day * (immune_death - 1.0);
    r.death[i(CarTPool::MemoryBlood)] = memory_death;
    r.move[i(CarTPool::EffectorMarrow)][i(CarTPool::MemoryMarrow)] = cp.memory_formation_rate_per_day * (1.0 - phi);
    r.move[i(CarTPool::MemoryMarrow)][i(CarTPool::EffectorMarrow)] = cp.memory_activation_rate_per_day * phi;
    r.move[i(CarTPool::EffectorMarrow)][i(CarTPool::ExhaustedMarrow)] = exhaustion;
    r.move[i(CarTPool::ExhaustedMarrow)][i(CarTPool::EffectorMarrow)] =
        cp.exhaustion_reversal_rate_per_day + fx.reversal_rate_per_day;
    r.move[i(CarTPool::EffectorBlood)][i(CarTPool::EffectorMarrow)] = cp.blood_to_marrow_rate_per_day;
    r.move[i(CarTPool::EffectorMarrow)][i(CarTPool::EffectorBlood)] = cp.marrow_to_blood_rate_per_day;
    r.move[i(CarTPool::MemoryBlood)][i(CarTPool::MemoryMarrow)] = cp.blood_to_marrow_rate_per_day;
    r.move[i(CarTPool::MemoryMarrow)][i(CarTPool::MemoryBlood)] = cp.marrow_to_blood_rate_per_day;
    return r;
}

double CarTRoom::fitness_scale(const CarTRuntime& run, std::size_t p) const {
    const auto& cp = products_[p];
    return mechanisms_.manufacturing_fitness
               ? 1.0 - cp.manufacturing_sensitivity + cp.manufacturing_sensitivity * run.fitness_ratio
               : 1.0;
}

double CarTRoom::capacity_left(double doublings, const CarTRuntime& run, std::size_t p) const {
    if (!mechanisms_.expansion_capacity || doublings <= 0.0) return 1.0;
    const auto& cp = products_[p];
    const double capacity = cp.division_capacity_doublings * fitness_scale(run, p);
    if (capacity <= 0.0) return 0.0;
    return 1.0 / (1.0 + std::pow(doublings / capacity, cp.division_capacity_hill));
}

void CarTRoom::flows(const State& x, const RateContext& c, const std::vector<bool>& frozen, State& dxdt) const {
    constexpr std::size_t pools = StateLayout::kCarTPools;
    for (std::size_t p = 0; p < products_.size(); ++p) {
        const std::size_t first = layout_.cart(p, CarTPool::EffectorBlood);
        double total = 0.0;
        for (std::size_t k = 0; k < pools; ++k) total += nonnegative_part(x[first + k]);
        // Agents of a frozen product change in the agent layer; only the capacity they spend is counted here.
        if (total <= 0.0 || (frozen[p] && !mechanisms_.expansion_capacity)) continue;
        const CarTRates r = rates(x, c, p);
        if (mechanisms_.expansion_capacity) {
            // Population doublings by division: the cell-weighted division rate over ln 2.
            double divisions = 0.0;
            for (std::size_t k = 0; k < pools; ++k) divisions += r.division[k] * nonnegative_part(x[first + k]);
            dxdt[layout_.cart_doublings(p)] += divisions / total / std::log(2.0);
        }
        if (frozen[p]) continue;
        const std::size_t effector = first + static_cast<std::size_t>(CarTPool::EffectorMarrow);
        for (std::size_t from = 0; from < pools; ++from) {
            const double n = nonnegative_part(x[first + from]);
            dxdt[effector] += r.division[from] * n;  // every daughter is a marrow effector
            dxdt[first + from] -= r.death[from] * n;
            for (std::size_t to = 0; to < pools; ++to)
                if (r.move[from][to] > 0.0) move_between(dxdt, first + from, first + to, r.move[from][to] * n);
        }
    }
}

}  // namespace cartsim::patient
