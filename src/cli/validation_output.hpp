#pragma once
// The validation tables on the console: one line per target with its status (calibrated, independent,
// input check) and whether its band is assumed; input checks in a table of their own; then the counts
// per status.

#include <string>
#include <vector>

#include "src/study/validation.hpp"

namespace cartsim::cli {

void print_validation(const std::vector<study::TargetResult>& results);

/// Calibrated targets with a source-backed band, without a `known_miss`, whose model value left the band.
std::vector<const study::TargetResult*> calibrated_misses(const std::vector<study::TargetResult>& results);

}  // namespace cartsim::cli
