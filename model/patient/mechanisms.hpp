#pragma once
// Every mechanism of the model can be switched off for in-silico knock-out experiments.

#include "model/common/describe.hpp"

namespace cartsim::patient {

struct Mechanisms {
    bool antigen_loss = true;
    bool antigen_density_selection = true;
    bool phenotypic_drift = true;
    bool soluble_bcma = true;
    bool trogocytosis = true;
    bool april_support = true;
    bool macrophage_suppression = true;
    bool exhaustion = true;
    bool lymphodepletion_boost = true;
    bool immunogenicity = true;
    bool manufacturing_fitness = true;
    bool background_mortality = true;
    bool fcrn_saturation = true;
    bool anti_car_memory = true;
    bool anti_car_contraction = true;
    bool cytokine_space = true;
    bool expansion_capacity = true;
    bool activation_cytokines = true;
    bool costimulation_kinetics = true;
    bool memory_longevity = true;
    bool extramedullary_site = true;  // acts only in patients with tumour.extramedullary.share > 0
    bool growth_heterogeneity = true;  // acts only with tumour.fast_subclone fraction or per_division > 0
    bool arm_occupancy = true;
    bool heritable_density = true;
    bool myeloid_memory = true;
    bool april_pdl1 = true;
    bool prior_therapy_fitness = true;  // acts only when t_cells.prior_lines or prior_redirection differ from the reference
};

template <class V>
void describe(Mechanisms& m, V& v) {
    v.field("antigen_loss", m.antigen_loss, FieldInfo{"", "Da Via et al., Nat Med 2021; Samur et al., Nat Commun 2021", "BCMA and GPRC5D loss by mutation at division"});
    v.field("antigen_density_selection", m.antigen_density_selection,
            FieldInfo{"", "Perica et al., Blood 2023 (ASH abstract)", "killing depends on each cell's density (off: on its clone's mean)"});
    v.field("phenotypic_drift", m.phenotypic_drift, FieldInfo{"", "assumed", "drift between BCMA density bins"});
    v.field("soluble_bcma", m.soluble_bcma, FieldInfo{"", "Ghermezi et al., Haematologica 2017 (shed BCMA); decoy strength assumed", "shed BCMA acts as a decoy"});
    v.field("trogocytosis", m.trogocytosis,
            FieldInfo{"", "Hamieh et al., Nature 2019 (CAR-T trogocytosis)", "CAR-T strip BCMA from tumour cells and suffer fratricide"});
    v.field("april_support", m.april_support,
            FieldInfo{"", "Tai et al., Blood 2016 (APRIL and BCMA support myeloma growth)", "APRIL from suppressive macrophages speeds growth of BCMA+ cells"});
    v.field("macrophage_suppression", m.macrophage_suppression,
            FieldInfo{"", "Li et al., Exp Hematol Oncol 2023 (macrophages at relapse); strength assumed", "suppressive macrophages cut killing and speed exhaustion"});
    v.field("exhaustion", m.exhaustion, FieldInfo{"", "assumed", "chronic stimulation exhausts CAR-T and T cells"});
    v.field("lymphodepletion_boost", m.lymphodepletion_boost,
            FieldInfo{"", "assumed", "homeostatic cytokines after lymphodepletion expand CAR-T"});
    v.field("immunogenicity", m.immunogenicity, FieldInfo{"", "assumed (anti-CAR antibodies reported after ide-cel)", "anti-CAR immunity shortens persistence"});
    v.field("manufacturing_fitness", m.manufacturing_fitness,
            FieldInfo{"", "assumed", "T-cell fitness at apheresis shapes the CAR-T product"});
    v.field("background_mortality", m.background_mortality,
            FieldInfo{"", "assumed", "death from causes other than tumour burden"});
    v.field("fcrn_saturation", m.fcrn_saturation,
            FieldInfo{"", "Junghans and Anderson, PNAS 1996; Waldmann and Strober, Prog Allergy 1969",
                      "M-protein catabolism speeds up as FcRn saturates (off: one constant half-life)"});
    v.field("anti_car_memory", m.anti_car_memory,
            FieldInfo{"", "assumed (an adaptive response, once primed, persists as memory)",
                      "the host remembers its response against a CAR binder: a later infusion with the same binder "
                      "meets it at once (off: a fresh response after every infusion)"});
    v.field("anti_car_contraction", m.anti_car_contraction,
            FieldInfo{"", "Kaech, Wherry and Ahmed, Nat Rev Immunol 2002 (T-cell responses contract after antigen "
                          "clearance, leaving 5-10% as memory)",
                      "the host's anti-CAR response grows only with its antigen (CAR-T cells with that binder) and "
                      "contracts to its memory share without it (off: once primed it grows to full and stays)"});
    v.field("cytokine_space", m.cytokine_space,
            FieldInfo{"", "Gattinoni et al., J Exp Med 2005 (lymphocytes are the sink of IL-7/IL-15); Kochenderfer et al., "
                          "JCO 2017 (IL-15 after flu/cy goes with CAR-T expansion)",
                      "the homeostatic cytokines are produced at a steady rate and consumed by every lymphocyte (endogenous "
                      "T cells and CAR-T), so lymphodepletion depth and the infused dose set the surge (off: a fixed surge "
                      "at lymphodepletion that decays with its half-life)"});
    v.field("expansion_capacity", m.expansion_capacity,
            FieldInfo{"", "Perillo et al., Exp Cell Res 1993 (T cells divide a limited number of times); Cohen et al., "
                          "JCI 2019 and Garfall et al., Blood Adv 2019 (T-cell phenotype at apheresis goes with CAR-T "
                          "expansion)",
                      "each product's cells can divide only so many times; division slows as the capacity, set by T-cell "
                      "fitness at apheresis, is spent (off: unlimited division)"});
    v.field("activation_cytokines", m.activation_cytokines,
            FieldInfo{"", "Lee et al., Blood 2014 and Morris et al., Nat Rev Immunol 2022 (CRS follows T-cell "
                          "activation); Liu et al., Sci Immunol 2020 (target-cell pyroptosis); Martin et al., Cancer "
                          "2023 (teclistamab CRS mostly with step-up doses)",
                      "inflammation also follows T-cell activation (CAR-T engaged by antigen, T cells bridged by an "
                      "engager), and exposure makes the release refractory for weeks (off: kills alone release it)"});
    v.field("costimulation_kinetics", m.costimulation_kinetics,
            FieldInfo{"", "Kawalekar et al., Immunity 2016; persistence of CD19 CAR-T by domain (car_design)",
                      "a CD28 costimulatory domain shortens persistence against 4-1BB (no shipped product is CD28; "
                      "off: the domain has no effect)"});
    v.field("memory_longevity", m.memory_longevity,
            FieldInfo{"", "Zarnitsyna et al., PLoS Comput Biol 2021; Akondy et al., Nature 2017 (human memory CD8 "
                          "T cells after yellow fever vaccination)",
                      "memory CAR-T cells are lost as human memory CD8 T cells are: the per-cell loss falls with time "
                      "since infusion (car_design.memory_loss_exponent / days), so the pool shrinks as a power of time; "
                      "anti-CAR killing adds as before (off: memory_death_rate_per_day for ever)"});
    v.field("extramedullary_site", m.extramedullary_site,
            FieldInfo{"", "MajesTEC-1 (ORR 36% with extramedullary disease against 69% without); access assumed",
                      "disease in a second, poorly reached site (tumour.extramedullary): T cells meet its cells at "
                      "the site's effector access, marrow readouts count marrow cells, complete response needs the "
                      "site below imaging detection, focal radiotherapy treats it (off: every cell as in marrow)"});
    v.field("heritable_density", m.heritable_density,
            FieldInfo{"", "Perica et al., Blood 2023 (BCMA 670 before, 390 molecules/cell at relapse after BCMA "
                          "CAR-T); heritable share assumed",
                      "a share of each clone's BCMA density is heritable: selection under CAR-T or an engager "
                      "moves the clone's drift target, which stays moved after the pressure ends; drift relaxes "
                      "only the plastic part (off: drift returns every clone to its baseline profile)"});
    v.field("growth_heterogeneity", m.growth_heterogeneity,
            FieldInfo{"", "assumed (proliferative plasma-cell subclusters enriched at relapse in single-cell studies)",
                      "the faster copy of each clone (tumour.fast_subclone) grows growth_fold times faster, so "
                      "therapy can select it (off: it grows as its clone)"});
    v.field("myeloid_memory", m.myeloid_memory,
            FieldInfo{"", "Li et al., Exp Hematol Oncol 2023 (interferon-responsive suppressive macrophages at relapse "
                          "after BCMA CAR-T); Netea et al., Science 2016 (innate immune memory lasts months); rates "
                          "assumed",
                      "inflammation from CAR-T, engagers and killing leaves a myeloid imprint that outlasts it and "
                      "raises macrophage recruitment and polarisation to the suppressive pool (off: macrophages "
                      "follow the current inflammation and tumour only)"});
    v.field("april_pdl1", m.april_pdl1,
            FieldInfo{"", "Tai et al., Blood 2016 (APRIL induces PD-L1 on myeloma cells); strength assumed",
                      "APRIL from dense suppressive macrophages induces PD-L1 on BCMA-carrying tumour cells, which cuts "
                      "their killing by T cells (CAR-T, engagers) in proportion to their APRIL binding"});
    v.field("prior_therapy_fitness", m.prior_therapy_fitness,
            FieldInfo{"", "Blood 2024;144:615 (MajesTEC-1 immune correlates); Front Immunol 2020;11:2153; Dima et "
                          "al., Blood Cancer J 2025;15:111; strengths assumed",
                      "prior lines and prior T-cell-redirecting therapy lower the functional T-cell share at day 0 "
                      "(t_cells.prior_lines, prior_redirection), and with it engager killing and the CAR-T product "
                      "made from these cells (off: baseline_functional_fraction whatever the history)"});
    v.field("arm_occupancy", m.arm_occupancy,
            FieldInfo{"", "Hibma et al., Clin Pharmacokinet 2026 (elranatamab binds soluble BCMA, Kd 3.1 nM); "
                          "Pillarisetti et al., Blood Adv 2020 (teclistamab ex vivo EC50 1.7 nM); CD3 affinities in "
                          "the product files",
                      "each arm of a bispecific has its own occupancy: soluble BCMA binds BCMA-directed drug by "
                      "equilibrium, the free drug engages tumour cells, and CD3 occupancy (by all drug) drives the "
                      "T-cell attrition of continuous exposure (off: one occupancy c / (c + EC50) for everything, "
                      "soluble BCMA as a decoy)"});
}

}  // namespace cartsim::patient
