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
    double vector_copies_per_cell = 2.0;
    double infusion_day = 0.0;
    double apheresis_days_before_infusion = 35.0;
    bool lymphodepletion = true;
    Costimulation costimulation = Costimulation::FourOneBB;
    double memory_fraction_at_infusion = 0.3;
    BinderAffinity binder{};
    std::string binder_id;  // empty: the product preset's name
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
    double division_capacity_doublings = 17.0;
    double division_capacity_hill = 4.0;
};

template <class V>
void describe(CarTParams& p, V& v) {
    v.field("targets", p.targets, FieldInfo{"", "product label", "antigens recognised (OR logic for dual targeting)"});
    v.field("vector_copies_per_cell", p.vector_copies_per_cell,
            bounded("copies/cell", "assumed: lentiviral CAR-T product lots carry 1.45-2.51 transgene copies per cell (ARI-0001, PMC6319086)",
                    "CAR transgene copies per CAR+ cell, for blood copies per ug of DNA", 0.1, 20.0)
                .plausible(0.5, 5.0, "release criteria of CAR-T products allow up to 5 copies/cell; lots measure 1.5-2.5 (PMC6319086)"));
    v.field("dose_cells", p.dose_cells,
            nonnegative("CAR+ cells", "product label (ide-cel 150-450e6, KarMMa)", "infused CAR+ T cells")
                .plausible(2e7, 1e9,
                           "doses in trials: ide-cel 150-450e6 (KarMMa, Munshi 2021 NEJM), cilta-cel 0.5-1.0e6/kg "
                           "(CARTITUDE-1, Berdeja 2021 Lancet), MCARH109 25-450e6 (Mailankody 2022 NEJM)"));
    v.field(
        "infusion_day", p.infusion_day,
        nonnegative("day", "scenario", "infusion, in days after the start of the line")
            .plausible(0.0, 180.0, "assumed (infusion within months of the line's start; bridging about 1-2 months)"));
    v.field("apheresis_days_before_infusion", p.apheresis_days_before_infusion,
            nonnegative("day", "assumed (vein-to-vein about 1 month, KarMMa)", "apheresis, in days before infusion")
                .plausible(14.0, 120.0,
                           "vein-to-vein times of about 1-2 months in KarMMa and CARTITUDE-1 (manufacturing takes "
                           "weeks); assumed 14-120 days"));
    v.field("lymphodepletion", p.lymphodepletion,
            FieldInfo{"", "KarMMa, CARTITUDE-1 (flu/cy days -5 to -3)", "give fludarabine/cyclophosphamide first"});
    v.field("costimulation", p.costimulation, FieldInfo{"", "product label", "costimulatory domain (4-1BB or CD28)"});
    v.field("memory_fraction_at_infusion", p.memory_fraction_at_infusion,
            fraction("assumed", "stem/memory-like share of the product made from fully fit T cells")
                .plausible(0.05, 0.9, "assumed (memory-like shares of a few to most cells in CAR-T products)"));
    v.section("binder", p.binder);
    v.field("binder_id", p.binder_id,
            FieldInfo{"", "product label (the CAR's antigen-binding domain)",
                      "identity of the CAR's binding domain: products with the same binder_id meet the same remembered "
                      "anti-CAR response (empty: the product preset's name, else the therapy's)"});
    v.field("max_kill_rate_per_day", p.max_kill_rate_per_day,
            nonnegative("1/day", "assumed, see calibration", "maximal killing hazard of a recognised tumour cell")
                .plausible(0.1, 20.0,
                           "assumed; fitted 6.29 for cilta-cel alone (CARTITUDE-1; its bi-epitopic binder), searched "
                           "over 0.5-20 (scenarios/calibration/cart-products.yaml)"));
    v.field("kill_saturation_targets_per_effector", p.kill_saturation_targets_per_effector,
            bounded("targets/effector", "assumed", "s: effector-to-target saturation (each effector kills at most "
                                                   "max_kill_rate/s cells per day)",
                    1e-9, kInf)
                .plausible(0.1, 10.0, "assumed"));
    v.field("expansion_rate_per_day", p.expansion_rate_per_day,
            nonnegative("1/day", "assumed, see calibration (peak in blood day 10-14)",
                        "antigen-driven proliferation of effectors at full stimulation")
                .plausible(0.1, 3.0,
                           "assumed; fitted 1.39, one value for ide-cel and cilta-cel (KarMMa and CARTITUDE-1), "
                           "searched over 0.3-3 (scenarios/calibration/cart-products.yaml)"));
    v.field("stimulation_half_saturation_targets_per_cell", p.stimulation_half_saturation_targets_per_cell,
            bounded("targets/CAR-T cell", "assumed", "K_psi: recognisable targets per CAR-T cell for half stimulation",
                    1e-9, kInf)
                .plausible(0.5, 50.0, "assumed"));
    v.field("ld_expansion_rate_per_day", p.ld_expansion_rate_per_day,
            nonnegative("1/day", "assumed", "homeostatic expansion at full lymphodepletion cytokine level")
                .plausible(0.0, 1.0, "assumed"));
    v.field("memory_formation_rate_per_day", p.memory_formation_rate_per_day,
            nonnegative("1/day", "assumed", "effector to memory conversion without stimulation")
                .plausible(0.01, 1.0, "assumed"));
    v.field("memory_activation_rate_per_day", p.memory_activation_rate_per_day,
            nonnegative("1/day", "assumed", "memory to effector conversion at full stimulation")
                .plausible(0.01, 2.0, "assumed"));
    v.field("effector_death_rate_per_day", p.effector_death_rate_per_day,
            nonnegative("1/day", "assumed, see calibration (contraction after the peak)", "effector death")
                .plausible(0.05, 1.0, "assumed (effector half-lives of about 1-14 days in the contraction phase)"));
    v.field("memory_death_rate_per_day", p.memory_death_rate_per_day,
            nonnegative("1/day", "assumed (4-1BB products persist for months)",
                        "memory death (with mechanisms.memory_longevity the natural loss follows "
                        "patient.car_design.memory_loss_exponent and this rate only scales the anti-CAR killing of "
                        "memory cells)")
                .plausible(0.001, 0.1,
                           "assumed (memory half-lives of a week to years; 4-1BB products persist for months)"));
    v.field("exhaustion_rate_per_day", p.exhaustion_rate_per_day,
            nonnegative("1/day", "assumed", "effector to exhausted conversion at full stimulation")
                .plausible(0.0, 0.3, "assumed"));
    v.field("exhaustion_suppression_gain", p.exhaustion_suppression_gain,
            nonnegative("-", "assumed", "chi: relative speed-up of exhaustion at full suppression")
                .plausible(0.0, 10.0, "assumed"));
    v.field("exhaustion_reversal_rate_per_day", p.exhaustion_reversal_rate_per_day,
            nonnegative("1/day", "assumed", "exhausted to effector recovery").plausible(0.0, 0.1, "assumed"));
    v.field("exhausted_death_rate_per_day", p.exhausted_death_rate_per_day,
            nonnegative("1/day", "assumed", "death of exhausted CAR-T cells").plausible(0.01, 1.0, "assumed"));
    v.field("exhausted_kill_efficiency", p.exhausted_kill_efficiency,
            fraction("assumed", "eta: killing by an exhausted cell relative to an effector")
                .plausible(0.0, 0.5, "assumed"));
    v.field("blood_to_marrow_rate_per_day", p.blood_to_marrow_rate_per_day,
            nonnegative("1/day", "assumed (fast distribution, Singh et al. 2021)", "trafficking blood to marrow")
                .plausible(0.1, 10.0, "assumed around Singh et al. 2021 (K12 = 1.71/day)"));
    v.field("marrow_to_blood_rate_per_day", p.marrow_to_blood_rate_per_day,
            nonnegative("1/day", "assumed", "trafficking marrow to blood")
                .plausible(0.005, 1.0, "assumed around Singh et al. 2021 (K21 = 0.176/day)"));
    v.field(
        "blood_effector_loss_rate_per_day", p.blood_effector_loss_rate_per_day,
        nonnegative("1/day", "assumed", "loss of blood effectors to other tissues").plausible(0.03, 3.0, "assumed"));
    v.field("immunogenicity_death_multiplier", p.immunogenicity_death_multiplier,
            nonnegative("-", "assumed", "added relative death of effector and memory cells once anti-CAR immunity "
                                        "starts (0 = not immunogenic)")
                .plausible(0.0, 10.0,
                           "0 = not immunogenic; fitted 1.98, one value for ide-cel and cilta-cel (KarMMa and CARTITUDE-1), "
                           "searched over 0.3-10 (scenarios/calibration/cart-products.yaml)"));
    v.field("immunogenicity_onset_days", p.immunogenicity_onset_days,
            nonnegative("day", "assumed (anti-CAR responses from about day 14)",
                        "days after infusion when anti-CAR immunity starts")
                .plausible(7.0, 60.0, "assumed (anti-CAR antibodies and T cells appear weeks after infusion)"));
    v.field("trogocytosis_per_kill", p.trogocytosis_per_kill,
            nonnegative("events/kill", "assumed", "antigen-stripping contacts per killing contact")
                .plausible(0.0, 0.5, "assumed"));
    v.field("fratricide_per_trogocytosis", p.fratricide_per_trogocytosis,
            nonnegative("CAR-T cells/event", "assumed", "CAR-T cells lost to fratricide per stripping event")
                .plausible(0.0, 0.5, "assumed"));
    v.field("manufacturing_sensitivity", p.manufacturing_sensitivity,
            fraction("assumed", "how strongly T-cell fitness at apheresis scales the product's expansion")
                .plausible(0.0, 1.0, "assumed (0: no effect, 1: proportional)"));
    v.field("division_capacity_doublings", p.division_capacity_doublings,
            bounded("doublings", "adult blood T cells reach replicative senescence after 23 +- 7 population doublings in culture "
                                 "(Perillo et al., Exp Cell Res 1993), less about 6 spent in a 9-14-day manufacture "
                                 "(assumed: a few tens-fold expansion)",
                    "mechanisms.expansion_capacity: population doublings by division left to the product's cells at "
                    "infusion when T-cell fitness at apheresis is the reference (scaled like the expansion rate by "
                    "manufacturing_sensitivity)",
                    0.1, 1e3)
                .plausible(5.0, 40.0, "Perillo et al., Exp Cell Res 1993 (23 +- 7 in culture); naive cells about 7 more than memory cells (Weng et al., PNAS 1995)"));
    v.field("division_capacity_hill", p.division_capacity_hill,
            bounded("-", "assumed (spread of the capacity left among the product's cells)",
                    "mechanisms.expansion_capacity: steepness of the fall of division as the capacity is spent (the "
                    "division rate is halved when it is spent)",
                    0.5, 50.0)
                .plausible(1.0, 10.0, "assumed"));
}

std::vector<std::string> validate(const CarTParams& p);

/// Switches (YAML `mechanisms:`, every one on by default) of the mechanisms of the CAR-T room (expansion, exhaustion, rejection, trogocytosis): each is declared
/// beside the parameters it uses; patient/mechanisms.hpp gathers them.
struct CarTMechanisms {
    bool trogocytosis = true;
    bool exhaustion = true;
    bool immunogenicity = true;
    bool manufacturing_fitness = true;
    bool expansion_capacity = true;
};

template <class V>
void describe(CarTMechanisms& m, V& v) {
    v.field("trogocytosis", m.trogocytosis,
            FieldInfo{"", "Hamieh et al., Nature 2019 (CAR-T trogocytosis)", "CAR-T strip BCMA from tumour cells and suffer fratricide"});
    v.field("exhaustion", m.exhaustion, FieldInfo{"", "assumed", "chronic stimulation exhausts CAR-T and T cells"});
    v.field("immunogenicity", m.immunogenicity, FieldInfo{"", "assumed (anti-CAR antibodies reported after ide-cel)", "anti-CAR immunity shortens persistence"});
    v.field("manufacturing_fitness", m.manufacturing_fitness,
            FieldInfo{"", "assumed", "T-cell fitness at apheresis shapes the CAR-T product"});
    v.field("expansion_capacity", m.expansion_capacity,
            FieldInfo{"", "Perillo et al., Exp Cell Res 1993 (T cells divide a limited number of times); Cohen et al., "
                          "JCI 2019 and Garfall et al., Blood Adv 2019 (T-cell phenotype at apheresis goes with CAR-T "
                          "expansion)",
                      "each product's cells can divide only so many times; division slows as the capacity, set by T-cell "
                      "fitness at apheresis, is spent (off: unlimited division)"});
}

}  // namespace cartsim::tcells
