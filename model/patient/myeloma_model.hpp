#pragma once
// The mechanistic ODE model of one patient (MODEL.md sections 2-4): tumour clones x BCMA density
// bins, CAR-T products, endogenous T cells, macrophages, soluble BCMA, inflammation, drugs, M-protein.
// Each room owns its rate laws (tumour_room, cart_room, host_rooms); the right-hand side first
// computes what several rooms share into a RateContext (rate_context.cpp), then lets every room add
// its flows, reading the state and that context only. Flows move cells between compartments, so
// moving cells never creates or destroys them (tested).

#include <array>
#include <string>
#include <vector>

#include "model/patient/cart_room.hpp"
#include "model/patient/host_rooms.hpp"
#include "model/patient/layout.hpp"
#include "model/patient/mechanisms.hpp"
#include "model/patient/patient_params.hpp"
#include "model/patient/rate_context.hpp"
#include "model/patient/therapy_slots.hpp"
#include "model/patient/tumour_room.hpp"
#include "model/tumour/clone_set.hpp"
#include "model/tumour/density_grid.hpp"

namespace cartsim::patient {

/// Recognition of every (clone, bin) population by one binder (CAR-T, bispecific or antibody).
struct RecognitionTable {
    bool targets_bcma = false;
    std::vector<double> bcma_by_bin[2];  // h_BCMA per bin, without and with a gamma-secretase inhibitor
    std::vector<double> other_by_clone;  // 1 - prod(1 - mean h) over the clone's non-BCMA targets
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

    /// Per-cell tumour rates in state x at time t [days] (the same numbers the right-hand side uses).
    const TumourRates& tumour_rates(const State& x, double t) const;
    /// Drift rates of a clone's cells from bin k to k + 1 (up) and from k + 1 to k (down) [1/day].
    /// A frozen clone is held by agents: the right-hand side leaves its bins unchanged and does not
    /// let it mutate (the agent layer does).
    void set_frozen(std::size_t clone, bool frozen) { frozen_[clone] = frozen; }
    bool frozen(std::size_t clone) const { return frozen_[clone]; }
    /// Per-cell CAR-T rates of a product in state x at time t. Valid after tumour_rates(x, t) (they share
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
    /// Tumour cells in the marrow, and in the poorly reached second site (0 without one; with
    /// mechanisms.extramedullary_site off every cell counts as marrow).
    double marrow_tumour_cells(const State& x) const;
    double extramedullary_cells(const State& x) const;
    bool has_second_site() const { return second_site_; }
    double clone_cells(const State& x, std::size_t clone) const;
    double suppression(const State& x) const;          // fraction of T-cell killing removed
    double functional_t_fraction(const State& x) const;  // endogenous functional / all endogenous
    /// Free concentration [ug/mL] of a bispecific at time t (its pharmacokinetics are exact in time).
    double bispecific_concentration_ug_per_ml(const State& x, std::size_t drug, double t) const;
    /// What each arm of a bispecific engages at time t: with mechanisms.arm_occupancy the soluble-BCMA
    /// sink, the free drug's engagement of tumour targets and CD3 occupancy; without it one occupancy.
    drugs::ArmOccupancy bispecific_arms(const State& x, std::size_t drug, double t) const;
    /// A bispecific dose at time t, days_on_drug after the line's first dose: depot and central amounts
    /// added [mg] (the depot's after bioavailability); the clearance of the interval it opens is fixed.
    void dose_bispecific(State& x, std::size_t drug, double t, drugs::PkAmounts added, double days_on_drug) const;
    double effective_bcma_fold() const;  // surface BCMA multiplier from a gamma-secretase inhibitor
    /// Cells per bin summed over clones (bin 0: no BCMA).
    std::vector<double> bcma_histogram(const State& x) const;

    /// Infusion of product p primes the host's response against its binder: set to the primed level
    /// unless already higher (remembered; with mechanisms.anti_car_memory off, reset at every infusion).
    void prime_anti_car(State& x, std::size_t product);
    /// Before `added_cells` fresh cells of product p are infused: the product's spent doublings become
    /// the cell-weighted mean of its cells and the new ones (which have spent none).
    void add_cart_doublings_share(State& x, std::size_t product, double added_cells) const;
    /// What CAR-T cells see of the homeostatic cytokines (InflammationRoom::ld_index).
    double ld_cytokine_index(const State& x) const { return inflammation_room_.ld_index(x, layout_, lymphocytes(x)); }
    /// The IL-7/IL-15 level, fold of its level at the homeostatic T-cell count (1 without the cytokine space).
    double homeostatic_cytokine_fold(const State& x) const { return inflammation_room_.cytokine_level(lymphocytes(x)); }
    /// Every endogenous T cell and CAR-T cell: the consumers of the homeostatic cytokines.
    double lymphocytes(const State& x) const;
    /// Lymphodepletion keeps this share of every anti-CAR response (it depletes the responding cells).
    void deplete_anti_car(State& x, double keep);
    /// The host's response A in [0, 1] against binder b in state x.
    double anti_car_response(const State& x, std::size_t binder) const {
        return AntiCarRoom::response(x[layout_.anti_car(binder)], anti_car_primed_[binder]);
    }
    /// The anti-CAR response (layout.anti_car index) that product p meets; products sharing a binder share it.
    std::size_t binder_of(std::size_t product) const { return binder_of_[product]; }
    /// Name of each anti-CAR response: the binder_id, or the first product's name when it has none.
    const std::vector<std::string>& binder_names() const { return binder_names_; }

    /// The shared quantities of state x at time t, as the right-hand side computes them first.
    const RateContext& context(const State& x, double t) const;
    const TumourRoom& tumour_room() const { return tumour_room_; }

private:
    void build_context(const State& x, double t) const;
    /// Recognition of every population by one binder; `access`: per clone, how well the binder's effector
    /// cells reach it (CAR-T or engager-bridged T cells in the second site; null: every cell fully, as
    /// antibodies); `decoy_on`: soluble BCMA divides BCMA recognition.
    void compute_recognition(const State& x, const RecognitionTable& table, std::vector<double>& r, double& total,
                             const std::vector<double>* access, bool decoy_on) const;

    PatientParams params_;
    Mechanisms mechanisms_;
    TherapySlots slots_;
    tumour::DensityGrid grid_;
    tumour::CloneSet clones_;
    std::vector<std::string> binder_names_;
    std::vector<std::size_t> binder_of_;
    StateLayout layout_;
    std::vector<RecognitionTable> cart_tables_, bispecific_tables_, antibody_tables_;
    TumourRoom tumour_room_;
    CarTRoom cart_room_;
    EndogenousTRoom t_room_;
    MyeloidRoom myeloid_room_;
    InflammationRoom inflammation_room_;
    DrugRoom drug_room_;
    AntiCarRoom anti_car_room_;
    ActiveEffects effects_;
    std::vector<CarTRuntime> cart_runtime_;
    std::vector<double> t_cell_access_;  // per clone: 1 in marrow, effector_access in the second site
    std::vector<double> cart_access_;    // per clone: 1 in marrow, cart_access in the second site
    bool second_site_ = false;           // some clone lives in the second site and the mechanism is on
    std::vector<bool> frozen_;
    std::vector<bool> cart_frozen_;
    std::vector<bool> anti_car_primed_;  // per binder: set by the first infusion (an event)

    // Workspace of the right-hand side (one model per patient, one thread each): build_context
    // rewrites it at the start of every call and the rooms only read it.
    mutable RateContext context_;
    mutable std::vector<double> boundary_flow_;  // per bin of one clone: net flow across a bin boundary
};

}  // namespace cartsim::patient
