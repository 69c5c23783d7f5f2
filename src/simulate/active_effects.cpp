#include "src/simulate/active_effects.hpp"

#include <algorithm>
#include <cmath>

namespace cartsim::simulate {

using drugs::TherapyKind;

patient::ActiveEffects active_effects(const ExposureView& view, double t) {
    patient::ActiveEffects effects;
    effects.antibody_on.assign(view.plan.slots.antibodies.size(), false);
    for (std::size_t i = 0; i < view.plan.exposures.size(); ++i) {
        if (!view.on[i]) continue;
        const TherapyRef& ref = view.plan.exposures[i];
        const drugs::Therapy& th = view.regimen[ref.line].therapies[ref.therapy];
        const auto& e = th.effect;
        // Acquired resistance: the direct kill halves every resistance_half_life_days on the line.
        const double kill = e.resistance_half_life_days
                                ? e.kill_rate_per_day * std::exp2(-(t - view.first_on[i]) / *e.resistance_half_life_days)
                                : e.kill_rate_per_day;
        switch (th.kind) {
            case TherapyKind::GammaSecretaseInhibitor:
                effects.gsi_on = true;
                effects.shedding_block = std::max(effects.shedding_block, e.shedding_block);
                break;
            case TherapyKind::Immunomodulator:
                effects.direct_kill_rate_per_day += kill;
                effects.exhaustion_reduction = std::max(effects.exhaustion_reduction, e.exhaustion_reduction);
                effects.killing_boost += e.killing_boost;
                break;
            case TherapyKind::ProteasomeInhibitor:
            case TherapyKind::Chemotherapy: effects.direct_kill_rate_per_day += kill; break;
            case TherapyKind::AntiCd38:
            case TherapyKind::AntibodyDrugConjugate:
                effects.antibody_on[static_cast<std::size_t>(ref.antibody_slot)] = true;
                break;
            case TherapyKind::Pd1Blockade:
                effects.exhaustion_reduction = std::max(effects.exhaustion_reduction, e.exhaustion_reduction);
                effects.reversal_rate_per_day += e.reversal_rate_per_day;
                break;
            case TherapyKind::MacrophageTherapy:
                effects.recruitment_reduction = std::max(effects.recruitment_reduction, e.recruitment_reduction);
                effects.polarisation_reduction = std::max(effects.polarisation_reduction, e.polarisation_reduction);
                break;
            default: break;
        }
    }
    return effects;
}

}  // namespace cartsim::simulate
