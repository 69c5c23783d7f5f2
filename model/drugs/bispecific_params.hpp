#pragma once
// A T-cell engaging bispecific antibody: pharmacokinetics, step-up dosing and killing (MODEL.md section 4).

#include <string>
#include <vector>

#include "model/common/antigen.hpp"
#include "model/common/recognition.hpp"

namespace cartsim::drugs {

enum class DoseUnit { MgPerKg, Mg };
}  // namespace cartsim::drugs

namespace cartsim {
template <>
struct EnumNames<drugs::DoseUnit> {
    using DoseUnit = drugs::DoseUnit;
    static constexpr std::array items{std::pair{DoseUnit::MgPerKg, "mg/kg"}, std::pair{DoseUnit::Mg, "mg"}};
};
}  // namespace cartsim

namespace cartsim::drugs {

enum class Route { Subcutaneous, Intravenous };
}  // namespace cartsim::drugs

namespace cartsim {
template <>
struct EnumNames<drugs::Route> {
    static constexpr std::array items{std::pair{drugs::Route::Subcutaneous, "subcutaneous"},
                                      std::pair{drugs::Route::Intravenous, "intravenous"}};
};
}  // namespace cartsim

namespace cartsim::drugs {

struct BispecificParams {
    std::vector<Antigen> targets{Antigen::Bcma};
    Route route = Route::Subcutaneous;
    BinderAffinity binder{100.0, 1.0, 0.0};
    DoseUnit dose_unit = DoseUnit::MgPerKg;
    std::vector<double> step_up_doses{0.06, 0.3};
    std::vector<double> step_up_days{0.0, 2.0};
    double dose = 1.5;
    double first_full_dose_day = 4.0;
    double interval_days = 7.0;
    double reduced_interval_days = 14.0;
    double reduce_after_days = 180.0;
    double bioavailability = 0.69;
    double absorption_rate_per_day = 0.5;
    double volume_l = 5.0;
    double half_life_days = 4.0;
    double peripheral_volume_l = 0.0;
    double intercompartmental_clearance_l_per_day = 0.0;
    double clearance_reduction_max = 0.0;
    double clearance_reduction_half_time_days = 28.0;
    double clearance_reduction_hill = 1.0;
    double ec50_ug_per_ml = 0.5;
    double molecular_weight_kda = 148.0;
    double soluble_target_kd_nm = 1.0;
    double cd3_kd_nm = 20.8;
    double max_kill_rate_per_day = 0.7;
    double kill_saturation_targets_per_effector = 1.0;
};

/// Share of the drug's binding sites occupied at a free concentration c [ug/mL]: c / (c + EC50).
inline double occupancy(const BispecificParams& p, double concentration_ug_per_ml) {
    return concentration_ug_per_ml / (concentration_ug_per_ml + p.ec50_ug_per_ml);
}

/// What each arm of the drug sees (mechanisms.arm_occupancy; model/README.md, "Bispecific exposure").
struct ArmOccupancy {
    double target = 0.0;          // engagement of the tumour-antigen arm: free drug / (free drug + EC50)
    double cd3 = 0.0;             // CD3-arm occupancy on T cells: drug / (drug + Kd_CD3)
    double free_fraction = 1.0;   // share of the drug not bound to the soluble target
};

/// Drug of total serum concentration c [ug/mL] against a soluble form of its target at s [nM]
/// (0 when the drug's target is not shed): the complex is the smaller root of the equilibrium
/// quadratic X^2 - (D + S + Kd) X + D S = 0 (D, S, X in nM), written 2 D S / (b + sqrt(b^2 - 4 D S))
/// without cancellation. The tumour-antigen arm is engaged by the free drug through its functional EC50;
/// the CD3 arm binds T cells whatever the other arm holds.
ArmOccupancy arm_occupancy(const BispecificParams& p, double concentration_ug_per_ml, double soluble_target_nm);

template <class V>
void describe(BispecificParams& p, V& v) {
    v.field("targets", p.targets, FieldInfo{"", "product label", "tumour antigens bound (OR logic)"});
    v.section("binder", p.binder);
    v.field("route", p.route,
            FieldInfo{"", "product label", "subcutaneous (depot, bioavailability, absorption) or intravenous (central)"});
    v.field("dose_unit", p.dose_unit, FieldInfo{"", "product label", "unit of every dose: mg/kg or mg"});
    // Doses are plausible in the unit dose_unit names, so their ranges follow it (read just before).
    const bool per_kg = p.dose_unit == DoseUnit::MgPerKg;
    const std::string_view unit = per_kg ? "mg/kg" : "mg";
    v.field("step_up_doses", p.step_up_doses,
            nonnegative(unit, "product label", "step-up doses in order, in dose_unit")
                .plausible(per_kg ? 0.005 : 0.1, per_kg ? 1.0 : 100.0,
                           per_kg ? "labels: teclistamab 0.06, 0.3 mg/kg; talquetamab 0.01, 0.06 (0.3) mg/kg (with "
                                    "dose_unit mg: 0.1-100 mg)"
                                  : "labels and trials: elranatamab 12, 32 mg; linvoseltamab 5, 25 mg; cevostamab "
                                    "0.3, 3.6 mg (with dose_unit mg/kg: 0.005-1 mg/kg)"));
    v.field("step_up_days", p.step_up_days,
            nonnegative("day", "product label", "days of the step-up doses after the start of the line")
                .plausible(0.0, 21.0, "labels: step-up doses 2-7 days apart within the first 3 weeks"));
    v.field("dose", p.dose,
            nonnegative(unit, "product label", "treatment dose, in dose_unit")
                .plausible(per_kg ? 0.1 : 10.0, per_kg ? 5.0 : 500.0,
                           per_kg ? "labels: teclistamab 1.5 mg/kg weekly, talquetamab 0.4 weekly or 0.8 mg/kg every "
                                    "2 weeks (with dose_unit mg: 10-500 mg)"
                                  : "labels and trials: elranatamab 76 mg, linvoseltamab 200 mg, cevostamab 160 mg "
                                    "(with dose_unit mg/kg: 0.1-5 mg/kg)"));
    v.field("first_full_dose_day", p.first_full_dose_day,
            nonnegative("day", "product label", "day of the first treatment dose after the start of the line")
                .plausible(0.0, 28.0, "labels: the first full dose on days 4-15 (teclistamab, elranatamab, "
                                      "talquetamab; cevostamab day 15); day 0 without step-up doses (the "
                                      "first phase-1 cohorts)"));
    v.field("interval_days", p.interval_days,
            bounded("day", "product label", "dosing interval", 0.5, 365.0)
                .plausible(7.0, 28.0, "labels: weekly, every 2 weeks, every 3 weeks (cevostamab) or 4 weeks"));
    v.field("reduced_interval_days", p.reduced_interval_days,
            bounded("day", "product label", "dosing interval once in sustained response", 0.5, 365.0)
                .plausible(7.0, 28.0, "labels: every 2 weeks (teclistamab, elranatamab) or 4 weeks (elranatamab)"));
    v.field("reduce_after_days", p.reduce_after_days,
            nonnegative("day", "product label (teclistamab: after >= 6 months in response; elranatamab: week 25)",
                        "days of partial response or better before the interval is reduced")
                .plausible(0.0, kInf,
                           "labels: teclistamab after >= 6 months in response, elranatamab from week 25; open above "
                           "(a product whose label never reduces is written as a very large number)"));
    v.field("bioavailability", p.bioavailability,
            fraction("teclistamab about 69% (Girgis 2022); others assumed", "subcutaneous bioavailability")
                .plausible(0.3, 1.0, "teclistamab about 69% (Girgis 2022); subcutaneous antibodies about 50-80%"));
    v.field("absorption_rate_per_day", p.absorption_rate_per_day,
            nonnegative("1/day", "assumed (subcutaneous antibody absorption)", "depot to central first-order rate")
                .plausible(0.1, 2.0, "assumed (subcutaneous antibodies peak in blood after 2-8 days)"));
    v.field("volume_l", p.volume_l,
            bounded("L", "assumed (antibody central volume)", "central volume", 0.01, 100.0)
                .plausible(2.0, 15.0, "assumed (central volumes of IgG antibodies of about 3-8 L)"));
    v.field("half_life_days", p.half_life_days,
            bounded("day", "population PK (ln 2 V1 / CL at the start of treatment; see the product file)",
                    "half-life of elimination from the central compartment at the start of treatment (with a "
                    "peripheral compartment the terminal half-life is longer)",
                    1e-3, 1e3)
                .plausible(1.0, 30.0,
                           "labels and population PK: talquetamab 7.6-12.2 days (Gong 2025), elranatamab about 22 "
                           "days; IgG at most about 21 days"));
    v.field("peripheral_volume_l", p.peripheral_volume_l,
            bounded("L", "population PK (see the product file)", "peripheral volume V2 (0: one compartment)", 0.0,
                    100.0)
                .plausible(0.0, 15.0, "two-compartment antibody models: V2 about 1-8 L"));
    v.field("intercompartmental_clearance_l_per_day", p.intercompartmental_clearance_l_per_day,
            nonnegative("L/day", "population PK (see the product file)",
                        "inter-compartmental clearance Q between central and peripheral volumes (needs V2 > 0)")
                .plausible(0.0, 5.0, "two-compartment antibody models: Q about 0.2-1 L/day"));
    v.field("clearance_reduction_max", p.clearance_reduction_max,
            fraction("population PK (see the product file)",
                     "time-varying clearance: largest fractional fall of CL during treatment (0: constant)")
                .plausible(0.0, 0.8, "population PK of T-cell engagers in myeloma: CL falls by about 30-60%"));
    v.field("clearance_reduction_half_time_days", p.clearance_reduction_half_time_days,
            bounded("day", "population PK (see the product file)",
                    "time-varying clearance: days after the line's first dose at which half the fall is reached",
                    1e-3, 1e4)
                .plausible(3.0, 365.0, "population PK: weeks to months"));
    v.field("clearance_reduction_hill", p.clearance_reduction_hill,
            bounded("-", "population PK (see the product file)", "time-varying clearance: Hill exponent", 0.1, 20.0)
                .plausible(0.5, 5.0, "population PK: sigmoid time courses"));
    v.field("ec50_ug_per_ml", p.ec50_ug_per_ml,
            bounded("ug/mL", "assumed, see calibration", "concentration giving half-maximal T-cell engagement", 1e-9,
                    kInf)
                .plausible(0.01, 10.0, "assumed (around trough concentrations of a few ug/mL)"));
    v.field("molecular_weight_kda", p.molecular_weight_kda,
            bounded("kDa", "product label (IgG bispecifics about 146-150 kDa)", "molecular weight, to convert ug/mL to nM",
                    1.0, 1000.0)
                .plausible(50.0, 200.0, "IgG-format bispecific antibodies of about 146-150 kDa"));
    v.field("soluble_target_kd_nm", p.soluble_target_kd_nm,
            bounded("nM", "see the product file",
                    "mechanisms.arm_occupancy: dissociation constant of the drug and the soluble form of its target "
                    "(soluble BCMA; unused for targets that are not shed)",
                    1e-6, 1e6)
                .plausible(0.01, 100.0, "BCMA arms: teclistamab 0.5 nM, elranatamab 3.1 nM (see the product files)"));
    v.field("cd3_kd_nm", p.cd3_kd_nm,
            bounded("nM", "see the product file", "mechanisms.arm_occupancy: dissociation constant of the CD3 arm",
                    1e-6, 1e6)
                .plausible(1.0, 500.0, "CD3 arms: teclistamab 20.8 nM, elranatamab about 41 nM (see the product files)"));
    v.field("max_kill_rate_per_day", p.max_kill_rate_per_day,
            nonnegative("1/day", "assumed, see calibration", "maximal killing hazard of a recognised tumour cell")
                .plausible(0.05, 5.0, "assumed"));
    v.field("kill_saturation_targets_per_effector", p.kill_saturation_targets_per_effector,
            bounded("targets/effector", "assumed", "s: effector-to-target saturation", 1e-9, kInf)
                .plausible(0.1, 10.0, "assumed"));
}

std::vector<std::string> validate(const BispecificParams& p);

/// Switches (YAML `mechanisms:`, every one on by default) of the mechanisms of the drug rooms: each is declared
/// beside the parameters it uses; patient/mechanisms.hpp gathers them.
struct DrugMechanisms {
    bool arm_occupancy = true;
};

template <class V>
void describe(DrugMechanisms& m, V& v) {
    v.field("arm_occupancy", m.arm_occupancy,
            FieldInfo{"", "Hibma et al., Clin Pharmacokinet 2026 (elranatamab binds soluble BCMA, Kd 3.1 nM); "
                          "Pillarisetti et al., Blood Adv 2020 (teclistamab ex vivo EC50 1.7 nM); CD3 affinities in "
                          "the product files",
                      "each arm of a bispecific has its own occupancy: soluble BCMA binds BCMA-directed drug by "
                      "equilibrium, the free drug engages tumour cells, and CD3 occupancy (by all drug) drives the "
                      "T-cell attrition of continuous exposure (off: one occupancy c / (c + EC50) for everything, "
                      "soluble BCMA as a decoy)"});
}

}  // namespace cartsim::drugs
