#pragma once
// summary.json: the endpoints of one run.

#include <nlohmann/json.hpp>

#include "src/simulate/run_result.hpp"

namespace cartsim::io {

nlohmann::json summary_to_json(const simulate::Summary& summary);

}  // namespace cartsim::io
