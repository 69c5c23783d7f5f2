#include "src/config/scalar.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace cartsim::config {

namespace {

// from_chars rejects a leading '+', which YAML allows.
std::string_view strip_plus(std::string_view text) {
    return text.size() > 1 && text.front() == '+' && text[1] != '-' ? text.substr(1) : text;
}

bool is_non_finite_spelling(std::string_view text) {
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) text.remove_prefix(1);
    return text == ".inf" || text == ".Inf" || text == ".INF" || text == ".nan" || text == ".NaN" || text == ".NAN" ||
           text == "inf" || text == "nan" || text == "infinity";
}

std::optional<std::string> expected(std::string_view what, const Node& node) {
    return fmt::format("expected {}, got {}", what, describe_node(node));
}

}  // namespace

std::string format_number(double value) { return fmt::format("{}", value); }

std::optional<double> parse_number(std::string_view text) {
    text = strip_plus(text);
    double value = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

std::optional<long long> parse_integer(std::string_view text) {
    text = strip_plus(text);
    long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::string range_text(const FieldInfo& info) {
    const bool has_min = std::isfinite(info.min);
    const bool has_max = std::isfinite(info.max);
    if (has_min && has_max) return fmt::format("[{}, {}]", format_number(info.min), format_number(info.max));
    if (has_min) return ">= " + format_number(info.min);
    if (has_max) return "<= " + format_number(info.max);
    return "";
}

namespace detail {

std::optional<std::string> convert(const Node& node, double& out) {
    if (!node.is_scalar() || !node.plain) return expected("a number", node);
    if (const auto value = parse_number(node.text)) {
        out = *value;
        return std::nullopt;
    }
    if (is_non_finite_spelling(node.text)) return expected("a finite number", node);
    const std::string_view text = strip_plus(node.text);
    double ignored = 0.0;
    if (std::from_chars(text.data(), text.data() + text.size(), ignored).ec == std::errc::result_out_of_range) {
        return fmt::format("number '{}' is outside the range of a double", node.text);
    }
    return expected("a number", node);
}

std::optional<std::string> convert(const Node& node, int& out) {
    if (!node.is_scalar() || !node.plain) return expected("an integer", node);
    const auto value = parse_integer(node.text);
    if (!value) return expected("an integer", node);
    if (*value < std::numeric_limits<int>::min() || *value > std::numeric_limits<int>::max()) {
        return fmt::format("integer {} is too large", node.text);
    }
    out = static_cast<int>(*value);
    return std::nullopt;
}

std::optional<std::string> convert(const Node& node, bool& out) {
    if (node.is_scalar() && node.plain && (node.text == "true" || node.text == "false")) {
        out = node.text == "true";
        return std::nullopt;
    }
    // YAML 1.1 spellings (yes/no/on/off/1/0) are ambiguous between parsers, so only these two are allowed.
    return expected("true or false", node);
}

std::optional<std::string> convert(const Node& node, std::string& out) {
    if (!node.is_scalar()) return expected("text", node);
    out = node.text;
    return std::nullopt;
}

std::optional<std::string> convert(const Node& node, std::optional<double>& out) {
    if (node.is_null()) {
        out.reset();
        return std::nullopt;
    }
    double value = 0.0;
    if (!node.is_scalar() || !node.plain) return expected("a number or null", node);
    if (auto error = convert(node, value)) return error;
    out = value;
    return std::nullopt;
}

std::optional<std::string> check_range(double value, const FieldInfo& info) {
    if (value >= info.min && value <= info.max) return std::nullopt;
    return fmt::format("{} is out of range: must be {}", format_number(value), range_text(info));
}

Node to_node(double value) { return Node::scalar(format_number(value)); }
Node to_node(int value) { return Node::scalar(fmt::format("{}", value)); }
Node to_node(bool value) { return Node::scalar(value ? "true" : "false"); }
Node to_node(const std::string& value) { return Node::quoted(value); }
Node to_node(const std::optional<double>& value) { return value ? to_node(*value) : Node::null(); }

}  // namespace detail

}  // namespace cartsim::config
