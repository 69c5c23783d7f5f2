#pragma once
// An owned YAML tree that remembers where every node came from, so any later stage (merging presets,
// applying --set overrides, reading parameter structs) can point the user at the exact file and line.

#include <string>
#include <string_view>
#include <vector>

#include "src/config/error.hpp"

namespace cartsim::config {

enum class NodeKind { Null, Scalar, Sequence, Map };

struct MapEntry;

struct Node {
    NodeKind kind = NodeKind::Null;
    Origin origin;
    std::string text;               // Scalar: the text as written, without quotes
    bool plain = true;              // Scalar: false when quoted or tagged !!str, i.e. meant as a string
    std::vector<Node> items;        // Sequence
    std::vector<MapEntry> entries;  // Map, in source order

    static Node null(Origin origin = {});
    static Node scalar(std::string text, Origin origin = {});  // plain: a number, bool, name...
    static Node quoted(std::string text, Origin origin = {});  // always a string
    static Node sequence(Origin origin = {});
    static Node map(Origin origin = {});

    bool is_null() const { return kind == NodeKind::Null; }
    bool is_scalar() const { return kind == NodeKind::Scalar; }
    bool is_sequence() const { return kind == NodeKind::Sequence; }
    bool is_map() const { return kind == NodeKind::Map; }

    /// Map lookup; nullptr when absent or when this is not a map.
    const MapEntry* find_entry(std::string_view key) const;
    MapEntry* find_entry(std::string_view key);
    const Node* find(std::string_view key) const;
    Node* find(std::string_view key);

    /// Replaces the value of `key` (keeping its position) or appends a new entry; returns the value.
    Node& set(std::string key, Node value, Origin key_origin = {});
    /// Removes `key`; false when it was absent.
    bool erase(std::string_view key);
};

struct MapEntry {
    std::string key;
    Origin key_origin;  // where the key itself is written (unknown-key errors point here)
    Node value;
};

/// For error messages: "a map", "a list", "null", "'fast'" or "the quoted string '1.5'".
std::string describe_node(const Node& node);

/// Number of nodes in the tree: the node itself and every list item and map value below it.
std::size_t tree_size(const Node& node);

/// Bytes the tree takes in memory, roughly: its nodes and map entries with every text, key and origin.
std::size_t tree_bytes(const Node& node);

/// Parses YAML text; `origin_name` is used as the file name in origins and errors. Malformed YAML,
/// duplicate keys, non-text keys and multiple documents are errors. An empty text is a Null node.
Result<Node> load_yaml_string(std::string_view text, const std::string& origin_name);

/// Reads and parses a file; a missing or unreadable file is an error naming it.
Result<Node> load_yaml_file(const std::string& path);

}  // namespace cartsim::config
