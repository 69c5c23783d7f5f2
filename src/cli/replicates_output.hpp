#pragma once
// The files of a replicate run: summary.json (outcome shares with 95% Wilson intervals, median day
// of progression) and replicates.csv (one row per replicate). Neither holds a wall-clock value, so
// both are byte-identical for any number of threads.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/parallel/aggregate.hpp"
#include "src/parallel/replicates.hpp"
#include "src/simulate/scenario.hpp"

namespace cartsim::cli {

/// summary.json with keys in a fixed order: scenario, replicates, first_seed, last_seed,
/// confidence_level, interval, outcomes (every outcome, zeros included: count, share, ci_low,
/// ci_high), progressed, median_progression_day (null when none progressed).
nlohmann::ordered_json replicates_summary_json(const simulate::Scenario& scenario,
                                               const std::vector<parallel::ReplicateRecord>& records,
                                               const parallel::ReplicateAggregate& aggregate);

/// replicates.csv: a header, then one row per replicate in replicate order; empty cells for null.
std::string replicates_csv(const std::vector<parallel::ReplicateRecord>& records);

}  // namespace cartsim::cli
