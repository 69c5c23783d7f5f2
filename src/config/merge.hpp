#pragma once
// Layering of YAML trees: presets under scenarios, scenarios under --set overrides.

#include "src/config/node.hpp"

namespace cartsim::config {

/// Maps merge key by key, recursively (new keys are appended in overlay order); anything else, lists
/// included, is replaced by the overlay. Every node keeps its own origin, so a value that came from a
/// preset still reports the preset's file and line.
Node deep_merge(const Node& base, const Node& overlay);

}  // namespace cartsim::config
