#pragma once
// Conversions between YAML scalars and the field types of described structs, shared by the reader,
// the writer and the parameter lister so that text written is exactly the text read back.

#include <optional>
#include <string>
#include <string_view>

#include "model/common/describe.hpp"
#include "src/config/node.hpp"

namespace cartsim::config {

/// Shortest text that parses back to exactly `value` (e.g. "0.012", "450000000", "1e+20").
std::string format_number(double value);

/// A YAML number: optional sign, digits, decimals, exponent ("450e6", "-1.5", ".5"). Non-finite
/// spellings (.inf, .nan) and values beyond double range give nullopt.
std::optional<double> parse_number(std::string_view text);

/// An integer without fraction or exponent ("12", "-3", "+4").
std::optional<long long> parse_integer(std::string_view text);

/// Human-readable bounds: "[0, 1]", ">= 0", "<= 5", or "" when unbounded.
std::string range_text(const FieldInfo& info);

namespace detail {

// Each converter returns an error message, or nullopt when `node` was converted into `out`.
std::optional<std::string> convert(const Node& node, double& out);
std::optional<std::string> convert(const Node& node, int& out);
std::optional<std::string> convert(const Node& node, bool& out);
std::optional<std::string> convert(const Node& node, std::string& out);
std::optional<std::string> convert(const Node& node, std::optional<double>& out);

/// Error message when `value` lies outside [info.min, info.max].
std::optional<std::string> check_range(double value, const FieldInfo& info);

Node to_node(double value);
Node to_node(int value);
Node to_node(bool value);
Node to_node(const std::string& value);
Node to_node(const std::optional<double>& value);

}  // namespace detail

}  // namespace cartsim::config
