#pragma once
// The mechanistic ODE model of one patient (MODEL.md sections 2-4): tumour clones x BCMA density
// bins, CAR-T products, endogenous T cells, macrophages, soluble BCMA, inflammation, drugs, M-protein.
// The right-hand side is written as flows between compartments where cells move, so moving cells
// never creates or destroys them (tested).

#include <array>
#include <vector>

#include "model/patient/layout.hpp"
#include "model/patient/mechanisms.hpp"
#include "model/patient/mprotein.hpp"
#include "model/patient/patient_params.hpp"
#include "model/patient/therapy_slots.hpp"
#include "model/tumour/clone_set.hpp"
#include "model/tumour/density_grid.hpp"

namespace cartsim::patient {

using State = std::vector<double>;

/// Recognition of every (clone, bin) population by one binder (CAR-T, bispecific or antibody).
struct RecognitionTable {
    bool targets_bcma = false;
    std::vector<double> bcma_by_bin[2];  // h_BCMA per bin, without and with a gamma-secretase inhibitor
    std::vector<double> other_by_clone;  // 1 - prod(1 - mean h) over the clone's non-BCMA targets
};

/// Per-cell rates of every tumour population (index layout.tumour(clone, bin)) in the current state
/// [1/day]. The right-hand side and the agent layer both use these, so each rate law has one definition.
struct TumourRates {
    std::vector<double> division;  // divisions per cell (mutation shares are part of divisions)
    std::vector<double> death;     // turnover plus every killing hazard
    std::vector<double> immune;    // the part of death caused by T cells (CAR-T, bispecifics)
    std::vector<double> strip;     // trogocytosis: moves to the next lower BCMA bin
};

/// Per-cell rates of one CAR-T product's pools [1/day]; every daughter is a marrow effector.
struct CarTRates {
    std::array<double, StateLayout::kCarTPools> division{};
    std::array<double, StateLayout::kCarTPools> death{};
    std::array<std::array<double, StateLayout::kCarTPools>, StateLayout::kCarTPools> move{};  // [from][to]
};

class MyelomaModel {
public:
    MyelomaModel(const PatientParams& params, const Mechanisms& mechanisms, const TherapySlots& slots);

    const StateLayout& layout() const { return layout_; }
    const tumour::CloneSet& clone_set() const { return clones_; }
    const tumour::DensityGrid& grid() const { return grid_; }
    const PatientParams& params() const { return params_; }
    const Mechanisms& mechanisms() const { return mechanisms_; }
    const TherapySlots& slots() const { return slots_; }

    State initial_state() const;

    /// dx/dt [units of each compartment per day] at time t [days]; odeint System concept.
    void operator()(const State& x, State& dxdt, double t) const;

    /// Per-cell tumour rates in state x (the same numbers the right-hand side uses).
    const TumourRates& tumour_rates(const State& x) const;
    /// Drift rates of a clone's cells from bin k to k + 1 (up) and from k + 1 to k (down) [1/day].
    double drift_up(std::size_t clone, std::size_t k) const { return drift_up_[clone][k]; }
    double drift_down(std::size_t clone, std::size_t k) const { return drift_down_[clone][k]; }
    /// A frozen clone is held by agents: the right-hand side leaves its bins unchanged and does not
    /// let it mutate (the agent layer does).
    void set_frozen(std::size_t clone, bool frozen) { frozen_[clone] = frozen; }
    bool frozen(std::size_t clone) const { return frozen_[clone]; }
    /// Per-cell CAR-T rates of a product in state x at time t. Valid after tumour_rates(x) (they share
    /// the recognition totals), which the right-hand side and the agent layer both call first.
    CarTRates cart_rates(const State& x, std::size_t product, double t) const;
    /// A frozen CAR-T product is held by agents; the right-hand side leaves its pools unchanged.
    void set_cart_frozen(std::size_t product, bool frozen) { cart_frozen_[product] = frozen; }
    bool cart_frozen(std::size_t product) const { return cart_frozen_[product]; }

    // Changed by events between integration segments.
    void set_effects(const ActiveEffects& effects) { effects_ = effects; }
    const ActiveEffects& effects() const { return effects_; }
    CarTRuntime& cart_runtime(std::size_t product) { return cart_runtime_[product]; }
    const CarTRuntime& cart_runtime(std::size_t product) const { return cart_runtime_[product]; }

    // Quantities shared by the right-hand side, events and readouts.
    double tumour_cells(const State& x) const;
    double clone_cells(const State& x, std::size_t clone) const;
    double suppression(const State& x) const;          // fraction of T-cell killing removed
    double functional_t_fraction(const State& x) const;  // endogenous functional / all endogenous
    double bispecific_concentration_ug_per_ml(const State& x, std::size_t drug) const;
    double effective_bcma_fold() const;  // surface BCMA multiplier from a gamma-secretase inhibitor
    /// Cells per bin summed over clones (bin 0: no BCMA).
    std::vector<double> bcma_histogram(const State& x) const;

private:
    void tumour_flows(const State& x, State& dxdt, double t) const;
    void cart_flows(const State& x, State& dxdt, double t) const;
    void host_flows(const State& x, State& dxdt) const;
    void compute_recognition(const State& x, const RecognitionTable& table, std::vector<double>& r, double& total) const;
    double crowding(double tumour_total) const;
    double april_factor(const State& x) const;

    PatientParams params_;
    Mechanisms mechanisms_;
    TherapySlots slots_;
    tumour::DensityGrid grid_;
    tumour::CloneSet clones_;
    StateLayout layout_;
    std::vector<RecognitionTable> cart_tables_, bispecific_tables_, antibody_tables_;
    std::vector<std::vector<double>> drift_up_, drift_down_;  // per clone, per bin boundary
    std::vector<double> april_binding_[2];  // per bin: density / (density + K_APRIL), without and with GSI
    std::vector<double> mutation_share_;    // per clone: share of divisions that found another clone
    /// Where daughters of a mutation route land, as a gather per target bin (CSR layout): target bin j
    /// receives weight[m] * births of source bin source[m] for m in [start[j], start[j + 1]).
    struct RouteGather {
        std::vector<std::size_t> start, source;
        std::vector<double> weight;
    };
    std::vector<RouteGather> route_gather_;
    ActiveEffects effects_;
    std::vector<CarTRuntime> cart_runtime_;
    MProteinCatabolism mprotein_;
    double mprotein_per_cell_ = 0.0;  // g/dL/day per tumour cell
    std::vector<bool> frozen_;
    std::vector<bool> cart_frozen_;

    // Scratch space reused by every right-hand-side call (one model per patient, one thread each).
    struct Scratch {
        std::vector<std::vector<double>> cart_r, bispecific_r, antibody_r;
        std::vector<double> cart_total, bispecific_total, bispecific_occupancy, cart_coef, bispecific_coef,
            trogocytosis_events;
        TumourRates rates;
        std::vector<double> boundary_flow;  // per bin of one clone: net flow across a bin boundary
        double immune_kill_flux = 0.0;
        double tumour_total = 0.0;
    };
    mutable Scratch scratch_;
};

}  // namespace cartsim::patient
