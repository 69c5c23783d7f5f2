#include <doctest/doctest.h>

#include "src/config/reader.hpp"
#include "toy_params.hpp"

using namespace cartsim::config;
using cartsim::config::toy::Patient;

namespace {

Node load(const std::string& text) {
    auto node = load_yaml_string(text, "scenario.yaml");
    REQUIRE(node.ok());
    return node.value();
}

Result<Patient> read_patient(const std::string& text) { return read_struct(load(text), "patient", Patient{}); }

// The errors of a read that must fail, formatted one per line.
std::string errors_of(const std::string& text) {
    const auto patient = read_patient(text);
    REQUIRE_FALSE(patient.ok());
    return format_errors(patient.errors());
}

}  // namespace

TEST_CASE("config: absent keys keep the defaults given to read_struct") {
    Patient initial;
    initial.age_years = 70;
    const auto patient = read_struct(load("high_risk: true\n"), "patient", initial);
    REQUIRE(patient.ok());
    CHECK(patient->age_years == 70);
    CHECK(patient->high_risk);
    CHECK(patient->growth == toy::Growth{});

    const auto empty = read_struct(load(""), "patient", Patient{});
    REQUIRE(empty.ok());
    CHECK(empty.value() == Patient{});
    CHECK(read_patient("growth:\n").value().growth == toy::Growth{});
}

TEST_CASE("config: numbers accept integers and exponents, reject non-finite and quoted text") {
    const auto patient = read_patient("growth: {rate_per_day: 1.5e6, checkpoints_days: [450e6, 3, +0.5]}\n");
    REQUIRE(patient.ok());
    CHECK(patient->growth.rate_per_day == 1.5e6);
    CHECK(patient->growth.checkpoints_days == std::vector<double>{450e6, 3.0, 0.5});

    CHECK(errors_of("growth:\n  rate_per_day: .nan\n") ==
          "scenario.yaml:2:17: patient.growth.rate_per_day: expected a finite number, got '.nan'\n");
    CHECK(errors_of("growth: {rate_per_day: .inf}\n").find("expected a finite number, got '.inf'") !=
          std::string::npos);
    CHECK(errors_of("growth: {rate_per_day: 1e999}\n").find("outside the range of a double") != std::string::npos);
    CHECK(errors_of("response_probability: '0.5'\n") ==
          "scenario.yaml:1:23: patient.response_probability: expected a number, got the quoted string '0.5'\n");
}

TEST_CASE("config: wrong node kinds and wrong scalar types are reported with file, line and key path") {
    CHECK(errors_of("label: x\ngrowth:\n  rate_per_day: fast\n") ==
          "scenario.yaml:3:17: patient.growth.rate_per_day: expected a number, got 'fast'\n");
    CHECK(errors_of("response_probability: {a: 1}\n")
              .find("scenario.yaml:1:23: patient.response_probability: expected a number, got a map") !=
          std::string::npos);
    CHECK(errors_of("age_years: 1.5\n") == "scenario.yaml:1:12: patient.age_years: expected an integer, got '1.5'\n");
    CHECK(errors_of("label: [a]\n").find("patient.label: expected text, got a list") != std::string::npos);
    CHECK(errors_of("doses: 3\n").find("scenario.yaml:1:8: patient.doses: expected a list, got '3'") !=
          std::string::npos);
    CHECK(errors_of("growth: 3\n").find("patient.growth: expected a map, got '3'") != std::string::npos);
    CHECK(errors_of("clones: {name: a}\n").find("patient.clones: expected a list, got a map") != std::string::npos);
    CHECK(errors_of("start: soon\n") ==
          "scenario.yaml:1:8: patient.start: expected a day (number) or 'progression', got 'soon'\n");
    CHECK(read_patient("start: progression\n").value().start == toy::StartDay{true, 0.0});
}

TEST_CASE("config: numbers outside FieldInfo bounds are rejected, list elements included") {
    CHECK(errors_of("response_probability: 1.5\n") ==
          "scenario.yaml:1:23: patient.response_probability: 1.5 is out of range: must be [0, 1]\n");
    CHECK(errors_of("age_years: 12\n").find("patient.age_years: 12 is out of range: must be [18, 100]") !=
          std::string::npos);
    CHECK(errors_of("doses: [1, 2, 300]\n") ==
          "scenario.yaml:1:15: patient.doses[2]: 300 is out of range: must be [0, 100]\n");
    CHECK(errors_of("relapse_day: -1\n").find("patient.relapse_day: -1 is out of range: must be >= 0") !=
          std::string::npos);
    CHECK(read_patient("response_probability: 1\nage_years: 18\n").ok());  // bounds are inclusive
}

TEST_CASE("config: bools are true or false only") {
    CHECK(read_patient("high_risk: true\n").value().high_risk);
    for (const char* spelling : {"yes", "no", "1", "on", "True"}) {
        CAPTURE(spelling);
        CHECK(errors_of(std::string("high_risk: ") + spelling + "\n") ==
              "scenario.yaml:1:12: patient.high_risk: expected true or false, got '" + std::string(spelling) + "'\n");
    }
    CHECK(errors_of("high_risk: \"true\"\n").find("expected true or false, got the quoted string 'true'") !=
          std::string::npos);
}

TEST_CASE("config: optional numbers take null or absence as no value") {
    CHECK_FALSE(read_patient("relapse_day: null\n").value().relapse_day.has_value());
    CHECK_FALSE(read_patient("relapse_day:\n").value().relapse_day.has_value());
    CHECK(read_patient("relapse_day: 120\n").value().relapse_day == 120.0);
    CHECK(errors_of("relapse_day: never\n").find("expected a number, got 'never'") != std::string::npos);
}

TEST_CASE("config: enum errors list the allowed names and suggest the closest") {
    CHECK(errors_of("law: logistc\n") ==
          "scenario.yaml:1:6: patient.law: unknown value 'logistc', expected one of "
          "'exponential', 'logistic', 'gompertz' (did you mean 'logistic'?)\n");
    CHECK(errors_of("laws: [logistic, linear]\n").find("patient.laws[1]: unknown value 'linear', expected one of") !=
          std::string::npos);
    CHECK(read_patient("laws: [gompertz, exponential]\n").value().laws ==
          std::vector<toy::Law>{toy::Law::Gompertz, toy::Law::Exponential});
}

TEST_CASE("config: unknown keys report file, line and a did-you-mean") {
    CHECK(
        errors_of("label: x\ngrowth:\n  law: logistic\n  rate_per_dya: 0.1\n") ==
        "scenario.yaml:4:3: patient.growth.rate_per_dya: unknown key 'rate_per_dya' (did you mean 'rate_per_day'?)\n");
    CHECK(errors_of("colour: red\n") == "scenario.yaml:1:1: patient.colour: unknown key 'colour'\n");
}

TEST_CASE("config: every error of a file is collected in one pass") {
    const auto patient = read_patient(
        "age_years: old\n"
        "high_risk: yes\n"
        "growth:\n"
        "  rate_per_day: -1\n"
        "clones:\n"
        "  - name: bcma_neg\n"
        "    fraction: 2\n"
        "    bin: 3\n"
        "therapies:\n"
        "  - product: cilta-cel\n"
        "    dose_cells: lots\n");
    REQUIRE_FALSE(patient.ok());
    const auto& errors = patient.errors();
    REQUIRE(errors.size() == 6);
    CHECK(errors[0].format() == "scenario.yaml:1:12: patient.age_years: expected an integer, got 'old'");
    CHECK(errors[1].line == 2);
    CHECK(errors[2].key_path == "patient.growth.rate_per_day");
    CHECK(errors[3].format() ==
          "scenario.yaml:7:15: patient.clones[bcma_neg].fraction: 2 is out of range: must be [0, 1]");
    CHECK(errors[4].format() ==
          "scenario.yaml:8:5: patient.clones[bcma_neg].bin: unknown key 'bin' (did you mean 'bins'?)");
    CHECK(errors[5].format() ==
          "scenario.yaml:11:17: patient.therapies[cilta-cel].dose_cells: expected a number, got 'lots'");
}

TEST_CASE("config: lists replace the default entries, check entry kinds and reject duplicate names") {
    const auto patient = read_patient("clones:\n  - name: a\n    fraction: 0.25\n  - {name: b, bins: 8}\n");
    REQUIRE(patient.ok());
    REQUIRE(patient->clones.size() == 2);
    CHECK(patient->clones[0] == toy::Clone{"a", 0.25, 4});
    CHECK(patient->clones[1] == toy::Clone{"b", 1.0, 8});
    CHECK(read_patient("clones: []\n").value().clones.empty());

    CHECK(errors_of("clones:\n  - name: a\n  - 7\n") ==
          "scenario.yaml:3:5: patient.clones[1]: expected a map, got '7'\n");
    CHECK(errors_of("clones:\n  - name: a\n  - name: a\n") ==
          "scenario.yaml:3:11: patient.clones: duplicate name 'a' (first used at line 2)\n");
    // Entries without a name are labelled by index.
    CHECK(errors_of("clones:\n  - fraction: 3\n").find("patient.clones[0].fraction: 3 is out of range") !=
          std::string::npos);
}

TEST_CASE("config: polymorphic entries read only the fields of their variant") {
    const auto patient = read_patient(
        "therapies:\n"
        "  - {type: cart, product: cilta-cel, dose_cells: 0.75e6, lymphodepletion: false}\n"
        "  - {type: drug, product: teclistamab, dose_mg: 1.5, stop_day: 200}\n");
    REQUIRE(patient.ok());
    REQUIRE(patient->therapies.size() == 2);
    CHECK(patient->therapies[0].cart == toy::CartFields{0.75e6, false});
    CHECK(patient->therapies[1].kind == toy::TherapyKind::Drug);
    CHECK(patient->therapies[1].drug == toy::DrugFields{1.5, 200.0});

    // A key of another variant is unknown here.
    CHECK(errors_of("therapies:\n  - type: drug\n    product: tec\n    dose_cells: 1e6\n") ==
          "scenario.yaml:4:5: patient.therapies[tec].dose_cells: unknown key 'dose_cells'\n");
    // No name or product written in the YAML, so the entry is labelled by its index.
    CHECK(errors_of("therapies:\n  - {type: cart, dose_cell: 1e6}\n") ==
          "scenario.yaml:2:18: patient.therapies[0].dose_cell: unknown key 'dose_cell' (did you mean 'dose_cells'?)\n");
    // A bad discriminator gives one error, not a cascade of unknown keys from the guessed variant.
    CHECK(errors_of("therapies:\n  - {type: drog, product: tec, dose_mg: 3}\n") ==
          "scenario.yaml:2:12: patient.therapies[tec].type: unknown value 'drog', expected one of 'cart', 'drug' "
          "(did you mean 'drug'?)\n");
}
