#pragma once
// What `cartsim run` shares between a single run and replicates: loading with diagnostics, the
// start time and the manifest.json fields.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/cli/commands.hpp"
#include "src/scenario/loader.hpp"

namespace cartsim::cli {

/// The loader's options from the command line (--set, --products).
scenario::LoadOptions load_options(const CommonOptions& options);

/// Loads and validates the scenario; on failure prints every problem to stderr and returns nothing.
/// Values far outside their plausible range are printed to stderr as warnings (never fatal).
std::optional<scenario::LoadedScenario> load_or_report(const CommonOptions& options);

/// Prints one warning per line to stderr.
void report_warnings(const std::vector<config::ConfigWarning>& warnings);

/// For `cartsim check`: "# N plausibility warnings" then each warning as a comment line.
void print_warnings_section(const std::vector<config::ConfigWarning>& warnings);

/// The current UTC time as ISO 8601 to the second, e.g. 2025-01-31T12:00:00Z.
std::string utc_now();

/// manifest.json fields of every run: cartsim version, git commit, scenario file, overrides, seed,
/// start time, wall time [s] and the resolved scenario.
nlohmann::json manifest_json(const CommonOptions& options, const scenario::LoadedScenario& loaded,
                             const std::string& started_at, double wall_time_seconds);

}  // namespace cartsim::cli
