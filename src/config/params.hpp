#pragma once
// The parameter table behind `cartsim params`: one row per key with its default, unit, source and range.
//
// Polymorphic structs describe only the variant selected by their discriminating enum, so the lister
// re-describes each struct once per value of each of its enum fields and marks keys that exist only in
// some variants with `applies_when` (e.g. "type: cart").

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "model/common/describe.hpp"
#include "src/config/emit.hpp"
#include "src/config/plausibility.hpp"
#include "src/config/reader.hpp"
#include "src/config/writer.hpp"

namespace cartsim::config {

struct ParamRow {
    std::string key_path;      // "patient.tumour.growth_rate_per_day"; list entries as "clones[].fraction"
    std::string default_text;  // as it would be written in YAML: "0.012", "[1, 2]", "null", "logistic"
    std::string unit;
    std::string source;
    std::string doc;
    std::string range_text;    // "[0, 1]", ">= 0", "cart | drug" for enums, "" when anything goes
    std::string applies_when;  // "" for keys every variant has, else e.g. "type: cart | drug"
    std::string plausible_text;    // plausible range of a number: "2e7-1e9", ">= 14"; "" when none is stated
    std::string plausible_source;  // where that range comes from, or "assumed (...)"
};

namespace detail {

struct EnumField {
    std::string key;
    std::vector<std::string> names;
};

/// Marks rows missing from some variants with applies_when and appends rows that exist only in other
/// variants. `variants[i]` holds the rows listed with the enum field set to field.names[i].
void merge_variant_rows(std::vector<ParamRow>& rows, const std::vector<std::vector<ParamRow>>& variants,
                        const EnumField& field);

template <NamedEnum E>
std::string enum_choices() {
    std::string text;
    for (const auto& item : EnumNames<E>::items) text += (text.empty() ? "" : " | ") + std::string(item.second);
    return text;
}

}  // namespace detail

template <class S>
void list_params_into(S prototype, const std::string& prefix, std::vector<ParamRow>& rows);

/// The visitor handed to describe(); use list_params() rather than this class directly.
class ParamLister {
public:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    /// When `forced_enum` is the index (in describe order) of an enum field of this struct, that field is
    /// set to its `forced_value`-th name before describe() goes on to the variant's fields.
    ParamLister(std::string prefix, std::vector<ParamRow>& rows, std::size_t forced_enum = npos,
                std::size_t forced_value = 0)
        : prefix_(std::move(prefix)), rows_(rows), forced_enum_(forced_enum), forced_value_(forced_value) {}

    template <class T>
    void field(std::string_view key, T& value, const FieldInfo& info) {
        std::string range = range_text(info);
        if constexpr (NamedEnum<T>) {
            if (enum_fields_.size() == forced_enum_) value = EnumNames<T>::items[forced_value_].first;
            enum_fields_.push_back(detail::EnumField{std::string(key), detail::enum_names<T>()});
            range = detail::enum_choices<T>();
        } else if constexpr (detail::IsVector<T>::value) {
            if constexpr (NamedEnum<typename T::value_type>) range = detail::enum_choices<typename T::value_type>();
        } else if constexpr (std::is_same_v<T, bool>) {
            range = "true | false";
        }
        rows_.push_back(ParamRow{detail::join_path(prefix_, key), to_flow_string(detail::to_node(value)),
                                 std::string(info.unit), std::string(info.source), std::string(info.doc), range, "",
                                 plausible_range_text(info), std::string(info.plausible_source)});
    }

    template <class S>
    void section(std::string_view key, S& sub) {
        list_params_into(sub, detail::join_path(prefix_, key), rows_);
    }

    template <class S>
    void list(std::string_view key, std::vector<S>&) {
        list_params_into(S{}, detail::join_path(prefix_, key) + "[]", rows_);
    }

    /// The enum fields of this struct, in describe order.
    const std::vector<detail::EnumField>& enum_fields() const { return enum_fields_; }

private:
    std::string prefix_;
    std::vector<ParamRow>& rows_;
    std::size_t forced_enum_;
    std::size_t forced_value_;
    std::vector<detail::EnumField> enum_fields_;
};

template <class S>
void list_params_into(S prototype, const std::string& prefix, std::vector<ParamRow>& rows) {
    std::vector<ParamRow> own;
    ParamLister lister(prefix, own);
    S copy = prototype;
    describe(copy, lister);
    const auto enum_fields = lister.enum_fields();
    for (std::size_t field = 0; field < enum_fields.size(); ++field) {
        std::vector<std::vector<ParamRow>> variants(enum_fields[field].names.size());
        for (std::size_t value = 0; value < variants.size(); ++value) {
            S variant = prototype;
            ParamLister forced(prefix, variants[value], field, value);
            describe(variant, forced);
        }
        detail::merge_variant_rows(own, variants, enum_fields[field]);
    }
    rows.insert(rows.end(), own.begin(), own.end());
}

/// Every key of `s` (defaults taken from `s`), each key path prefixed by `prefix` ("" at the root).
template <class S>
std::vector<ParamRow> list_params(S& s, std::string prefix) {
    std::vector<ParamRow> rows;
    list_params_into(s, prefix, rows);
    return rows;
}

}  // namespace cartsim::config
