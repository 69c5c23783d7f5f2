#pragma once
// Reads a described parameter struct from a YAML map, strictly: every key must be known, every value
// of the right type and in range. All problems are collected, each with file, line and key path.
//
//     auto tumour = read_struct(*root.find("tumour"), "tumour", TumourParams{});

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "model/common/describe.hpp"
#include "src/config/entries.hpp"
#include "src/config/node.hpp"
#include "src/config/scalar.hpp"
#include "src/config/suggest.hpp"

namespace cartsim::config {

namespace detail {

template <class T>
struct IsVector : std::false_type {};
template <class T>
struct IsVector<std::vector<T>> : std::true_type {};

inline std::string join_path(const std::string& prefix, std::string_view key) {
    return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
}

template <NamedEnum E>
std::vector<std::string> enum_names() {
    std::vector<std::string> names;
    for (const auto& item : EnumNames<E>::items) names.emplace_back(item.second);
    return names;
}

template <NamedEnum E>
std::optional<std::string> convert(const Node& node, E& out) {
    const auto names = enum_names<E>();
    std::string choices;
    for (const auto& name : names) choices += (choices.empty() ? "'" : ", '") + name + "'";
    if (!node.is_scalar()) return fmt::format("expected one of {}, got {}", choices, describe_node(node));
    if (const auto value = enum_from_name<E>(node.text)) {
        out = *value;
        return std::nullopt;
    }
    return fmt::format("unknown value '{}', expected one of {}{}", node.text, choices,
                       suggestion_suffix(node.text, names));
}

template <CodecScalar T>
std::optional<std::string> convert(const Node& node, T& out) {
    std::string what = "a valid value";
    if constexpr (requires { ScalarCodec<T>::expected; }) what = std::string(ScalarCodec<T>::expected);
    const auto value = node.is_scalar() ? ScalarCodec<T>::parse(node.text) : std::nullopt;
    if (!value) return fmt::format("expected {}, got {}", what, describe_node(node));
    out = *value;
    return std::nullopt;
}

template <class T>
std::optional<std::string> check_value(const T& value, const FieldInfo& info) {
    if constexpr (std::is_same_v<T, double> || std::is_same_v<T, int>) {
        return check_range(static_cast<double>(value), info);
    } else if constexpr (std::is_same_v<T, std::optional<double>>) {
        return value ? check_range(*value, info) : std::nullopt;
    } else {
        return std::nullopt;
    }
}

/// Converts one scalar (or each element of a list of scalars) into `out`, appending errors.
template <class T>
bool read_value(const Node& node, const std::string& path, T& out, const FieldInfo& info,
                std::vector<ConfigError>& errors) {
    if constexpr (IsVector<T>::value) {
        if (!node.is_sequence()) {
            errors.push_back(make_error(node.origin, path, "expected a list, got " + describe_node(node)));
            return false;
        }
        T values(node.items.size());
        bool ok = true;
        for (std::size_t i = 0; i < node.items.size(); ++i) {
            ok = read_value(node.items[i], fmt::format("{}[{}]", path, i), values[i], info, errors) && ok;
        }
        if (ok) out = std::move(values);
        return ok;
    } else {
        auto message = convert(node, out);
        if (!message) message = check_value(out, info);
        if (message) errors.push_back(make_error(node.origin, path, std::move(*message)));
        return !message;
    }
}

template <class S>
void read_into(const Node& map_node, const std::string& path, S& target, std::vector<ConfigError>& errors);

}  // namespace detail

/// The visitor handed to describe(); use read_struct() rather than this class directly.
class Reader {
public:
    Reader(const Node& map_node, std::string path, std::vector<ConfigError>& errors)
        : map_(map_node), path_(std::move(path)), errors_(errors), consumed_(map_node.entries.size(), false) {}

    template <class T>
    void field(std::string_view key, T& value, const FieldInfo& info) {
        const Node* node = consume(key);
        if (!node) return;
        const bool ok = detail::read_value(*node, detail::join_path(path_, key), value, info, errors_);
        // A bad discriminator means the variant described next is a guess; its key list would be wrong.
        if constexpr (NamedEnum<T>) uncertain_variant_ = uncertain_variant_ || !ok;
    }

    template <class S>
    void section(std::string_view key, S& sub) {
        if (const Node* node = consume(key)) detail::read_into(*node, detail::join_path(path_, key), sub, errors_);
    }

    template <class S>
    void list(std::string_view key, std::vector<S>& items) {
        const Node* node = consume(key);
        if (!node) return;
        const std::string path = detail::join_path(path_, key);
        if (!node->is_sequence()) {
            errors_.push_back(make_error(node->origin, path, "expected a list, got " + describe_node(*node)));
            return;
        }
        check_unique_names(*node, path);
        const auto labels = entry_labels(*node);
        std::vector<S> result;
        for (std::size_t i = 0; i < node->items.size(); ++i) {
            const Node& entry = node->items[i];
            const std::string entry_path = path + "[" + labels[i] + "]";
            if (!entry.is_map()) {
                errors_.push_back(make_error(entry.origin, entry_path, "expected a map, got " + describe_node(entry)));
                continue;
            }
            S item{};
            detail::read_into(entry, entry_path, item, errors_);
            result.push_back(std::move(item));
        }
        items = std::move(result);
    }

    /// Reports every key of the map that describe() did not ask for.
    void finish();

private:
    const Node* consume(std::string_view key);
    void check_unique_names(const Node& sequence, const std::string& path);

    const Node& map_;
    std::string path_;
    std::vector<ConfigError>& errors_;
    std::vector<bool> consumed_;
    std::vector<std::string> known_keys_;
    bool uncertain_variant_ = false;
};

namespace detail {

template <class S>
void read_into(const Node& map_node, const std::string& path, S& target, std::vector<ConfigError>& errors) {
    if (map_node.is_null()) return;  // "section:" with nothing under it keeps the defaults
    if (!map_node.is_map()) {
        errors.push_back(make_error(map_node.origin, path, "expected a map, got " + describe_node(map_node)));
        return;
    }
    Reader reader(map_node, path, errors);
    describe(target, reader);
    reader.finish();
}

}  // namespace detail

/// Reads `map_node` into a copy of `initial` (which supplies the defaults for absent keys).
/// `key_path` prefixes every error's key path ("" at the root).
template <class S>
Result<S> read_struct(const Node& map_node, std::string key_path, S initial) {
    std::vector<ConfigError> errors;
    detail::read_into(map_node, key_path, initial, errors);
    if (!errors.empty()) return errors;
    return initial;
}

}  // namespace cartsim::config
