#pragma once
// Right-censored survival data: one (time, event, group) record per subject.

#include <string_view>
#include <vector>

namespace cartsim::stats {

struct SurvivalObservation {
    double time_days = 0.0;  // from the time origin (e.g. infusion) to the event or to censoring, days
    bool event = false;      // true: the event happened at time_days; false: right-censored at time_days
    int group = 0;           // group label (e.g. trial arm); single-sample functions ignore it
};

using SurvivalData = std::vector<SurvivalObservation>;

/// Throws std::invalid_argument naming `caller` unless every time is finite and >= 0 days.
void check_survival_data(const SurvivalData& data, std::string_view caller);

/// The distinct group labels, ascending.
std::vector<int> group_labels(const SurvivalData& data);

/// The records of one group, in their original order.
SurvivalData select_group(const SurvivalData& data, int group);

}  // namespace cartsim::stats
