#pragma once
// Singh et al. 2021: anti-BCMA CAR-T (ide-cel) multiscale PK/PD, as in REFERENCE_MODELS.md section 1.
// States are concentrations in blood (volume Vb) and marrow (volume Vm); time in days.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/common/describe.hpp"

namespace cartsim::reference {

inline constexpr std::string_view kSingh2021Near =
    "assumed: within 10x of the published estimate (Singh et al. 2021)";
inline constexpr std::string_view kSingh2021Source = "Singh et al. 2021, CPT Pharmacometrics Syst Pharmacol 10:362";

/// Published values; the paper's symbol is named in each field's description.
struct Singh2021Params {
    double blood_to_marrow_rate_per_day = 1.71;
    double marrow_to_blood_rate_per_day = 0.176;
    double blood_volume_l = 5.0;
    double marrow_volume_l = 3.65;
    double effector_elimination_rate_per_day = 113.0;
    double memory_elimination_rate_per_day = 0.219;
    double max_expansion_rate_per_day = 1.73;
    double expansion_ec50_complexes_per_cell = 10.0;
    double memory_conversion_rate_per_day = 2.0e-5;
    double car_density_molecules_per_cell = 15000.0;
    double bcma_density_molecules_per_cell = 12590.0;
    double max_kill_rate_per_day = 0.343;
    double kill_kc50_complexes_per_cell = 2.24;
    double kon_l_per_molecule_per_day = 1.0189e-14;  // 7.103e4 /(M s) * 86400 s/day / 6.023e23 /mol
    double koff_per_day = 206.06;                    // 2.385e-3 /s * 86400 s/day
    double tumour_growth_rate_per_day = 0.008;
    double mprotein_production_pg_per_l_per_day = 3.025e10;  // 12.1 pg/cell/day * T0
    double mprotein_exponent = 0.215;
    double mprotein_elimination_rate_per_day = 0.117;
    double sbcma_production_ng_per_ml_per_day = 437.5;  // 0.175 pg/cell/day * T0 * 1e-6 (pg/L -> ng/mL)
    double sbcma_exponent = 1.0;
    double sbcma_elimination_rate_per_day = 0.7;
    double baseline_tumour_cells_per_l = 2.5e9;
    double transgene_copies_per_ug_per_cells_per_l = 0.002;
};

template <class V>
void describe(Singh2021Params& p, V& v) {
    const std::string_view src = kSingh2021Source;
    // Plausible unless stated otherwise: within 10x of the published estimate (100x off warns).
    static constexpr Singh2021Params published{};
    const auto near = [](FieldInfo info, double estimate) {
        return info.plausible(estimate / 10.0, estimate * 10.0, kSingh2021Near);
    };
    v.field("blood_to_marrow_rate_per_day", p.blood_to_marrow_rate_per_day,
            near(nonnegative("1/day", src, "K12: CAR-T distribution from blood to marrow"),
                 published.blood_to_marrow_rate_per_day));
    v.field("marrow_to_blood_rate_per_day", p.marrow_to_blood_rate_per_day,
            near(nonnegative("1/day", src, "K21: CAR-T redistribution from marrow to blood"),
                 published.marrow_to_blood_rate_per_day));
    v.field("blood_volume_l", p.blood_volume_l,
            nonnegative("L", src, "Vb: blood volume")
                .plausible(3.0, 8.0, "adult blood volume about 65-75 mL/kg (Nadler et al., Surgery 1962)"));
    v.field("marrow_volume_l", p.marrow_volume_l,
            near(nonnegative("L", src, "Vm: bone marrow volume"), published.marrow_volume_l));
    v.field("effector_elimination_rate_per_day", p.effector_elimination_rate_per_day,
            near(nonnegative("1/day", src, "Kel_e: elimination of effector CAR-T from blood"),
                 published.effector_elimination_rate_per_day));
    v.field("memory_elimination_rate_per_day", p.memory_elimination_rate_per_day,
            near(nonnegative("1/day", src, "Kel_m: elimination of memory CAR-T from blood"),
                 published.memory_elimination_rate_per_day));
    v.field("max_expansion_rate_per_day", p.max_expansion_rate_per_day,
            near(nonnegative("1/day", src, "Kexp_max: maximal antigen-driven expansion of marrow effectors"),
                 published.max_expansion_rate_per_day));
    v.field("expansion_ec50_complexes_per_cell", p.expansion_ec50_complexes_per_cell,
            near(nonnegative("complexes/CAR-T cell", src, "EC50: CAR-BCMA complexes per CAR-T cell for half expansion"),
                 published.expansion_ec50_complexes_per_cell));
    v.field("memory_conversion_rate_per_day", p.memory_conversion_rate_per_day,
            near(nonnegative("1/day", src, "Rm: effector to memory conversion in marrow"),
                 published.memory_conversion_rate_per_day));
    v.field("car_density_molecules_per_cell", p.car_density_molecules_per_cell,
            near(nonnegative("molecules/cell", src, "A_CAR: CAR molecules per CAR-T cell"),
                 published.car_density_molecules_per_cell));
    v.field("bcma_density_molecules_per_cell", p.bcma_density_molecules_per_cell,
            near(nonnegative("molecules/cell", src, "A_BCMA: BCMA molecules per myeloma cell"),
                 published.bcma_density_molecules_per_cell));
    v.field("max_kill_rate_per_day", p.max_kill_rate_per_day,
            near(nonnegative("1/day", src, "Kkill_max: maximal killing rate of myeloma cells"),
                 published.max_kill_rate_per_day));
    v.field("kill_kc50_complexes_per_cell", p.kill_kc50_complexes_per_cell,
            near(nonnegative("complexes/tumour cell", src, "KC50: complexes per myeloma cell for half-maximal killing"),
                 published.kill_kc50_complexes_per_cell));
    v.field("kon_l_per_molecule_per_day", p.kon_l_per_molecule_per_day,
            near(nonnegative("L/(molecule day)", src, "kon: CAR-BCMA association, 7.103e4 /(M s) converted"),
                 published.kon_l_per_molecule_per_day));
    v.field("koff_per_day", p.koff_per_day,
            near(nonnegative("1/day", src, "koff: CAR-BCMA dissociation, 2.385e-3 /s"), published.koff_per_day));
    v.field("tumour_growth_rate_per_day", p.tumour_growth_rate_per_day,
            near(nonnegative("1/day", src, "Kg: myeloma net growth rate"), published.tumour_growth_rate_per_day));
    v.field("mprotein_production_pg_per_l_per_day", p.mprotein_production_pg_per_l_per_day,
            near(nonnegative("pg/L/day", src, "Pm: M-protein production at baseline burden (12.1 pg/cell/day x T0)"),
                 published.mprotein_production_pg_per_l_per_day));
    v.field("mprotein_exponent", p.mprotein_exponent,
            near(nonnegative("-", src, "gm: M-protein production scales as (T/T0)^gm"), published.mprotein_exponent));
    v.field("mprotein_elimination_rate_per_day", p.mprotein_elimination_rate_per_day,
            near(nonnegative("1/day", src, "Km: M-protein elimination"), published.mprotein_elimination_rate_per_day));
    v.field("sbcma_production_ng_per_ml_per_day", p.sbcma_production_ng_per_ml_per_day,
            near(nonnegative("ng/mL/day", src, "Pb: soluble BCMA shedding at baseline burden (0.175 pg/cell/day x T0)"),
                 published.sbcma_production_ng_per_ml_per_day));
    v.field("sbcma_exponent", p.sbcma_exponent,
            near(nonnegative("-", src, "gb: soluble BCMA production scales as (T/T0)^gb"), published.sbcma_exponent));
    v.field("sbcma_elimination_rate_per_day", p.sbcma_elimination_rate_per_day,
            near(nonnegative("1/day", src, "Kb: soluble BCMA elimination"), published.sbcma_elimination_rate_per_day));
    v.field("baseline_tumour_cells_per_l", p.baseline_tumour_cells_per_l,
            near(nonnegative("cells/L", src, "T0: marrow myeloma cells at infusion (also the initial state)"),
                 published.baseline_tumour_cells_per_l));
    v.field(
        "transgene_copies_per_ug_per_cells_per_l", p.transgene_copies_per_ug_per_cells_per_l,
        near(nonnegative("copies/ug per cells/L", src, "TransC: blood transgene level per blood CAR-T concentration"),
             published.transgene_copies_per_ug_per_cells_per_l));
}

/// Problems the field ranges cannot express (strictly positive divisors); empty when valid.
std::vector<std::string> validate(const Singh2021Params& p);

enum class Singh2021State {
    EffectorBlood,    // cells/L
    MemoryBlood,      // cells/L
    EffectorMarrow,   // cells/L
    MemoryMarrow,     // cells/L
    ComplexesMarrow,  // CAR-BCMA complexes/L
    TumourMarrow,     // cells/L
    MProtein,         // pg/L
    SolubleBcma,      // ng/mL
    Count
};
inline constexpr std::size_t kSingh2021StateCount = static_cast<std::size_t>(Singh2021State::Count);
constexpr std::size_t index(Singh2021State s) { return static_cast<std::size_t>(s); }
using Singh2021Vector = std::array<double, kSingh2021StateCount>;

/// Output columns of timeseries.csv (after time_day), in REFERENCE_MODELS.md order.
inline constexpr std::array<std::string_view, 9> kSingh2021Columns{"cart_effector_blood_cells_per_l",
                                                                   "cart_memory_blood_cells_per_l",
                                                                   "cart_effector_marrow_cells_per_l",
                                                                   "cart_memory_marrow_cells_per_l",
                                                                   "complexes_marrow_per_l",
                                                                   "tumour_marrow_cells_per_l",
                                                                   "mprotein_pg_per_l",
                                                                   "sbcma_ng_per_ml",
                                                                   "transgene_copies_per_ug"};
using Singh2021Outputs = std::array<double, kSingh2021Columns.size()>;

/// Marrow effector concentration at t = 0 [cells/L], as published; the dose goes to blood.
inline constexpr double kSingh2021InitialMarrowEffectorCellsPerL = 1.0e-6;

class Singh2021Model {
public:
    explicit Singh2021Model(const Singh2021Params& params) : p_(params) {}

    /// dx/dt [state units per day]; State is std::array or std::vector of kSingh2021StateCount.
    template <class State>
    void operator()(const State& x, State& dxdt, double t) const;

    /// Row-major d(dx_i/dt)/dx_j; resizes jacobian to n x n. The system is autonomous.
    void jacobian(const std::vector<double>& x, std::vector<double>& jacobian, double t) const;

    /// Dose [cells] into blood; tumour, M-protein and sBCMA at their baseline steady state.
    Singh2021Vector initial_state(double dose_cells) const;

    Singh2021Outputs outputs(std::span<const double> x) const;

    const Singh2021Params& params() const { return p_; }

private:
    Singh2021Params p_;
};

/// base^exponent; the published sBCMA exponent is 1, and pow dominates the cost of the RHS.
inline double singh2021_power(double base, double exponent) {
    return exponent == 1.0 ? base : std::pow(base, exponent);
}

template <class State>
void Singh2021Model::operator()(const State& x, State& dxdt, double /*t*/) const {
    using S = Singh2021State;
    const double effector_blood = x[index(S::EffectorBlood)];
    const double memory_blood = x[index(S::MemoryBlood)];
    const double effector_marrow = x[index(S::EffectorMarrow)];
    const double memory_marrow = x[index(S::MemoryMarrow)];
    const double complexes = x[index(S::ComplexesMarrow)];
    const double tumour = x[index(S::TumourMarrow)];
    const double cart_marrow = effector_marrow + memory_marrow;

    // Saturating stimulation and killing; with no cells there is no contact (0/0 taken as 0).
    const double complexes_per_cart = cart_marrow > 0.0 ? complexes / cart_marrow : 0.0;
    const double complexes_per_tumour = tumour > 0.0 ? complexes / tumour : 0.0;
    const double expansion_rate = p_.max_expansion_rate_per_day * complexes_per_cart /
                                  (p_.expansion_ec50_complexes_per_cell + complexes_per_cart);
    const double kill_rate =
        p_.max_kill_rate_per_day * complexes_per_tumour / (p_.kill_kc50_complexes_per_cell + complexes_per_tumour);

    // Cell flows [cells/day], so that trafficking and differentiation conserve cells by construction.
    const double vb = p_.blood_volume_l;
    const double vm = p_.marrow_volume_l;
    const double effector_to_marrow = p_.blood_to_marrow_rate_per_day * effector_blood * vb;
    const double memory_to_marrow = p_.blood_to_marrow_rate_per_day * memory_blood * vb;
    const double effector_to_blood = p_.marrow_to_blood_rate_per_day * effector_marrow * vm;
    const double memory_to_blood = p_.marrow_to_blood_rate_per_day * memory_marrow * vm;
    const double effector_to_memory = p_.memory_conversion_rate_per_day * effector_marrow * vm;

    dxdt[index(S::EffectorBlood)] =
        (effector_to_blood - effector_to_marrow) / vb - p_.effector_elimination_rate_per_day * effector_blood;
    dxdt[index(S::MemoryBlood)] =
        (memory_to_blood - memory_to_marrow) / vb - p_.memory_elimination_rate_per_day * memory_blood;
    dxdt[index(S::EffectorMarrow)] =
        (effector_to_marrow - effector_to_blood - effector_to_memory) / vm + expansion_rate * effector_marrow;
    dxdt[index(S::MemoryMarrow)] = (memory_to_marrow - memory_to_blood + effector_to_memory) / vm;

    const double free_car_per_l = cart_marrow * p_.car_density_molecules_per_cell - complexes;
    const double free_bcma_per_l = tumour * p_.bcma_density_molecules_per_cell - complexes;
    dxdt[index(S::ComplexesMarrow)] =
        p_.kon_l_per_molecule_per_day * free_car_per_l * free_bcma_per_l - p_.koff_per_day * complexes;
    dxdt[index(S::TumourMarrow)] = (p_.tumour_growth_rate_per_day - kill_rate) * tumour;

    // A negative tumour from round-off must not turn the power laws into NaN.
    const double relative_burden = std::max(tumour, 0.0) / p_.baseline_tumour_cells_per_l;
    dxdt[index(S::MProtein)] =
        p_.mprotein_production_pg_per_l_per_day * singh2021_power(relative_burden, p_.mprotein_exponent) -
        p_.mprotein_elimination_rate_per_day * x[index(S::MProtein)];
    dxdt[index(S::SolubleBcma)] =
        p_.sbcma_production_ng_per_ml_per_day * singh2021_power(relative_burden, p_.sbcma_exponent) -
        p_.sbcma_elimination_rate_per_day * x[index(S::SolubleBcma)];
}

}  // namespace cartsim::reference
