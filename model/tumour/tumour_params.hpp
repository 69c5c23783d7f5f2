#pragma once
// Myeloma cells: clones, their antigens and how they grow, drift and mutate (MODEL.md sections 2-4).

#include <optional>
#include <string>
#include <vector>

#include "model/common/antigen.hpp"
#include "model/common/describe.hpp"

namespace cartsim::tumour {

/// Surface density of one antigen on one clone: a lognormal across cells, scaled by the number of
/// intact alleles (2 = wild type, 1 = heterozygous loss: half density, 0 = biallelic loss: none).
struct AntigenExpression {
    int alleles = 2;
    double median_molecules_per_cell = 670.0;
    double sigma_log = 0.6;
};

template <class V>
void describe(AntigenExpression& a, V& v) {
    v.field("alleles", a.alleles, FieldInfo{"alleles", "Da Via et al., Nat Med 2021 (biallelic BCMA loss)",
                                            "intact alleles: 2 wild type, 1 heterozygous loss (half density), 0 lost",
                                            0.0, 2.0});
    v.field("median_molecules_per_cell", a.median_molecules_per_cell,
            nonnegative("molecules/cell", "BCMA: median 670 (IQR 380-850) before commercial BCMA CAR-T, Perica et al., Blood 2023 (ASH abstract, n = 27)",
                        "median surface density with both alleles intact"));
    v.field("sigma_log", a.sigma_log,
            bounded("-", "BCMA: IQR 380-850 gives sigma = ln(850/380)/1.349 = 0.60", "standard deviation of ln(density)",
                    0.0, 3.0));
}

/// One declared clone. Clones that arise by antigen loss are derived automatically (see clone_set.hpp).
struct CloneSpec {
    std::string name = "main";
    std::optional<double> fraction;              // of initial tumour cells; null: what the others leave
    std::optional<double> growth_rate_per_day;   // default: the tumour's growth_rate_per_day
    AntigenExpression bcma{2, 670.0, 0.6};
    AntigenExpression gprc5d{2, 2000.0, 0.8};
    AntigenExpression fcrh5{2, 1000.0, 0.8};
    AntigenExpression cd38{2, 20000.0, 0.8};

    const AntigenExpression& expression(Antigen a) const;
    AntigenExpression& expression(Antigen a);
};

template <class V>
void describe(CloneSpec& c, V& v) {
    v.field("name", c.name, FieldInfo{"", "", "clone name, used in output column names"});
    v.field("fraction", c.fraction,
            fraction("scenario",
                     "share of the initial tumour cells in this clone (null: what the other clones leave; one clone "
                     "at most)"));
    v.field("growth_rate_per_day", c.growth_rate_per_day,
            FieldInfo{"1/day", "assumed", "intrinsic net growth rate of this clone (null: the tumour default)", -1.0,
                      5.0});
    v.section("bcma", c.bcma);
    v.section("gprc5d", c.gprc5d);
    v.section("fcrh5", c.fcrh5);
    v.section("cd38", c.cd38);
}

enum class GrowthLaw { Logistic, Gompertz };
}  // namespace cartsim::tumour

namespace cartsim {
template <>
struct EnumNames<tumour::GrowthLaw> {
    using GrowthLaw = tumour::GrowthLaw;
    static constexpr std::array items{std::pair{GrowthLaw::Logistic, "logistic"},
                                      std::pair{GrowthLaw::Gompertz, "gompertz"}};
};
}  // namespace cartsim

namespace cartsim::tumour {

struct TumourParams {
    double initial_cells = 3.0e11;
    double carrying_capacity_cells = 5.0e12;
    double lethal_burden_cells = 3.0e12;
    GrowthLaw growth_law = GrowthLaw::Logistic;
    double growth_rate_per_day = 0.008;
    double turnover_death_rate_per_day = 0.01;
    int bcma_bins = 12;
    double bcma_bin_min_molecules_per_cell = 10.0;
    double bcma_bin_max_molecules_per_cell = 1.0e5;
    double density_drift_rate_per_day = 0.01;
    double bcma_loss_per_division = 1.0e-7;
    double gprc5d_loss_per_division = 1.0e-7;
    double april_growth_boost = 0.3;
    double april_half_saturation_molecules_per_cell = 300.0;
    double marrow_other_cells = 1.0e12;
    std::vector<CloneSpec> clones{CloneSpec{}};
};

template <class V>
void describe(TumourParams& t, V& v) {
    v.field("initial_cells", t.initial_cells,
            bounded("cells", "Durie-Salmon staging (high stage > 1.2e12 cells/m2); assumed mid-range",
                    "myeloma cells in the body at day 0", 1.0, 1.0e14));
    v.field("carrying_capacity_cells", t.carrying_capacity_cells,
            bounded("cells", "assumed", "tumour size at which net growth stops", 1.0, 1.0e15));
    v.field("lethal_burden_cells", t.lethal_burden_cells,
            bounded("cells", "assumed (about 2.5x the high-stage burden of Durie-Salmon)",
                    "tumour size at which the patient dies", 1.0, 1.0e15));
    v.field("growth_law", t.growth_law, FieldInfo{"", "assumed", "crowding law: logistic or gompertz"});
    v.field("growth_rate_per_day", t.growth_rate_per_day,
            bounded("1/day", "Singh et al. 2021 (Kg = 0.008/day, doubling in 87 days); M-protein doubling <= 6 "
                             "months in half of relapses (Eur J Haematol 1996)",
                    "intrinsic net growth rate at the initial burden", -1.0, 5.0));
    v.field("turnover_death_rate_per_day", t.turnover_death_rate_per_day,
            nonnegative("1/day", "assumed", "background death rate; division rate = growth + turnover"));
    v.field("bcma_bins", t.bcma_bins, bounded("bins", "assumed", "log-spaced BCMA density bins per clone "
                                                                            "(plus a zero bin)", 2.0, 64.0));
    v.field("bcma_bin_min_molecules_per_cell", t.bcma_bin_min_molecules_per_cell,
            bounded("molecules/cell", "assumed", "lower edge of the lowest density bin", 1e-3, 1e9));
    v.field("bcma_bin_max_molecules_per_cell", t.bcma_bin_max_molecules_per_cell,
            bounded("molecules/cell", "assumed", "upper edge of the highest density bin", 1e-3, 1e9));
    v.field("density_drift_rate_per_day", t.density_drift_rate_per_day,
            nonnegative("1/day", "assumed", "phenotypic drift between neighbouring BCMA bins, relaxing each clone "
                                            "back to its own density distribution"));
    v.field("bcma_loss_per_division", t.bcma_loss_per_division,
            fraction("assumed (order of somatic loss rates per locus)",
                     "probability per division of losing one BCMA allele"));
    v.field("gprc5d_loss_per_division", t.gprc5d_loss_per_division,
            fraction("assumed", "probability per division of losing GPRC5D expression"));
    v.field("april_growth_boost", t.april_growth_boost,
            nonnegative("-", "assumed", "maximal relative growth gain of BCMA+ cells from macrophage APRIL"));
    v.field("april_half_saturation_molecules_per_cell", t.april_half_saturation_molecules_per_cell,
            bounded("molecules/cell", "assumed", "BCMA density giving half the APRIL signal", 1e-9, kInf));
    v.field("marrow_other_cells", t.marrow_other_cells,
            bounded("cells", "assumed (order of total marrow nucleated cells)",
                    "non-myeloma nucleated marrow cells; sets plasma-cell percent and MRD fraction", 1.0, 1e15));
    v.list("clones", t.clones);
}

/// Cross-field checks the per-field ranges cannot express. Returns every problem found.
std::vector<std::string> validate(const TumourParams& t);

/// Each declared clone's share of the initial tumour cells, a null fraction taking the remainder
/// (clamped at 0; validate reports a remainder below 0).
std::vector<double> initial_fractions(const TumourParams& t);

}  // namespace cartsim::tumour
