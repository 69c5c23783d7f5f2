#pragma once
// Loads a scenario file the one strict way: parse YAML, put it over its population preset (if it
// names one), apply --set overrides, expand product presets, read every key through the parameter descriptions, then check cross-field rules. Every
// problem comes back with file, line and key path; nothing here prints or exits.

#include <filesystem>
#include <string>
#include <vector>

#include "src/config/error.hpp"
#include "src/config/node.hpp"
#include "src/simulate/scenario.hpp"

namespace cartsim::scenario {

/// A change to one preset file (a product or a population), applied whenever that file is loaded:
/// calibration tries parameter values this way without touching the files.
struct PresetOverride {
    std::filesystem::path file;  // compared after std::filesystem::weakly_canonical
    std::string change;          // "key.path=value" inside the preset
};

struct LoadOptions {
    std::vector<std::string> overrides;                 // "path=value", applied in order
    std::vector<std::filesystem::path> product_dirs;    // searched first; then next to the scenario
    std::vector<PresetOverride> preset_overrides;
    int cohort_seed = -1;  // a study with seeds: draws these patients (-1: its first validation seed)
};

struct LoadedScenario {
    simulate::Scenario scenario;
    config::Node resolved;  // the scenario after presets and overrides, every key with its value
    std::string path;
    std::vector<config::ConfigWarning> warnings{};  // load_scenario: values far outside their plausible range
};

config::Result<LoadedScenario> load_scenario(const std::string& path, const LoadOptions& options);

// load_scenario in its three steps, for studies that build many scenarios from one file:
/// Parses the file and applies the --set overrides (a map, or errors).
config::Result<config::Node> prepare_scenario(const std::string& path, const LoadOptions& options);
/// Replaces each therapy that names a product by the preset merged under it.
void expand_presets(config::Node& root, const std::string& path, const LoadOptions& options,
                    std::vector<config::ConfigError>& errors);
/// Reads every key through the parameter descriptions and checks the cross-field rules; `resolve`
/// also writes the resolved tree (LoadedScenario::resolved).
config::Result<LoadedScenario> read_scenario(const config::Node& root, const std::string& path, bool resolve = true);

/// The values written in `root` (a scenario tree with its population, presets and --set overrides in
/// place) that lie far outside their plausible range, each at the file and line that set it. A value
/// that an override put in (origin "--set TEXT") counts when TEXT is one of the user's own overrides, or
/// is written as a scalar in `written` (a study file: an arm's `set:` entry, to whose line the warning
/// then points); other overrides (sweep points, cohort draws) are what a study generated and are
/// skipped, so a cohort never warns per patient.
std::vector<config::ConfigWarning> plausibility_warnings(const config::Node& root, const LoadOptions& options,
                                                         const config::Node* written = nullptr);

/// Folders searched for product presets: the given ones, then a `products` folder found next to the
/// scenario or in a `scenarios` folder above it, then the source tree's scenarios/products.
std::vector<std::filesystem::path> product_search_path(const std::string& scenario_path,
                                                       const std::vector<std::filesystem::path>& given);

/// Product preset names available in the search path.
std::vector<std::string> available_products(const std::vector<std::filesystem::path>& dirs);

/// Folders searched for population presets (`population: NAME`): a `populations` folder next to the
/// scenario or in a `scenarios` folder above it, then the source tree's scenarios/populations.
std::vector<std::filesystem::path> population_search_path(const std::string& scenario_path);

/// Loads a preset file and applies the options' preset overrides that name it.
config::Result<config::Node> load_preset(const std::filesystem::path& file, const LoadOptions& options);

/// Puts a study file over its population: maps merge key by key (the file wins); the cohort's
/// `parameters` merge by `path` and its `correlations` by their pair, so a study can redraw or add one
/// parameter without restating the rest.
config::Node merge_population(const config::Node& population, const config::Node& study);

}  // namespace cartsim::scenario
