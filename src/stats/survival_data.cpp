#include "src/stats/survival_data.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace cartsim::stats {

void check_survival_data(const SurvivalData& data, std::string_view caller) {
    for (std::size_t i = 0; i < data.size(); ++i) {
        const double t = data[i].time_days;
        if (!std::isfinite(t) || t < 0.0)
            throw std::invalid_argument(std::string(caller) + ": record " + std::to_string(i) + " has time_days " +
                                        std::to_string(t) + "; times must be finite and >= 0");
    }
}

std::vector<int> group_labels(const SurvivalData& data) {
    std::vector<int> labels;
    for (const auto& record : data) labels.push_back(record.group);
    std::sort(labels.begin(), labels.end());
    labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
    return labels;
}

SurvivalData select_group(const SurvivalData& data, int group) {
    SurvivalData selected;
    std::copy_if(data.begin(), data.end(), std::back_inserter(selected),
                 [group](const SurvivalObservation& record) { return record.group == group; });
    return selected;
}

}  // namespace cartsim::stats
