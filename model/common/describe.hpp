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
//
// Two ranges per number. `min`/`max` are the hard validity bounds: a value outside them is an error.
// `plausible_min`/`plausible_max` (set with `.plausible(lo, hi, source)`) are what patients, products
// and trials actually show, with the source of that range (a paper or trial, or "assumed"); every
// numeric scenario parameter states one (tests/src/scenario/test_plausible_ranges.cpp). A value far
// outside it is legal but suspicious, and the loader warns (never fails):
//
//   far below  v < lo / 10                       when lo > 0
//              v < lo - 9 (hi - lo)               when lo <= 0 (the range touches or crosses zero)
//   far above  v > hi * 10                       when hi > 0
//              v > hi + 9 (hi - lo)               when hi <= 0
//
// that is, more than a factor kImplausibleFactor (10) beyond either end, or, for an end at or below
// zero where a factor means nothing, more than 9 range widths beyond it. An end of -kInf/kInf leaves
// that side open (no warning). A lower end of 0 never warns about a value of 0 or more. A list is
// checked element by element.

#include <array>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace cartsim {

inline constexpr double kInf = std::numeric_limits<double>::infinity();
inline constexpr double kNoBound = std::numeric_limits<double>::quiet_NaN();

/// How far beyond its plausible range a value must lie before the loader warns (see the rule above).
inline constexpr double kImplausibleFactor = 10.0;

struct FieldInfo {
    std::string_view unit;    // e.g. "1/day", "cells", "molecules/cell", "-" (dimensionless)
    std::string_view source;  // paper, trial, or "assumed"
    std::string_view doc;     // one line: what the value means
    double min = -kInf;       // inclusive bounds on numbers (on every element of a list)
    double max = kInf;
    double plausible_min = kNoBound;    // NaN: no plausible range stated
    double plausible_max = kNoBound;
    std::string_view plausible_source{};  // where the plausible range comes from, or "assumed (...)"

    /// This description with the plausible range [lo, hi] (-kInf or kInf: open on that side) and its source.
    constexpr FieldInfo plausible(double lo, double hi, std::string_view range_source) const {
        FieldInfo out = *this;
        out.plausible_min = lo;
        out.plausible_max = hi;
        out.plausible_source = range_source;
        return out;
    }

    constexpr bool has_plausible_range() const {
        return plausible_min == plausible_min && plausible_max == plausible_max;  // false for NaN
    }
};

/// The value below which a number is far below its plausible range (-kInf: never; see the rule above).
constexpr double implausible_below(const FieldInfo& info) {
    const double lo = info.plausible_min, hi = info.plausible_max;
    if (lo > 0.0) return lo / kImplausibleFactor;
    return lo - (kImplausibleFactor - 1.0) * (hi - lo);
}

/// The value above which a number is far above its plausible range (kInf: never).
constexpr double implausible_above(const FieldInfo& info) {
    const double lo = info.plausible_min, hi = info.plausible_max;
    if (hi > 0.0) return hi * kImplausibleFactor;
    return hi + (kImplausibleFactor - 1.0) * (hi - lo);
}

enum class Plausibility { Inside, Outside, FarBelow, FarAbove };

/// Where `value` lies against the plausible range of `info` (Inside when none is stated).
constexpr Plausibility plausibility(double value, const FieldInfo& info) {
    if (!info.has_plausible_range()) return Plausibility::Inside;
    if (value < implausible_below(info)) return Plausibility::FarBelow;
    if (value > implausible_above(info)) return Plausibility::FarAbove;
    if (value < info.plausible_min || value > info.plausible_max) return Plausibility::Outside;
    return Plausibility::Inside;
}

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
