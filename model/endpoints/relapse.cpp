#include "model/endpoints/relapse.hpp"

namespace cartsim::endpoints {

RelapseType classify_relapse(const RelapseEvidence& e, const RelapseRules& rules) {
    if (!e.line_targets_antigen) return RelapseType::Untargeted;
    if (e.share_below_floor >= rules.negative_share)
        return 2.0 * e.share_lost >= e.share_below_floor ? RelapseType::AntigenNegative : RelapseType::AntigenLow;
    if (e.density_ratio < rules.low_density_ratio) return RelapseType::AntigenLow;
    if (e.effector_ratio < rules.effector_loss_ratio) return RelapseType::EffectorLoss;
    if (e.exhausted_fraction >= rules.exhausted_fraction) return RelapseType::Exhaustion;
    if (e.suppression >= rules.suppression_level) return RelapseType::Microenvironment;
    return RelapseType::AntigenPositive;
}

}  // namespace cartsim::endpoints
