#pragma once
// The compartment rooms of the model: endogenous T cells, macrophages, inflammation and the
// lymphodepletion cytokines, and bispecific pharmacokinetics (solved exactly, so it has no chart).
// Each other room declares its flow chart first (kChart), computes only the amounts from the state and
// the read-only RateContext, and never writes to another room's compartments. The tumour room (tumour_room.hpp) and the CAR-T room
// (cart_room.hpp) hold the structured populations.

#include <array>
#include <cmath>

#include "model/drugs/pharmacokinetics.hpp"
#include "model/patient/flow_chart.hpp"
#include "model/patient/mechanisms.hpp"
#include "model/patient/patient_params.hpp"
#include "model/patient/rate_context.hpp"

namespace cartsim::patient {

/// Endogenous T cells: homeostatic production, exhaustion by tumour antigen and by bispecific
/// engagement (MODEL.md section 3), reversal by checkpoint blockade.
class EndogenousTRoom {
public:
    static constexpr std::array<Flow<Compartment>, 4> kChart{{
        {std::nullopt, Compartment::EndogenousFunctional, "homeostatic production (net of turnover)"},
        {Compartment::EndogenousExhausted, std::nullopt, "death of exhausted cells"},
        {Compartment::EndogenousFunctional, Compartment::EndogenousExhausted, "exhaustion"},
        {Compartment::EndogenousExhausted, Compartment::EndogenousFunctional, "reversal"},
    }};
    EndogenousTRoom(const tcells::EndogenousTParams& params, const Mechanisms& mechanisms, const TherapySlots& slots)
        : params_(params), exhaustion_on_(mechanisms.exhaustion), bispecifics_(slots.bispecific.size()) {}
    std::array<double, kChart.size()> amounts(const State& x, const StateLayout& layout, const RateContext& c) const;
    /// Functional share of T cells at day 0. With mechanisms.prior_therapy_fitness,
    ///   f = f0 r^(L - L_ref) (1 - (1 - q) R), clamped to [0, 1],
    /// f0 = baseline_functional_fraction, r = fitness_retention_per_prior_line, L = prior_lines,
    /// L_ref = reference_prior_lines, q = prior_redirection_fitness_factor, R = prior_redirection.
    static double initial_functional_fraction(const tcells::EndogenousTParams& p, bool prior_therapy_fitness);

private:
    tcells::EndogenousTParams params_;
    bool exhaustion_on_;
    std::size_t bispecifics_;
};

/// Macrophages: recruited neutral, polarised to suppressive by tumour signals (MIF), repolarised.
/// With mechanisms.myeloid_memory, inflammation leaves an imprint M that outlasts it,
///   dM/dt = k I - (ln 2 / t_mem) M,
/// and raises recruitment (+ r_M M) and polarisation (x (1 + g M)).
class MyeloidRoom {
public:
    static constexpr std::array<Flow<Compartment>, 7> kChart{{
        {std::nullopt, Compartment::MacrophageNeutral, "recruitment"},
        {Compartment::MacrophageNeutral, std::nullopt, "death of neutral macrophages"},
        {Compartment::MacrophageSuppressive, std::nullopt, "death of suppressive macrophages"},
        {Compartment::MacrophageNeutral, Compartment::MacrophageSuppressive, "polarisation"},
        {Compartment::MacrophageSuppressive, Compartment::MacrophageNeutral, "repolarisation"},
        {std::nullopt, Compartment::MyeloidImprint, "imprint by inflammation"},
        {Compartment::MyeloidImprint, std::nullopt, "fading of the imprint"},
    }};
    MyeloidRoom(const myeloid::MacrophageParams& params, const Mechanisms& mechanisms)
        : params_(params), suppression_on_(mechanisms.macrophage_suppression), memory_on_(mechanisms.myeloid_memory) {}
    std::array<double, kChart.size()> amounts(const State& x, const StateLayout& layout, const RateContext& c) const;
    /// Neutral and suppressive macrophages at steady state with a tumour of n cells (no drug, no
    /// inflammation), solved from this room's own amounts() evaluated per cell.
    std::array<double, 2> steady_state(double tumour_cells, const StateLayout& layout) const;
    /// Fraction of T-cell killing removed by ms suppressive macrophages (0 with the switch off).
    double suppression(double suppressive_cells) const;

private:
    myeloid::MacrophageParams params_;
    bool suppression_on_;
    bool memory_on_;
};

/// Inflammation from T-cell killing with first-order clearance (the CRS readout); the homeostatic
/// cytokines that lymphodepletion releases, decaying with their half-life; and, with
/// mechanisms.cytokine_space, the homeostatic cytokines IL-7/IL-15 as a space the lymphocytes share:
/// produced at a steady rate, cleared, and consumed by every endogenous T cell and CAR-T cell, so that
///   dC/dt = k (C_max - C) - k (C_max - 1) (L / L0) C,
/// with C the level relative to that at the homeostatic T-cell count L0 (C = 1 there, C_max with no
/// lymphocytes). IL-15 is eliminated within hours, mostly by the cells that use it (Hangasky et al.,
/// Front Immunol 2020), while lymphocyte counts change over days, so C is held at this law's steady
/// state, C = C_max / (1 + (C_max - 1) L / L0): not a state variable. Lymphodepletion raises C by
/// removing its consumers; an infused product lowers it.
/// With mechanisms.activation_cytokines, activated T cells release inflammation too, and exposure makes
/// the release refractory: production (kills and activation) is multiplied by 1 - D, with
///   dD/dt = k_d I (1 - D) - (ln 2 / t_rec) D,
/// so a dose's cytokines depend on the state the earlier doses left, never on the dose's number.
class InflammationRoom {
public:
    static constexpr std::array<Flow<Compartment>, 6> kChart{{
        {std::nullopt, Compartment::Inflammation, "production by T-cell killing"},
        {Compartment::Inflammation, std::nullopt, "clearance"},
        {Compartment::LdCytokine, std::nullopt, "decay of lymphodepletion cytokines"},
        {std::nullopt, Compartment::Inflammation, "production by activated T cells"},
        {std::nullopt, Compartment::Desensitisation, "desensitisation by inflammation"},
        {Compartment::Desensitisation, std::nullopt, "recovery from desensitisation"},
    }};
    InflammationRoom(const InflammationParams& params, const LymphodepletionParams& lymphodepletion,
                     double homeostatic_lymphocytes, const Mechanisms& mechanisms)
        : params_(params),
          ld_(lymphodepletion),
          homeostatic_lymphocytes_(homeostatic_lymphocytes),
          cytokine_space_(mechanisms.cytokine_space),
          activation_(mechanisms.activation_cytokines) {}
    std::array<double, kChart.size()> amounts(const State& x, const StateLayout& layout, const RateContext& c) const;
    /// The IL-7/IL-15 level C with this many lymphocytes (all endogenous T cells and CAR-T cells): the
    /// steady state above with the cytokine space, 1 without it.
    double cytokine_level(double lymphocytes) const;
    /// What the CAR-T cells see of the cytokines (the index their ld_expansion_rate multiplies): with
    /// the cytokine space, (C - 1) / (C_max - 1) above 0 (1 with no lymphocytes); without it, the surge
    /// set to 1 at lymphodepletion.
    double ld_index(const State& x, const StateLayout& layout, double lymphocytes) const;

private:
    InflammationParams params_;
    LymphodepletionParams ld_;
    double homeostatic_lymphocytes_;
    bool cytokine_space_;
    bool activation_;
};

/// The host's response against each CAR binding domain, A in [0, 1] per binder (MODEL.md section 3;
/// model/README.md item 10). Primed at the first infusion of a product with that binder, it expands
/// logistically while its antigen, the CAR-T cells with that binder (C), is there, and contracts to its
/// memory share A_m without it: dA/dt = k g A (1 - A) - c (A - A_m)+, g = C / (C + K)
/// (mechanisms.anti_car_contraction; off: g = 1 and c = 0). It is remembered: a later infusion of any
/// product with the same binder meets it as it is, a product with another binder has its own.
/// Lymphodepletion removes its share of the responding cells. The state holds the log-odds
/// y = ln(A / (1 - A)), for which the law is dy/dt = k g - c (A - A_m)+ / (A (1 - A)): exact for the
/// solver, also while A is far below its absolute tolerance.
enum class AntiCarPool { LogOdds, Count };

class AntiCarRoom {
public:
    static constexpr std::array<Flow<AntiCarPool>, 2> kChart{{
        {std::nullopt, AntiCarPool::LogOdds, "expansion of the primed response driven by its antigen (log-odds per day)"},
        {AntiCarPool::LogOdds, std::nullopt, "contraction towards memory without antigen (log-odds per day)"},
    }};
    AntiCarRoom(const tcells::EndogenousTParams& params, bool contraction)
        : expansion_rate_per_day_(params.anti_car_expansion_rate_per_day),
          contraction_rate_per_day_(params.anti_car_contraction_rate_per_day),
          memory_fraction_(params.anti_car_memory_fraction),
          half_saturation_cells_(params.anti_car_antigen_half_saturation_cells),
          contraction_(contraction) {}
    /// The two flows of one binder's log-odds y, with `antigen` CAR-T cells carrying that binder.
    std::array<double, kChart.size()> amounts(double log_odds, double antigen) const;
    /// primed[b]: has binder b met the host yet (before that the response is 0 and does not grow);
    /// binder_of[p]: the binder of CAR-T product p.
    void flows(const State& x, const StateLayout& layout, const std::vector<bool>& primed,
               const std::vector<std::size_t>& binder_of, State& dxdt) const;
    /// The response A of a binder with log-odds y.
    static double response(double log_odds, bool primed) { return primed ? 1.0 / (1.0 + std::exp(-log_odds)) : 0.0; }
    /// Log-odds at priming: the logistic then reaches half its maximum onset_days later.
    double primed_log_odds(double onset_days) const { return -expansion_rate_per_day_ * onset_days; }

private:
    double expansion_rate_per_day_;
    double contraction_rate_per_day_;
    double memory_fraction_;
    double half_saturation_cells_;
    bool contraction_;
};

/// Bispecific pharmacokinetics, per drug: subcutaneous depot -> central compartment <-> peripheral
/// compartment, cleared from the central one, solved exactly (drugs::pk_after). The state holds the
/// amounts right after the last dose, its day and the interval's clearance (BispecificPool); they change
/// only at doses, so the room adds no flows to the right-hand side.
class DrugRoom {
public:
    explicit DrugRoom(const TherapySlots& slots) : slots_(slots.bispecific) {}
    /// Depot and central amounts [mg] of a drug at time t [day] (t not before its last dose).
    drugs::PkAmounts amounts(const State& x, const StateLayout& layout, std::size_t drug, double t) const;
    /// A dose at time t, `days_on_drug` after the line's first dose: `added` goes on top of the amounts
    /// at t, which become the new reference, and the clearance of the interval it opens is fixed.
    void dose(State& x, const StateLayout& layout, std::size_t drug, double t, drugs::PkAmounts added,
              double days_on_drug) const;
    /// Free concentration [ug/mL] of a drug at time t.
    double concentration_ug_per_ml(const State& x, const StateLayout& layout, std::size_t drug, double t) const;

private:
    std::vector<BispecificSlot> slots_;
};

}  // namespace cartsim::patient
