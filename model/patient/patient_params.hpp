#pragma once
// One virtual patient: every biological parameter of the model, grouped by room.

#include <string>
#include <vector>

#include "model/common/describe.hpp"
#include "model/myeloid/macrophage_params.hpp"
#include "model/tcells/endogenous_params.hpp"
#include "model/tumour/tumour_params.hpp"

namespace cartsim::patient {

/// Soluble BCMA shed by gamma-secretase; a decoy for BCMA binders.
struct SolubleBcmaParams {
    double shedding_ng_per_ml_per_molecule_day = 1.0e-13;
    double clearance_rate_per_day = 0.7;
    double decoy_half_effect_ng_per_ml = 100.0;
};

template <class V>
void describe(SolubleBcmaParams& p, V& v) {
    v.field("shedding_ng_per_ml_per_molecule_day", p.shedding_ng_per_ml_per_molecule_day,
            nonnegative("ng/mL/day per surface molecule",
                        "fitted so that 3e11 cells at 670 molecules/cell give about 30 ng/mL (median 32.6 ng/mL in "
                        "relapsed myeloma, conference report)",
                        "shedding per surface BCMA molecule"));
    v.field("clearance_rate_per_day", p.clearance_rate_per_day,
            nonnegative("1/day", "Singh et al. 2021 (Kb = 0.7/day)", "first-order clearance"));
    v.field("decoy_half_effect_ng_per_ml", p.decoy_half_effect_ng_per_ml,
            bounded("ng/mL", "assumed", "K_decoy: soluble BCMA halving BCMA recognition", 1e-9, kInf));
}

/// Cytokine/inflammation index driven by killing; basis of the CRS-risk readout.
struct InflammationParams {
    double production_per_kill = 1.0e-10;
    double clearance_rate_per_day = 1.0;
    std::vector<double> crs_grade_thresholds{0.3, 1.5, 5.0, 15.0};
};

template <class V>
void describe(InflammationParams& p, V& v) {
    v.field("production_per_kill", p.production_per_kill,
            nonnegative("index/cell killed", "assumed, see calibration", "inflammation per tumour cell killed"));
    v.field("clearance_rate_per_day", p.clearance_rate_per_day,
            nonnegative("1/day", "assumed (cytokine half-lives of hours to a day)", "first-order decay"));
    v.field("crs_grade_thresholds", p.crs_grade_thresholds,
            nonnegative("index", "assumed, to be calibrated to CRS rates (KarMMa 84% any / 5% grade>=3)",
                        "peak inflammation at which CRS grades 1, 2, 3, 4 begin"));
}

/// M-protein produced by tumour cells.
struct MProteinParams {
    double initial_g_per_dl = 3.0;
    double half_life_days = 21.0;
    double detection_limit_g_per_dl = 0.01;
};

template <class V>
void describe(MProteinParams& p, V& v) {
    v.field("initial_g_per_dl", p.initial_g_per_dl,
            bounded("g/dL", "assumed (typical measurable disease)", "M-protein at day 0 (sets production per cell)",
                    1e-6, 20.0));
    v.field("half_life_days", p.half_life_days,
            bounded("day", "IgG half-life about 21 days (Waldmann and Strober, Prog Allergy 1969)", "M-protein elimination half-life", 1e-3, 1e3));
    v.field("detection_limit_g_per_dl", p.detection_limit_g_per_dl,
            nonnegative("g/dL", "assumed (immunofixation sensitivity)", "below this M-protein is undetectable"));
}

/// Lymphodepletion (fludarabine/cyclophosphamide) before CAR-T.
struct LymphodepletionParams {
    double days_before_infusion = 3.0;
    double t_cell_depletion_fraction = 0.9;
    double tumour_kill_fraction = 0.05;
    double cytokine_half_life_days = 7.0;
};

template <class V>
void describe(LymphodepletionParams& p, V& v) {
    v.field("days_before_infusion", p.days_before_infusion,
            nonnegative("day", "KarMMa/CARTITUDE-1 (days -5 to -3; modelled at the last day)",
                        "lymphodepletion, days before infusion"));
    v.field("t_cell_depletion_fraction", p.t_cell_depletion_fraction,
            fraction("assumed", "share of endogenous T cells and earlier CAR-T removed"));
    v.field("tumour_kill_fraction", p.tumour_kill_fraction,
            fraction("assumed", "share of tumour cells killed by the chemotherapy"));
    v.field("cytokine_half_life_days", p.cytokine_half_life_days,
            bounded("day", "assumed", "half-life of the homeostatic cytokine surge (IL-7/IL-15)", 1e-3, 1e3));
}

struct PatientParams {
    double weight_kg = 75.0;
    double blood_volume_l = 5.0;
    double background_mortality_per_year = 0.03;
    tumour::TumourParams tumour{};
    tcells::EndogenousTParams t_cells{};
    myeloid::MacrophageParams macrophages{};
    SolubleBcmaParams soluble_bcma{};
    InflammationParams inflammation{};
    MProteinParams mprotein{};
    LymphodepletionParams lymphodepletion{};
};

template <class V>
void describe(PatientParams& p, V& v) {
    v.field("weight_kg", p.weight_kg, bounded("kg", "assumed (adult)", "body weight, for mg/kg doses", 1.0, 400.0));
    v.field("blood_volume_l", p.blood_volume_l, bounded("L", "assumed (adult)", "blood volume", 0.1, 20.0));
    v.field("background_mortality_per_year", p.background_mortality_per_year,
            nonnegative("1/year", "assumed", "hazard of death not caused by tumour burden"));
    v.section("tumour", p.tumour);
    v.section("t_cells", p.t_cells);
    v.section("macrophages", p.macrophages);
    v.section("soluble_bcma", p.soluble_bcma);
    v.section("inflammation", p.inflammation);
    v.section("mprotein", p.mprotein);
    v.section("lymphodepletion", p.lymphodepletion);
}

std::vector<std::string> validate(const PatientParams& p);

}  // namespace cartsim::patient
