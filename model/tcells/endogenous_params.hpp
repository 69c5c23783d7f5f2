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
};

template <class V>
void describe(EndogenousTParams& p, V& v) {
    v.field("homeostatic_cells", p.homeostatic_cells,
            bounded("cells", "assumed (marrow share of about 4e11 body T cells)", "T cells in marrow at homeostasis",
                    0.0, 1e14));
    v.field("baseline_functional_fraction", p.baseline_functional_fraction,
            fraction("assumed (reduced by prior lines)", "functional (not exhausted) share of T cells at day 0"));
    v.field("homeostatic_rate_per_day", p.homeostatic_rate_per_day,
            nonnegative("1/day", "assumed", "relaxation of the T-cell count to homeostasis (new cells are functional)"));
    v.field("tumour_exhaustion_rate_per_day", p.tumour_exhaustion_rate_per_day,
            nonnegative("1/day", "assumed", "exhaustion by chronic tumour antigen at high burden"));
    v.field("tumour_half_saturation_cells", p.tumour_half_saturation_cells,
            bounded("cells", "assumed", "tumour burden giving half the chronic exhaustion", 1e-9, kInf));
    v.field("bispecific_exhaustion_rate_per_day", p.bispecific_exhaustion_rate_per_day,
            nonnegative("1/day", "assumed, see calibration", "exhaustion at full bispecific occupancy and stimulation"));
    v.field("bispecific_attrition_rate_per_day", p.bispecific_attrition_rate_per_day,
            nonnegative("1/day",
                        "continuous-exposure exhaustion, reversed by treatment-free intervals (Philipp et al., Blood "
                        "2022); 0 by default: not adopted, see model/README.md",
                        "exhaustion at full bispecific occupancy whatever the tumour antigen"));
    v.field("engager_effector_half_saturation_cells", p.engager_effector_half_saturation_cells,
            nonnegative("cells",
                        "encounter term of a Beddington-DeAngelis kill law (DeAngelis et al., Ecology 1975); 0 by "
                        "default: not adopted, see model/README.md",
                        "K_E: bispecific-engaged T cells giving half the maximal kill of a lone tumour cell (0: "
                        "any engaged T cells kill at the maximal rate once the tumour is small)"));
    v.field("engager_activation_half_saturation_cells", p.engager_activation_half_saturation_cells,
            nonnegative("cells",
                        "a T-cell engager activates a T cell only while bridging it to a target cell; 0 by default: "
                        "not adopted, see model/README.md",
                        "K_R: recognised tumour cells at which half of the engaged T cells are activated (0: all "
                        "engaged T cells act whatever the tumour burden)"));
    v.field("exhaustion_suppression_gain", p.exhaustion_suppression_gain,
            nonnegative("-", "assumed", "relative speed-up of exhaustion at full suppression"));
    v.field("exhaustion_reversal_rate_per_day", p.exhaustion_reversal_rate_per_day,
            nonnegative("1/day", "assumed", "exhausted to functional recovery"));
    v.field("exhausted_death_rate_per_day", p.exhausted_death_rate_per_day,
            nonnegative("1/day", "assumed", "death of exhausted T cells"));
    v.field("fitness_reference_fraction", p.fitness_reference_fraction,
            bounded("-", "assumed", "functional fraction at apheresis that gives a product as specified", 1e-6, 1.0));
    v.field("anti_car_immunity_factor", p.anti_car_immunity_factor,
            bounded("-",
                    "1 by default (the product's own figure); varies between patients, as anti-CAR antibodies and "
                    "CAR-T persistence do after the same product; the populations' spread is fitted to KarMMa "
                    "and CARTITUDE-1 depth of response",
                    "this patient's immune response against CAR-T cells, relative to each product's "
                    "immunogenicity_death_multiplier",
                    0.0, 1e3));
}

}  // namespace cartsim::tcells
