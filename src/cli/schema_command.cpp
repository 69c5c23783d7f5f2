// `cartsim schema`: JSON Schemas (draft-07) of cartsim's YAML files, generated from the descriptions the
// loader reads with (src/config/schema.hpp), for editors with a YAML language server and for checks.
//
// One schema per kind of file:
//   scenario     a scenario, study, population preset, lesson or validation study (scenarios/*, except below)
//   product      a product preset (scenarios/products/*.yaml): the keys of one therapy entry
//   calibration  a calibration spec (scenarios/calibration/*.yaml)
//   uncertainty  a parameter-uncertainty file written by `cartsim calibrate --uncertainty`

#include <iostream>

#include "src/cli/app.hpp"
#include "src/cli/commands.hpp"
#include "src/cli/version.hpp"
#include "src/config/schema.hpp"
#include "src/io/atomic_file.hpp"
#include "src/simulate/scenario.hpp"
#include "src/study/calibration.hpp"
#include "src/study/study_spec.hpp"
#include "src/study/uncertainty.hpp"

namespace cartsim::cli {
namespace {

using config::Json;

/// The study blocks a scenario file may add (read by src/study/study_loader.cpp).
struct StudyBlocks {
    study::CohortSpec cohort;
    study::SweepSpec sweep;
    study::TargetsSpec targets;
    study::SeedsSpec seeds;
    study::ComparisonSpec comparison;
};

template <class V>
void describe(StudyBlocks& b, V& v) {
    v.section("cohort", b.cohort);
    v.section("sweep", b.sweep);
    v.list("targets", b.targets.targets);
    v.section("seeds", b.seeds);
    v.section("comparison", b.comparison);
}

Json string_schema(const char* description) { return Json{{"type", "string"}, {"description", description}}; }

/// `set:` of an arm or variant: overrides as for --set (src/study/arms.cpp).
Json set_schema() {
    return Json{{"type", "array"},
                {"description", "overrides of this arm or variant, each 'path=value' as for --set"},
                {"items", Json{{"type", "string"}}}};
}

/// `arms:` of a trial (src/study/arms.cpp): each arm a name, a regimen and overrides, optionally split
/// into variants whose shares add up to 1.
Json arms_schema(const Json& regimen) {
    Json variant = config::detail::object_schema(false);
    variant["required"] = Json::array({"name", "share"});
    variant["properties"]["name"] = string_schema("variant name, unique within its arm");
    variant["properties"]["share"] = Json{{"type", "number"},
                                          {"exclusiveMinimum", 0},
                                          {"maximum", 1},
                                          {"description", "share of the arm's patients (the shares add up to 1)"}};
    variant["properties"]["description"] = string_schema("free text");
    variant["properties"]["regimen"] = regimen;
    variant["properties"]["set"] = set_schema();
    Json arm = config::detail::object_schema(false);
    arm["required"] = Json::array({"name"});
    arm["properties"]["name"] = string_schema("arm name, unique within the study");
    arm["properties"]["description"] = string_schema("free text");
    arm["properties"]["regimen"] = regimen;
    arm["properties"]["set"] = set_schema();
    arm["properties"]["variants"] = Json{{"type", "array"}, {"minItems", 1}, {"items", variant}};
    // {knockouts: all | [mechanism, ...]}: one arm 'no <mechanism>' per mechanism switched off.
    Json mechanism{{"type", "string"}, {"enum", patient::mechanism_names(patient::Mechanisms{})}};
    Json knockouts = config::detail::object_schema(false);
    knockouts["required"] = Json::array({"knockouts"});
    knockouts["properties"]["knockouts"] = Json{
        {"description", "one arm per mechanism switched off, named 'no <mechanism>': every mechanism (all) or those listed"},
        {"oneOf", Json::array({Json{{"const", "all"}},
                               Json{{"type", "array"}, {"minItems", 1}, {"items", mechanism}}})}};
    return Json{{"type", "array"},
                {"minItems", 1},
                {"description", "arms of a virtual trial: every patient is simulated in each arm"},
                {"items", Json{{"oneOf", Json::array({arm, knockouts})}}}};
}

Json scenario_schema() {
    Json root = config::schema_of(simulate::Scenario{});
    // A scenario's model is never taken from another file, so a file that does not name one is held to
    // the default model's keys (the generic rule fires only when the discriminator is written).
    const std::string default_model(enum_name(simulate::Scenario{}.model));
    for (Json& rule : root["allOf"])
        if (rule["if"]["properties"].contains("model") && rule["if"]["properties"]["model"]["const"] == default_model)
            rule["if"].erase("required");
    root["properties"]["population"] =
        string_schema("population preset (scenarios/populations/NAME.yaml) this file is put over");
    const Json study = config::schema_of(StudyBlocks{});
    for (const auto& [key, value] : study["properties"].items()) root["properties"][key] = value;
    // The regimen schema once, referred to by the scenario and by every arm and variant.
    root["definitions"]["regimen"] = root["properties"]["regimen"];
    const Json regimen{{"$ref", "#/definitions/regimen"}};
    root["properties"]["regimen"] = regimen;
    root["properties"]["arms"] = arms_schema(regimen);
    return root;
}

Json schema_for(const std::string& kind) {
    Json body = kind == "product"       ? config::schema_of(drugs::Therapy{})
                : kind == "calibration" ? config::schema_of(study::CalibrationSpec{})
                : kind == "uncertainty" ? config::schema_of(study::UncertaintyFile{})
                                        : scenario_schema();
    Json schema;
    schema["$schema"] = "http://json-schema.org/draft-07/schema#";
    schema["title"] = "cartsim " + kind + " file";
    schema["description"] = "Generated by `cartsim schema " + kind + "` (cartsim " + std::string(version()) +
                            "). Keys, units, ranges, defaults and sources come from the loader's own descriptions.";
    for (auto& [key, value] : body.items()) schema[key] = value;
    return schema;
}

}  // namespace

int command_schema(const std::string& kind, const std::string& output_file) {
    const std::string text = schema_for(kind).dump(1) + "\n";
    if (output_file.empty()) {
        std::cout << text;
        return kExitOk;
    }
    try {
        io::write_file_atomic(output_file, text);
    } catch (const io::IoError& e) {
        std::cerr << "cartsim: " << e.what() << "\n";
        return kExitRunFailed;
    }
    return kExitOk;
}

}  // namespace cartsim::cli
