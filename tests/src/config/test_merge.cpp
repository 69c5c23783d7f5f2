#include <doctest/doctest.h>

#include "src/config/emit.hpp"
#include "src/config/merge.hpp"

using namespace cartsim::config;

TEST_CASE("config: deep_merge merges maps recursively and keeps every node's origin") {
    const auto preset =
        load_yaml_string("tumour:\n  growth: 0.01\n  law: logistic\nclones: [a, b]\nseed: 1\n", "preset.yaml");
    const auto scenario =
        load_yaml_string("seed: 7\ntumour:\n  law: gompertz\n  extra: 2\nclones: [c]\n", "scenario.yaml");
    REQUIRE(preset.ok());
    REQUIRE(scenario.ok());
    const Node merged = deep_merge(preset.value(), scenario.value());

    CHECK(to_flow_string(merged) == "{tumour: {growth: 0.01, law: gompertz, extra: 2}, clones: [c], seed: 7}");
    const Node& tumour = *merged.find("tumour");
    CHECK(tumour.find("growth")->origin.file == "preset.yaml");
    CHECK(tumour.find("growth")->origin.line == 2);
    CHECK(tumour.find("law")->origin.file == "scenario.yaml");
    CHECK(tumour.find("law")->origin.line == 3);
    CHECK(tumour.find_entry("extra")->key_origin.file == "scenario.yaml");
    CHECK(merged.find("clones")->items.size() == 1);  // lists are replaced, not concatenated
    CHECK(merged.find("clones")->origin.file == "scenario.yaml");
}

TEST_CASE("config: deep_merge lets the overlay replace non-maps and null out values") {
    const auto base = load_yaml_string("a: {x: 1}\nb: 2\n", "base.yaml");
    const auto overlay = load_yaml_string("a: 3\nb:\n", "top.yaml");
    const Node merged = deep_merge(base.value(), overlay.value());
    CHECK(to_flow_string(merged) == "{a: 3, b: null}");
    CHECK(to_flow_string(deep_merge(base.value(), Node::null())) == "null");
    CHECK(to_flow_string(deep_merge(Node::null(), base.value())) == "{a: {x: 1}, b: 2}");
}
