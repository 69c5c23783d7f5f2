#pragma once
// What `cartsim check FILE [--set ...]` does with a user's input, as library calls and without printing:
// parse the file, put it over its population, apply the overrides, and either load it as a study
// (cohort, sweep or arms blocks) or as one scenario; then the plausibility warnings and the resolved
// tree, as check prints them. Errors come back as values; the fuzz targets only look for crashes,
// undefined behaviour, leaks, escaping exceptions, hangs and runaway memory on the way.

#include <string>

#include "src/config/emit.hpp"
#include "src/scenario/loader.hpp"
#include "src/study/study_loader.hpp"

namespace cartsim::fuzz {

/// Loads and validates `path` with `options` the way `cartsim check` does. Returns true when valid.
inline bool check_input(const std::string& path, const scenario::LoadOptions& options) {
    auto prepared = scenario::prepare_scenario(path, options);
    if (prepared && study::has_study_blocks(prepared.value())) {
        auto loaded = study::load_study(path, options);
        if (!loaded) {
            (void)config::format_errors(loaded.errors());
            return false;
        }
        const config::Node* written = &prepared.value();  // as `check` warns: what the file writes
        for (const auto& group : loaded.value().groups) {
            (void)config::format_warnings(scenario::plausibility_warnings(group.root, options, written));
            for (const auto& variant : group.variants)
                (void)config::format_warnings(scenario::plausibility_warnings(variant.root, options, written));
        }
        return true;
    }
    auto loaded = scenario::load_scenario(path, options);
    if (!loaded) {
        (void)config::format_errors(loaded.errors());
        return false;
    }
    (void)config::format_warnings(loaded.value().warnings);
    (void)config::to_yaml_string(loaded.value().resolved);
    (void)config::to_json(loaded.value().resolved);  // manifest.json of `cartsim run`
    return true;
}

}  // namespace cartsim::fuzz
