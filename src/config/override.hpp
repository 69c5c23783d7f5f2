#pragma once
// Command-line overrides: `--set patient.tumour.clones[bcma_neg].fraction=0`.
//
// The path is map keys separated by dots; `[x]` selects a list entry by index or by name (an entry's
// `name`, else its `product`, else its `path`; brackets nest). The value is YAML, so `false`, `0.012`, `[1, 2]` and `{a: 1}` all work.

#include <string>
#include <string_view>
#include <vector>

#include "src/config/node.hpp"

namespace cartsim::config {

struct PathStep {
    enum class Kind { Key, Select };
    Kind kind = Kind::Key;
    std::string text;  // the key, or what is inside [ ]
};

struct Override {
    std::string text;  // as given: "patient.tumour.growth_rate_per_day=0.01"
    std::vector<PathStep> path;
    Node value;  // every node's origin is origin()

    /// {"--set <text>", line 0}: errors about this override print the whole override.
    Origin origin() const { return Origin{"--set " + text, 0, 0}; }
};

Result<Override> parse_override(std::string_view text);

/// Sets the value at the override's path. Missing map keys are created (the struct reader then rejects
/// unknown ones with a did-you-mean); a missing list entry or a path through a scalar is an error.
/// A null root becomes a map. On error `root` is unchanged.
std::vector<ConfigError> apply_override(Node& root, const Override& change);

/// The node at `path` (map keys and [name or index] selections, as for overrides), or nullptr when
/// the path is malformed or leads nowhere.
const Node* find_at(const Node& root, std::string_view path);

}  // namespace cartsim::config
