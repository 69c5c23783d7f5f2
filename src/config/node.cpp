#include "src/config/node.hpp"

#include <algorithm>
#include <utility>

namespace cartsim::config {

namespace {

Node make(NodeKind kind, Origin origin) {
    Node node;
    node.kind = kind;
    node.origin = std::move(origin);
    return node;
}

}  // namespace

Node Node::null(Origin origin) { return make(NodeKind::Null, std::move(origin)); }

Node Node::scalar(std::string text, Origin origin) {
    Node node = make(NodeKind::Scalar, std::move(origin));
    node.text = std::move(text);
    return node;
}

Node Node::quoted(std::string text, Origin origin) {
    Node node = scalar(std::move(text), std::move(origin));
    node.plain = false;
    return node;
}

Node Node::sequence(Origin origin) { return make(NodeKind::Sequence, std::move(origin)); }

Node Node::map(Origin origin) { return make(NodeKind::Map, std::move(origin)); }

const MapEntry* Node::find_entry(std::string_view key) const {
    const auto it = std::find_if(entries.begin(), entries.end(), [&](const MapEntry& e) { return e.key == key; });
    return it == entries.end() ? nullptr : &*it;
}

MapEntry* Node::find_entry(std::string_view key) { return const_cast<MapEntry*>(std::as_const(*this).find_entry(key)); }

const Node* Node::find(std::string_view key) const {
    const MapEntry* entry = find_entry(key);
    return entry ? &entry->value : nullptr;
}

Node* Node::find(std::string_view key) { return const_cast<Node*>(std::as_const(*this).find(key)); }

bool Node::erase(std::string_view key) {
    const auto it = std::find_if(entries.begin(), entries.end(), [&](const MapEntry& e) { return e.key == key; });
    if (it == entries.end()) return false;
    entries.erase(it);
    return true;
}

Node& Node::set(std::string key, Node value, Origin key_origin) {
    if (MapEntry* entry = find_entry(key)) {
        entry->key_origin = std::move(key_origin);
        entry->value = std::move(value);
        return entry->value;
    }
    entries.push_back(MapEntry{std::move(key), std::move(key_origin), std::move(value)});
    return entries.back().value;
}

std::string describe_node(const Node& node) {
    switch (node.kind) {
    case NodeKind::Null: return "null (an empty value)";
    case NodeKind::Sequence: return "a list";
    case NodeKind::Map: return "a map";
    case NodeKind::Scalar: break;
    }
    return node.plain ? "'" + node.text + "'" : "the quoted string '" + node.text + "'";
}

std::size_t tree_size(const Node& node) {
    std::size_t size = 1;
    for (const Node& item : node.items) size += tree_size(item);
    for (const MapEntry& entry : node.entries) size += tree_size(entry.value);
    return size;
}

std::size_t tree_bytes(const Node& node) {
    std::size_t bytes = sizeof(Node) + node.text.size() + node.origin.file.size();
    for (const Node& item : node.items) bytes += tree_bytes(item);
    for (const MapEntry& entry : node.entries)
        bytes += sizeof(MapEntry) - sizeof(Node) + entry.key.size() + entry.key_origin.file.size() + tree_bytes(entry.value);
    return bytes;
}

}  // namespace cartsim::config
