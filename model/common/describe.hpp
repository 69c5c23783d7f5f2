#pragma once
// The one description of every parameter: key, unit, source, allowed range.
//
// Each parameter struct S comes with a free function template found by argument-dependent lookup:
//
//     template <class V> void describe(S& s, V& v);
//
// that calls, once per field, one of
//
//     v.field("key", s.member, FieldInfo{...});   // a scalar or a list of scalars
//     v.section("key", s.sub);                     // a nested described struct
//     v.list("key", s.items);                      // std::vector of described structs (entries have a `name`)
//
// Readers (YAML), writers (resolved scenario), `cartsim params` and validators are all visitors, so a
// key exists in exactly one place. A polymorphic struct reads its discriminating enum first and then
// describes only the fields of that variant (see model/drugs/therapy.hpp).
//
// Scalar field types every visitor must support: double, int, bool, std::string, std::optional<double>,
// enums with an EnumNames specialisation, types with a ScalarCodec specialisation, and
// std::vector<double>, std::vector<std::string>, std::vector<Enum>.

#include <array>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace cartsim {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

struct FieldInfo {
    std::string_view unit;    // e.g. "1/day", "cells", "molecules/cell", "-" (dimensionless)
    std::string_view source;  // paper, trial, or "assumed"
    std::string_view doc;     // one line: what the value means
    double min = -kInf;       // inclusive bounds on numbers (on every element of a list)
    double max = kInf;
};

/// Convenience constructors for the common ranges.
constexpr FieldInfo nonnegative(std::string_view unit, std::string_view source, std::string_view doc) {
    return FieldInfo{unit, source, doc, 0.0, kInf};
}
constexpr FieldInfo fraction(std::string_view source, std::string_view doc) {
    return FieldInfo{"-", source, doc, 0.0, 1.0};
}
constexpr FieldInfo any_value(std::string_view unit, std::string_view source, std::string_view doc) {
    return FieldInfo{unit, source, doc, -kInf, kInf};
}
constexpr FieldInfo bounded(std::string_view unit, std::string_view source, std::string_view doc, double lo,
                            double hi) {
    return FieldInfo{unit, source, doc, lo, hi};
}

/// Specialise for every enum used as a parameter:
///     template <> struct EnumNames<GrowthLaw> {
///         static constexpr std::array items{std::pair{GrowthLaw::Logistic, "logistic"}, ...};
///     };
template <class E>
struct EnumNames;

template <class E>
concept NamedEnum = requires { EnumNames<E>::items; };

template <NamedEnum E>
constexpr std::string_view enum_name(E value) {
    for (const auto& [item, name] : EnumNames<E>::items) {
        if (item == value) return name;
    }
    return "?";
}

template <NamedEnum E>
constexpr std::optional<E> enum_from_name(std::string_view name) {
    for (const auto& [item, item_name] : EnumNames<E>::items) {
        if (name == item_name) return item;
    }
    return std::nullopt;
}

/// Specialise for a value type written as one YAML scalar with its own syntax:
///     template <> struct ScalarCodec<LineStart> {
///         static constexpr std::string_view expected = "a day (number) or 'progression'";
///         static std::optional<LineStart> parse(std::string_view text);
///         static std::string format(const LineStart& value);
///     };
template <class T>
struct ScalarCodec;

template <class T>
concept CodecScalar = requires(std::string_view text, const T& value) {
    { ScalarCodec<T>::parse(text) } -> std::same_as<std::optional<T>>;
    { ScalarCodec<T>::format(value) } -> std::same_as<std::string>;
};

}  // namespace cartsim
