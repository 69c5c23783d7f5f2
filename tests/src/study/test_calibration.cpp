#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "src/study/calibration.hpp"
#include "src/study/calibration_fit.hpp"
#include "src/study/calibration_output.hpp"
#include "src/study/likelihood.hpp"
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
seeds: {calibration: 100, validation: [200, 300]}
cohort:
  size: 8
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
  - {id: toy-orr, status: calibrated, quantity: ORR, trial: toy, source: none, band_source: toy, clinical_value: 50, n: 40, band: [40, 60], metric: orr, arms: [car]}
  - {id: toy-peak-day, status: independent, quantity: peak day, trial: toy, source: none, band_source: toy, clinical_value: 12, band: [9, 17], metric: median, column: cart_peak_day, arms: [car]}
  - {id: toy-peak, status: calibrated, assumed_band: true, quantity: peak, trial: toy, source: none, band_source: assumed, clinical_value: 100, band: [10, 1000], metric: median, column: cart_peak_blood_cells_per_ul, arms: [car]}
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
  - {file: products/toy-cart.yaml, key: expansion_rate_per_day, low: 0.1, high: 3.0, scale: log, informed_by: [toy-orr], prior: 0.5, prior_source: assumed}
  - {file: products/toy-cart.yaml, key: binder.half_max_molecules_per_cell, low: 10, high: 3000, scale: log, informed_by: [toy-orr]}
method: {max_evaluations: 10}
)";

/// The spec with its first parameter line replaced.
std::string spec_with(const std::string& parameters) {
    return "name: toy\nstudies: [study.yaml]\nparameters:\n" + parameters;
}

}  // namespace

TEST_CASE("calibration: the unit map is a bijection of [low, high] onto [0, 1] on log and linear scales") {
    CalibrationParameter log;
    log.low = 0.1, log.high = 3.0, log.scale = Scale::Log;
    CalibrationParameter lin;
    lin.low = -2.0, lin.high = 5.0, lin.scale = Scale::Linear;
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
    CHECK(c->seeds == std::vector<int>{100});  // the study's calibration seed
    CHECK(c->objective == std::set<std::string>{"toy-orr"});
    CHECK(*c->spec.parameters[0].prior == 0.5);
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
    // The parameter-by-target matrix names targets the fit may use.
    CHECK(errors_of(spec_with("  - {file: products/toy-cart.yaml, key: expansion_rate_per_day, low: 0.1, high: 3}\n"))
              .find("name the targets (ids) that inform this parameter") != std::string::npos);
    CHECK(errors_of(spec_with("  - {file: products/toy-cart.yaml, key: expansion_rate_per_day, low: 0.1, high: 3, informed_by: [toy-ore]}\n"))
              .find("no target 'toy-ore' in the studies (did you mean 'toy-orr'?)") != std::string::npos);
    CHECK(errors_of(spec_with("  - {file: products/toy-cart.yaml, key: expansion_rate_per_day, low: 0.1, high: 3, informed_by: [toy-peak-day]}\n"))
              .find("is marked independent: a target a fit uses is calibrated") != std::string::npos);
    CHECK(errors_of(spec_with("  - {file: products/toy-cart.yaml, key: expansion_rate_per_day, low: 0.1, high: 3, informed_by: [toy-peak]}\n"))
              .find("has an assumed band and no likelihood") != std::string::npos);
    CHECK(errors_of(spec_with("  - {file: products/toy-cart.yaml, key: expansion_rate_per_day, low: 0.1, high: 3, informed_by: [toy-orr], prior: 1}\n"))
              .find("say where the prior comes from") != std::string::npos);
}

TEST_CASE("calibration: a calibration seed that is a validation seed of a study beside it is refused, naming both files") {
    Fixture f(kSpec);
    // Another validation study in the same folder scores cohort seed 100, the toy study's calibration seed.
    std::string other = kStudy;
    other.replace(other.find("seeds: {calibration: 100, validation: [200, 300]}"), 49, "seeds: {calibration: 900, validation: [100]}");
    other.replace(other.find("toy-orr"), 7, "other-orr");
    other.replace(other.find("toy-peak-day"), 12, "other-peak-day");
    other.replace(other.find("toy-peak,"), 9, "other-peak,");
    f.dir.write("other.yaml", other);
    auto c = load_calibration(f.spec);
    REQUIRE_FALSE(c.ok());
    const auto text = cartsim::config::format_errors(c.errors());
    CHECK(text.find("spec.yaml:2:") != std::string::npos);
    CHECK(text.find("calibration seed 100 for study.yaml is a validation seed of") != std::string::npos);
    CHECK(text.find("other.yaml") != std::string::npos);
    // A spec that names its own seed is checked the same way.
    f.dir.write("spec2.yaml", std::string(kSpec) + "seeds: [200]\n");
    auto c2 = load_calibration((f.dir.path() / "spec2.yaml").string());
    REQUIRE_FALSE(c2.ok());
    CHECK(cartsim::config::format_errors(c2.errors()).find("seeds[0]: calibration seed 200 for study.yaml is a validation seed of") !=
          std::string::npos);
    // Seeds closer than the cohort size share the patients' own random streams (seed + i).
    f.dir.write("spec3.yaml", std::string(kSpec) + "seeds: [196]\n");
    auto c3 = load_calibration((f.dir.path() / "spec3.yaml").string());
    REQUIRE_FALSE(c3.ok());
    CHECK(cartsim::config::format_errors(c3.errors()).find("lies within 8 patients of the validation seed 200") != std::string::npos);
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
    REQUIRE(a.results.size() == 3);
    CHECK(a.deviance == b.deviance);
    CHECK(a.results[1].model_value == b.results[1].model_value);
    // A weaker product (slow expansion, poor binder) responds less: the override reached the preset.
    const auto weak = evaluate_calibration(c.value(), {0.1, 3000.0}, one);
    CHECK(*weak.results[0].model_value < *a.results[0].model_value);
    CHECK(weak.deviance != a.deviance);
    // Only the objective's target (the calibrated ORR) counts in the deviance.
    CHECK(a.deviance == doctest::Approx(deviance(a.results[0], 200.0)));
    CHECK(read(f.dir.path() / "products/toy-cart.yaml") == kPreset);  // files untouched
    // The evaluation draws the calibration patients (seed 100), not the validation patients (seed 200).
    cartsim::scenario::LoadOptions validation;
    validation.preset_overrides = preset_overrides(c.value(), {0.8, 300.0});
    const auto on_calibration = run_study_targets(c->studies[0].string(), [&] { auto o = validation; o.cohort_seed = 100; return o; }(), 1, nullptr);
    const auto on_validation = run_study_targets(c->studies[0].string(), validation, 1, nullptr);
    CHECK(on_calibration.results[1].model_value == a.results[1].model_value);
    CHECK(on_calibration.results[2].model_value == a.results[2].model_value);
    CHECK(on_validation.results[2].model_value != a.results[2].model_value);  // other patients, another median peak
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
    h << history_header(c.value()) << "\n" << history_line(1, c.value(), e) << "\n" << "2,0.5";  // a cut line
    CHECK(history_header(c.value()) == "evaluation,toy_cart.expansion_rate_per_day,toy_cart.binder.half_max_molecules_per_cell,deviance,target_toy_orr");
    const auto cache = read_history(h, 2);
    REQUIRE(cache.size() == 1);
    CHECK(cache.begin()->first == std::vector<double>{0.8123456789012345, 300.0});
    CHECK(cache.begin()->second == e.deviance);
}

TEST_CASE("calibration: a fit never ends worse than its start, replays a history exactly, and holds a fold's prior") {
    Fixture f(kSpec);
    auto c = load_calibration(f.spec);
    REQUIRE(c.ok());
    FitOptions options;
    options.max_evaluations = 6;
    std::map<std::vector<double>, double> seen;
    options.on_evaluation = [&](int, const Evaluation& e, double, double) { seen[e.values] = e.deviance; };
    const auto first = fit_calibration(c.value(), options);
    CHECK(first.evaluations == 6);
    CHECK(first.simulated == 6);
    const double start = evaluate_calibration(c.value(), c->start, {}).deviance;
    CHECK(first.best.deviance <= start);
    // Replaying the history simulates nothing and gives the same answer.
    options.replay = seen;
    options.on_evaluation = nullptr;
    const auto again = fit_calibration(c.value(), options);
    CHECK(again.simulated == 0);
    CHECK(again.values == first.values);
    // A held parameter stays at its value; the search moves only the other.
    LoadedCalibration fold = c.value();
    fold.fixed[0] = 0.5;
    FitOptions held;
    held.max_evaluations = 4;
    const auto r = fit_calibration(fold, held);
    CHECK(r.values[0] == 0.5);
    CHECK(r.best.values[0] == 0.5);
}

TEST_CASE("calibration: write-back into a folder copies the presets there and leaves the originals unchanged") {
    Fixture f(kSpec);
    auto c = load_calibration(f.spec);
    REQUIRE(c.ok());
    const auto out = f.dir.path() / "out";
    const auto written = write_back_all(c.value(), {1.5, 250.0}, "spec.yaml (test)", out / "presets");
    REQUIRE(written.size() == 1);
    CHECK(read(f.dir.path() / "products/toy-cart.yaml") == kPreset);
    const auto copy = read(written[0]);
    CHECK(copy.find("# fitted by cartsim calibrate spec.yaml (test) to toy-orr\nexpansion_rate_per_day: 1.5") != std::string::npos);
    CHECK(copy.find("half_max_molecules_per_cell: 250") != std::string::npos);
    // In place: the preset itself.
    write_back_all(c.value(), {1.25, 250.0}, "spec.yaml (test)", {});
    CHECK(read(f.dir.path() / "products/toy-cart.yaml").find("expansion_rate_per_day: 1.25") != std::string::npos);
}

TEST_CASE("calibration: a value with copies must agree across its files, reaches every copy in an evaluation and is written into each") {
    // Two products that share one fitted value (as ide-cel and cilta-cel share their anti-CAR immunity):
    // the study gives one of them, the spec fits the other's file and names this one as a copy.
    Fixture f(spec_with("  - {file: products/other-cart.yaml, key: expansion_rate_per_day, low: 0.1, high: 3.0, scale: log,\n"
                        "     copies: [products/toy-cart.yaml], informed_by: [toy-orr]}\n"));
    const std::string other = std::string(kPreset).replace(0, 13, "# other product");
    f.dir.write("products/other-cart.yaml", other);
    auto c = load_calibration(f.spec);
    REQUIRE(c.ok());
    REQUIRE(c->copies[0].size() == 1);
    CHECK(c->copies[0][0].filename() == "toy-cart.yaml");
    // Both files hold 0.8: the start. A copy that disagrees is refused, naming both files.
    f.dir.write("products/toy-cart.yaml", std::string(kPreset).replace(std::string(kPreset).find("0.8"), 3, "0.9"));
    auto bad = load_calibration(f.spec);
    REQUIRE_FALSE(bad.ok());
    const auto message = cartsim::config::format_errors(bad.errors());
    CHECK(message.find("toy-cart.yaml holds 0.9 where other-cart.yaml holds 0.8: copies must agree") != std::string::npos);
    f.dir.write("products/toy-cart.yaml", kPreset);
    // An evaluation changes the study's product through the copy alone: a slower expansion responds less.
    EvaluationOptions one;
    one.threads = 1;
    const auto fast = evaluate_calibration(c.value(), {0.8}, one);
    const auto slow = evaluate_calibration(c.value(), {0.1}, one);
    CHECK(*slow.results[0].model_value < *fast.results[0].model_value);
    // Write-back puts the value, with its comment, into the file and its copy.
    const auto written = write_back_all(c.value(), {1.5}, "spec.yaml (test)", {});
    REQUIRE(written.size() == 2);
    for (const char* name : {"products/other-cart.yaml", "products/toy-cart.yaml"})
        CHECK(read(f.dir.path() / name).find("# fitted by cartsim calibrate spec.yaml (test) to toy-orr\nexpansion_rate_per_day: 1.5") !=
              std::string::npos);
}

TEST_CASE("calibration: a fitted value at the edge of its range is named, in fitted.yaml too, and a held one is not") {
    Fixture f(kSpec);  // expansion on [0.1, 3] and the binder on [10, 3000], both on log scales
    auto c = load_calibration(f.spec);
    REQUIRE(c.ok());
    CHECK(parameters_at_bounds(c.value(), {0.8, 300.0}).empty());
    // 2.97 of 3 lies at 0.997 of the log range: within the default 3% of the upper end.
    auto hits = parameters_at_bounds(c.value(), {2.97, 300.0});
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].parameter == 0);
    CHECK(hits[0].upper);
    CHECK(hits[0].bound == 3.0);
    hits = parameters_at_bounds(c.value(), {0.8, 11.0});  // 11 of [10, 3000]: 0.017 of the log range
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].parameter == 1);
    CHECK_FALSE(hits[0].upper);
    CHECK(hits[0].bound == 10.0);
    CHECK(parameters_at_bounds(c.value(), {0.8, 11.0}, 0.01).empty());  // outside a 1% margin
    FitResult result;
    result.values = {2.97, 300.0};
    result.reason = "test";
    const auto yaml = fitted_yaml(c.value(), result, 1.0, "today");
    CHECK(yaml.find("fitted: 2.97, at_bound: high 3}") != std::string::npos);
    CHECK(yaml.find("fitted: 300}") != std::string::npos);
    // A held parameter (a fold's prior) is not searched, so it is never at a bound.
    LoadedCalibration fold = c.value();
    fold.fixed[0] = 2.97;
    CHECK(parameters_at_bounds(fold, {2.97, 300.0}).empty());
}
