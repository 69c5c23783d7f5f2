#pragma once
// Myeloma cells: clones, their antigens and how they grow, drift and mutate (MODEL.md sections 2-4).

#include <optional>
#include <string>
#include <vector>

#include "model/common/antigen.hpp"
#include "model/common/describe.hpp"

namespace cartsim::tumour {

/// Plausible net growth rates of myeloma (tumour and clone growth_rate_per_day).
inline constexpr std::string_view kGrowthRange =
    "Singh et al. 2021 (0.008/day, doubling in 87 days); M-protein doubling <= 6 months in half of relapses "
    "(Eur J Haematol 1996); up to 0.05/day (doubling in 2 weeks) assumed";

/// Surface density of one antigen on one clone: a lognormal across cells, scaled by the number of
/// intact alleles (2 = wild type, 1 = heterozygous loss: half density, 0 = biallelic loss: none).
struct AntigenExpression {
    int alleles = 2;
    double median_molecules_per_cell = 670.0;
    double sigma_log = 0.6;

    /// Median density with the intact alleles: each allele carries half of the wild-type density
    /// [molecules/cell]. The one definition of allele halving.
    double allele_median_molecules_per_cell() const { return median_molecules_per_cell * alleles / 2.0; }
};

template <class V>
void describe(AntigenExpression& a, V& v) {
    v.field("alleles", a.alleles,
            FieldInfo{"alleles", "Da Via et al., Nat Med 2021 (biallelic BCMA loss)",
                      "intact alleles: 2 wild type, 1 heterozygous loss (half density), 0 lost", 0.0, 2.0}
                .plausible(0.0, 2.0, "two alleles per locus; BCMA: 2, 1 or 0 intact (Da Via et al., Nat Med 2021)"));
    v.field("median_molecules_per_cell", a.median_molecules_per_cell,
            nonnegative("molecules/cell", "BCMA: median 670 (IQR 380-850) before commercial BCMA CAR-T, Perica et al., Blood 2023 (ASH abstract, n = 27)",
                        "median surface density with both alleles intact")
                .plausible(10.0, 1e5,
                           "BCMA: 670 (IQR 380-850) before and 390 (290-490) after BCMA CAR-T (Perica et al. 2023), "
                           "low-density clones down to tens; other antigens assumed up to 1e5 (CD38)"));
    v.field("sigma_log", a.sigma_log,
            bounded("-", "BCMA: IQR 380-850 gives sigma = ln(850/380)/1.349 = 0.60", "standard deviation of ln(density)",
                    0.0, 3.0)
                .plausible(0.0, 1.5, "BCMA: 0.60 from the IQR (Perica et al. 2023); up to 1.5 assumed; 0: no spread"));
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
                     "at most)")
                .plausible(0.0, 1.0, "any share: from one cell in 3e11 (3e-12) to the whole tumour"));
    v.field("growth_rate_per_day", c.growth_rate_per_day,
            FieldInfo{"1/day", "assumed", "intrinsic net growth rate of this clone (null: the tumour default)", -1.0,
                      5.0}
                .plausible(0.0, 0.05, kGrowthRange));
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

/// Disease that effectors reach poorly (extramedullary or niche-protected): a second site holding a
/// share of every clone at day 0 (model/README.md, "Second tumour site").
struct ExtramedullaryParams {
    double share = 0.0;
    double effector_access = 0.3;
    double cart_access = 1.0;
};

template <class V>
void describe(ExtramedullaryParams& e, V& v) {
    v.field("share", e.share,
            fraction("assumed; drawn per patient where a population gives it (extramedullary disease in 17% of "
                     "MajesTEC-1, 13% of CARTITUDE-1, 39% of KarMMa)",
                     "share of the initial tumour (of every clone) in the poorly reached site (0: no such site)")
                .plausible(0.0, 0.5, "assumed (plasmacytomas hold a minority of the body's myeloma cells)"));
    v.field("effector_access", e.effector_access,
            fraction("fitted in the populations to MajesTEC-1's ORR with (10/28) and without (94/137) extramedullary "
                     "disease (J&J Medical Information); 0.3 assumed here",
                     "rate at which the patient's own T cells bridged by an engager meet a cell of the site, relative "
                     "to marrow (they must already be in the lesion)")
                .plausible(0.001, 1.0, "assumed"));
    v.field("cart_access", e.cart_access,
            fraction("assumed (CAR-T cells traffic into tissue and expand where they meet antigen; not fitted: the "
                     "CAR-T trials report no extramedullary subgroup the populations use)",
                     "rate at which CAR-T cells meet a cell of the site, relative to marrow")
                .plausible(0.001, 1.0, "assumed"));
}

/// Growth heterogeneity: a faster-dividing copy of every clone, present at day 0 and/or founded by
/// division (model/README.md, "Growth heterogeneity").
struct FastSubcloneParams {
    double fraction = 0.0;
    double growth_fold = 2.0;
    double per_division = 0.0;
};

template <class V>
void describe(FastSubcloneParams& f, V& v) {
    v.field("fraction", f.fraction,
            fraction("assumed (proliferative plasma-cell subclusters are a minority before therapy and enriched at "
                     "relapse in single-cell studies)",
                     "share of every clone's cells in its faster copy at day 0 (0 and per_division 0: no copy)")
                .plausible(0.0, 0.3, "assumed"));
    v.field("growth_fold", f.growth_fold,
            bounded("-", "assumed", "net growth rate of the faster copy relative to its clone", 0.0, 100.0)
                .plausible(1.0, 5.0, "assumed (M-protein doubles within 6 months at half of relapses, Eur J "
                                     "Haematol 1996, against about 3 months at the baseline median growth)"));
    v.field("per_division", f.per_division,
            fraction("assumed (order of somatic mutation rates per locus)",
                     "probability per division that a daughter belongs to the faster copy")
                .plausible(0.0, 1e-5, "assumed"));
}

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
    double bcma_heritable_fraction = 0.5;
    double bcma_loss_per_division = 1.0e-7;
    double gprc5d_loss_per_division = 1.0e-7;
    double april_growth_boost = 0.3;
    double april_half_saturation_molecules_per_cell = 300.0;
    double april_pdl1_max_protection = 0.3;
    double marrow_other_cells = 1.0e12;
    ExtramedullaryParams extramedullary;
    FastSubcloneParams fast_subclone;
    std::vector<CloneSpec> clones{CloneSpec{}};
};

template <class V>
void describe(TumourParams& t, V& v) {
    v.field("initial_cells", t.initial_cells,
            bounded("cells", "Durie-Salmon staging (high stage > 1.2e12 cells/m2); assumed mid-range",
                    "myeloma cells in the body at day 0", 1.0, 1.0e14)
                .plausible(1e9, 5e12,
                           "Durie and Salmon, Cancer 1975: 0.6e12 to more than 1.2e12 cells/m2 at diagnosis; fewer "
                           "after earlier lines (assumed down to 1e9)"));
    v.field("carrying_capacity_cells", t.carrying_capacity_cells,
            bounded("cells", "assumed", "tumour size at which net growth stops", 1.0, 1.0e15)
                .plausible(1e12, 2e13, "assumed (above the lethal burden, 2-5e12 cells)"));
    v.field("lethal_burden_cells", t.lethal_burden_cells,
            bounded("cells", "assumed (about 2.5x the high-stage burden of Durie-Salmon)",
                    "tumour size at which the patient dies", 1.0, 1.0e15)
                .plausible(1e12, 1e13,
                           "about 2.5x the Durie-Salmon high-stage burden (the populations use it; not fitted)"));
    v.field("growth_law", t.growth_law, FieldInfo{"", "assumed", "crowding law: logistic or gompertz"});
    v.field("growth_rate_per_day", t.growth_rate_per_day,
            bounded("1/day", "Singh et al. 2021 (Kg = 0.008/day, doubling in 87 days); M-protein doubling <= 6 "
                             "months in half of relapses (Eur J Haematol 1996)",
                    "intrinsic net growth rate at the initial burden", -1.0, 5.0)
                .plausible(0.0, 0.05, kGrowthRange));
    v.field(
        "turnover_death_rate_per_day", t.turnover_death_rate_per_day,
        nonnegative("1/day", "assumed", "background death rate; division rate = growth + turnover")
            .plausible(0.0, 0.1,
                       "assumed (plasma-cell labelling indices of about 0.5-3% put division at about 0.01-0.05/day)"));
    v.field("bcma_bins", t.bcma_bins,
            bounded("bins", "assumed", "log-spaced BCMA density bins per clone (plus a zero bin)", 2.0, 64.0)
                .plausible(6.0, 32.0, "assumed (numerics: bins a factor 1.3-3 wide over 10-1e5 molecules/cell)"));
    v.field("bcma_bin_min_molecules_per_cell", t.bcma_bin_min_molecules_per_cell,
            bounded("molecules/cell", "assumed", "lower edge of the lowest density bin", 1e-3, 1e9)
                .plausible(1.0, 50.0, "assumed (below the 50 molecules/cell functional floor, Perica et al. 2023)"));
    v.field("bcma_bin_max_molecules_per_cell", t.bcma_bin_max_molecules_per_cell,
            bounded("molecules/cell", "assumed", "upper edge of the highest density bin", 1e-3, 1e9)
                .plausible(1e4, 1e6, "assumed (above the highest measured BCMA densities, about 1e4/cell)"));
    v.field("density_drift_rate_per_day", t.density_drift_rate_per_day,
            nonnegative("1/day", "assumed", "phenotypic drift between neighbouring BCMA bins, relaxing each clone "
                                            "back to its own density distribution")
                .plausible(0.001, 0.5,
                           "surface BCMA re-equilibrates within hours (Chen et al., Blood Cancer J 2022); the "
                           "populations use 0.5/day, the fastest the solver affords"));
    v.field("bcma_heritable_fraction", t.bcma_heritable_fraction,
            fraction("assumed (no measurement separates heritable from plastic BCMA density; the relapse shift, 670 "
                     "to 390 molecules/cell, is their joint result)",
                     "mechanisms.heritable_density: share of a selection-driven change of a clone's mean log BCMA "
                     "density that daughters inherit (the rest relaxes at density_drift_rate_per_day)")
                .plausible(0.1, 0.9, "assumed"));
    v.field("bcma_loss_per_division", t.bcma_loss_per_division,
            fraction("assumed (order of somatic loss rates per locus)",
                     "probability per division of losing one BCMA allele")
                .plausible(1e-9, 1e-5, "assumed (somatic loss of a locus at about 1e-9 to 1e-6 per division, more "
                                       "in unstable myeloma genomes)"));
    v.field("gprc5d_loss_per_division", t.gprc5d_loss_per_division,
            fraction("assumed", "probability per division of losing GPRC5D expression")
                .plausible(1e-9, 1e-5, "assumed (as bcma_loss_per_division)"));
    v.field("april_growth_boost", t.april_growth_boost,
            nonnegative("-", "assumed", "maximal relative growth gain of BCMA+ cells from macrophage APRIL")
                .plausible(0.0, 2.0, "assumed"));
    v.field("april_half_saturation_molecules_per_cell", t.april_half_saturation_molecules_per_cell,
            bounded("molecules/cell", "assumed", "BCMA density giving half the APRIL signal", 1e-9, kInf)
                .plausible(30.0, 3000.0, "assumed (around the measured BCMA median of 670, Perica et al. 2023)"));
    v.field("april_pdl1_max_protection", t.april_pdl1_max_protection,
            fraction("assumed (APRIL induces PD-L1 on myeloma cells, Tai et al., Blood 2016)",
                     "mechanisms.april_pdl1: largest cut of T-cell killing of a cell with saturated APRIL binding "
                     "among saturating suppressive macrophages")
                .plausible(0.0, 0.8, "assumed"));
    v.field("marrow_other_cells", t.marrow_other_cells,
            bounded("cells", "assumed (order of total marrow nucleated cells)",
                    "non-myeloma nucleated marrow cells; sets plasma-cell percent and MRD fraction", 1.0, 1e15)
                .plausible(3e11, 3e12, "assumed (total nucleated marrow cells of an adult, about 1e12)"));
    v.section("extramedullary", t.extramedullary);
    v.section("fast_subclone", t.fast_subclone);
    v.list("clones", t.clones);
}

/// Cross-field checks the per-field ranges cannot express. Returns every problem found.
std::vector<std::string> validate(const TumourParams& t);

/// Each declared clone's share of the initial tumour cells, a null fraction taking the remainder
/// (clamped at 0; validate reports a remainder below 0).
std::vector<double> initial_fractions(const TumourParams& t);

/// Switches (YAML `mechanisms:`, every one on by default) of the mechanisms of the tumour room (division, death, drift, mutation, sites): each is declared
/// beside the parameters it uses; patient/mechanisms.hpp gathers them.
struct TumourMechanisms {
    bool antigen_loss = true;
    bool antigen_density_selection = true;
    bool phenotypic_drift = true;
    bool april_support = true;
    bool heritable_density = true;
    bool april_pdl1 = true;
    bool extramedullary_site = true;  // acts only in patients with tumour.extramedullary.share > 0
    bool growth_heterogeneity = true;  // acts only with tumour.fast_subclone fraction or per_division > 0
};

template <class V>
void describe(TumourMechanisms& m, V& v) {
    v.field("antigen_loss", m.antigen_loss, FieldInfo{"", "Da Via et al., Nat Med 2021; Samur et al., Nat Commun 2021", "BCMA and GPRC5D loss by mutation at division"});
    v.field("antigen_density_selection", m.antigen_density_selection,
            FieldInfo{"", "Perica et al., Blood 2023 (ASH abstract)", "killing depends on each cell's density (off: on its clone's mean)"});
    v.field("phenotypic_drift", m.phenotypic_drift, FieldInfo{"", "assumed", "drift between BCMA density bins"});
    v.field("april_support", m.april_support,
            FieldInfo{"", "Tai et al., Blood 2016 (APRIL and BCMA support myeloma growth)", "APRIL from suppressive macrophages speeds growth of BCMA+ cells"});
    v.field("heritable_density", m.heritable_density,
            FieldInfo{"", "Perica et al., Blood 2023 (BCMA 670 before, 390 molecules/cell at relapse after BCMA "
                          "CAR-T); heritable share assumed",
                      "a share of each clone's BCMA density is heritable: selection under CAR-T or an engager "
                      "moves the clone's drift target, which stays moved after the pressure ends; drift relaxes "
                      "only the plastic part (off: drift returns every clone to its baseline profile)"});
    v.field("april_pdl1", m.april_pdl1,
            FieldInfo{"", "Tai et al., Blood 2016 (APRIL induces PD-L1 on myeloma cells); strength assumed",
                      "APRIL from dense suppressive macrophages induces PD-L1 on BCMA-carrying tumour cells, which cuts "
                      "their killing by T cells (CAR-T, engagers) in proportion to their APRIL binding"});
    v.field("extramedullary_site", m.extramedullary_site,
            FieldInfo{"", "MajesTEC-1 (ORR 36% with extramedullary disease against 69% without); access assumed",
                      "disease in a second, poorly reached site (tumour.extramedullary): T cells meet its cells at "
                      "the site's effector access, marrow readouts count marrow cells, complete response needs the "
                      "site below imaging detection, focal radiotherapy treats it (off: every cell as in marrow)"});
    v.field("growth_heterogeneity", m.growth_heterogeneity,
            FieldInfo{"", "assumed (proliferative plasma-cell subclusters enriched at relapse in single-cell studies)",
                      "the faster copy of each clone (tumour.fast_subclone) grows growth_fold times faster, so "
                      "therapy can select it (off: it grows as its clone)"});
}

}  // namespace cartsim::tumour
