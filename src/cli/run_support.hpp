#pragma once
// What `cartsim run` shares between a single run and replicates: loading with diagnostics, the
// start time and the manifest.json fields.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/cli/commands.hpp"
#include "src/scenario/loader.hpp"
#include "src/simulate/run_result.hpp"
#include "src/simulate/table.hpp"

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

/// One run of a loaded scenario, of the cartsim model or a reference model: the time series, the
/// content of summary.json (with the solver's statistics under "solver"), and for a hybrid run its
/// lineages. `cartsim run` writes these; the Python module returns them.
struct SingleRun {
    simulate::Table table;
    nlohmann::json summary;
    std::optional<simulate::Summary> patient_summary;  // the cartsim model only
    std::optional<std::vector<simulate::LineageRecord>> lineages;
    std::vector<std::string> clone_names;
};

/// Runs `scenario` (wall_seconds_limit 0: no limit). Throws what the runners throw: ode::IntegrationError,
/// std::invalid_argument (bad input found while running), std::runtime_error (the wall-time limit, the
/// hybrid's agent bound).
SingleRun simulate_single(const simulate::Scenario& scenario, double wall_seconds_limit);

}  // namespace cartsim::cli
