#pragma once
// Therapies and lines of therapy. A scenario's regimen is a list of lines; each line holds therapies
// with their own schedules (MODEL.md section 2, "Interventions").

#include <optional>
#include <string>
#include <vector>

#include "model/drugs/bispecific_params.hpp"
#include "model/drugs/exposure_params.hpp"
#include "model/tcells/cart_params.hpp"

namespace cartsim::drugs {

enum class TherapyKind {
    Unset,
    CarT,
    Bispecific,
    GammaSecretaseInhibitor,
    Immunomodulator,
    ProteasomeInhibitor,
    Chemotherapy,
    AntiCd38,
    AntibodyDrugConjugate,
    Pd1Blockade,
    MacrophageTherapy,
    Radiotherapy,
};
}  // namespace cartsim::drugs

namespace cartsim {
template <>
struct EnumNames<drugs::TherapyKind> {
    using TherapyKind = drugs::TherapyKind;
    static constexpr std::array items{
        std::pair{TherapyKind::CarT, "cart"},
        std::pair{TherapyKind::Bispecific, "bispecific"},
        std::pair{TherapyKind::GammaSecretaseInhibitor, "gamma_secretase_inhibitor"},
        std::pair{TherapyKind::Immunomodulator, "immunomodulator"},
        std::pair{TherapyKind::ProteasomeInhibitor, "proteasome_inhibitor"},
        std::pair{TherapyKind::Chemotherapy, "chemotherapy"},
        std::pair{TherapyKind::AntiCd38, "anti_cd38"},
        std::pair{TherapyKind::AntibodyDrugConjugate, "antibody_drug_conjugate"},
        std::pair{TherapyKind::Pd1Blockade, "pd1_blockade"},
        std::pair{TherapyKind::MacrophageTherapy, "macrophage_therapy"},
        std::pair{TherapyKind::Radiotherapy, "radiotherapy"},
    };
};
}  // namespace cartsim

namespace cartsim::drugs {

/// Plausible direct kill hazards of exposure therapies (1/day).
inline constexpr std::string_view kKillRange =
    "assumed (0.1/day halves the tumour in a week); the standard regimen fits 0.0092/day to KarMMa-3 and "
    "CARTITUDE-4, searched over 0.002-0.1 (scenarios/calibration/standard-regimen.yaml)";

struct Therapy {
    std::string name;      // defaults to the product name
    std::string product;   // preset in scenarios/products/, resolved by the loader
    TherapyKind kind = TherapyKind::Unset;
    tcells::CarTParams cart{};
    BispecificParams bispecific{};
    ExposureSchedule schedule{};
    ExposureEffect effect{};
};

template <class V>
void describe_effect(Therapy& t, V& v) {
    ExposureEffect& e = t.effect;
    switch (t.kind) {
        case TherapyKind::GammaSecretaseInhibitor:
            v.field("bcma_density_fold", e.bcma_density_fold,
                    bounded("-", "assumed (GSI raises surface BCMA several-fold, Pont et al. Blood 2019)",
                            "surface BCMA multiplier while exposed", 1.0, 100.0)
                        .plausible(1.0, 20.0,
                                   "gamma-secretase inhibitors raise surface BCMA several-fold (Pont et al., Blood "
                                   "2019; Cowan et al., Lancet Haematol 2022); assumed up to 20x"));
            v.field("shedding_block", e.shedding_block,
                    fraction("assumed", "fraction of BCMA shedding blocked while exposed")
                        .plausible(0.3, 1.0, "assumed (soluble BCMA falls sharply under a GSI, Pont et al. 2019)"));
            break;
        case TherapyKind::Immunomodulator:
            v.field("kill_rate_per_day", e.kill_rate_per_day,
                    nonnegative("1/day", "assumed, see calibration", "direct anti-myeloma kill hazard")
                        .plausible(0.0, 0.1, kKillRange));
            v.field("exhaustion_reduction", e.exhaustion_reduction,
                    fraction("assumed", "fractional slowing of T-cell exhaustion").plausible(0.0, 0.8, "assumed"));
            v.field("killing_boost", e.killing_boost,
                    nonnegative("-", "assumed", "relative increase of T-cell killing").plausible(0.0, 1.0, "assumed"));
            v.field("resistance_half_life_days", e.resistance_half_life_days,
                    FieldInfo{"day", "assumed, see calibration",
                              "acquired resistance: the kill halves every this many days on the line (updated at "
                              "each cycle start; null: none)", 1e-3, kInf}
                        .plausible(10.0, 3650.0,
                                   "assumed; fitted 1622 days (standard regimen, KarMMa-3 and CARTITUDE-4), searched "
                                   "over 10-2000 (scenarios/calibration/standard-regimen.yaml)"));
            break;
        case TherapyKind::ProteasomeInhibitor:
        case TherapyKind::Chemotherapy:
            v.field("kill_rate_per_day", e.kill_rate_per_day,
                    nonnegative("1/day", "assumed, see calibration", "direct kill hazard of every tumour cell")
                        .plausible(0.0, 0.1, kKillRange));
            v.field("resistance_half_life_days", e.resistance_half_life_days,
                    FieldInfo{"day", "assumed, see calibration",
                              "acquired resistance: the kill halves every this many days on the line (updated at "
                              "each cycle start; null: none)", 1e-3, kInf}
                        .plausible(10.0, 3650.0,
                                   "assumed; fitted 1622 days (standard regimen, KarMMa-3 and CARTITUDE-4), searched "
                                   "over 10-2000 (scenarios/calibration/standard-regimen.yaml)"));
            break;
        case TherapyKind::AntiCd38:
        case TherapyKind::AntibodyDrugConjugate:
            v.field("target", e.target, FieldInfo{"", "product label", "antigen the antibody binds"});
            v.section("binder", e.binder);
            v.field("kill_rate_per_day", e.kill_rate_per_day,
                    nonnegative("1/day", "assumed, see calibration", "kill hazard of a fully recognised cell")
                        .plausible(0.0, 0.1, kKillRange));
            break;
        case TherapyKind::Pd1Blockade:
            v.field("exhaustion_reduction", e.exhaustion_reduction,
                    fraction("assumed", "fractional slowing of T-cell exhaustion").plausible(0.0, 0.8, "assumed"));
            v.field(
                "reversal_rate_per_day", e.reversal_rate_per_day,
                nonnegative("1/day", "assumed", "extra recovery of exhausted T cells").plausible(0.0, 0.2, "assumed"));
            break;
        case TherapyKind::MacrophageTherapy:
            v.field("recruitment_reduction", e.recruitment_reduction,
                    fraction("assumed", "fractional cut of macrophage recruitment").plausible(0.0, 0.9, "assumed"));
            v.field("polarisation_reduction", e.polarisation_reduction,
                    fraction("assumed", "fractional cut of polarisation to the suppressive pool")
                        .plausible(0.0, 0.9, "assumed"));
            break;
        case TherapyKind::Radiotherapy:
            v.field("kill_fraction", e.kill_fraction,
                    fraction("assumed (focal: a small share of the whole-body tumour)",
                             "in a patient without a second tumour site: share of tumour cells killed at start_day (a "
                             "bone lesion of the marrow disease)")
                        .plausible(0.0, 0.3, "assumed (one or a few lesions of a disseminated tumour)"));
            v.field("site_kill_fraction", e.site_kill_fraction,
                    fraction("assumed (local control of irradiated plasmacytomas is high)",
                             "in a patient with a second tumour site (tumour.extramedullary): share of that site's "
                             "cells killed at start_day")
                        .plausible(0.3, 0.999, "assumed"));
            v.field("abscopal_kill_fraction", e.abscopal_kill_fraction,
                    fraction("assumed (abscopal responses after radiotherapy are rare)",
                             "with a second tumour site: share of the marrow cells killed at the same time (systemic, "
                             "abscopal effect)")
                        .plausible(0.0, 0.2, "assumed"));
            break;
        default: break;
    }
}

template <class V>
void describe(Therapy& t, V& v) {
    v.field("name", t.name, FieldInfo{"", "", "therapy name (default: the product), used in output columns"});
    v.field("product", t.product, FieldInfo{"", "", "product preset in scenarios/products/ (empty: none)"});
    v.field("type", t.kind, FieldInfo{"", "", "kind of therapy"});
    switch (t.kind) {
        case TherapyKind::Unset: break;
        case TherapyKind::CarT: describe(t.cart, v); break;
        case TherapyKind::Bispecific: describe(t.bispecific, v); break;
        case TherapyKind::Radiotherapy:
            v.field("start_day", t.schedule.start_day,
                    nonnegative("day", "scenario", "day of irradiation after the start of the line")
                        .plausible(0.0, 365.0, "assumed (within a year of the line's start)"));
            describe_effect(t, v);
            break;
        default:
            describe(t.schedule, v);
            describe_effect(t, v);
            break;
    }
}

/// When a line starts: a day, or at progression on the line before.
struct LineStart {
    bool at_progression = false;
    double day = 0.0;
    bool operator==(const LineStart&) const = default;
};

}  // namespace cartsim::drugs

namespace cartsim {
template <>
struct ScalarCodec<drugs::LineStart> {
    static constexpr std::string_view expected = "a day (number >= 0) or 'progression'";
    static std::optional<drugs::LineStart> parse(std::string_view text);
    static std::string format(const drugs::LineStart& value);
};
}  // namespace cartsim

namespace cartsim::drugs {

struct Line {
    std::string name = "line";
    LineStart start{};
    double start_delay_days = 0.0;  // with start: progression, the treatment-free interval after it
    bool stop_at_progression = true;
    std::optional<double> duration_days;
    std::vector<Therapy> therapies;
};

template <class V>
void describe(Line& l, V& v) {
    v.field("name", l.name, FieldInfo{"", "", "line name"});
    v.field("start", l.start,
            FieldInfo{"day", "scenario", "a day (a cohort may draw it), or 'progression' (of the line before)"});
    v.field("start_delay_days", l.start_delay_days,
            FieldInfo{"day", "scenario",
                      "with start: progression, days from that progression to the start of this line (a "
                      "treatment-free interval; a cohort may draw it)",
                      0.0, 36525.0}
                .plausible(0.0, 365.0, "assumed (the next line within days to a year of progression)"));
    v.field("stop_at_progression", l.stop_at_progression,
            FieldInfo{"", "scenario", "stop the line's therapies at progression"});
    v.field("duration_days", l.duration_days,
            FieldInfo{"day", "scenario", "stop the line after this many days (null: no limit)", 0.0, kInf}
                .plausible(1.0, 3650.0, "assumed (a day to 10 years of treatment)"));
    v.list("therapies", l.therapies);
}

std::vector<std::string> validate(const Therapy& t);
std::vector<std::string> validate(const std::vector<Line>& regimen);

}  // namespace cartsim::drugs
