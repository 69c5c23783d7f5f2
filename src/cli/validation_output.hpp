#pragma once
// The validation table on the console: one line per target, misses marked, calibrated targets starred.

#include <string>
#include <vector>

#include "src/study/validation.hpp"

namespace cartsim::cli {

void print_validation(const std::vector<study::TargetResult>& results);

/// Targets marked `calibrated: true`, without a `known_miss`, whose model value left the band.
std::vector<const study::TargetResult*> calibrated_misses(const std::vector<study::TargetResult>& results);

}  // namespace cartsim::cli
