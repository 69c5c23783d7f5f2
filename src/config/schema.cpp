#include "src/config/schema.hpp"

#include <algorithm>

#include "src/config/plausibility.hpp"

namespace cartsim::config::detail {

Json number_schema(const FieldInfo& info, bool integer) {
    Json s{{"type", integer ? "integer" : "number"}};
    if (std::isfinite(info.min)) s["minimum"] = info.min;
    if (std::isfinite(info.max)) s["maximum"] = info.max;
    return s;
}

std::string schema_description(const FieldInfo& info, const std::string& range, const std::string& default_text) {
    std::string text(info.doc);
    const auto sentence = [&](const std::string& part) {
        if (part.empty()) return;
        if (!text.empty()) text += text.back() == '.' ? " " : ". ";
        text += part;
    };
    if (!info.unit.empty()) sentence("Unit: " + std::string(info.unit));
    if (!range.empty()) sentence("Range: " + range);
    if (info.has_plausible_range())
        sentence("Plausible: " + plausible_range_text(info) + " (" + std::string(info.plausible_source) + ")");
    if (!info.source.empty()) sentence("Source: " + std::string(info.source));
    sentence("Default: " + default_text);
    return text;
}

Json codec_json(const std::string& text) {
    if (const auto number = parse_number(text)) return *number;
    return text;
}

std::string join_choices(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names) text += (text.empty() ? "" : " | ") + name;
    return text;
}

Json object_schema(bool nullable) {
    Json s;
    if (nullable) s["type"] = Json::array({"object", "null"});
    else s["type"] = "object";
    s["properties"] = Json::object();
    s["additionalProperties"] = false;
    return s;
}

void merge_variants(Json& object, const std::vector<Json>& variants, const std::string& key,
                    const std::vector<std::string>& names) {
    // Every key of any variant, in first-seen order, with the distinct schemas the variants give it.
    std::vector<std::string> keys;
    std::vector<std::vector<Json>> distinct;
    for (const Json& variant : variants) {
        for (const auto& [k, schema] : variant["properties"].items()) {
            if (k == key) continue;  // the discriminator itself: the object's own schema (its default differs)
            auto it = std::find(keys.begin(), keys.end(), k);
            if (it == keys.end()) {
                keys.push_back(k);
                distinct.push_back({schema});
            } else {
                auto& seen = distinct[static_cast<std::size_t>(it - keys.begin())];
                if (std::find(seen.begin(), seen.end(), schema) == seen.end()) seen.push_back(schema);
            }
        }
    }
    std::vector<bool> differs(keys.size(), false);
    Json& properties = object["properties"];
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (distinct[i].size() == 1) {
            properties[keys[i]] = distinct[i].front();
            continue;
        }
        differs[i] = true;
        Json any{{"description", distinct[i].front().value("description", std::string())}};
        any["anyOf"] = distinct[i];
        properties[keys[i]] = std::move(any);
    }
    for (std::size_t v = 0; v < variants.size(); ++v) {
        const Json& own = variants[v]["properties"];
        Json then_properties = Json::object();
        for (std::size_t i = 0; i < keys.size(); ++i) {
            if (!own.contains(keys[i])) then_properties[keys[i]] = false;
            else if (differs[i]) then_properties[keys[i]] = own[keys[i]];
        }
        if (then_properties.empty()) continue;
        Json rule;
        rule["if"] = Json{{"required", Json::array({key})}, {"properties", Json{{key, Json{{"const", names[v]}}}}}};
        rule["then"] = Json{{"properties", std::move(then_properties)}};
        object["allOf"].push_back(std::move(rule));
    }
}

}  // namespace cartsim::config::detail
