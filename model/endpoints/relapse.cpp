#include "model/endpoints/relapse.hpp"

namespace cartsim::endpoints {

RelapseType classify_relapse(const RelapseEvidence& e, const RelapseRules& rules) {
    if (!e.line_targets_antigen) return RelapseType::Untargeted;
    switch (antigen_status(e.share_below_floor, e.share_lost, e.density_ratio, rules)) {
        case AntigenStatus::Negative: return RelapseType::AntigenNegative;
        case AntigenStatus::Low: return RelapseType::AntigenLow;
        case AntigenStatus::Positive: break;
    }
    if (e.share_poorly_reached >= rules.sanctuary_share) return RelapseType::Sanctuary;
    if (e.effector_ratio < rules.effector_loss_ratio) return RelapseType::EffectorLoss;
    if (e.exhausted_fraction >= rules.exhausted_fraction) return RelapseType::Exhaustion;
    if (e.suppression >= rules.suppression_level) return RelapseType::Microenvironment;
    return RelapseType::AntigenPositive;
}

AntigenStatus antigen_status(double share_below_floor, double share_lost, double density_ratio,
                             const RelapseRules& rules) {
    if (share_below_floor >= rules.negative_share)
        return 2.0 * share_lost >= share_below_floor ? AntigenStatus::Negative : AntigenStatus::Low;
    if (density_ratio < rules.low_density_ratio) return AntigenStatus::Low;
    return AntigenStatus::Positive;
}

}  // namespace cartsim::endpoints
