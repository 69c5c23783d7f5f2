#pragma once
// Marrow monocytes/macrophages: a neutral and a suppressive (tumour-promoting) pool (MODEL.md section 2).

#include "model/common/describe.hpp"

namespace cartsim::myeloid {

struct MacrophageParams {
    double basal_recruitment_cells_per_day = 1.0e9;
    double tumour_recruitment_cells_per_day = 1.0e9;
    double tumour_half_saturation_cells = 1.0e11;
    double inflammation_recruitment_cells_per_day = 5.0e8;
    double death_rate_per_day = 0.1;
    double polarisation_rate_per_day = 0.05;
    double mif_half_saturation_cells = 1.0e11;
    double repolarisation_rate_per_day = 0.05;
    double max_suppression = 0.5;
    double suppression_half_saturation_cells = 5.0e9;
    double imprint_gain_per_index_day = 0.05;
    double imprint_half_life_days = 60.0;
    double imprint_recruitment_cells_per_day = 5.0e8;
    double imprint_polarisation_gain = 1.0;
};

template <class V>
void describe(MacrophageParams& p, V& v) {
    v.field("basal_recruitment_cells_per_day", p.basal_recruitment_cells_per_day,
            nonnegative("cells/day", "assumed (with death 0.1/day gives 1e10 marrow macrophages)",
                        "recruitment of neutral macrophages without tumour")
                .plausible(1e8, 1e10, "assumed; the populations draw 5e8-2e9 (log-uniform)"));
    v.field("tumour_recruitment_cells_per_day", p.tumour_recruitment_cells_per_day,
            nonnegative("cells/day", "assumed (Li et al. 2023: 30% -> 44% of marrow CD45+ at relapse)",
                        "extra recruitment at high tumour burden")
                .plausible(0.0, 1e10, "assumed (up to about 10x the basal recruitment)"));
    v.field("tumour_half_saturation_cells", p.tumour_half_saturation_cells,
            bounded("cells", "assumed", "tumour burden giving half the extra recruitment", 1e-9, kInf)
                .plausible(1e8, 1e13, "assumed (within the range of tumour burdens)"));
    v.field("inflammation_recruitment_cells_per_day", p.inflammation_recruitment_cells_per_day,
            nonnegative("cells/day", "assumed", "extra recruitment per unit of inflammation index")
                .plausible(0.0, 1e10, "assumed"));
    v.field("death_rate_per_day", p.death_rate_per_day,
            nonnegative("1/day", "assumed", "macrophage turnover")
                .plausible(0.01, 1.0, "assumed (monocyte-derived macrophages live days to months)"));
    v.field("polarisation_rate_per_day", p.polarisation_rate_per_day,
            nonnegative("1/day", "assumed", "neutral to suppressive at saturating tumour signal (MIF)")
                .plausible(0.0, 1.0, "assumed"));
    v.field("mif_half_saturation_cells", p.mif_half_saturation_cells,
            bounded("cells", "assumed", "tumour burden giving half the polarising signal", 1e-9, kInf)
                .plausible(1e8, 1e13, "assumed (within the range of tumour burdens)"));
    v.field("repolarisation_rate_per_day", p.repolarisation_rate_per_day,
            nonnegative("1/day", "assumed", "suppressive back to neutral").plausible(0.0, 1.0, "assumed"));
    v.field("max_suppression", p.max_suppression,
            fraction("assumed", "sigma_max: largest fractional cut of T-cell killing").plausible(0.0, 0.9, "assumed"));
    v.field("suppression_half_saturation_cells", p.suppression_half_saturation_cells,
            bounded("cells", "assumed", "K_m: suppressive macrophages giving half of max_suppression", 1e-9, kInf)
                .plausible(1e8, 1e11, "assumed (around the 1e9-1e10 marrow macrophages of the model)"));
    v.field("imprint_gain_per_index_day", p.imprint_gain_per_index_day,
            nonnegative("1/day per index", "assumed",
                        "mechanisms.myeloid_memory: growth of the myeloid imprint per unit of inflammation index")
                .plausible(0.0, 1.0, "assumed"));
    v.field("imprint_half_life_days", p.imprint_half_life_days,
            bounded("day", "assumed: months (trained immunity of monocytes lasts months, Netea et al., Science 2016)",
                    "mechanisms.myeloid_memory: half-life of the imprint once inflammation is gone", 1e-3, 1e5)
                .plausible(14.0, 365.0, "assumed: weeks to a year"));
    v.field("imprint_recruitment_cells_per_day", p.imprint_recruitment_cells_per_day,
            nonnegative("cells/day", "assumed (as inflammation_recruitment_cells_per_day)",
                        "mechanisms.myeloid_memory: extra recruitment per unit of imprint")
                .plausible(0.0, 1e10, "assumed"));
    v.field("imprint_polarisation_gain", p.imprint_polarisation_gain,
            nonnegative("-", "assumed (interferon-responsive suppressive macrophages accumulate at relapse after BCMA "
                             "CAR-T, Li et al., Exp Hematol Oncol 2023)",
                        "mechanisms.myeloid_memory: relative rise of polarisation to the suppressive pool per unit of "
                        "imprint")
                .plausible(0.0, 10.0, "assumed"));
}

/// Switches (YAML `mechanisms:`, every one on by default) of the mechanisms of the myeloid room: each is declared
/// beside the parameters it uses; patient/mechanisms.hpp gathers them.
struct MyeloidMechanisms {
    bool macrophage_suppression = true;
    bool myeloid_memory = true;
};

template <class V>
void describe(MyeloidMechanisms& m, V& v) {
    v.field("macrophage_suppression", m.macrophage_suppression,
            FieldInfo{"", "Li et al., Exp Hematol Oncol 2023 (macrophages at relapse); strength assumed", "suppressive macrophages cut killing and speed exhaustion"});
    v.field("myeloid_memory", m.myeloid_memory,
            FieldInfo{"", "Li et al., Exp Hematol Oncol 2023 (interferon-responsive suppressive macrophages at relapse "
                          "after BCMA CAR-T); Netea et al., Science 2016 (innate immune memory lasts months); rates "
                          "assumed",
                      "inflammation from CAR-T, engagers and killing leaves a myeloid imprint that outlasts it and "
                      "raises macrophage recruitment and polarisation to the suppressive pool (off: macrophages "
                      "follow the current inflammation and tumour only)"});
}

}  // namespace cartsim::myeloid
