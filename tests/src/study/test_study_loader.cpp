#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "src/study/sampling_bridge.hpp"
#include "src/study/study_loader.hpp"
#include "src/study/patient_row.hpp"
#include "src/study/seeds.hpp"
#include "tests/src/study/study_files.hpp"

using namespace cartsim;
using namespace cartsim::study;
using cartsim::study::testing::TempFolder;
using cartsim::study::testing::kTrial;

namespace {

std::string errors_of(const std::string& path, std::vector<std::string> overrides = {}) {
    scenario::LoadOptions options;
    options.overrides = std::move(overrides);
    const auto loaded = load_study(path, options);
    return loaded ? std::string() : config::format_errors(loaded.errors());
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("study loader: a trial has one group per arm and the cohort's patients") {
    TempFolder dir;
    const auto loaded = load_study(dir.write("trial.yaml", kTrial), {});
    REQUIRE(loaded);
    const auto& s = loaded.value();
    CHECK(s.kind == StudyKind::Trial);
    REQUIRE(s.groups.size() == 2);
    CHECK(s.groups[0].name == "car");
    CHECK(s.groups[1].name == "none");
    CHECK(s.patients == 6);
    CHECK(s.lines == 1);
    CHECK(s.cohort_paths.size() == 2);
    // Patient 2 gets the same draws in both arms, and the drawn values reach the scenario.
    const auto drawn = draw_patient(s.spec.cohort, 2);
    const auto car = patient_scenario(s, 0, 2, drawn);
    const auto none = patient_scenario(s, 1, 2, drawn);
    REQUIRE(car);
    REQUIRE(none);
    CHECK(car.value().patient.tumour.growth_rate_per_day == drawn[0]);
    CHECK(none.value().patient.tumour.initial_cells == drawn[1]);
    CHECK(car.value().regimen.size() == 1);
    CHECK(none.value().regimen.empty());
    CHECK(car.value().seed == s.base.seed + 2);
    CHECK(car.value().regimen[0].therapies[0].cart.dose_cells > 0.0);  // the ide-cel preset was expanded
}

TEST_CASE("study loader: bad study blocks are reported with file, line and key") {
    TempFolder dir;
    CHECK(errors_of(dir.write("a.yaml", replaced(kTrial, "  seed: 3", "  sed: 3"))).find("a.yaml:6:") != std::string::npos);
    // A misspelt path points at the line where it is written (line 8), with a did-you-mean.
    const auto misspelt = errors_of(dir.write("b.yaml", replaced(kTrial, "tumour.growth_rate_per_day", "tumour.growth_rate")));
    CHECK(misspelt.find("b.yaml:8:13: patient.tumour.growth_rate: unknown key") != std::string::npos);
    CHECK(misspelt.find("unknown key 'growth_rate' (did you mean") != std::string::npos);
    CHECK(errors_of(dir.write("c.yaml", replaced(kTrial, "distribution: lognormal", "distribution: gamma")))
              .find("c.yaml:9:21: cohort.parameters[patient.tumour.growth_rate_per_day].distribution: unknown value 'gamma'") != std::string::npos);
    CHECK(errors_of(dir.write("d.yaml", std::string(kTrial) + "sweep:\n  parameters: [{path: seed, values: [1, 2]}]\n"))
              .find("a study has arms or a sweep, not both") != std::string::npos);
    CHECK(errors_of(dir.write("e.yaml", replaced(kTrial, "  - name: none\n", "  - nme: none\n")))
              .find("arms[1].nme: unknown key (did you mean 'name'?)") != std::string::npos);
    const std::string correlated = replaced(kTrial, "arms:", "  correlations:\n    - {a: patient.tumour.growth_rate_per_day, b: patient.tumour.initial_cells, value: 1.0}\narms:");
    CHECK(errors_of(dir.write("f.yaml", correlated)).find("cohort.correlations") != std::string::npos);
    CHECK(errors_of(dir.write("g.yaml", kTrial), {"cohort.size=0"}).find("cohort.size") != std::string::npos);
    CHECK(errors_of(dir.write("h.yaml", replaced(kTrial, "product: ide-cel", "product: ide-cell")))
              .find("unknown product 'ide-cell'") != std::string::npos);
}

TEST_CASE("study loader: a sweep has one group per design point, each with its values in place") {
    TempFolder dir;
    const std::string text = R"(name: test-sweep
horizon_days: 60
hybrid: {enabled: false}
regimen:
  - {name: cart, start: 0, therapies: [{product: ide-cel}]}
sweep:
  design: grid
  parameters:
    - {path: patient.tumour.growth_rate_per_day, values: [0.005, 0.01]}
    - {path: "regimen[cart].therapies[ide-cel].dose_cells", low: 1.0e8, high: 1.0e9, count: 3, scale: log}
)";
    const auto loaded = load_study(dir.write("sweep.yaml", text), {});
    REQUIRE(loaded);
    const auto& s = loaded.value();
    CHECK(s.kind == StudyKind::Sweep);
    REQUIRE(s.groups.size() == 6);
    CHECK(s.patients == 1);
    CHECK(s.groups[4].name == "p4");
    CHECK(s.groups[4].point[0] == 0.01);
    CHECK(s.groups[4].point[1] == doctest::Approx(std::sqrt(1e8 * 1e9)));
    const auto sc = patient_scenario(s, 4, 0, {});
    REQUIRE(sc);
    CHECK(sc.value().patient.tumour.growth_rate_per_day == 0.01);
    CHECK(sc.value().regimen[0].therapies[0].cart.dose_cells == doctest::Approx(std::sqrt(1e8 * 1e9)));
}

TEST_CASE("study loader: a study too large to hold is refused before it is built (regression: 61 s and 6.6 GB)") {
    // A 6 kB file: 300 arms over a scenario whose aliases expand to 82,000 values. Each arm copied the
    // whole tree before anything was checked (600 arms: 61 s and 6.6 GB for `cartsim check`; found with tests/fuzz).
    std::string text = "name: big\nregimen: [{name: cart, start: 0, therapies: [{product: ide-cel}]}]\n";
    text += "x0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int k = 1; k <= 4; ++k) {
        text += "x" + std::to_string(k) + ": &l" + std::to_string(k) + " [";
        for (int i = 0; i < 9; ++i) text += (i ? ", *l" : "*l") + std::to_string(k - 1);
        text += "]\n";
    }
    text += "arms:\n";
    for (int i = 0; i < 300; ++i) text += "  - {name: a" + std::to_string(i) + "}\n";
    TempFolder dir;
    const std::string refused = errors_of(dir.write("arms.yaml", text));
    CHECK(refused.find("arms.yaml:8:1: arms: 300 arms and variants, each a copy of the scenario (82122 values, ") !=
          std::string::npos);
    CHECK(refused.find("more than 2 GB (each copy is built and checked when the study loads)") != std::string::npos);
    // Three lines asking for a grid of 10^18 points are refused at the sweep's line, at once.
    const std::string grid = R"(name: grid
sweep:
  parameters:
    - {path: seed, low: 1, high: 2, count: 1000000}
    - {path: horizon_days, low: 1, high: 2, count: 1000000}
    - {path: patient.weight_kg, low: 1, high: 2, count: 1000000}
)";
    CHECK(errors_of(dir.write("grid.yaml", grid)).find("grid.yaml:2:1: sweep: the design has 1e+18 points") != std::string::npos);
}

TEST_CASE("study loader: a drawn value the scenario rejects fails that patient only") {
    TempFolder dir;
    const auto loaded = load_study(dir.write("t.yaml", kTrial), {});
    REQUIRE(loaded);
    const auto bad = patient_scenario(loaded.value(), 0, 0, {-5.0, 1e11});  // growth rate below its range
    REQUIRE_FALSE(bad);
    CHECK(config::format_errors(bad.errors()).find("growth_rate_per_day") != std::string::npos);
}

TEST_CASE("study loader: truncated_lognormal reads median, cv and optional bounds, no draw leaves them") {
    TempFolder dir;
    const std::string capped = replaced(kTrial, R"(      distribution: log_uniform
      low: 1.0e11
      high: 1.0e12)", R"(      distribution: truncated_lognormal
      median: 3.0e11
      cv: 1.5
      high: 4.0e11)");
    const auto loaded = load_study(dir.write("t.yaml", capped), {});
    REQUIRE(loaded);
    const auto& p = loaded.value().spec.cohort.parameters[1];
    CHECK(p.distribution == DistributionKind::TruncatedLognormal);
    CHECK(p.lognormal_low == 0.0);  // not given: open below
    CHECK(p.lognormal_high == 4.0e11);
    int above_median = 0;
    for (int i = 0; i < 400; ++i) {
        const double cells = draw_patient(loaded.value().spec.cohort, i)[1];
        CHECK(cells <= 4.0e11);
        above_median += cells > 3.0e11;
    }
    // P(X > median | X <= 4e11) = (F(4e11) - 1/2) / F(4e11) = 0.173 with sigma = sqrt(ln 3.25) = 1.086 and
    // F(4e11) = Phi(ln(4/3) / sigma) = 0.604 (scipy); 400 draws: 69 expected, binomial sd 7.6, so a 4-sd window.
    CHECK(above_median > 69 - 30);
    CHECK(above_median < 69 + 30);
    CHECK(errors_of(dir.write("bad.yaml", replaced(capped, "      high: 4.0e11", "      high: 4.0e11\n      low: 5.0e11")))
              .find("cohort.parameters[patient.tumour.initial_cells].low: must be below high") != std::string::npos);
}

TEST_CASE("study loader: seeds: picks the first validation seed, or the one asked for, for cohort.seed and seed") {
    using cartsim::study::testing::TempFolder;
    TempFolder dir;
    std::string text = cartsim::study::testing::kTrial;
    text.replace(text.find("  seed: 3\n"), 10, "");
    text = "seeds: {calibration: 40, validation: [50, 60, 70]}\n" + text;
    const auto file = dir.write("s.yaml", text);
    auto first = load_study(file, {});
    REQUIRE(first.ok());
    CHECK(first->spec.has_seeds);
    CHECK(first->spec.cohort.seed == 50);
    CHECK(first->base.seed == 50);
    CHECK(validation_seeds(first.value()) == std::vector<int>{50, 60, 70});
    cartsim::scenario::LoadOptions calibration;
    calibration.cohort_seed = 40;
    auto cal = load_study(file, calibration);
    REQUIRE(cal.ok());
    CHECK(cal->spec.cohort.seed == 40);
    CHECK(cal->base.seed == 40);
    // --set wins over the block (cartsim run), the other seed still follows it.
    cartsim::scenario::LoadOptions set;
    set.overrides = {"cohort.seed=7"};
    auto overridden = load_study(file, set);
    REQUIRE(overridden.ok());
    CHECK(overridden->spec.cohort.seed == 7);
    CHECK(overridden->base.seed == 50);
    CHECK(overrides_seed(set.overrides));
    CHECK_FALSE(overrides_seed({"cohort.size=7"}));
    // The block is written into the resolved scenario.
    CHECK(first->resolved_yaml.find("seeds:") != std::string::npos);
}

TEST_CASE("study loader: bad seeds: blocks name file, line and key") {
    using cartsim::study::testing::TempFolder;
    TempFolder dir;
    const auto errors_of = [&](const std::string& name, const std::string& head, bool keep_cohort_seed) {
        std::string text = cartsim::study::testing::kTrial;
        if (!keep_cohort_seed) text.replace(text.find("  seed: 3\n"), 10, "");
        auto loaded = load_study(dir.write(name, head + text), {});
        return loaded ? std::string() : cartsim::config::format_errors(loaded.errors());
    };
    CHECK(errors_of("a.yaml", "seeds: {calibration: 41, validation: [41, 82]}\n", false)
              .find("41 is also the calibration seed") != std::string::npos);
    CHECK(errors_of("b.yaml", "seeds: {calibration: 40, validation: [80, 80]}\n", false).find("80 is listed twice") != std::string::npos);
    CHECK(errors_of("g.yaml", "seeds: {calibration: 40, validation: [80, 83]}\n", false)
              .find("seeds 80 and 83 lie closer than the cohort size (6)") != std::string::npos);
    CHECK(errors_of("c.yaml", "seeds: {validation: [41]}\n", false).find("seeds.calibration") != std::string::npos);
    CHECK(errors_of("d.yaml", "seeds: {calibration: 40, validation: [41]}\n", true)
              .find("d.yaml:7:9: cohort.seed: this study chooses its patients with seeds:") != std::string::npos);
    CHECK(errors_of("e.yaml", "seed: 9\nseeds: {calibration: 40, validation: [41]}\n", false)
              .find("e.yaml:1:7: seed: this study chooses its patients with seeds:") != std::string::npos);
    CHECK(errors_of("f.yaml", "seeds: {calibration: 40, validation: [41], validaton: [3]}\n", false).find("did you mean 'validation'") !=
          std::string::npos);
}

TEST_CASE("study loader: a sweep over a drawn path wins over the draw, with one patients.csv column") {
    TempFolder dir;
    const std::string text = R"(name: swept-draw
horizon_days: 60
hybrid: {enabled: false}
regimen:
  - {name: cart, start: 0, therapies: [{product: ide-cel}]}
cohort:
  size: 4
  seed: 9
  parameters:
    - {path: patient.tumour.growth_rate_per_day, distribution: lognormal, median: 0.01, cv: 0.5}
    - {path: patient.t_cells.baseline_functional_fraction, distribution: beta, a: 7, b: 3}
sweep:
  design: grid
  parameters:
    - {path: patient.tumour.growth_rate_per_day, values: [0.002, 0.02]}
)";
    const auto loaded = load_study(dir.write("swept.yaml", text), {});
    REQUIRE(loaded);
    const auto& s = loaded.value();
    REQUIRE(s.groups.size() == 2);
    const std::vector<double> drawn{0.0123, 0.65};
    // The point's value reaches the scenario; the other drawn value still applies.
    const auto sc = patient_scenario(s, 1, 2, drawn);
    REQUIRE(sc);
    CHECK(sc.value().patient.tumour.growth_rate_per_day == 0.02);
    CHECK(sc.value().patient.t_cells.baseline_functional_fraction == 0.65);
    // One column per path: the drawn column carries the value used; no second column for the sweep.
    const auto layout = row_layout(s, {});
    CHECK(std::count(layout.parameters.begin(), layout.parameters.end(), "patient.tumour.growth_rate_per_day") == 1);
    CHECK(row_parameters(s, 1, drawn) == std::vector<double>{0.02, 0.65});
    CHECK(row_parameters(s, 0, drawn) == std::vector<double>{0.002, 0.65});
    REQUIRE(s.precedence.size() == 1);
    CHECK(s.precedence[0].find("the sweep's value wins") != std::string::npos);
}

TEST_CASE("study loader: an arm that sets a drawn path wins over the draw in that arm only") {
    TempFolder dir;
    std::string text = kTrial;
    text.replace(text.find("  - name: none\n    regimen: []\n"), 30,
                 "  - name: none\n    regimen: []\n    set: [patient.tumour.growth_rate_per_day=0.03]\n");
    const auto loaded = load_study(dir.write("arm.yaml", text), {});
    REQUIRE(loaded);
    const auto& s = loaded.value();
    const std::vector<double> drawn{0.0111, 2.0e11};
    CHECK(patient_scenario(s, 0, 1, drawn).value().patient.tumour.growth_rate_per_day == 0.0111);
    CHECK(patient_scenario(s, 1, 1, drawn).value().patient.tumour.growth_rate_per_day == 0.03);
    CHECK(patient_scenario(s, 1, 1, drawn).value().patient.tumour.initial_cells == 2.0e11);
    CHECK(row_parameters(s, 1, drawn) == std::vector<double>{0.03, 2.0e11});
    CHECK(row_parameters(s, 0, drawn) == drawn);
    REQUIRE(s.precedence.size() == 1);
    CHECK(s.precedence[0].find("set by arm 'none'") != std::string::npos);
    // A drawn path set to something that is not a number is an error at the arm's line.
    std::string bad = kTrial;
    bad.replace(bad.find("  - name: none\n    regimen: []\n"), 30,
                "  - name: none\n    regimen: []\n    set: [\"patient.tumour.growth_rate_per_day=[1, 2]\"]\n");
    const auto refused = load_study(dir.write("bad-arm.yaml", bad), {});
    REQUIRE_FALSE(refused);
    CHECK(cartsim::config::format_errors(refused.errors()).find("an arm that sets it needs a number") != std::string::npos);
}
