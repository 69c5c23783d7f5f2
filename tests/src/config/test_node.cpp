#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "src/config/node.hpp"

using namespace cartsim::config;

namespace {

// A file in a fresh temporary directory, removed with the directory at the end of the test.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        path = std::filesystem::temp_directory_path() / ("cartsim-config-" + std::to_string(std::random_device{}()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name) << text;
        return (path / name).string();
    }
};

}  // namespace

TEST_CASE("config: loaded nodes remember file, line and column of values and keys") {
    const auto root =
        load_yaml_string("patient:\n  tumour:\n    growth: 0.5\n  name: 'p1'\n  tags: [a, b]\n", "s.yaml");
    REQUIRE(root.ok());
    const Node& patient = *root->find("patient");
    const MapEntry& growth = *patient.find("tumour")->find_entry("growth");
    CHECK(growth.value.origin.file == "s.yaml");
    CHECK(growth.value.origin.line == 3);
    CHECK(growth.value.origin.column == 13);
    CHECK(growth.key_origin.column == 5);
    CHECK(growth.value.text == "0.5");
    CHECK(growth.value.plain);
    CHECK_FALSE(patient.find("name")->plain);
    CHECK(patient.find("tags")->items[1].origin.line == 5);
    CHECK(patient.entries[0].key == "tumour");  // insertion order is kept
    CHECK(patient.entries[2].key == "tags");
}

TEST_CASE("config: an empty value points at its key's line, not the next line") {
    const auto root = load_yaml_string("a:\nb: 1\n", "s.yaml");
    REQUIRE(root.ok());
    CHECK(root->find("a")->is_null());
    CHECK(root->find("a")->origin.line == 1);
    CHECK(load_yaml_string("", "empty.yaml").value().is_null());
}

TEST_CASE("config: malformed YAML is an error with file and line") {
    const auto root = load_yaml_string("patient:\n  age: 3\n   bad: [1, 2\n", "broken.yaml");
    REQUIRE_FALSE(root.ok());
    REQUIRE(root.errors().size() == 1);
    CHECK(root.errors()[0].file == "broken.yaml");
    CHECK(root.errors()[0].line == 3);
    CHECK(root.errors()[0].format().rfind("broken.yaml:3:", 0) == 0);
    CHECK(root.errors()[0].message.find("malformed YAML") != std::string::npos);
}

TEST_CASE("config: duplicate keys and several documents are errors") {
    const auto duplicate = load_yaml_string("a: 1\nb:\n  c: 1\n  c: 2\n", "d.yaml");
    REQUIRE_FALSE(duplicate.ok());
    CHECK(duplicate.errors()[0].format() == "d.yaml:4:3: b.c: duplicate key 'c' (first given at line 3)");
    const auto two = load_yaml_string("a: 1\n---\na: 2\n", "two.yaml");
    REQUIRE_FALSE(two.ok());
    CHECK(two.errors()[0].format() == "two.yaml: expected one YAML document, found 2 (separated by '---')");
}

TEST_CASE("config: files load with their path as origin, a missing file is an error naming it") {
    TempDir dir;
    const std::string path = dir.write("preset.yaml", "x: 1\ny: 2\n");
    const auto root = load_yaml_file(path);
    REQUIRE(root.ok());
    CHECK(root->find("y")->origin.file == path);
    CHECK(root->find("y")->origin.line == 2);

    const std::string missing = (dir.path / "nope.yaml").string();
    const auto absent = load_yaml_file(missing);
    REQUIRE_FALSE(absent.ok());
    CHECK(absent.errors()[0].format() == missing + ": file not found");
    CHECK(load_yaml_file(dir.path.string()).errors()[0].message == "is a directory, not a file");

    const auto broken = load_yaml_file(dir.write("broken.yaml", "a: [1,\n"));
    REQUIRE_FALSE(broken.ok());
    CHECK(broken.errors()[0].file == (dir.path / "broken.yaml").string());
}

TEST_CASE("config: ConfigError formats file, line, column, key path and message") {
    CHECK(ConfigError{"scenario.yaml", 12, 5, "patient.tumour.growth_rate_per_day", "expected a number, got 'fast'"}
              .format() == "scenario.yaml:12:5: patient.tumour.growth_rate_per_day: expected a number, got 'fast'");
    CHECK(ConfigError{"scenario.yaml", 0, 0, "", "file not found"}.format() == "scenario.yaml: file not found");
    CHECK(ConfigError{"--set a.b=1", 0, 0, "a.b", "unknown key 'b'"}.format() == "--set a.b=1: unknown key 'b'");
    CHECK(ConfigError{"--set a={b: 1}", 0, 0, "a.b", "unknown key 'b'"}.format() ==
          "--set a={b: 1}: a.b: unknown key 'b'");
    CHECK(ConfigError{"", 0, 0, "a", "bad"}.format() == "a: bad");
}
