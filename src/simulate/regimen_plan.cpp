#include "src/simulate/regimen_plan.hpp"

#include <algorithm>
#include <map>


namespace cartsim::simulate {

RegimenPlan plan_regimen(const std::vector<drugs::Line>& regimen) {
    using drugs::TherapyKind;
    RegimenPlan plan;
    // A therapy's output name is its own name, prefixed by its line when the name recurs.
    std::map<std::string, int> uses;
    for (const auto& line : regimen)
        for (const auto& t : line.therapies) ++uses[t.name];
    for (std::size_t l = 0; l < regimen.size(); ++l) {
        for (std::size_t i = 0; i < regimen[l].therapies.size(); ++i) {
            const drugs::Therapy& t = regimen[l].therapies[i];
            const std::string name = uses[t.name] > 1 ? regimen[l].name + "_" + t.name : t.name;
            TherapyRef ref{l, i};
            switch (t.kind) {
                case TherapyKind::CarT:
                    ref.cart_slot = static_cast<int>(plan.slots.cart.size());
                    plan.slots.cart.push_back({name, t.cart});
                    // Without a binder_id, the same product in two lines shares its binder.
                    if (t.cart.binder_id.empty())
                        plan.slots.cart.back().params.binder_id = t.product.empty() ? t.name : t.product;
                    break;
                case TherapyKind::Bispecific:
                    ref.bispecific_slot = static_cast<int>(plan.slots.bispecific.size());
                    plan.slots.bispecific.push_back({name, t.bispecific});
                    break;
                case TherapyKind::AntiCd38:
                case TherapyKind::AntibodyDrugConjugate:
                    ref.antibody_slot = static_cast<int>(plan.slots.antibodies.size());
                    plan.slots.antibodies.push_back({name, t.effect.target, t.effect.binder, t.effect.kill_rate_per_day});
                    ref.exposure = static_cast<int>(plan.exposures.size());
                    break;
                case TherapyKind::Radiotherapy:
                case TherapyKind::Unset: break;
                case TherapyKind::GammaSecretaseInhibitor:
                    plan.slots.gsi_bcma_density_fold =
                        std::max(plan.slots.gsi_bcma_density_fold, t.effect.bcma_density_fold);
                    ref.exposure = static_cast<int>(plan.exposures.size());
                    break;
                default: ref.exposure = static_cast<int>(plan.exposures.size()); break;
            }
            if (ref.exposure >= 0) plan.exposures.push_back(ref);
            plan.therapies.push_back(ref);
        }
    }
    return plan;
}

std::vector<Antigen> line_targets(const drugs::Line& line) {
    std::vector<Antigen> targets;
    const auto add = [&](Antigen a) {
        if (std::find(targets.begin(), targets.end(), a) == targets.end()) targets.push_back(a);
    };
    for (const auto& t : line.therapies) {
        switch (t.kind) {
            case drugs::TherapyKind::CarT:
                for (Antigen a : t.cart.targets) add(a);
                break;
            case drugs::TherapyKind::Bispecific:
                for (Antigen a : t.bispecific.targets) add(a);
                break;
            case drugs::TherapyKind::AntibodyDrugConjugate: add(t.effect.target); break;
            default: break;
        }
    }
    return targets;
}

}  // namespace cartsim::simulate
