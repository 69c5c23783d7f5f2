#include "src/study/folds.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace cartsim::study {

std::vector<std::string> fold_trials(const std::vector<TargetInfo>& targets) {
    std::vector<std::string> trials;
    for (const auto& t : targets)
        if (t.counted && std::find(trials.begin(), trials.end(), t.trial) == trials.end()) trials.push_back(t.trial);
    return trials;
}

std::set<std::string> left_out_ids(const std::vector<TargetInfo>& targets, const std::string& trial) {
    std::set<std::string> trials{trial};
    for (const auto& t : targets)  // a pool leaves with its members
        if (t.trial == trial) trials.insert(t.members.begin(), t.members.end());
    std::set<std::string> ids;
    for (const auto& t : targets) {
        const bool pools_it = std::find(t.members.begin(), t.members.end(), trial) != t.members.end();
        if (trials.count(t.trial) || pools_it) ids.insert(t.id);
    }
    return ids;
}

LoadedCalibration restrict_to_fold(const LoadedCalibration& c, const std::set<std::string>& left_out) {
    LoadedCalibration fold = c;
    for (const auto& id : left_out) fold.objective.erase(id);
    for (std::size_t i = 0; i < c.spec.parameters.size(); ++i) {
        const auto& p = c.spec.parameters[i];
        const bool informed = std::any_of(p.informed_by.begin(), p.informed_by.end(),
                                          [&](const std::string& id) { return fold.objective.count(id) > 0; });
        if (informed || fold.fixed[i]) continue;
        if (!p.prior)
            throw std::invalid_argument(fmt::format("{}: parameter {} ({}) loses all its informing targets in this fold and has "
                                                    "no prior; give it prior: and prior_source:",
                                                    c.path, p.key, p.file));
        fold.fixed[i] = *p.prior;
    }
    return fold;
}

}  // namespace cartsim::study
