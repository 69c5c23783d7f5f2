#pragma once
// A JSON Schema (draft-07) of a described struct, generated from the same describe() functions the YAML
// reader uses, so an editor checks and completes exactly the keys the loader accepts.
//
// Each key carries its type, its hard range (minimum/maximum), its default, and a description with the
// unit, the range, the plausible range and the source; the unit and source are also given as the
// annotations "x-unit" and "x-source". Every object forbids keys it does not describe.
//
// Polymorphic structs (a discriminating enum such as a therapy's `type` or the scenario's `model`) are
// described once per value of that enum, as the parameter lister does. The object lists the union of
// the variants' keys, and for each value a rule (if/then) forbids the keys that variant lacks. The rule
// fires only when the discriminator is written in the same map: a therapy entry may take its `type`
// from its product preset, which the schema cannot see. A key whose schema differs between variants
// accepts any of them, and the variant's rule holds it to its own.
//
// What the schema cannot say is left to the loader: cross-field rules, names of products and
// populations, paths of overrides.

#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/common/describe.hpp"
#include "src/config/emit.hpp"
#include "src/config/reader.hpp"
#include "src/config/scalar.hpp"
#include "src/config/writer.hpp"

namespace cartsim::config {

using Json = nlohmann::ordered_json;

namespace detail {

/// {"type": "number"|"integer", "minimum": ..., "maximum": ...} (bounds only where finite).
Json number_schema(const FieldInfo& info, bool integer);

/// The description shown by editors: doc, unit, range, plausible range, source and default.
std::string schema_description(const FieldInfo& info, const std::string& range, const std::string& default_text);

/// A codec scalar's text as JSON: a number when it reads as one, else the text.
Json codec_json(const std::string& text);

/// A default value as JSON; discarded when it has none (a non-finite number).
template <class T>
Json default_json(const T& value) {
    if constexpr (IsVector<T>::value) {
        Json out = Json::array();
        for (const auto& item : value) {
            Json j = default_json(item);
            if (j.is_discarded()) return j;
            out.push_back(std::move(j));
        }
        return out;
    } else if constexpr (NamedEnum<T>) {
        return std::string(enum_name(value));
    } else if constexpr (CodecScalar<T>) {
        return codec_json(ScalarCodec<T>::format(value));
    } else if constexpr (std::is_same_v<T, std::optional<double>>) {
        return value ? default_json(*value) : Json(nullptr);
    } else if constexpr (std::is_same_v<T, double>) {
        return std::isfinite(value) ? Json(value) : Json(Json::value_t::discarded);
    } else {
        return Json(value);
    }
}

/// "a | b | c" from an enum's names.
std::string join_choices(const std::vector<std::string>& names);

/// Folds `variants` (the object schema described with the discriminator `key` set to each of `names`)
/// into `object`, as the header comment says.
void merge_variants(Json& object, const std::vector<Json>& variants, const std::string& key,
                    const std::vector<std::string>& names);

/// An empty object schema that forbids unknown keys; `nullable`: "key:" with nothing under it is allowed.
Json object_schema(bool nullable);

template <class T>
Json value_schema(const FieldInfo& info) {
    if constexpr (IsVector<T>::value) {
        return Json{{"type", "array"}, {"items", value_schema<typename T::value_type>(info)}};
    } else if constexpr (NamedEnum<T>) {
        Json names = Json::array();
        for (const auto& item : EnumNames<T>::items) names.push_back(std::string(item.second));
        return Json{{"enum", names}};
    } else if constexpr (CodecScalar<T>) {
        return Json{{"type", Json::array({"number", "string"})}};  // its own syntax, checked by the loader
    } else if constexpr (std::is_same_v<T, bool>) {
        return Json{{"type", "boolean"}};
    } else if constexpr (std::is_same_v<T, std::string>) {
        return Json{{"type", "string"}};
    } else if constexpr (std::is_same_v<T, int>) {
        return number_schema(info, true);
    } else if constexpr (std::is_same_v<T, std::optional<double>>) {
        Json s = number_schema(info, false);
        s["type"] = Json::array({"number", "null"});
        return s;
    } else {
        static_assert(std::is_same_v<T, double>, "a field type every visitor supports (model/common/describe.hpp)");
        return number_schema(info, false);
    }
}

}  // namespace detail

template <class S>
Json schema_of(S prototype, bool nullable = false);

/// The visitor handed to describe(); use schema_of() rather than this class directly.
class SchemaBuilder {
public:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    SchemaBuilder(Json& object, std::size_t forced_enum = npos, std::size_t forced_value = 0)
        : object_(object), forced_enum_(forced_enum), forced_value_(forced_value) {}

    template <class T>
    void field(std::string_view key, T& value, const FieldInfo& info) {
        if constexpr (NamedEnum<T>) {
            if (enum_keys_.size() == forced_enum_) value = EnumNames<T>::items[forced_value_].first;
            enum_keys_.emplace_back(key);
            enum_names_.push_back(detail::enum_names<T>());
        }
        Json s = detail::value_schema<T>(info);
        std::string range = range_text(info);
        if constexpr (NamedEnum<T>) range = detail::join_choices(detail::enum_names<T>());
        s["description"] = detail::schema_description(info, range, to_flow_string(detail::to_node(value)));
        if (!info.unit.empty()) s["x-unit"] = std::string(info.unit);
        if (!info.source.empty()) s["x-source"] = std::string(info.source);
        if (Json d = detail::default_json(value); !d.is_discarded()) s["default"] = std::move(d);
        object_["properties"][std::string(key)] = std::move(s);
    }

    template <class S>
    void section(std::string_view key, S& sub) {
        object_["properties"][std::string(key)] = schema_of(sub, true);
    }

    template <class S>
    void list(std::string_view key, std::vector<S>&) {
        object_["properties"][std::string(key)] = Json{{"type", "array"}, {"items", schema_of(S{})}};
    }

    const std::vector<std::string>& enum_keys() const { return enum_keys_; }
    const std::vector<std::vector<std::string>>& enum_names() const { return enum_names_; }

private:
    Json& object_;
    std::size_t forced_enum_;
    std::size_t forced_value_;
    std::vector<std::string> enum_keys_;
    std::vector<std::vector<std::string>> enum_names_;
};

template <class S>
Json schema_of(S prototype, bool nullable) {
    Json object = detail::object_schema(nullable);
    S copy = prototype;
    SchemaBuilder builder(object);
    describe(copy, builder);
    for (std::size_t field = 0; field < builder.enum_keys().size(); ++field) {
        const auto& names = builder.enum_names()[field];
        std::vector<Json> variants;
        for (std::size_t value = 0; value < names.size(); ++value) {
            Json variant = detail::object_schema(nullable);
            S forced = prototype;
            SchemaBuilder visitor(variant, field, value);
            describe(forced, visitor);
            variants.push_back(std::move(variant));
        }
        detail::merge_variants(object, variants, builder.enum_keys()[field], names);
    }
    return object;
}

}  // namespace cartsim::config
