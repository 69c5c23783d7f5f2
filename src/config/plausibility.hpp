#pragma once
// Finds the numbers written in a YAML tree that lie far outside their plausible range
// (FieldInfo::plausible_min/max; the rule is in model/common/describe.hpp). The walk follows the same
// descriptions as the reader, over what the tree holds only: defaults are not checked (a test keeps
// every default inside its range), and a value the reader rejects is left to the reader's error.
//
//     auto warnings = plausibility_warnings(root, "", Scenario{});
//
// Library code: returns warnings, prints nothing.

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "model/common/describe.hpp"
#include "src/config/error.hpp"
#include "src/config/node.hpp"
#include "src/config/reader.hpp"

namespace cartsim::config {

/// A number in short form for messages: 2e7, 0.005, 1e-5, 450, 2.2e12.
std::string compact_number(double value);

/// The plausible range in words: "2e7-1e9", "-0.01 to 0.05", ">= 14", "<= 3" ("" when none is stated).
std::string plausible_range_text(const FieldInfo& info);

namespace detail {

/// The warning for `node` (a plain YAML number at `path`), or nullopt when it is not far outside the
/// plausible range of `info` (or is not a number, which the reader reports).
std::optional<ConfigWarning> plausibility_warning(const Node& node, const std::string& path, const FieldInfo& info);

template <class S>
void check_plausible_into(const Node& map_node, const std::string& path, S& target, std::vector<ConfigWarning>& out);

}  // namespace detail

/// The visitor handed to describe(); use plausibility_warnings() rather than this class directly.
class PlausibilityChecker {
public:
    PlausibilityChecker(const Node& map_node, std::string path, std::vector<ConfigWarning>& out)
        : map_(map_node), path_(std::move(path)), out_(out) {}

    template <class T>
    void field(std::string_view key, T& value, const FieldInfo& info) {
        const Node* node = map_.find(key);
        if (!node) return;
        const std::string path = detail::join_path(path_, key);
        if constexpr (NamedEnum<T> || CodecScalar<T>) {
            // A discriminator (model, type, dose_unit) decides which fields and ranges are described next.
            T read = value;
            if (!detail::convert(*node, read)) value = read;
        } else if constexpr (std::is_same_v<T, double> || std::is_same_v<T, int> ||
                             std::is_same_v<T, std::optional<double>>) {
            check(*node, path, info);
        } else if constexpr (std::is_same_v<T, std::vector<double>>) {
            if (!node->is_sequence()) return;
            for (std::size_t i = 0; i < node->items.size(); ++i)
                check(node->items[i], path + "[" + std::to_string(i) + "]", info);
        }
    }

    template <class S>
    void section(std::string_view key, S& sub) {
        if (const Node* node = map_.find(key))
            detail::check_plausible_into(*node, detail::join_path(path_, key), sub, out_);
    }

    template <class S>
    void list(std::string_view key, std::vector<S>&) {
        const Node* node = map_.find(key);
        if (!node || !node->is_sequence()) return;
        const std::string path = detail::join_path(path_, key);
        const auto labels = entry_labels(*node);
        for (std::size_t i = 0; i < node->items.size(); ++i) {
            S item{};
            detail::check_plausible_into(node->items[i], path + "[" + labels[i] + "]", item, out_);
        }
    }

private:
    void check(const Node& node, const std::string& path, const FieldInfo& info) {
        if (auto warning = detail::plausibility_warning(node, path, info)) out_.push_back(std::move(*warning));
    }

    const Node& map_;
    std::string path_;
    std::vector<ConfigWarning>& out_;
};

namespace detail {

template <class S>
void check_plausible_into(const Node& map_node, const std::string& path, S& target, std::vector<ConfigWarning>& out) {
    if (!map_node.is_map()) return;
    PlausibilityChecker checker(map_node, path, out);
    describe(target, checker);
}

}  // namespace detail

/// Every number written in `root` that lies far outside its plausible range, in describe order, each
/// with the origin of its node (file and line, or the `--set` override that wrote it). `prototype`
/// gives the struct whose description is followed; `key_path` prefixes every key path.
template <class S>
std::vector<ConfigWarning> plausibility_warnings(const Node& root, const std::string& key_path, S prototype) {
    std::vector<ConfigWarning> out;
    detail::check_plausible_into(root, key_path, prototype, out);
    return out;
}

}  // namespace cartsim::config
