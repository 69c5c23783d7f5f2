#include "src/parallel/aggregate.hpp"

#include <algorithm>
#include <iterator>

#include "src/simulate/outcome.hpp"

namespace cartsim::parallel {

ReplicateAggregate aggregate(const std::vector<ReplicateRecord>& records) {
    ReplicateAggregate result;
    result.replicates = static_cast<long>(records.size());
    const auto add = [&result](std::string_view name) {
        OutcomeShare share;
        share.outcome = std::string(name);
        result.outcomes.push_back(std::move(share));
    };
    for (const auto name : simulate::kOutcomes) add(name);
    add(kErrorOutcome);

    std::vector<double> progression_days;
    for (const auto& record : records) {
        auto slot = std::find_if(result.outcomes.begin(), result.outcomes.end(),
                                 [&](const OutcomeShare& o) { return o.outcome == record.outcome; });
        // An outcome name this build does not know cannot happen; count it as an error rather than lose it.
        if (slot == result.outcomes.end()) slot = std::prev(result.outcomes.end());
        ++slot->count;
        if (record.summary && record.summary->progression_day)
            progression_days.push_back(*record.summary->progression_day);
    }
    for (auto& o : result.outcomes) {
        o.share = result.replicates ? static_cast<double>(o.count) / static_cast<double>(result.replicates) : 0.0;
        o.ci = wilson_interval(o.count, result.replicates);
    }
    result.failed = result.outcomes.back().count;
    result.progressed = static_cast<long>(progression_days.size());
    result.median_progression_day = median(std::move(progression_days));
    return result;
}

}  // namespace cartsim::parallel
