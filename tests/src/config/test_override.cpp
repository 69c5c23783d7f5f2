#include <doctest/doctest.h>

#include "src/config/emit.hpp"
#include "src/config/override.hpp"
#include "src/config/reader.hpp"
#include "toy_params.hpp"

using namespace cartsim::config;

namespace {

const char* const kScenario =
    "patient:\n"
    "  growth:\n"
    "    rate_per_day: 0.01\n"
    "  clones:\n"
    "    - name: bcma_pos\n"
    "      fraction: 0.9\n"
    "    - name: bcma_neg\n"
    "      fraction: 0.1\n"
    "  therapies:\n"
    "    - {type: cart, product: ide-cel}\n"
    "    - {type: drug, product: teclistamab}\n";

Node scenario() {
    auto node = load_yaml_string(kScenario, "scenario.yaml");
    REQUIRE(node.ok());
    return node.value();
}

// Applies one override that must succeed and returns the tree.
Node with(const std::string& text) {
    const auto change = parse_override(text);
    CAPTURE(format_errors(change.errors()));
    REQUIRE(change.ok());
    Node root = scenario();
    const auto errors = apply_override(root, change.value());
    CAPTURE(format_errors(errors));
    REQUIRE(errors.empty());
    return root;
}

// The formatted errors of one override that must fail to apply.
std::string failure(const std::string& text) {
    const auto change = parse_override(text);
    REQUIRE(change.ok());
    Node root = scenario();
    const auto errors = apply_override(root, change.value());
    REQUIRE(errors.size() == 1);
    CHECK(to_flow_string(root) == to_flow_string(scenario()));  // a failed override changes nothing
    return errors[0].format();
}

Result<toy::Patient> read_patient(const Node& root) {
    return read_struct(*root.find("patient"), "patient", toy::Patient{});
}

}  // namespace

TEST_CASE("config: parse_override splits the path and parses the value as YAML") {
    const auto change = parse_override("patient.clones[bcma_neg][0].fraction=[1, 2]");
    REQUIRE(change.ok());
    REQUIRE(change->path.size() == 5);
    CHECK(change->path[1].text == "clones");
    CHECK(change->path[2].kind == PathStep::Kind::Select);
    CHECK(change->path[2].text == "bcma_neg");
    CHECK(change->path[3].text == "0");
    CHECK(change->path[4].kind == PathStep::Kind::Key);
    CHECK(to_flow_string(change->value) == "[1, 2]");
    CHECK(change->value.items[0].origin.file == "--set patient.clones[bcma_neg][0].fraction=[1, 2]");
    CHECK(change->value.items[0].origin.line == 0);

    CHECK(to_flow_string(parse_override("a={b: 1, c: x}")->value) == "{b: 1, c: x}");
    CHECK(parse_override("a=false")->value.text == "false");
    CHECK(parse_override("a=")->value.is_null());
    CHECK(parse_override("a=x=y")->value.text == "x=y");
}

TEST_CASE("config: parse_override rejects malformed paths and values with the override text") {
    CHECK(parse_override("patient.growth").errors()[0].format() == "--set patient.growth: expected KEY.PATH=VALUE");
    CHECK(parse_override("a..b=1").errors()[0].format() == "--set a..b=1: empty key at position 3 of 'a..b'");
    CHECK(parse_override("a[0=1").errors()[0].message == "unclosed '[' in 'a[0'");
    CHECK(parse_override("a[]=1").errors()[0].message == "empty [] in 'a[]'");
    CHECK(parse_override("a[0]b=1").errors()[0].message == "unexpected 'b' at position 5 of 'a[0]b'");
    const auto bad_value = parse_override("a=[1, 2");
    REQUIRE_FALSE(bad_value.ok());
    CHECK(bad_value.errors()[0].format().rfind("--set a=[1, 2: invalid value: malformed YAML", 0) == 0);
}

TEST_CASE("config: overrides select list entries by index, by name and by product") {
    CHECK(read_patient(with("patient.clones[1].fraction=0")).value().clones[1].fraction == 0.0);
    CHECK(read_patient(with("patient.clones[bcma_neg].fraction=0.2")).value().clones[1].fraction == 0.2);
    const auto patient = read_patient(with("patient.therapies[teclistamab].stop_day=90"));
    REQUIRE(patient.ok());
    CHECK(patient->therapies[1].drug.stop_day == 90.0);
    CHECK(read_patient(with("patient.growth.rate_per_day=0.03")).value().growth.rate_per_day == 0.03);
    CHECK(read_patient(with("patient.high_risk=true")).value().high_risk);  // missing key created
    CHECK(read_patient(with("patient.doses=[3, 4]")).value().doses == std::vector<double>{3.0, 4.0});
}

TEST_CASE("config: an override creating a mistyped key is rejected by the reader with the override text") {
    const Node root = with("patient.growth.rate_pre_day=0.03");
    const auto patient = read_patient(root);
    REQUIRE_FALSE(patient.ok());
    CHECK(patient.errors()[0].format() ==
          "--set patient.growth.rate_pre_day=0.03: unknown key 'rate_pre_day' (did you mean 'rate_per_day'?)");

    const auto typed = read_patient(with("patient.growth.rate_per_day=fast"));
    CHECK(typed.errors()[0].format() == "--set patient.growth.rate_per_day=fast: expected a number, got 'fast'");
    // A created intermediate map is reported where it was created.
    const auto section = read_patient(with("patient.grwoth.law=logistic"));
    CHECK(section.errors()[0].format() ==
          "--set patient.grwoth.law=logistic: patient.grwoth: unknown key 'grwoth' (did you mean 'growth'?)");
}

TEST_CASE("config: overrides of missing list entries or through scalars are errors") {
    CHECK(failure("patient.clones[cd19].fraction=0") ==
          "--set patient.clones[cd19].fraction=0: patient.clones: no entry named 'cd19' in 'patient.clones' "
          "(entries: bcma_pos, bcma_neg)");
    CHECK(failure("patient.clones[bcma_ng].fraction=0").find("(did you mean 'bcma_neg'?)") != std::string::npos);
    CHECK(
        failure("patient.clones[5].fraction=0") ==
        "--set patient.clones[5].fraction=0: patient.clones: index 5 is out of range: 'patient.clones' has 2 entries");
    CHECK(failure("patient.growth[0]=1") ==
          "--set patient.growth[0]=1: patient.growth: cannot select [0]: 'patient.growth' is a map, not a list");
    CHECK(failure("patient.growth.rate_per_day.x=1")
              .find("cannot set key 'x': 'patient.growth.rate_per_day' is '0.01', not a map") != std::string::npos);
}

TEST_CASE("config: overrides apply to an empty root") {
    Node root;
    const auto errors = apply_override(root, parse_override("a.b=1").value());
    CHECK(errors.empty());
    CHECK(to_flow_string(root) == "{a: {b: 1}}");
}

TEST_CASE("config: a list entry is selected by its path, and brackets nest") {
    auto parsed = load_yaml_string("cohort:\n  parameters:\n    - path: patient.clones[bcma_neg].fraction\n      low: 1\n"
                                   "    - path: patient.growth\n      median: 2\n",
                                   "study.yaml");
    REQUIRE(parsed.ok());
    Node root = parsed.value();
    const auto change = parse_override("cohort.parameters[patient.clones[bcma_neg].fraction].low=3");
    REQUIRE(change.ok());
    REQUIRE(change->path.size() == 4);
    CHECK(change->path[2].text == "patient.clones[bcma_neg].fraction");
    CHECK(apply_override(root, change.value()).empty());
    CHECK(root.find("cohort")->find("parameters")->items[0].find("low")->text == "3");
    CHECK(root.find("cohort")->find("parameters")->items[1].find("median")->text == "2");
    CHECK(parse_override("a[b[c].d=1").errors()[0].format().find("unclosed '['") != std::string::npos);
}

TEST_CASE("config: find_at looks a path up without changing the tree") {
    const Node root = scenario();
    const Node* fraction = find_at(root, "patient.clones[bcma_neg].fraction");
    REQUIRE(fraction);
    CHECK(fraction == find_at(root, "patient.clones[1].fraction"));
    CHECK(find_at(root, "patient.clones[nope].fraction") == nullptr);
    CHECK(find_at(root, "patient.no_such_key") == nullptr);
    CHECK(find_at(root, "patient.clones[") == nullptr);
    CHECK(to_flow_string(root) == to_flow_string(scenario()));
}

TEST_CASE("config: a long override whose aliases expand to many values is refused (regression: 3.9 s, 370 MB)") {
    // Every value of an override keeps the whole override text as its origin: 82,000 values (aliases)
    // times 2,000 characters took 3.9 s and 370 MB for one --set (found with tests/fuzz).
    std::string aliases = "&l0 [x, x, x, x, x, x, x, x, x, x]";
    for (int k = 1; k <= 4; ++k) {
        aliases += ", &l" + std::to_string(k) + " [";
        for (int i = 0; i < 9; ++i) aliases += (i ? ", *l" : "*l") + std::to_string(k - 1);
        aliases += "]";
    }
    const auto refused = parse_override("x=[" + aliases + ", " + std::string(1800, 'p') + "]");
    REQUIRE_FALSE(refused.ok());
    INFO(refused.errors()[0].message);
    CHECK(refused.errors()[0].message.rfind("invalid value: 82115 values, each labelled with this 2050-character origin "
                                            "for messages, would take 168 MB, more than 64 MB", 0) == 0);
    // The same values in a short override, and a long override of few values, are fine.
    CHECK(parse_override("x=[" + aliases + "]").ok());
    CHECK(parse_override("x=[" + std::string(100000, 'p') + "]").ok());
}
