#include "src/config/plausibility.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

#include "src/config/scalar.hpp"

namespace cartsim::config {

namespace {

/// " cells", or "" for a dimensionless or unitless value.
std::string unit_suffix(std::string_view unit) {
    if (unit.empty() || unit == "-") return "";
    return unit == "day" ? " days" : " " + std::string(unit);
}

bool plain_decimal(std::string_view text) { return text.find_first_of("eE") == std::string_view::npos; }

/// "did you mean 450e6?" when a power of a thousand puts the value inside its plausible range (the
/// usual slip: cells in millions, or mg given as ug).
std::string unit_slip_hint(double value, std::string_view text, const FieldInfo& info) {
    if (value == 0.0) return "";
    for (const int exponent : {3, 6, 9, 12}) {
        const double scale = std::pow(10.0, exponent);
        const double up = value * scale, down = value / scale;
        if (up >= info.plausible_min && up <= info.plausible_max)
            return plain_decimal(text) ? fmt::format("; did you mean {}e{}?", text, exponent)
                                       : fmt::format("; did you mean {}?", compact_number(up));
        if (down >= info.plausible_min && down <= info.plausible_max)
            return plain_decimal(text) ? fmt::format("; did you mean {}e-{}?", text, exponent)
                                       : fmt::format("; did you mean {}?", compact_number(down));
    }
    return "";
}

}  // namespace

std::string compact_number(double value) {
    const double magnitude = std::fabs(value);
    const bool scientific = magnitude >= 1e4 || (magnitude > 0.0 && magnitude < 1e-3);
    std::string text = scientific ? fmt::format("{:.6e}", value) : fmt::format("{:.6g}", value);
    const auto e = text.find('e');
    if (e == std::string::npos) return text;
    std::string mantissa = text.substr(0, e), exponent = text.substr(e + 1);
    if (mantissa.find('.') != std::string::npos) {
        while (mantissa.back() == '0') mantissa.pop_back();
        if (mantissa.back() == '.') mantissa.pop_back();
    }
    std::string sign;
    if (!exponent.empty() && (exponent.front() == '+' || exponent.front() == '-')) {
        if (exponent.front() == '-') sign = "-";
        exponent.erase(0, 1);
    }
    while (exponent.size() > 1 && exponent.front() == '0') exponent.erase(0, 1);
    return mantissa + "e" + sign + exponent;
}

std::string plausible_range_text(const FieldInfo& info) {
    if (!info.has_plausible_range()) return "";
    const bool has_low = std::isfinite(info.plausible_min);
    const bool has_high = std::isfinite(info.plausible_max);
    if (has_low && has_high)
        return compact_number(info.plausible_min) + (info.plausible_min < 0.0 ? " to " : "-") +
               compact_number(info.plausible_max);
    if (has_low) return ">= " + compact_number(info.plausible_min);
    if (has_high) return "<= " + compact_number(info.plausible_max);
    return "any";
}

namespace detail {

std::optional<ConfigWarning> plausibility_warning(const Node& node, const std::string& path, const FieldInfo& info) {
    if (!info.has_plausible_range() || !node.is_scalar() || !node.plain) return std::nullopt;
    const auto value = parse_number(node.text);
    if (!value) return std::nullopt;
    const Plausibility where = plausibility(*value, info);
    if (where != Plausibility::FarBelow && where != Plausibility::FarAbove) return std::nullopt;
    const std::string unit = unit_suffix(info.unit);
    std::string message = fmt::format("{}{} is far {} the plausible range {}{} ({})", node.text, unit,
                                      where == Plausibility::FarBelow ? "below" : "above", plausible_range_text(info),
                                      unit, info.plausible_source);
    message += unit_slip_hint(*value, node.text, info);
    return ConfigWarning{node.origin.file, node.origin.line, node.origin.column, path, std::move(message)};
}

}  // namespace detail

}  // namespace cartsim::config
