#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "model/drugs/bispecific_params.hpp"
#include "src/config/override.hpp"
#include "src/config/params.hpp"
#include "src/config/plausibility.hpp"

using namespace cartsim;
using namespace cartsim::config;

namespace {

/// A small described struct with plausible ranges of every shape.
struct Ranged {
    double dose_cells = 450e6;
    double growth_per_day = 0.01;
    std::optional<double> stop_day;
    std::vector<double> thresholds{1.0, 2.0};
    int bins = 12;
    double unbounded = 1.0;
};

template <class V>
void describe(Ranged& r, V& v) {
    v.field("dose_cells", r.dose_cells,
            nonnegative("cells", "label", "dose").plausible(5e7, 1e9, "KarMMa, CARTITUDE-1 doses"));
    v.field("growth_per_day", r.growth_per_day,
            bounded("1/day", "assumed", "net growth", -1.0, 5.0).plausible(-0.01, 0.05, "assumed"));
    v.field("stop_day", r.stop_day, nonnegative("day", "scenario", "last day").plausible(14.0, 120.0, "assumed"));
    v.field("thresholds", r.thresholds, nonnegative("index", "assumed", "grades").plausible(0.1, 100.0, "assumed"));
    v.field("bins", r.bins, bounded("bins", "assumed", "bins", 2, 64).plausible(6.0, 32.0, "numerics"));
    v.field("unbounded", r.unbounded, nonnegative("-", "assumed", "no plausible range stated"));
}

std::vector<ConfigWarning> warnings_for(const std::string& yaml) {
    auto root = load_yaml_string(yaml, "x.yaml");
    REQUIRE(root);
    return plausibility_warnings(root.value(), "", Ranged{});
}

}  // namespace

TEST_CASE("plausibility: the rule is 10x beyond a positive end, 9 range widths beyond an end at or below zero") {
    const FieldInfo dose = nonnegative("cells", "", "").plausible(5e7, 1e9, "trials");
    CHECK(implausible_below(dose) == doctest::Approx(5e6));
    CHECK(implausible_above(dose) == doctest::Approx(1e10));
    CHECK(plausibility(450.0, dose) == Plausibility::FarBelow);
    CHECK(plausibility(2e7, dose) == Plausibility::Outside);  // outside, but not by 10x: no warning
    CHECK(plausibility(4.5e8, dose) == Plausibility::Inside);
    CHECK(plausibility(2e10, dose) == Plausibility::FarAbove);
    const FieldInfo growth = any_value("1/day", "", "").plausible(-0.01, 0.05, "assumed");
    CHECK(implausible_below(growth) == doctest::Approx(-0.01 - 9 * 0.06));
    CHECK(implausible_above(growth) == doctest::Approx(0.5));
    const FieldInfo open = nonnegative("day", "", "").plausible(0.0, kInf, "labels");
    CHECK(plausibility(1e9, open) == Plausibility::Inside);
    CHECK(plausibility(0.0, open) == Plausibility::Inside);
    CHECK(plausibility(-1e9, nonnegative("", "", "")) == Plausibility::Inside);  // no range stated: never warns
}

TEST_CASE(
    "plausibility: a value far below its range warns with file, line, key, value, unit, range, source and a hint") {
    const auto w = warnings_for("dose_cells: 450\n");
    REQUIRE(w.size() == 1);
    CHECK(w[0].file == "x.yaml");
    CHECK(w[0].line == 1);
    CHECK(w[0].key_path == "dose_cells");
    CHECK(w[0].format() ==
          "x.yaml:1:13: warning: dose_cells = 450 cells is far below the plausible range 5e7-1e9 cells (KarMMa, "
          "CARTITUDE-1 doses); did you mean 450e6?");
}

TEST_CASE("plausibility: plausible values, values just outside and values of unranged fields give no warning") {
    CHECK(warnings_for("dose_cells: 450e6\n").empty());
    CHECK(warnings_for("dose_cells: 1.0e7\n").empty());  // 5x below: outside, within the factor
    CHECK(warnings_for("growth_per_day: -0.3\nbins: 2\nunbounded: 1e30\n").empty());
    CHECK(warnings_for("stop_day: null\n").empty());
    CHECK(warnings_for("dose_cells: fast\n").empty());  // not a number: the reader's error, not a warning
}

TEST_CASE("plausibility: far above, lists element by element, optionals and ints are checked") {
    const auto w = warnings_for(
        "dose_cells: 3e10\nstop_day: 1\nthresholds: [1, 5000, 0.001]\nbins: 1000\n"
        "growth_per_day: 0.9\n");
    REQUIRE(w.size() == 6);
    CHECK(w[0].key_path == "dose_cells");
    CHECK(w[0].message.find("is far above the plausible range 5e7-1e9 cells") != std::string::npos);
    CHECK(w[1].key_path == "growth_per_day");
    CHECK(w[1].message.find("plausible range -0.01 to 0.05 1/day") != std::string::npos);
    CHECK(w[2].key_path == "stop_day");
    CHECK(w[2].message.find("1 days is far below the plausible range 14-120 days") != std::string::npos);
    CHECK(w[3].key_path == "thresholds[1]");
    CHECK(w[4].key_path == "thresholds[2]");
    CHECK(w[4].line == 3);
    CHECK(w[5].key_path == "bins");
}

TEST_CASE("plausibility: a value set by --set names the override") {
    auto root = load_yaml_string("dose_cells: 450e6\n", "x.yaml");
    REQUIRE(root);
    auto change = parse_override("dose_cells=300");
    REQUIRE(change);
    REQUIRE(apply_override(root.value(), change.value()).empty());
    const auto w = plausibility_warnings(root.value(), "", Ranged{});
    REQUIRE(w.size() == 1);
    CHECK(w[0].format().rfind("--set dose_cells=300: warning: dose_cells = 300 cells is far below", 0) == 0);
}

TEST_CASE("plausibility: a discriminator read first selects the range (bispecific doses in mg/kg or mg)") {
    const auto warn = [](const std::string& yaml) {
        auto root = load_yaml_string(yaml, "b.yaml");
        REQUIRE(root);
        return plausibility_warnings(root.value(), "", drugs::BispecificParams{});
    };
    CHECK(warn("dose_unit: mg\ndose: 76\nstep_up_doses: [12, 32]\n").empty());
    CHECK(warn("dose_unit: mg/kg\ndose: 1.5\n").empty());
    const auto w = warn("dose_unit: mg/kg\ndose: 76\n");
    REQUIRE(w.size() == 1);
    CHECK(w[0].message.find("76 mg/kg is far above") != std::string::npos);
}

TEST_CASE("plausibility: compact numbers and range texts") {
    CHECK(compact_number(2e7) == "2e7");
    CHECK(compact_number(1e-5) == "1e-5");
    CHECK(compact_number(0.005) == "0.005");
    CHECK(compact_number(450.0) == "450");
    CHECK(compact_number(2.2e12) == "2.2e12");
    CHECK(compact_number(1e5) == "1e5");
    CHECK(compact_number(3650.0) == "3650");
    CHECK(compact_number(-0.01) == "-0.01");
    CHECK(plausible_range_text(nonnegative("", "", "").plausible(14.0, kInf, "")) == ">= 14");
    CHECK(plausible_range_text(nonnegative("", "", "").plausible(-kInf, 3.0, "")) == "<= 3");
    CHECK(plausible_range_text(nonnegative("", "", "")).empty());
}

TEST_CASE("plausibility: cartsim params rows carry the plausible range and its source") {
    Ranged ranged;
    const auto rows = list_params(ranged, "");
    const auto row = [&](const std::string& key) {
        for (const auto& r : rows)
            if (r.key_path == key) return r;
        FAIL("no row " << key);
        return ParamRow{};
    };
    CHECK(row("dose_cells").plausible_text == "5e7-1e9");
    CHECK(row("dose_cells").plausible_source == "KarMMa, CARTITUDE-1 doses");
    CHECK(row("growth_per_day").plausible_text == "-0.01 to 0.05");
    CHECK(row("unbounded").plausible_text.empty());
}
