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
    double molecular_weight_kda = 5.4;
};

template <class V>
void describe(SolubleBcmaParams& p, V& v) {
    v.field("shedding_ng_per_ml_per_molecule_day", p.shedding_ng_per_ml_per_molecule_day,
            nonnegative("ng/mL/day per surface molecule",
                        "fitted so that 3e11 cells at 670 molecules/cell give about 30 ng/mL (median 32.6 ng/mL in "
                        "relapsed myeloma, conference report)",
                        "shedding per surface BCMA molecule")
                .plausible(1e-14, 1e-12,
                           "serum soluble BCMA of about 10-300 ng/mL in active myeloma (Ghermezi et al., "
                           "Haematologica 2017) at the default burden and density"));
    v.field("clearance_rate_per_day", p.clearance_rate_per_day,
            nonnegative("1/day", "Singh et al. 2021 (Kb = 0.7/day)", "first-order clearance")
                .plausible(0.1, 5.0, "assumed around Singh et al. 2021 (0.7/day, a half-life of about a day)"));
    v.field(
        "decoy_half_effect_ng_per_ml", p.decoy_half_effect_ng_per_ml,
        bounded("ng/mL", "assumed", "K_decoy: soluble BCMA halving BCMA recognition", 1e-9, kInf)
            .plausible(10.0, 1000.0, "assumed (within the measured range of soluble BCMA, tens to hundreds of ng/mL)"));
    v.field("molecular_weight_kda", p.molecular_weight_kda,
            bounded("kDa", "Hibma et al., Clin Pharmacokinet 2026 (Section 2.2: 5.4 kDa)",
                    "molecular weight of the shed fragment, to convert ng/mL to nM (mechanisms.arm_occupancy)", 0.1,
                    1000.0)
                .plausible(3.0, 30.0, "the shed extracellular domain of BCMA, about 5-6 kDa"));
}

/// Cytokine/inflammation index driven by killing; basis of the CRS-risk readout.
struct InflammationParams {
    double production_per_kill = 1.0e-10;
    double clearance_rate_per_day = 1.0;
    std::vector<double> crs_grade_thresholds{0.3, 1.5, 5.0, 15.0};
    double production_per_activated_t_cell_day = 1.0e-10;
    double desensitisation_per_index_day = 0.2;
    double desensitisation_recovery_half_life_days = 14.0;
};

template <class V>
void describe(InflammationParams& p, V& v) {
    v.field("production_per_kill", p.production_per_kill,
            nonnegative("index/cell killed", "assumed, see calibration", "inflammation per tumour cell killed")
                .plausible(1e-12, 1e-8, "assumed"));
    v.field("clearance_rate_per_day", p.clearance_rate_per_day,
            nonnegative("1/day", "assumed (cytokine half-lives of hours to a day)", "first-order decay")
                .plausible(0.5, 20.0, "assumed (cytokine half-lives of about 1 hour to 1 day)"));
    v.field("crs_grade_thresholds", p.crs_grade_thresholds,
            nonnegative("index", "assumed, to be calibrated to CRS rates (KarMMa 84% any / 5% grade>=3)",
                        "peak inflammation at which CRS grades 1, 2, 3, 4 begin")
                .plausible(0.1, 100.0,
                           "assumed (index units); grades 1 and 3 fitted to 2.1 and 8.9, searched over 0.1-3.9 and "
                           "4.1-14.9 (scenarios/calibration/crs.yaml)"));
    v.field("production_per_activated_t_cell_day", p.production_per_activated_t_cell_day,
            nonnegative("index/(cell day)",
                        "assumed: an activated T cell releases per day what one kill releases (production_per_kill's "
                        "default); to be fitted in the recalibration",
                        "mechanisms.activation_cytokines: inflammation per day from each T cell activated by its "
                        "target, a CAR-T effector stimulated by antigen or a T cell bridged by an engager")
                .plausible(1e-12, 1e-8, "assumed"));
    v.field("desensitisation_per_index_day", p.desensitisation_per_index_day,
            nonnegative("1/(index day)",
                        "assumed (cytokine-releasing myeloid cells turn refractory after exposure, as in endotoxin "
                        "tolerance: Biswas and Lopez-Collazo, Trends Immunol 2009)",
                        "mechanisms.activation_cytokines: rate at which inflammation makes the release refractory")
                .plausible(0.01, 10.0, "assumed"));
    v.field("desensitisation_recovery_half_life_days", p.desensitisation_recovery_half_life_days,
            bounded("day",
                    "assumed: weeks (the teclistamab and elranatamab labels restart step-up dosing after a gap of "
                    "weeks)",
                    "mechanisms.activation_cytokines: half-life of the refractory state", 1e-3, 1e4)
                .plausible(2.0, 60.0, "assumed"));
}

/// M-protein produced by tumour cells.
struct MProteinParams {
    double initial_g_per_dl = 3.0;
    double half_life_days = 21.0;
    double unprotected_half_life_days = 7.2;
    double fcrn_half_saturation_g_per_dl = 2.65;
    double polyclonal_igg_g_per_dl = 0.5;
    double detection_limit_g_per_dl = 0.01;
};

template <class V>
void describe(MProteinParams& p, V& v) {
    v.field("initial_g_per_dl", p.initial_g_per_dl,
            bounded("g/dL", "assumed (typical measurable disease)", "M-protein at day 0 (sets production per cell)",
                    1e-6, 20.0)
                .plausible(0.5, 10.0,
                           "IMWG measurable disease: serum M-protein >= 0.5 g/dL (Kumar et al., Lancet Oncol 2016); "
                           "rarely above 10 g/dL"));
    constexpr std::string_view kWaldmann =
        "fitted: IgG half-lives of about 70, 23 and 11 days at 0.3, 1.2 and 5 g/dL total IgG (Waldmann and "
        "Strober, Prog Allergy 1969) give k = ln2/7.2 d x Q/(2.65 g/dL + Q) within 2%";
    v.field("unprotected_half_life_days", p.unprotected_half_life_days,
            bounded("day", kWaldmann, "IgG half-life when FcRn is saturated (mechanisms.fcrn_saturation)", 0.1, 100.0)
                .plausible(3.0, 15.0, "assumed: FcRn-deficient patients and mice catabolise IgG within days (Wani et al., PNAS 2006)"));
    v.field("fcrn_half_saturation_g_per_dl", p.fcrn_half_saturation_g_per_dl,
            bounded("g/dL", kWaldmann, "total IgG at which the catabolic rate is half its unprotected value", 1e-3, 100.0)
                .plausible(1.0, 10.0, kWaldmann));
    v.field("polyclonal_igg_g_per_dl", p.polyclonal_igg_g_per_dl,
            bounded("g/dL", "assumed: immunoparesis in active myeloma (normal IgG 0.7-1.6 g/dL)",
                    "normal IgG beside the M-protein, which shares the FcRn receptors", 0.0, 5.0)
                .plausible(0.1, 1.6, "normal IgG 0.7-1.6 g/dL; lower in immunoparesis (assumed)"));
    v.field("half_life_days", p.half_life_days,
            bounded("day", "IgG half-life about 21 days (Waldmann and Strober, Prog Allergy 1969)",
                    "M-protein half-life when mechanisms.fcrn_saturation is off", 1e-3, 1e3)
                .plausible(5.0, 30.0, "IgG about 21 days, IgA about 6 days (Waldmann and Strober, Prog Allergy 1969)"));
    v.field("detection_limit_g_per_dl", p.detection_limit_g_per_dl,
            nonnegative("g/dL", "assumed (immunofixation sensitivity)", "below this M-protein is undetectable")
                .plausible(0.001, 0.1, "assumed (immunofixation detects about 0.01-0.05 g/dL)"));
}

/// Lymphodepletion (fludarabine/cyclophosphamide) before CAR-T.
struct LymphodepletionParams {
    double days_before_infusion = 3.0;
    double t_cell_depletion_fraction = 0.9;
    double tumour_kill_fraction = 0.05;
    double cytokine_half_life_days = 7.0;
    double cytokine_fold_without_lymphocytes = 10.0;
};

template <class V>
void describe(LymphodepletionParams& p, V& v) {
    v.field("days_before_infusion", p.days_before_infusion,
            nonnegative("day", "KarMMa/CARTITUDE-1 (days -5 to -3; modelled at the last day)",
                        "lymphodepletion, days before infusion")
                .plausible(2.0, 7.0,
                           "labels: flu/cy on days -5 to -3 (ide-cel, KarMMa), 5-7 days before infusion (cilta-cel, "
                           "CARTITUDE-1)"));
    v.field("t_cell_depletion_fraction", p.t_cell_depletion_fraction,
            fraction("assumed", "share of endogenous T cells and earlier CAR-T removed")
                .plausible(0.5, 0.99, "assumed (flu/cy leaves lymphocyte counts near zero for days)"));
    v.field("tumour_kill_fraction", p.tumour_kill_fraction,
            fraction("assumed", "share of tumour cells killed by the chemotherapy")
                .plausible(0.0, 0.3, "assumed (low-dose chemotherapy: a small share)"));
    v.field("cytokine_half_life_days", p.cytokine_half_life_days,
            bounded("day", "assumed", "half-life of the homeostatic cytokine surge (IL-7/IL-15)", 1e-3, 1e3)
                .plausible(2.0, 21.0, "assumed (IL-15 peaks in the first week after flu/cy and falls over weeks)"));
    v.field("cytokine_fold_without_lymphocytes", p.cytokine_fold_without_lymphocytes,
            bounded("fold", "assumed: flu/cy raises serum IL-15 several-fold (Kochenderfer et al., JCO 2017, rise without "
                            "a fold used here); 90% depletion then gives 10 / 1.9 = 5.3-fold",
                    "mechanisms.cytokine_space: IL-7/IL-15 level with no lymphocytes left, relative to the level at the "
                    "homeostatic T-cell count (lymphocytes are its sink: Gattinoni et al., J Exp Med 2005)",
                    1.0 + 1e-6, 1e4)
                .plausible(2.0, 50.0, "assumed"));
}

/// What a CAR's design does to its cells in this host, by design category (not by product).
struct CarDesignParams {
    double cd28_memory_death_factor = 5.0;
    double memory_loss_exponent = 0.75;
    double memory_loss_from_day = 42.0;
};

template <class V>
void describe(CarDesignParams& p, V& v) {
    v.field("cd28_memory_death_factor", p.cd28_memory_death_factor,
            bounded("-",
                    "assumed from CD19 products, the only ones with both domains (both approved BCMA products are "
                    "4-1BB): CD28 CAR-T persist about 14-28 days (Lee et al., Lancet 2015; Wang et al., Blood 2016), "
                    "4-1BB CAR-T months (a median 168 days in responding children with ALL, 289 days in responding "
                    "adults with DLBCL); 4-1BB favours central memory (Kawalekar et al., Immunity 2016)",
                    "mechanisms.costimulation_kinetics: death of memory CAR-T cells of a CD28 product relative to a "
                    "4-1BB one",
                    1e-3, 1e3)
                .plausible(1.0, 20.0, "assumed (persistence about 6-12 times shorter with CD28)"));
    v.field("memory_loss_exponent", p.memory_loss_exponent,
            bounded("-",
                    "Zarnitsyna et al., PLoS Comput Biol 2021 (yellow-fever-specific memory CD8 T cells in people fall "
                    "as time^-0.75 for decades after vaccination; their division settles near 0.001/day within a year, "
                    "Akondy et al., Nature 2017)",
                    "mechanisms.memory_longevity: a in the natural loss a / max(days since infusion, "
                    "memory_loss_from_day) of memory CAR-T cells [1/day]",
                    0.0, 10.0)
                .plausible(0.3, 1.5, "assumed around Zarnitsyna et al. 2021 (0.75)"));
    v.field("memory_loss_from_day", p.memory_loss_from_day,
            bounded("day",
                    "Zarnitsyna et al., PLoS Comput Biol 2021 (their fits start 42 days after vaccination, after the "
                    "contraction); the loss is held at its day-42 value before (assumed)",
                    "mechanisms.memory_longevity: days after infusion before which the natural memory loss stays at "
                    "memory_loss_exponent / memory_loss_from_day",
                    1.0, 1e4)
                .plausible(14.0, 120.0, "assumed (memory forms in the weeks after the expansion peak)"));
}

struct PatientParams {
    double weight_kg = 75.0;
    double blood_volume_l = 5.0;
    double blood_leukocytes_per_ul = 4000.0;
    double background_mortality_per_year = 0.03;
    tumour::TumourParams tumour{};
    tcells::EndogenousTParams t_cells{};
    myeloid::MacrophageParams macrophages{};
    SolubleBcmaParams soluble_bcma{};
    InflammationParams inflammation{};
    MProteinParams mprotein{};
    LymphodepletionParams lymphodepletion{};
    CarDesignParams car_design{};
};

template <class V>
void describe(PatientParams& p, V& v) {
    v.field("weight_kg", p.weight_kg,
            bounded("kg", "assumed (adult)", "body weight, for mg/kg doses", 1.0, 400.0)
                .plausible(40.0, 160.0, "assumed (adult patients)"));
    v.field("blood_volume_l", p.blood_volume_l,
            bounded("L", "assumed (adult)", "blood volume", 0.1, 20.0)
                .plausible(3.0, 8.0, "adult blood volume about 65-75 mL/kg (Nadler et al., Surgery 1962)"));
    v.field("blood_leukocytes_per_ul", p.blood_leukocytes_per_ul,
            bounded("cells/uL", "assumed: low-normal count after lymphodepletion recovers (normal 4,000-11,000/uL)",
                    "nucleated blood cells whose DNA the CAR-T qPCR measures (copies per ug of DNA)", 10.0, 1e6)
                .plausible(500.0, 15000.0, "assumed: lymphodepleted to normal leukocyte counts"));
    v.field(
        "background_mortality_per_year", p.background_mortality_per_year,
        nonnegative("1/year", "assumed", "hazard of death not caused by tumour burden")
            .plausible(0.0, 0.2, "assumed (general-population mortality of about 0.5-7%/year at ages 50-80; 0: off)"));
    v.section("tumour", p.tumour);
    v.section("t_cells", p.t_cells);
    v.section("macrophages", p.macrophages);
    v.section("soluble_bcma", p.soluble_bcma);
    v.section("inflammation", p.inflammation);
    v.section("mprotein", p.mprotein);
    v.section("lymphodepletion", p.lymphodepletion);
    v.section("car_design", p.car_design);
}

std::vector<std::string> validate(const PatientParams& p);

/// Switches (YAML `mechanisms:`, every one on by default) of the mechanisms of the patient-level parameters here (shed BCMA, lymphodepletion and its cytokines, inflammation, M-protein, CAR design, mortality): each is declared
/// beside the parameters it uses; patient/mechanisms.hpp gathers them.
struct PatientMechanisms {
    bool soluble_bcma = true;
    bool lymphodepletion_boost = true;
    bool cytokine_space = true;
    bool activation_cytokines = true;
    bool fcrn_saturation = true;
    bool costimulation_kinetics = true;
    bool memory_longevity = true;
    bool background_mortality = true;
};

template <class V>
void describe(PatientMechanisms& m, V& v) {
    v.field("soluble_bcma", m.soluble_bcma, FieldInfo{"", "Ghermezi et al., Haematologica 2017 (shed BCMA); decoy strength assumed", "shed BCMA acts as a decoy"});
    v.field("lymphodepletion_boost", m.lymphodepletion_boost,
            FieldInfo{"", "assumed", "homeostatic cytokines after lymphodepletion expand CAR-T"});
    v.field("cytokine_space", m.cytokine_space,
            FieldInfo{"", "Gattinoni et al., J Exp Med 2005 (lymphocytes are the sink of IL-7/IL-15); Kochenderfer et al., "
                          "JCO 2017 (IL-15 after flu/cy goes with CAR-T expansion)",
                      "the homeostatic cytokines are produced at a steady rate and consumed by every lymphocyte (endogenous "
                      "T cells and CAR-T), so lymphodepletion depth and the infused dose set the surge (off: a fixed surge "
                      "at lymphodepletion that decays with its half-life)"});
    v.field("activation_cytokines", m.activation_cytokines,
            FieldInfo{"", "Lee et al., Blood 2014 and Morris et al., Nat Rev Immunol 2022 (CRS follows T-cell "
                          "activation); Liu et al., Sci Immunol 2020 (target-cell pyroptosis); Martin et al., Cancer "
                          "2023 (teclistamab CRS mostly with step-up doses)",
                      "inflammation also follows T-cell activation (CAR-T engaged by antigen, T cells bridged by an "
                      "engager), and exposure makes the release refractory for weeks (off: kills alone release it)"});
    v.field("fcrn_saturation", m.fcrn_saturation,
            FieldInfo{"", "Junghans and Anderson, PNAS 1996; Waldmann and Strober, Prog Allergy 1969",
                      "M-protein catabolism speeds up as FcRn saturates (off: one constant half-life)"});
    v.field("costimulation_kinetics", m.costimulation_kinetics,
            FieldInfo{"", "Kawalekar et al., Immunity 2016; persistence of CD19 CAR-T by domain (car_design)",
                      "a CD28 costimulatory domain shortens persistence against 4-1BB (no shipped product is CD28; "
                      "off: the domain has no effect)"});
    v.field("memory_longevity", m.memory_longevity,
            FieldInfo{"", "Zarnitsyna et al., PLoS Comput Biol 2021; Akondy et al., Nature 2017 (human memory CD8 "
                          "T cells after yellow fever vaccination)",
                      "memory CAR-T cells are lost as human memory CD8 T cells are: the per-cell loss falls with time "
                      "since infusion (car_design.memory_loss_exponent / days), so the pool shrinks as a power of time; "
                      "anti-CAR killing adds as before (off: memory_death_rate_per_day for ever)"});
    v.field("background_mortality", m.background_mortality,
            FieldInfo{"", "assumed", "death from causes other than tumour burden"});
}

}  // namespace cartsim::patient
