#pragma once
// Turning a Node into text: block YAML for files, one-line flow text for tables, JSON for manifests.

#include <string>

#include <nlohmann/json.hpp>

#include "src/config/node.hpp"

namespace cartsim::config {

/// Block-style YAML; lists of scalars are written inline ([1, 2]). Strings that would read back as a
/// number, bool or null are quoted, so the text loads back to an identical tree.
std::string to_yaml_string(const Node& node);

/// One line: "0.5", "[1, 2]", "null", "{a: 1}".
std::string to_flow_string(const Node& node);

/// Plain scalars that spell numbers become JSON numbers, true/false become bools, null stays null;
/// quoted scalars and all other text stay strings. (nlohmann::json orders object keys alphabetically.)
nlohmann::json to_json(const Node& node);

}  // namespace cartsim::config
