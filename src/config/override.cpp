#include "src/config/override.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <variant>

#include <fmt/format.h>

#include "src/config/entries.hpp"
#include "src/config/suggest.hpp"

namespace cartsim::config {

namespace {

void set_origin(Node& node, const Origin& origin) {
    node.origin = origin;
    for (Node& item : node.items) set_origin(item, origin);
    for (MapEntry& entry : node.entries) {
        entry.key_origin = origin;
        set_origin(entry.value, origin);
    }
}

// Splits "a.b[x][0].c" into steps; returns an error message on bad syntax.
std::optional<std::string> parse_path(std::string_view path, std::vector<PathStep>& steps) {
    std::size_t i = 0;
    while (true) {
        const std::size_t key_end = std::min(path.find_first_of(".[]", i), path.size());
        if (key_end == i) return fmt::format("empty key at position {} of '{}'", i + 1, path);
        steps.push_back(PathStep{PathStep::Kind::Key, std::string(path.substr(i, key_end - i))});
        i = key_end;
        while (i < path.size() && path[i] == '[') {
            // Brackets nest, so a cohort parameter can be selected by its own path:
            // cohort.parameters[patient.tumour.clones[bcma_neg].fraction].median
            std::size_t close = i + 1;
            for (int depth = 1; close < path.size(); ++close) {
                if (path[close] == '[') ++depth;
                if (path[close] == ']' && --depth == 0) break;
            }
            if (close >= path.size()) return fmt::format("unclosed '[' in '{}'", path);
            if (close == i + 1) return fmt::format("empty [] in '{}'", path);
            steps.push_back(PathStep{PathStep::Kind::Select, std::string(path.substr(i + 1, close - i - 1))});
            i = close + 1;
        }
        if (i == path.size()) return std::nullopt;
        if (path[i] != '.') return fmt::format("unexpected '{}' at position {} of '{}'", path[i], i + 1, path);
        ++i;
    }
}

bool is_index(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

// The entry of `sequence` selected by `selector`, or an error message.
std::variant<Node*, std::string> select(Node& sequence, const std::string& selector, const std::string& path) {
    if (is_index(selector)) {
        std::size_t index = 0;
        const auto [end, ec] = std::from_chars(selector.data(), selector.data() + selector.size(), index);
        if (ec == std::errc{} && index < sequence.items.size()) return &sequence.items[index];
        return fmt::format("index {} is out of range: '{}' has {} entries", selector, path, sequence.items.size());
    }
    std::vector<Node*> matches;
    std::vector<std::string> names;
    for (Node& item : sequence.items) {
        const auto key = entry_key(item);
        if (!key) continue;
        names.push_back(*key);
        if (*key == selector) matches.push_back(&item);
    }
    if (matches.size() == 1) return matches.front();
    if (matches.size() > 1) {
        return fmt::format("{} entries of '{}' are named '{}'; select one by index", matches.size(), path, selector);
    }
    std::string listing;
    for (const auto& name : names) listing += (listing.empty() ? "" : ", ") + name;
    return fmt::format("no entry named '{}' in '{}' (entries: {}){}", selector, path,
                       listing.empty() ? "none named" : listing, suggestion_suffix(selector, names));
}

/// For a top-level key that is empty here but that the arms of a study carry: where to set it instead.
std::string in_arms_hint(const Node& root, const std::string& path) {
    const Node* arms = root.is_map() ? root.find("arms") : nullptr;
    if (!arms || !arms->is_sequence() || path.find_first_of(".[") != std::string::npos) return "";
    for (const Node& arm : arms->items)
        if (arm.is_map() && arm.find(path)) return fmt::format(" (the arms set it: --set 'arms[NAME].{}...')", path);
    return "";
}

}  // namespace

Result<Override> parse_override(std::string_view text) {
    Override change;
    change.text = std::string(text);
    const Origin origin = change.origin();
    const std::size_t equals = text.find('=');
    if (equals == std::string_view::npos) return make_error(origin, "", "expected KEY.PATH=VALUE");
    if (auto message = parse_path(text.substr(0, equals), change.path)) return make_error(origin, "", *message);

    auto value = load_yaml_string(text.substr(equals + 1), origin.file);
    if (!value.ok()) {
        auto errors = value.errors();
        for (auto& error : errors) {
            error.line = 0;
            error.column = 0;
            error.message = "invalid value: " + error.message;
        }
        return errors;
    }
    change.value = std::move(value).value();
    set_origin(change.value, origin);
    return change;
}

std::vector<ConfigError> apply_override(Node& root, const Override& change) {
    const Origin origin = change.origin();
    Node updated = root;  // work on a copy so a failed override leaves the tree as it was
    Node* current = &updated;
    std::string path;
    for (const PathStep& step : change.path) {
        if (step.kind == PathStep::Kind::Key) {
            if (current->is_null()) *current = Node::map(origin);
            if (!current->is_map()) {
                return {make_error(origin, path,
                                   fmt::format("cannot set key '{}': '{}' is {}, not a map", step.text, path,
                                               describe_node(*current)))};
            }
            MapEntry* entry = current->find_entry(step.text);
            current = entry ? &entry->value : &current->set(step.text, Node::null(origin), origin);
            path = path.empty() ? step.text : path + "." + step.text;
        } else {
            if (!current->is_sequence()) {
                return {make_error(origin, path,
                                   fmt::format("cannot select [{}]: '{}' is {}, not a list{}", step.text, path,
                                               describe_node(*current), in_arms_hint(root, path)))};
            }
            auto selected = select(*current, step.text, path);
            if (auto* message = std::get_if<std::string>(&selected)) return {make_error(origin, path, *message)};
            current = std::get<Node*>(selected);
            path += "[" + step.text + "]";
        }
    }
    *current = change.value;
    root = std::move(updated);
    return {};
}

const Node* find_at(const Node& root, std::string_view path) {
    std::vector<PathStep> steps;
    if (parse_path(path, steps)) return nullptr;
    const Node* node = &root;
    for (const auto& step : steps) {
        if (step.kind == PathStep::Kind::Key) {
            node = node->is_map() ? node->find(step.text) : nullptr;
        } else {
            if (!node->is_sequence()) return nullptr;
            // select() only looks; it takes a mutable node because apply_override writes through it.
            const auto found = select(const_cast<Node&>(*node), step.text, std::string(path));
            node = std::holds_alternative<Node*>(found) ? std::get<Node*>(found) : nullptr;
        }
        if (!node) return nullptr;
    }
    return node;
}

}  // namespace cartsim::config
