#pragma once
// How list entries are named in key paths and selected by overrides: by their `name`, or by their
// `product` when they have no name (therapies are known by product, e.g. "ide-cel"), else by their
// `path` (a cohort or sweep parameter is known by the path it draws).

#include <optional>
#include <string>
#include <vector>

#include "src/config/node.hpp"

namespace cartsim::config {

/// The entry's `name` text, else its `product` text, else its `path` text, else nullopt.
std::optional<std::string> entry_key(const Node& entry);

/// One label per item of a sequence for key paths: its entry_key, or its index when it has none or
/// shares it with another entry (so every label selects exactly one entry).
std::vector<std::string> entry_labels(const Node& sequence);

}  // namespace cartsim::config
