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
    double ec50_ug_per_ml = 0.5;
    double max_kill_rate_per_day = 0.7;
    double kill_saturation_targets_per_effector = 1.0;
};

template <class V>
void describe(BispecificParams& p, V& v) {
    v.field("targets", p.targets, FieldInfo{"", "product label", "tumour antigens bound (OR logic)"});
    v.section("binder", p.binder);
    v.field("route", p.route,
            FieldInfo{"", "product label", "subcutaneous (depot, bioavailability, absorption) or intravenous (central)"});
    v.field("dose_unit", p.dose_unit, FieldInfo{"", "product label", "unit of every dose: mg/kg or mg"});
    v.field("step_up_doses", p.step_up_doses, nonnegative("dose_unit", "product label", "step-up doses in order"));
    v.field("step_up_days", p.step_up_days,
            nonnegative("day", "product label", "days of the step-up doses after the start of the line"));
    v.field("dose", p.dose, nonnegative("dose_unit", "product label", "treatment dose"));
    v.field("first_full_dose_day", p.first_full_dose_day,
            nonnegative("day", "product label", "day of the first treatment dose after the start of the line"));
    v.field("interval_days", p.interval_days, bounded("day", "product label", "dosing interval", 0.5, 365.0));
    v.field("reduced_interval_days", p.reduced_interval_days,
            bounded("day", "product label", "dosing interval once in sustained response", 0.5, 365.0));
    v.field("reduce_after_days", p.reduce_after_days,
            nonnegative("day", "product label (teclistamab: after >= 6 months in response; elranatamab: week 25)",
                        "days of partial response or better before the interval is reduced"));
    v.field("bioavailability", p.bioavailability,
            fraction("teclistamab about 69% (Girgis 2022); others assumed", "subcutaneous bioavailability"));
    v.field("absorption_rate_per_day", p.absorption_rate_per_day,
            nonnegative("1/day", "assumed (subcutaneous antibody absorption)", "depot to central first-order rate"));
    v.field("volume_l", p.volume_l, bounded("L", "assumed (antibody central volume)", "central volume", 0.01, 100.0));
    v.field("half_life_days", p.half_life_days,
            bounded("day", "product label or population PK (talquetamab 7.6-12.2 days, Gong 2025)",
                    "elimination half-life", 1e-3, 1e3));
    v.field("ec50_ug_per_ml", p.ec50_ug_per_ml,
            bounded("ug/mL", "assumed, see calibration", "concentration giving half-maximal T-cell engagement", 1e-9,
                    kInf));
    v.field("max_kill_rate_per_day", p.max_kill_rate_per_day,
            nonnegative("1/day", "assumed, see calibration", "maximal killing hazard of a recognised tumour cell"));
    v.field("kill_saturation_targets_per_effector", p.kill_saturation_targets_per_effector,
            bounded("targets/effector", "assumed", "s: effector-to-target saturation", 1e-9, kInf));
}

std::vector<std::string> validate(const BispecificParams& p);

}  // namespace cartsim::drugs
