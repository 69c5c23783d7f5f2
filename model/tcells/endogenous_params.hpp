#pragma once
// The patient's own T cells in marrow: the effectors of bispecific antibodies (MODEL.md section 4).

#include "model/common/describe.hpp"

namespace cartsim::tcells {

struct EndogenousTParams {
    double homeostatic_cells = 2.0e10;
    double baseline_functional_fraction = 0.7;
    double homeostatic_rate_per_day = 0.02;
    double tumour_exhaustion_rate_per_day = 0.002;
    double tumour_half_saturation_cells = 1.0e10;
    double bispecific_exhaustion_rate_per_day = 0.03;
    double bispecific_attrition_rate_per_day = 0.0;
    double engager_effector_half_saturation_cells = 0.0;
    double engager_activation_half_saturation_cells = 0.0;
    double exhaustion_suppression_gain = 2.0;
    double exhaustion_reversal_rate_per_day = 0.005;
    double exhausted_death_rate_per_day = 0.01;
    double fitness_reference_fraction = 0.7;
    double anti_car_immunity_factor = 1.0;
    double anti_car_expansion_rate_per_day = 1.0;
    double anti_car_contraction_rate_per_day = 0.14;
    double anti_car_memory_fraction = 0.05;
    double anti_car_antigen_half_saturation_cells = 1.0e7;
    double prior_lines = 5.0;
    double reference_prior_lines = 5.0;
    double fitness_retention_per_prior_line = 0.957;
    double prior_redirection = 0.0;
    double prior_redirection_fitness_factor = 0.8;
};

template <class V>
void describe(EndogenousTParams& p, V& v) {
    v.field("homeostatic_cells", p.homeostatic_cells,
            bounded("cells", "assumed (marrow share of about 4e11 body T cells)", "T cells in marrow at homeostasis",
                    0.0, 1e14)
                .plausible(2e9, 1e11,
                           "assumed: a few percent of about 4e11 T cells in the body (Ganusov and De Boer, Trends "
                           "Immunol 2007) are in marrow; fewer after lymphopenic prior lines"));
    v.field("baseline_functional_fraction", p.baseline_functional_fraction,
            fraction("assumed",
                     "functional (not exhausted) share of T cells at day 0 after reference_prior_lines prior lines "
                     "(mechanisms.prior_therapy_fitness scales it by the patient's own history)")
                .plausible(0.1, 1.0, "assumed (both populations draw beta(7, 3) for 5 prior lines: most mass 0.4-1)"));
    v.field("homeostatic_rate_per_day", p.homeostatic_rate_per_day,
            nonnegative("1/day", "assumed", "relaxation of the T-cell count to homeostasis (new cells are functional)")
                .plausible(0.001, 0.1,
                           "T-cell turnover of about 0.1-5%/day by deuterium labelling (Macallan et al., J Exp Med "
                           "2004)"));
    v.field("tumour_exhaustion_rate_per_day", p.tumour_exhaustion_rate_per_day,
            nonnegative("1/day", "assumed", "exhaustion by chronic tumour antigen at high burden")
                .plausible(0.0, 0.05, "assumed"));
    v.field("tumour_half_saturation_cells", p.tumour_half_saturation_cells,
            bounded("cells", "assumed", "tumour burden giving half the chronic exhaustion", 1e-9, kInf)
                .plausible(1e8, 1e12, "assumed (within the range of tumour burdens, 1e9-3e12 cells)"));
    v.field("bispecific_exhaustion_rate_per_day", p.bispecific_exhaustion_rate_per_day,
            nonnegative("1/day",
                        "assumed; 0 in the populations since 2026-12-07 (not adopted: it traded against the "
                        "attrition below in the fit, model/CALIBRATION.md)",
                        "exhaustion at full bispecific occupancy and stimulation")
                .plausible(0.0, 0.3, "assumed (fitted 0.0018/day alongside the attrition before it was dropped)"));
    v.field("bispecific_attrition_rate_per_day", p.bispecific_attrition_rate_per_day,
            nonnegative("1/day",
                        "continuous-exposure exhaustion, reversed by treatment-free intervals (Philipp et al., Blood "
                        "2022); 0 by default: not adopted, see model/README.md",
                        "exhaustion at full bispecific occupancy whatever the tumour antigen")
                .plausible(0.0, 0.1, "assumed (0: not adopted)"));
    v.field("engager_effector_half_saturation_cells", p.engager_effector_half_saturation_cells,
            nonnegative("cells",
                        "encounter term of a Beddington-DeAngelis kill law (DeAngelis et al., Ecology 1975); 0 by "
                        "default: not adopted, see model/README.md",
                        "K_E: bispecific-engaged T cells giving half the maximal kill of a lone tumour cell (0: "
                        "any engaged T cells kill at the maximal rate once the tumour is small)")
                .plausible(0.0, 1e10, "assumed (0: not adopted; up to the marrow T-cell count)"));
    v.field("engager_activation_half_saturation_cells", p.engager_activation_half_saturation_cells,
            nonnegative("cells",
                        "a T-cell engager activates a T cell only while bridging it to a target cell; 0 by default: "
                        "not adopted, see model/README.md",
                        "K_R: recognised tumour cells at which half of the engaged T cells are activated (0: all "
                        "engaged T cells act whatever the tumour burden)")
                .plausible(0.0, 1e11, "assumed (0: not adopted; within the range of tumour burdens)"));
    v.field("exhaustion_suppression_gain", p.exhaustion_suppression_gain,
            nonnegative("-", "assumed", "relative speed-up of exhaustion at full suppression")
                .plausible(0.0, 10.0, "assumed"));
    v.field("exhaustion_reversal_rate_per_day", p.exhaustion_reversal_rate_per_day,
            nonnegative("1/day", "assumed", "exhausted to functional recovery").plausible(0.0, 0.1, "assumed"));
    v.field("exhausted_death_rate_per_day", p.exhausted_death_rate_per_day,
            nonnegative("1/day", "assumed", "death of exhausted T cells").plausible(0.0, 0.2, "assumed"));
    v.field("fitness_reference_fraction", p.fitness_reference_fraction,
            bounded("-", "assumed", "functional fraction at apheresis that gives a product as specified", 1e-6, 1.0)
                .plausible(0.3, 1.0, "assumed (near the populations' mean functional share, 0.7-0.8)"));
    v.field("anti_car_immunity_factor", p.anti_car_immunity_factor,
            bounded("-",
                    "1 by default (the product's own figure); varies between patients, as anti-CAR antibodies and "
                    "CAR-T persistence do after the same product; the populations' spread is fitted to KarMMa "
                    "and CARTITUDE-1 depth of response",
                    "this patient's immune response against CAR-T cells, relative to each product's "
                    "immunogenicity_death_multiplier",
                    0.0, 1e3)
                .plausible(0.0, 10.0,
                           "the populations' lognormal spread (median 1, cv 0.94, fitted to KarMMa and CARTITUDE-1) "
                           "puts about 98% of patients below 5"));
    v.field("anti_car_expansion_rate_per_day", p.anti_car_expansion_rate_per_day,
            bounded("1/day",
                    "assumed: with 1/day the primed response is the logistic 1 / (1 + exp(-(t - infusion - onset))) "
                    "of the former closed-form law",
                    "logistic expansion rate of the host's response against a CAR construct once primed", 1e-3, 100.0)
                .plausible(0.2, 5.0, "assumed (anti-CAR antibodies and T cells rise over one to a few weeks)"));
    // The response needs its antigen (mechanisms.anti_car_contraction, model/README.md item 10).
    v.field("anti_car_contraction_rate_per_day", p.anti_car_contraction_rate_per_day,
            bounded("1/day",
                    "Kaech, Wherry and Ahmed, Nat Rev Immunol 2002 (90-95% of effector T cells die in the three "
                    "weeks of contraction after antigen clearance): ln(20) / 21 days",
                    "contraction of the host's anti-CAR response towards its memory share when its antigen "
                    "(CAR-T cells with that binder) is gone",
                    0.0, 100.0)
                .plausible(0.05, 0.5, "contraction over one to six weeks"));
    v.field("anti_car_memory_fraction", p.anti_car_memory_fraction,
            fraction("Kaech, Wherry and Ahmed, Nat Rev Immunol 2002 (5-10% of effector T cells survive contraction "
                     "as memory; the lower end)",
                     "share of the full anti-CAR response that contraction leaves as memory")
                .plausible(0.01, 0.2, "5-10% of the peak survive as memory"));
    v.field("anti_car_antigen_half_saturation_cells", p.anti_car_antigen_half_saturation_cells,
            bounded("cells",
                    "assumed (set before any comparison with persistence: the response is driven fully while "
                    "CAR-T cells expand, 1e8-1e10 in the body, and loses its drive near the level at which blood "
                    "CAR-T become undetectable)",
                    "CAR-T cells with a binder (whole body, every pool) at which they drive the host's response "
                    "against that binder half as much as at saturation",
                    1.0, 1e14)
                .plausible(1e5, 1e9, "assumed"));
    // T-cell fitness after prior therapy (mechanisms.prior_therapy_fitness, model/README.md item 27).
    v.field("prior_lines", p.prior_lines,
            bounded("lines", "the populations draw it (trial baseline tables)",
                    "prior lines of therapy before this patient's first line here (a continuous stand-in for the "
                    "count)",
                    0.0, 30.0)
                .plausible(1.0, 18.0, "MajesTEC-1 median 5 (range 2-14), KarMMa 6 (3-16), CARTITUDE-1 6 (3-18)"));
    v.field("reference_prior_lines", p.reference_prior_lines,
            bounded("lines",
                    "MajesTEC-1 median (5): the prior-line count at which baseline_functional_fraction is drawn",
                    "prior lines at which the functional share is baseline_functional_fraction", 0.0, 30.0)
                .plausible(3.0, 7.0, "medians of the triple-class-exposed trials: 5-6"));
    v.field("fitness_retention_per_prior_line", p.fitness_retention_per_prior_line,
            bounded("-",
                    "assumed: (0.7 / 0.8)^(1/3), the populations' mean functional shares at 5-6 and at 1-3 prior "
                    "lines over the three lines between; direction from Blood 2024;144:615 (MajesTEC-1: response "
                    "goes with baseline T-cell counts and fewer PD-1/TIM-3 T cells) and Front Immunol 2020;11:2153 "
                    "(myeloma therapy ages T cells)",
                    "share of the functional T-cell fraction kept per prior line", 0.0, 1.0)
                .plausible(0.85, 1.0, "assumed"));
    v.field("prior_redirection", p.prior_redirection,
            fraction("the study says (0: none; real-world cohorts after BCMA-directed therapy, about 0.73)",
                     "1 if the patient had T-cell-redirecting therapy (CAR-T or a T-cell engager) before this "
                     "scenario's first line")
                .plausible(0.0, 1.0, "0 or 1"));
    v.field("prior_redirection_fitness_factor", p.prior_redirection_fitness_factor,
            bounded("-",
                    "assumed, set before any model run against prior-exposure data; direction from Dima et al., "
                    "Blood Cancer J 2025;15:111 and Mohan et al., Blood Cancer J 2025 (lower teclistamab response "
                    "after BCMA-directed therapy)",
                    "functional T-cell share after prior T-cell redirection, relative to without", 0.0, 1.0)
                .plausible(0.5, 1.0, "assumed"));
}

/// Switches (YAML `mechanisms:`, every one on by default) of the mechanisms of the host's own T cells (anti-CAR response, fitness after prior therapy): each is declared
/// beside the parameters it uses; patient/mechanisms.hpp gathers them.
struct HostTCellMechanisms {
    bool anti_car_memory = true;
    bool anti_car_contraction = true;
    bool prior_therapy_fitness = true;  // acts only when t_cells.prior_lines or prior_redirection differ from the reference
};

template <class V>
void describe(HostTCellMechanisms& m, V& v) {
    v.field("anti_car_memory", m.anti_car_memory,
            FieldInfo{"", "assumed (an adaptive response, once primed, persists as memory)",
                      "the host remembers its response against a CAR binder: a later infusion with the same binder "
                      "meets it at once (off: a fresh response after every infusion)"});
    v.field("anti_car_contraction", m.anti_car_contraction,
            FieldInfo{"", "Kaech, Wherry and Ahmed, Nat Rev Immunol 2002 (T-cell responses contract after antigen "
                          "clearance, leaving 5-10% as memory)",
                      "the host's anti-CAR response grows only with its antigen (CAR-T cells with that binder) and "
                      "contracts to its memory share without it (off: once primed it grows to full and stays)"});
    v.field("prior_therapy_fitness", m.prior_therapy_fitness,
            FieldInfo{"", "Blood 2024;144:615 (MajesTEC-1 immune correlates); Front Immunol 2020;11:2153; Dima et "
                          "al., Blood Cancer J 2025;15:111; strengths assumed",
                      "prior lines and prior T-cell-redirecting therapy lower the functional T-cell share at day 0 "
                      "(t_cells.prior_lines, prior_redirection), and with it engager killing and the CAR-T product "
                      "made from these cells (off: baseline_functional_fraction whatever the history)"});
}

}  // namespace cartsim::tcells
