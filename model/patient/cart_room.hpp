#pragma once
// The CAR-T room: each product's five pools (blood and marrow effectors and memory, marrow exhausted).
// Its chart is CarTRates, per pool and per cell [1/day]: division (every daughter a marrow effector),
// death, and move[from][to] between pools (memory formation and activation, exhaustion and its
// reversal, trafficking between blood and marrow). rates() is shared with the agent layer.

#include <vector>

#include "model/patient/mechanisms.hpp"
#include "model/patient/rate_context.hpp"

namespace cartsim::patient {

class CarTRoom {
public:
    CarTRoom(const TherapySlots& slots, const Mechanisms& mechanisms, double anti_car_immunity_factor,
             const StateLayout& layout);

    /// Per-cell rates of product p's pools at time t [day], from the recognition totals, suppression,
    /// lymphodepletion cytokines and trogocytosis contacts in c.
    CarTRates rates(const State& x, const RateContext& c, std::size_t product, double t) const;
    /// Adds every product's derivatives; a frozen product (held by agents) is left unchanged.
    void flows(const State& x, const RateContext& c, const std::vector<bool>& frozen, State& dxdt) const;

private:
    std::vector<tcells::CarTParams> products_;
    Mechanisms mechanisms_;
    double anti_car_immunity_factor_;
    StateLayout layout_;
};

}  // namespace cartsim::patient
