#pragma once
// Therapies modelled as exposure on/off in cycles: small molecules, antibodies, radiotherapy.

#include <optional>
#include <string>
#include <vector>

#include "model/common/antigen.hpp"
#include "model/common/recognition.hpp"

namespace cartsim::drugs {

/// When a drug is on: from start_day for duration_days (null: until the line stops), in cycles of
/// cycle_days with the first days_on days on (cycle_days null: continuously).
struct ExposureSchedule {
    double start_day = 0.0;
    std::optional<double> duration_days;
    std::optional<double> cycle_days;
    double days_on = 21.0;
};

template <class V>
void describe(ExposureSchedule& s, V& v) {
    v.field("start_day", s.start_day,
            nonnegative("day", "scenario", "first day on, after the start of the line")
                .plausible(0.0, 365.0, "assumed (within a year of the line's start)"));
    v.field("duration_days", s.duration_days,
            FieldInfo{"day", "scenario", "days of treatment (null: until the line stops)", 0.0, kInf}.plausible(
                1.0, 3650.0, "assumed (a day to 10 years: fixed-duration courses to treatment until progression)"));
    v.field("cycle_days", s.cycle_days,
            FieldInfo{"day", "product label", "cycle length (null: continuous exposure)", 0.5, kInf}.plausible(
                7.0, 56.0, "labels: 21-day (bortezomib) and 28-day (lenalidomide, pomalidomide) cycles"));
    v.field(
        "days_on", s.days_on,
        nonnegative("day", "product label", "days on at the start of each cycle")
            .plausible(1.0, 56.0, "labels: 14 of 21 days (bortezomib), 21 of 28 days (lenalidomide, pomalidomide)"));
}

/// Effect while exposed, one struct for every exposure therapy; each kind describes only its own fields.
struct ExposureEffect {
    double kill_rate_per_day = 0.0;                 // direct, antibody or ADC kill
    std::optional<double> resistance_half_life_days;  // IMiD, PI, chemotherapy: acquired resistance
    Antigen target = Antigen::Cd38;                 // antibody and ADC
    BinderAffinity binder{5000.0, 1.0, 0.0};        // antibody and ADC
    double bcma_density_fold = 3.0;                 // gamma-secretase inhibitor
    double shedding_block = 0.9;                    // gamma-secretase inhibitor
    double exhaustion_reduction = 0.3;              // IMiD, PD-1 blockade
    double killing_boost = 0.2;                     // IMiD
    double reversal_rate_per_day = 0.02;            // PD-1 blockade
    double recruitment_reduction = 0.5;             // macrophage-directed
    double polarisation_reduction = 0.5;            // macrophage-directed
    double kill_fraction = 0.05;                    // radiotherapy, once at start_day: the marrow lesion
    double site_kill_fraction = 0.9;                // radiotherapy of the second site (when there is one)
    double abscopal_kill_fraction = 0.0;            // radiotherapy of the second site: systemic kill elsewhere
};

}  // namespace cartsim::drugs
