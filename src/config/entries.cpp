#include "src/config/entries.hpp"

#include <algorithm>

namespace cartsim::config {

std::optional<std::string> entry_key(const Node& entry) {
    for (const char* key : {"name", "product", "path"}) {
        const Node* value = entry.find(key);
        if (value && value->is_scalar()) return value->text;
    }
    return std::nullopt;
}

std::vector<std::string> entry_labels(const Node& sequence) {
    std::vector<std::optional<std::string>> keys;
    for (const Node& item : sequence.items) keys.push_back(entry_key(item));
    std::vector<std::string> labels;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const bool unique = keys[i] && std::count(keys.begin(), keys.end(), keys[i]) == 1;
        labels.push_back(unique ? *keys[i] : std::to_string(i));
    }
    return labels;
}

}  // namespace cartsim::config
