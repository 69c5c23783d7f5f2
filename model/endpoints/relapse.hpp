#pragma once
// Why a line failed: the relapse type at progression (MODEL.md section 6). Rules, in order:
//   untargeted                      the line had no antigen-directed therapy
//   antigen_negative                >= negative_share of tumour cells are below the functional floor
//                                   for every target of the line, and most of those cells belong to
//                                   clones that have lost every target (no expressed allele: biallelic
//                                   loss, as in BCMA-negative relapse; Da Via et al. 2021)
//   antigen_low                     the same share below the floor, but mostly cells of clones that
//                                   still express the target at low density; or the median target
//                                   density fell below low_density_ratio of its value at line start
//   antigen_positive_sanctuary      >= sanctuary_share of the tumour is in the site T cells reach poorly
//                                   (tumour.extramedullary: extramedullary or niche-protected disease)
//   antigen_positive_effector_loss  the line's functional effectors fell below effector_loss_ratio of
//                                   their peak during the line (CAR-T: effector + memory cells;
//                                   bispecific: engaged functional T cells)
//   antigen_positive_exhaustion     >= exhausted_fraction of the line's effectors are exhausted
//   microenvironment                macrophage suppression >= suppression_level
//   antigen_positive                none of the above

#include "model/common/describe.hpp"

namespace cartsim::endpoints {

enum class RelapseType {
    Untargeted,
    AntigenNegative,
    AntigenLow,
    Sanctuary,
    EffectorLoss,
    Exhaustion,
    Microenvironment,
    AntigenPositive
};
}  // namespace cartsim::endpoints

namespace cartsim {
template <>
struct EnumNames<endpoints::RelapseType> {
    using RelapseType = endpoints::RelapseType;
    static constexpr std::array items{std::pair{RelapseType::Untargeted, "untargeted"},
                                      std::pair{RelapseType::AntigenNegative, "antigen_negative"},
                                      std::pair{RelapseType::AntigenLow, "antigen_low"},
                                      std::pair{RelapseType::Sanctuary, "antigen_positive_sanctuary"},
                                      std::pair{RelapseType::EffectorLoss, "antigen_positive_effector_loss"},
                                      std::pair{RelapseType::Exhaustion, "antigen_positive_exhaustion"},
                                      std::pair{RelapseType::Microenvironment, "microenvironment"},
                                      std::pair{RelapseType::AntigenPositive, "antigen_positive"}};
};
}  // namespace cartsim

namespace cartsim::endpoints {

/// One antigen at progression: lost (most cells below the floor, mostly in clones without it), low
/// (most below the floor but still expressing, or the median density fallen below low_density_ratio
/// of its value at the start of the line) or positive.
enum class AntigenStatus { Negative, Low, Positive };
}  // namespace cartsim::endpoints

namespace cartsim {
template <>
struct EnumNames<endpoints::AntigenStatus> {
    using AntigenStatus = endpoints::AntigenStatus;
    static constexpr std::array items{std::pair{AntigenStatus::Negative, "negative"},
                                      std::pair{AntigenStatus::Low, "low"},
                                      std::pair{AntigenStatus::Positive, "positive"}};
};
}  // namespace cartsim

namespace cartsim::endpoints {

struct RelapseRules {
    double negative_share = 0.5;
    double low_density_ratio = 0.5;
    double sanctuary_share = 0.5;
    double effector_loss_ratio = 0.01;
    double exhausted_fraction = 0.5;
    double suppression_level = 0.3;
};

template <class V>
void describe(RelapseRules& r, V& v) {
    v.field("negative_share", r.negative_share,
            fraction("assumed (most tumour cells)", "share of cells below the floor for an antigen-negative relapse")
                .plausible(0.3, 0.95, "assumed (about half or most of the tumour)"));
    v.field("low_density_ratio", r.low_density_ratio,
            fraction("assumed (median BCMA 670 -> 390 at relapse after CAR-T, Perica et al., Blood 2023)",
                     "median density ratio (now / line start) for an antigen-low relapse")
                .plausible(0.2, 0.9, "median BCMA 670 -> 390 at relapse after CAR-T, a ratio of 0.58 (Perica et al., "
                                     "Blood 2023); assumed 0.2-0.9"));
    v.field("sanctuary_share", r.sanctuary_share,
            fraction("assumed (most of the tumour)",
                     "share of the tumour in the poorly reached site (tumour.extramedullary) for a sanctuary relapse")
                .plausible(0.3, 0.95, "assumed (about half or most of the tumour)"));
    v.field("effector_loss_ratio", r.effector_loss_ratio,
            fraction("assumed", "functional effectors now / peak during the line, for effector loss")
                .plausible(0.001, 0.1, "assumed"));
    v.field("exhausted_fraction", r.exhausted_fraction,
            fraction("assumed", "exhausted share of the line's effectors, for an exhaustion relapse")
                .plausible(0.3, 0.9, "assumed"));
    v.field("suppression_level", r.suppression_level,
            fraction("assumed", "macrophage suppression for a microenvironment-dominated relapse")
                .plausible(0.1, 0.7, "assumed"));
}

struct RelapseEvidence {
    bool line_targets_antigen = false;
    double share_below_floor = 0.0;  // tumour cells below the functional floor of every target
    double share_lost = 0.0;         // tumour cells of clones that express none of the targets
    double density_ratio = 1.0;
    double share_poorly_reached = 0.0;  // tumour cells in the second site (tumour.extramedullary)
    double effector_ratio = 1.0;
    double exhausted_fraction = 0.0;
    double suppression = 0.0;
};

RelapseType classify_relapse(const RelapseEvidence& evidence, const RelapseRules& rules);

/// The antigen rules of classify_relapse for one antigen (or the line's targets together): share of
/// tumour cells below the functional floor, share in clones that lost it, median density now / at
/// the start of the line.
AntigenStatus antigen_status(double share_below_floor, double share_lost, double density_ratio,
                             const RelapseRules& rules);

}  // namespace cartsim::endpoints
