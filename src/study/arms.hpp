#pragma once
// The `arms:` block of a study: each arm a name, a regimen and/or 'path=value' changes, and optional
// variants: named shares of the arm's patients with changes of their own (for example which prior
// therapy a patient had). Read strictly (file, line, key, did-you-mean) like every other block.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "src/config/error.hpp"
#include "src/config/node.hpp"

namespace cartsim::study {

/// A regimen and/or 'path=value' changes, as an arm or one of its variants writes them.
struct Change {
    std::optional<config::Node> regimen;
    std::vector<std::pair<std::string, config::Origin>> overrides;
};

struct VariantEntry {
    std::string name;
    double share = 0.0;
    Change change;
    config::Origin origin;
};

struct ArmEntry {
    std::string name;
    Change change;
    std::vector<VariantEntry> variants;
};

/// arms: a list of {name, description, regimen, set, variants}; variants a list of {name, share,
/// description, regimen, set} with shares adding up to 1.
std::vector<ArmEntry> read_arms(const config::MapEntry& entry, std::vector<config::ConfigError>& errors);

/// Applies a change to a group's scenario tree; `at` is its key path, `what` names it in errors
/// ("in arm 'x'").
void apply_change(config::Node& root, const Change& change, const std::string& at, const std::string& what,
                  std::vector<config::ConfigError>& errors);

}  // namespace cartsim::study
