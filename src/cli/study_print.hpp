#pragma once
// The console summary of a study: per arm (or sweep point) the response rates and median PFS, PFS2
// and OS; per line of a multi-line regimen its response, PFS, duration of response and relapse
// types; each arm against the reference arm with hazard ratios, the proportional-hazards check and
// the RMST difference. summary.json holds all of it and every other pair.

#include <ostream>

#include <nlohmann/json.hpp>

namespace cartsim::cli {

void print_study_summary(const nlohmann::ordered_json& summary, std::ostream& out);

}  // namespace cartsim::cli
