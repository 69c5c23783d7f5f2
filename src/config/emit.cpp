#include "src/config/emit.hpp"

#include <algorithm>
#include <cctype>

#include <yaml-cpp/yaml.h>

#include "src/config/scalar.hpp"

namespace cartsim::config {

namespace {

// A quoted string must not come back as a number, bool or null. yaml-cpp quotes text that cannot be
// plain at all (": ", leading "-", ...) but not these, so we decide for them.
bool needs_quotes(const std::string& text) {
    if (text.empty()) return true;
    const char first = text.front();
    if (std::isdigit(static_cast<unsigned char>(first)) || first == '+' || first == '-' || first == '.') return true;
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const char* word : {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"}) {
        if (lower == word) return true;
    }
    return false;
}

bool all_scalars(const Node& node) {
    return std::all_of(node.items.begin(), node.items.end(),
                       [](const Node& n) { return !n.is_map() && !n.is_sequence(); });
}

void emit(YAML::Emitter& out, const Node& node) {
    switch (node.kind) {
    case NodeKind::Null: out << YAML::Null; return;
    case NodeKind::Scalar:
        if (!node.plain && needs_quotes(node.text)) out << YAML::DoubleQuoted;
        out << node.text;
        return;
    case NodeKind::Sequence:
        if (all_scalars(node)) out << YAML::Flow;
        out << YAML::BeginSeq;
        for (const Node& item : node.items) emit(out, item);
        out << YAML::EndSeq;
        return;
    case NodeKind::Map:
        if (node.entries.empty()) out << YAML::Flow;
        out << YAML::BeginMap;
        for (const MapEntry& entry : node.entries) {
            out << YAML::Key << entry.key << YAML::Value;
            emit(out, entry.value);
        }
        out << YAML::EndMap;
        return;
    }
}

}  // namespace

std::string to_yaml_string(const Node& node) {
    YAML::Emitter out;
    out.SetNullFormat(YAML::LowerNull);
    emit(out, node);
    std::string text = out.c_str();
    if (text.empty() || text.back() != '\n') text += '\n';
    return text;
}

std::string to_flow_string(const Node& node) {
    YAML::Emitter out;
    out.SetNullFormat(YAML::LowerNull);
    out.SetSeqFormat(YAML::Flow);
    out.SetMapFormat(YAML::Flow);
    emit(out, node);
    return out.c_str();
}

nlohmann::json to_json(const Node& node) {
    switch (node.kind) {
    case NodeKind::Null: return nullptr;
    case NodeKind::Scalar:
        if (!node.plain) return node.text;
        if (node.text == "true" || node.text == "false") return node.text == "true";
        if (const auto integer = parse_integer(node.text)) return *integer;
        if (const auto number = parse_number(node.text)) return *number;
        return node.text;
    case NodeKind::Sequence: {
        nlohmann::json array = nlohmann::json::array();
        for (const Node& item : node.items) array.push_back(to_json(item));
        return array;
    }
    case NodeKind::Map: {
        nlohmann::json object = nlohmann::json::object();
        for (const MapEntry& entry : node.entries) object[entry.key] = to_json(entry.value);
        return object;
    }
    }
    return nullptr;
}

}  // namespace cartsim::config
