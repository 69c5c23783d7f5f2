#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "src/study/calibration.hpp"
#include "tests/src/study/study_files.hpp"

using namespace cartsim::study;
using cartsim::study::testing::TempFolder;

namespace {

std::string read(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// A CAR-T preset (ide-cel's binder) with the expansion rate written out, and a one-arm validation
// study of 8 patients whose ORR target is calibrated.
const char* kPreset = R"(# toy product
type: cart
targets: [BCMA]
dose_cells: 450.0e6
expansion_rate_per_day: 0.8   # 1/day
binder: {half_max_molecules_per_cell: 300, hill_coefficient: 1.5, functional_floor_molecules_per_cell: 50}
)";

const char* kStudy = R"(name: toy-validation
horizon_days: 200
hybrid: {enabled: false}
cohort:
  size: 8
  seed: 5
  parameters:
    - path: patient.tumour.growth_rate_per_day
      distribution: lognormal
      median: 0.01
      cv: 0.4
arms:
  - name: car
    regimen:
      - {name: cart, start: 0, therapies: [{product: toy-cart}]}
targets:
  - {quantity: ORR, trial: toy, source: none, clinical_value: 50, band: [40, 60], metric: orr, arms: [car], calibrated: true}
  - {quantity: peak day, trial: toy, source: none, clinical_value: 12, band: [9, 17], metric: median, column: cart_peak_day, arms: [car]}
)";

struct Fixture {
    TempFolder dir;
    std::string spec;
    Fixture(const std::string& spec_text) {
        std::filesystem::create_directories(dir.path() / "products");
        dir.write("products/toy-cart.yaml", kPreset);
        dir.write("study.yaml", kStudy);
        spec = dir.write("spec.yaml", spec_text);
    }
};

const char* kSpec = R"(name: toy
studies: [study.yaml]
parameters:
  - {file: products/toy-cart.yaml, key: expansion_rate_per_day, low: 0.1, high: 3.0, scale: log}
  - {file: products/toy-cart.yaml, key: binder.half_max_molecules_per_cell, low: 10, high: 3000, scale: log}
method: {max_evaluations: 10}
)";

}  // namespace

TEST_CASE("calibration: the unit map is a bijection of [low, high] onto [0, 1] on log and linear scales") {
    CalibrationParameter log{"f", "k", 0.1, 3.0, Scale::Log};
    CalibrationParameter lin{"f", "k", -2.0, 5.0, Scale::Linear};
    for (double v : {0.1, 0.5, 1.0, 3.0}) CHECK(from_unit(log, to_unit(log, v)) == doctest::Approx(v).epsilon(1e-12));
    for (double v : {-2.0, 0.0, 4.9}) CHECK(from_unit(lin, to_unit(lin, v)) == doctest::Approx(v).epsilon(1e-12));
    CHECK(from_unit(log, -1.0) == doctest::Approx(0.1));  // clipped to the bounds
    CHECK(from_unit(log, 2.0) == doctest::Approx(3.0));
    CHECK(from_unit(log, 0.5) == doctest::Approx(std::sqrt(0.3)));  // the middle on a log scale
    CHECK(to_unit(lin, 1.5) == doctest::Approx(0.5));
}

TEST_CASE("calibration: a spec reads each parameter's current value from its preset") {
    Fixture f(kSpec);
    auto c = load_calibration(f.spec);
    REQUIRE(c.ok());
    CHECK(c->start == std::vector<double>{0.8, 300.0});
    CHECK(c->studies.size() == 1);
    CHECK(c->files[0].filename() == "toy-cart.yaml");
}

TEST_CASE("calibration: bad specs name the file, line and key") {
    const auto errors_of = [](const std::string& spec) {
        Fixture f(spec);
        auto c = load_calibration(f.spec);
        return c ? std::string() : cartsim::config::format_errors(c.errors());
    };
    CHECK(errors_of("studies: [study.yaml]\nparameters:\n  - {file: products/toy-cart.yaml, key: memory_death_rate_per_day, low: 0.01, high: 1}\n")
              .find("spec.yaml:3:") != std::string::npos);
    CHECK(errors_of("studies: [study.yaml]\nparameters:\n  - {file: products/toy-cart.yaml, key: memory_death_rate_per_day, low: 0.01, high: 1}\n")
              .find("is not written in") != std::string::npos);
    CHECK(errors_of("studies: [study.yaml]\nparameters:\n  - {file: products/toy-cart.yaml, key: expansion_rate_per_day, low: 1, high: 3}\n")
              .find("lies outside [1, 3]") != std::string::npos);
    CHECK(errors_of("studies: [missing.yaml]\nparameters:\n  - {file: products/toy-cart.yaml, key: expansion_rate_per_day, low: 0.1, high: 3}\n")
              .find("no such file") != std::string::npos);
    CHECK(errors_of("studies: [study.yaml]\nparameters:\n  - {file: products/toy-cart.yaml, key: expansion_rate_per_day, low: 3, high: 0.1}\n")
              .find("must be below high") != std::string::npos);
    CHECK(errors_of("studies: [study.yaml]\nparamters: []\n").find("did you mean 'parameters'") != std::string::npos);
}

TEST_CASE("calibration: an evaluation applies the values in memory, is deterministic and independent of threads") {
    Fixture f(kSpec);
    auto c = load_calibration(f.spec);
    REQUIRE(c.ok());
    EvaluationOptions one;
    one.threads = 1;
    EvaluationOptions two = one;
    two.threads = 2;
    const auto a = evaluate_calibration(c.value(), {0.8, 300.0}, one);
    const auto b = evaluate_calibration(c.value(), {0.8, 300.0}, two);
    REQUIRE(a.results.size() == 2);
    CHECK(a.distance == b.distance);
    CHECK(a.results[1].model_value == b.results[1].model_value);
    // A weaker product (slow expansion, poor binder) responds less: the override reached the preset.
    const auto weak = evaluate_calibration(c.value(), {0.1, 3000.0}, one);
    CHECK(*weak.results[0].model_value < *a.results[0].model_value);
    CHECK(weak.distance != a.distance);
    // Only the calibrated ORR counts in the distance.
    CHECK(a.distance == doctest::Approx(distance_term(a.results[0], 200.0)));
    CHECK(read(f.dir.path() / "products/toy-cart.yaml") == kPreset);  // files untouched
}

TEST_CASE("calibration: write-back replaces the value in place and keeps one comment line above it") {
    TempFolder dir;
    const auto file = std::filesystem::path(dir.write("p.yaml", kPreset));
    write_back(file, "binder.half_max_molecules_per_cell", 123.456789, "to toy: ORR");
    write_back(file, "expansion_rate_per_day", 1.25, "to toy: ORR");
    auto text = read(file);
    CHECK(text.find("# fitted by cartsim calibrate to toy: ORR\nexpansion_rate_per_day: 1.25   # 1/day\n") != std::string::npos);
    CHECK(text.find("binder: {half_max_molecules_per_cell: 123.457, hill_coefficient: 1.5,") != std::string::npos);
    CHECK(text.find("# toy product\ntype: cart\n") == 0);
    // Again: the comment is replaced, not stacked, and the new value is read back.
    write_back(file, "expansion_rate_per_day", 0.5, "to toy: ORR, again");
    text = read(file);
    CHECK(text.find("# fitted by cartsim calibrate to toy: ORR, again\nexpansion_rate_per_day: 0.5   # 1/day\n") != std::string::npos);
    CHECK(text.find("to toy: ORR\nexpansion") == std::string::npos);
    CHECK_THROWS_AS(write_back(file, "memory_death_rate_per_day", 1.0, "x"), std::runtime_error);
}

TEST_CASE("calibration: the history lists every evaluation and reads back exactly") {
    Fixture f(kSpec);
    auto c = load_calibration(f.spec);
    REQUIRE(c.ok());
    EvaluationOptions options;
    const auto e = evaluate_calibration(c.value(), {0.8123456789012345, 300.0}, options);
    std::stringstream h;
    h << history_header(c.value(), e.results) << "\n" << history_line(1, e) << "\n" << "2,0.5";  // a cut line
    CHECK(history_header(c.value(), e.results) == "evaluation,toy-cart:expansion_rate_per_day,toy-cart:binder.half_max_molecules_per_cell,distance,toy: ORR");
    const auto cache = read_history(h, 2);
    REQUIRE(cache.size() == 1);
    CHECK(cache.begin()->first == std::vector<double>{0.8123456789012345, 300.0});
    CHECK(cache.begin()->second == e.distance);
}
