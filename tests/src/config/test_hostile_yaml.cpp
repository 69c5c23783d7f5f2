// YAML that yaml-cpp 0.7 alone would not survive: each is an error naming the file and line, at once.

#include <doctest/doctest.h>

#include <string>

#include "src/config/node.hpp"

using namespace cartsim::config;

namespace {

std::string first_error(const std::string& text) {
    const auto root = load_yaml_string(text, "h.yaml");
    REQUIRE_FALSE(root.ok());
    return root.errors()[0].format();
}

}  // namespace

TEST_CASE("hostile YAML: a lone comma is malformed, not an endless loop (regression: the loader hung)") {
    CHECK(first_error(",") == "h.yaml:1:1: malformed YAML: a character where a value should begin (yaml-cpp cannot "
                              "read past it)");
    CHECK(first_error("a: 1\n,\n").rfind("h.yaml:2:1: malformed YAML", 0) == 0);
    CHECK(first_error("[1, 2],,").find("malformed YAML") != std::string::npos);
}

TEST_CASE("hostile YAML: an alias inside the node it names is a cycle (regression: a crash, exit 139)") {
    CHECK(first_error("a: &x {b: *x}\n").find("(a cycle)") != std::string::npos);
    CHECK(first_error("&a [*a]").find("(a cycle)") != std::string::npos);
    CHECK(first_error("a: &x\n  b:\n    - c: *x\n").rfind("h.yaml:3:") == 0);
}

TEST_CASE("hostile YAML: expanded size and depth are bounded") {
    // Seven levels of ten aliases each expand to 10^7 values from a few lines.
    std::string laughs = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int k = 1; k <= 7; ++k) {
        laughs += "l" + std::to_string(k) + ": &l" + std::to_string(k) + " [";
        for (int i = 0; i < 10; ++i) laughs += (i ? ", *l" : "*l") + std::to_string(k - 1);
        laughs += "]\n";
    }
    CHECK(first_error(laughs).find("more than 100000 values once aliases are expanded") != std::string::npos);
    CHECK(first_error(std::string(100, '[') + std::string(100, ']')).find("nested deeper than 64 levels") !=
          std::string::npos);
}

TEST_CASE("hostile YAML: ordinary anchors and aliases still load, and a deep but sane file too") {
    const auto root = load_yaml_string("a: &x {b: 1, c: [2, 3]}\nd: *x\ne: *x\n", "ok.yaml");
    REQUIRE(root.ok());
    const Node* d = root.value().find("d");
    REQUIRE(d != nullptr);
    REQUIRE(d->find("b") != nullptr);
    CHECK(d->find("b")->text == "1");
    CHECK(load_yaml_string(std::string(60, '[') + std::string(60, ']'), "deep.yaml").ok());
}
