#include "src/config/merge.hpp"

namespace cartsim::config {

Node deep_merge(const Node& base, const Node& overlay) {
    if (!base.is_map() || !overlay.is_map()) return overlay;
    Node merged = base;
    for (const MapEntry& entry : overlay.entries) {
        MapEntry* existing = merged.find_entry(entry.key);
        if (existing && existing->value.is_map() && entry.value.is_map()) {
            existing->value = deep_merge(existing->value, entry.value);
        } else {
            merged.set(entry.key, entry.value, entry.key_origin);
        }
    }
    return merged;
}

}  // namespace cartsim::config
