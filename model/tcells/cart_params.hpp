#pragma once
// A CAR-T product: what it targets, how much is given and how its cells behave (MODEL.md section 4).

#include <string>
#include <vector>

#include "model/common/antigen.hpp"
#include "model/common/recognition.hpp"

namespace cartsim::tcells {

enum class Costimulation { FourOneBB, Cd28 };
}  // namespace cartsim::tcells

namespace cartsim {
template <>
struct EnumNames<tcells::Costimulation> {
    using Costimulation = tcells::Costimulation;
    static constexpr std::array items{std::pair{Costimulation::FourOneBB, "4-1BB"},
                                      std::pair{Costimulation::Cd28, "CD28"}};
};
}  // namespace cartsim

namespace cartsim::tcells {

struct CarTParams {
    std::vector<Antigen> targets{Antigen::Bcma};
    double dose_cells = 450.0e6;
    double infusion_day = 0.0;
    double apheresis_days_before_infusion = 35.0;
    bool lymphodepletion = true;
    Costimulation costimulation = Costimulation::FourOneBB;
    double memory_fraction_at_infusion = 0.3;
    BinderAffinity binder{};
    double max_kill_rate_per_day = 2.0;
    double kill_saturation_targets_per_effector = 1.0;
    double expansion_rate_per_day = 0.8;
    double stimulation_half_saturation_targets_per_cell = 5.0;
    double ld_expansion_rate_per_day = 0.3;
    double memory_formation_rate_per_day = 0.1;
    double memory_activation_rate_per_day = 0.2;
    double effector_death_rate_per_day = 0.25;
    double memory_death_rate_per_day = 0.03;
    double exhaustion_rate_per_day = 0.03;
    double exhaustion_suppression_gain = 2.0;
    double exhaustion_reversal_rate_per_day = 0.01;
    double exhausted_death_rate_per_day = 0.1;
    double exhausted_kill_efficiency = 0.2;
    double blood_to_marrow_rate_per_day = 1.0;
    double marrow_to_blood_rate_per_day = 0.05;
    double blood_effector_loss_rate_per_day = 0.3;
    double immunogenicity_death_multiplier = 0.0;
    double immunogenicity_onset_days = 14.0;
    double trogocytosis_per_kill = 0.05;
    double fratricide_per_trogocytosis = 0.05;
    double manufacturing_sensitivity = 0.5;
};

template <class V>
void describe(CarTParams& p, V& v) {
    v.field("targets", p.targets, FieldInfo{"", "product label", "antigens recognised (OR logic for dual targeting)"});
    v.field("dose_cells", p.dose_cells,
            nonnegative("CAR+ cells", "product label (ide-cel 150-450e6, KarMMa)", "infused CAR+ T cells"));
    v.field("infusion_day", p.infusion_day,
            nonnegative("day", "scenario", "infusion, in days after the start of the line"));
    v.field("apheresis_days_before_infusion", p.apheresis_days_before_infusion,
            nonnegative("day", "assumed (vein-to-vein about 1 month, KarMMa)", "apheresis, in days before infusion"));
    v.field("lymphodepletion", p.lymphodepletion,
            FieldInfo{"", "KarMMa, CARTITUDE-1 (flu/cy days -5 to -3)", "give fludarabine/cyclophosphamide first"});
    v.field("costimulation", p.costimulation, FieldInfo{"", "product label", "costimulatory domain (4-1BB or CD28)"});
    v.field("memory_fraction_at_infusion", p.memory_fraction_at_infusion,
            fraction("assumed", "stem/memory-like share of the product made from fully fit T cells"));
    v.section("binder", p.binder);
    v.field("max_kill_rate_per_day", p.max_kill_rate_per_day,
            nonnegative("1/day", "assumed, see calibration", "maximal killing hazard of a recognised tumour cell"));
    v.field("kill_saturation_targets_per_effector", p.kill_saturation_targets_per_effector,
            bounded("targets/effector", "assumed", "s: effector-to-target saturation (each effector kills at most "
                                                   "max_kill_rate/s cells per day)",
                    1e-9, kInf));
    v.field("expansion_rate_per_day", p.expansion_rate_per_day,
            nonnegative("1/day", "assumed, see calibration (peak in blood day 10-14)",
                        "antigen-driven proliferation of effectors at full stimulation"));
    v.field("stimulation_half_saturation_targets_per_cell", p.stimulation_half_saturation_targets_per_cell,
            bounded("targets/CAR-T cell", "assumed", "K_psi: recognisable targets per CAR-T cell for half stimulation",
                    1e-9, kInf));
    v.field("ld_expansion_rate_per_day", p.ld_expansion_rate_per_day,
            nonnegative("1/day", "assumed", "homeostatic expansion at full lymphodepletion cytokine level"));
    v.field("memory_formation_rate_per_day", p.memory_formation_rate_per_day,
            nonnegative("1/day", "assumed", "effector to memory conversion without stimulation"));
    v.field("memory_activation_rate_per_day", p.memory_activation_rate_per_day,
            nonnegative("1/day", "assumed", "memory to effector conversion at full stimulation"));
    v.field("effector_death_rate_per_day", p.effector_death_rate_per_day,
            nonnegative("1/day", "assumed, see calibration (contraction after the peak)", "effector death"));
    v.field("memory_death_rate_per_day", p.memory_death_rate_per_day,
            nonnegative("1/day", "assumed (4-1BB products persist for months)", "memory death"));
    v.field("exhaustion_rate_per_day", p.exhaustion_rate_per_day,
            nonnegative("1/day", "assumed", "effector to exhausted conversion at full stimulation"));
    v.field("exhaustion_suppression_gain", p.exhaustion_suppression_gain,
            nonnegative("-", "assumed", "chi: relative speed-up of exhaustion at full suppression"));
    v.field("exhaustion_reversal_rate_per_day", p.exhaustion_reversal_rate_per_day,
            nonnegative("1/day", "assumed", "exhausted to effector recovery"));
    v.field("exhausted_death_rate_per_day", p.exhausted_death_rate_per_day,
            nonnegative("1/day", "assumed", "death of exhausted CAR-T cells"));
    v.field("exhausted_kill_efficiency", p.exhausted_kill_efficiency,
            fraction("assumed", "eta: killing by an exhausted cell relative to an effector"));
    v.field("blood_to_marrow_rate_per_day", p.blood_to_marrow_rate_per_day,
            nonnegative("1/day", "assumed (fast distribution, Singh et al. 2021)", "trafficking blood to marrow"));
    v.field("marrow_to_blood_rate_per_day", p.marrow_to_blood_rate_per_day,
            nonnegative("1/day", "assumed", "trafficking marrow to blood"));
    v.field("blood_effector_loss_rate_per_day", p.blood_effector_loss_rate_per_day,
            nonnegative("1/day", "assumed", "loss of blood effectors to other tissues"));
    v.field("immunogenicity_death_multiplier", p.immunogenicity_death_multiplier,
            nonnegative("-", "assumed", "added relative death of effector and memory cells once anti-CAR immunity "
                                        "starts (0 = not immunogenic)"));
    v.field("immunogenicity_onset_days", p.immunogenicity_onset_days,
            nonnegative("day", "assumed (anti-CAR responses from about day 14)", "days after infusion when anti-CAR immunity starts"));
    v.field("trogocytosis_per_kill", p.trogocytosis_per_kill,
            nonnegative("events/kill", "assumed", "antigen-stripping contacts per killing contact"));
    v.field("fratricide_per_trogocytosis", p.fratricide_per_trogocytosis,
            nonnegative("CAR-T cells/event", "assumed", "CAR-T cells lost to fratricide per stripping event"));
    v.field("manufacturing_sensitivity", p.manufacturing_sensitivity,
            fraction("assumed", "how strongly T-cell fitness at apheresis scales the product's expansion"));
}

std::vector<std::string> validate(const CarTParams& p);

}  // namespace cartsim::tcells
