#pragma once
// What a set of replicates adds up to: outcome counts and shares with 95% Wilson intervals, and the
// median day of progression.

#include <optional>
#include <string>
#include <vector>

#include "src/parallel/replicates.hpp"
#include "src/parallel/statistics.hpp"

namespace cartsim::parallel {

struct OutcomeShare {
    std::string outcome;
    long count = 0;
    double share = 0.0;  // count / replicates
    Interval ci;         // 95% Wilson score interval of the share
};

struct ReplicateAggregate {
    long replicates = 0;
    std::vector<OutcomeShare> outcomes;            // simulate::kOutcomes in order, then "error"; zeros included
    long progressed = 0;                           // replicates whose first line progressed
    std::optional<double> median_progression_day;  // day, over the replicates that progressed
    long failed = 0;                               // replicates whose run threw
};

ReplicateAggregate aggregate(const std::vector<ReplicateRecord>& records);

}  // namespace cartsim::parallel
