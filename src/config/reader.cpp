#include "src/config/reader.hpp"

#include <algorithm>

namespace cartsim::config {

const Node* Reader::consume(std::string_view key) {
    known_keys_.emplace_back(key);
    for (std::size_t i = 0; i < map_.entries.size(); ++i) {
        if (map_.entries[i].key == key) {
            consumed_[i] = true;
            return &map_.entries[i].value;
        }
    }
    return nullptr;
}

void Reader::check_unique_names(const Node& sequence, const std::string& path) {
    std::vector<const Node*> seen;
    for (const Node& entry : sequence.items) {
        const Node* name = entry.find("name");
        if (!name || !name->is_scalar()) continue;
        const auto first = std::find_if(seen.begin(), seen.end(), [&](const Node* n) { return n->text == name->text; });
        if (first != seen.end()) {
            errors_.push_back(make_error(
                name->origin, path,
                fmt::format("duplicate name '{}' (first used at line {})", name->text, (*first)->origin.line)));
        } else {
            seen.push_back(name);
        }
    }
}

void Reader::finish() {
    if (uncertain_variant_) return;
    for (std::size_t i = 0; i < map_.entries.size(); ++i) {
        if (consumed_[i]) continue;
        const MapEntry& entry = map_.entries[i];
        errors_.push_back(make_error(entry.key_origin, detail::join_path(path_, entry.key),
                                     "unknown key '" + entry.key + "'" + suggestion_suffix(entry.key, known_keys_)));
    }
}

}  // namespace cartsim::config
