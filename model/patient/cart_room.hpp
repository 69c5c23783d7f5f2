#pragma once
// The CAR-T room: each product's five pools (blood and marrow effectors and memory, marrow exhausted).
// Its chart is CarTRates, per pool and per cell [1/day]: division (every daughter a marrow effector),
// death, and move[from][to] between pools (memory formation and activation, exhaustion and its
// reversal, trafficking between blood and marrow). rates() is shared with the agent layer.

#include <vector>

#include "model/patient/mechanisms.hpp"
#include "model/patient/patient_params.hpp"
#include "model/patient/rate_context.hpp"

namespace cartsim::patient {

class CarTRoom {
public:
    /// binder_of[p]: the anti-CAR response (layout.anti_car) that product p meets.
    CarTRoom(const TherapySlots& slots, const Mechanisms& mechanisms, double anti_car_immunity_factor,
             const CarDesignParams& design, const StateLayout& layout, std::vector<std::size_t> binder_of);

    /// Per-cell rates of product p's pools in state x, from the recognition totals, suppression,
    /// lymphodepletion cytokines and trogocytosis contacts in c, and the anti-CAR response in x.
    CarTRates rates(const State& x, const RateContext& c, std::size_t product) const;
    /// Adds every product's derivatives; a frozen product (held by agents) keeps its pools, which the
    /// agent layer changes, but still counts the doublings its cells spend.
    void flows(const State& x, const RateContext& c, const std::vector<bool>& frozen, State& dxdt) const;
    /// Share of the division rate left after g population doublings (mechanisms.expansion_capacity):
    /// 1 / (1 + (g / D)^h), with D the capacity scaled by T-cell fitness at apheresis.
    double capacity_left(double doublings, const CarTRuntime& run, std::size_t product) const;
    /// Stimulation phi = psi / (psi + K_psi) of a product's marrow cells, psi = recognisable targets per
    /// CAR-T cell in marrow (MODEL.md section 4): the share of its cells engaged by antigen.
    static double stimulation(double targets, double half_saturation_targets_per_cell, double marrow_cells) {
        return targets > 0.0 ? targets / (targets + half_saturation_targets_per_cell * marrow_cells) : 0.0;
    }
    /// Fitness at apheresis as it scales the product (1 with mechanisms.manufacturing_fitness off).
    double fitness_scale(const CarTRuntime& run, std::size_t product) const;

private:
    std::vector<tcells::CarTParams> products_;
    Mechanisms mechanisms_;
    double anti_car_immunity_factor_;
    CarDesignParams design_;
    StateLayout layout_;
    std::vector<std::size_t> binder_of_;
};

}  // namespace cartsim::patient
