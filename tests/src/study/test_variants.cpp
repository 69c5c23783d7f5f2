// Arms whose patients differ by a drawn variant (for example their prior therapy), and lines that
// start after a treatment-free interval, as a study runs them.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "src/io/csv.hpp"
#include "src/study/runner.hpp"
#include "src/study/summarize.hpp"
#include "tests/src/study/study_files.hpp"

using namespace cartsim;
using namespace cartsim::study;
using cartsim::study::testing::TempFolder;

namespace {

std::string variant_trial(const std::string& shares = "0.3, 0.7", const std::string& extra = "") {
    return std::string(R"(name: variant-trial
horizon_days: 120
hybrid: {enabled: false}
cohort:
  size: 6
  seed: 11
  parameters:
    - {path: patient.tumour.growth_rate_per_day, distribution: lognormal, median: 0.01, cv: 0.4}
arms:
  - name: car
    regimen:
      - {name: cart, start: 0, therapies: [{product: ide-cel}]}
    variants:
      - {name: bridged, share: )") + shares.substr(0, shares.find(',')) + R"(, regimen: [{name: bridging, start: 0, duration_days: 14, therapies: [{product: pomalidomide}]}, {name: cart, start: 21, therapies: [{product: ide-cel}]}]}
      - {name: direct, share: )" + shares.substr(shares.find(',') + 1) + R"(}
  - name: later
    regimen:
      - {name: cart, start: 0, therapies: [{product: ide-cel}]}
    variants:
      - {name: bridged, share: )" + shares.substr(0, shares.find(',')) + R"(, set: ["patient.weight_kg=60"]}
      - {name: direct, share: )" + shares.substr(shares.find(',') + 1) + R"(}
)" + extra;
}

}  // namespace

TEST_CASE("variants: each patient draws one by the shares, the same in every arm with the same shares") {
    TempFolder dir;
    auto text = variant_trial();
    text.replace(text.find("size: 6"), 7, "size: 2000");
    const auto loaded = load_study(dir.write("v.yaml", text), {});
    REQUIRE(loaded);
    const auto& s = loaded.value();
    long bridged = 0;
    for (int p = 0; p < 2000; ++p) {
        const auto a = patient_variant(s, 0, p), b = patient_variant(s, 1, p);
        REQUIRE(a);
        CHECK(a == b);
        bridged += *a == 0;
    }
    // Binomial(2000, 0.3): sd 10.2 patients; 5 sd either side fails by chance about once in 1.7 million.
    CHECK(std::abs(static_cast<double>(bridged) - 600.0) < 5.0 * std::sqrt(2000.0 * 0.3 * 0.7));
}

TEST_CASE("variants: the variant's regimen runs, patients.csv names it and the summary splits the arm by it") {
    TempFolder dir;
    const auto loaded = load_study(dir.write("v.yaml", variant_trial()), {});
    REQUIRE(loaded);
    const auto& s = loaded.value();
    CHECK(s.lines == 2);  // the bridged variant has two lines
    const auto layout = row_layout(s, {});
    const auto header = layout.header();
    REQUIRE(header.size() > 3);
    CHECK(header[2] == "variant");
    std::vector<std::string> rows;
    RunnerOptions o;
    o.threads = 1;
    run_study(s, layout, o, [&](const std::string& row) { rows.push_back(row); });
    REQUIRE(rows.size() == 12);
    const auto col = [&](const char* name) {
        return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
    };
    std::string csv;
    for (std::size_t i = 0; i < header.size(); ++i) csv += (i ? "," : "") + header[i];
    csv += '\n';
    long car_bridged = 0;
    for (const auto& row : rows) {
        csv += row + '\n';
        const auto cells = io::split_csv_line(row);
        REQUIRE(cells.size() == header.size());
        const bool bridged = cells[2] == "bridged";
        CHECK((bridged || cells[2] == "direct"));
        if (cells[1] == "car") {
            car_bridged += bridged;
            CHECK(cells[col("line1_name")] == (bridged ? "bridging" : "cart"));
            CHECK(cells[col("line2_start_day")] == (bridged ? "21" : ""));
        }
    }
    std::istringstream in(csv);
    const auto t = summarize(s, layout, in);
    const auto& variants = t.summary["arms"]["car"]["variants"];
    long n = 0;
    for (const auto& [name, v] : variants.items()) n += v["n"].get<long>();
    CHECK(n == 6);
    CHECK(variants.value("bridged", nlohmann::ordered_json{{"n", 0}})["n"].get<long>() == car_bridged);
}

TEST_CASE("variants: shares must add up to 1, and a variant cannot set a path the cohort draws") {
    TempFolder dir;
    const auto bad_shares = load_study(dir.write("a.yaml", variant_trial("0.3, 0.6")), {});
    REQUIRE_FALSE(bad_shares);
    CHECK(bad_shares.errors().front().message.find("add up to 0.9") != std::string::npos);
    auto text = variant_trial();
    text.replace(text.find("patient.weight_kg=60"), 20, "patient.tumour.growth_rate_per_day=0.02");
    const auto drawn = load_study(dir.write("b.yaml", text), {});
    REQUIRE_FALSE(drawn);
    CHECK(drawn.errors().front().message.find("a variant cannot set it") != std::string::npos);
    CHECK(drawn.errors().front().line > 0);
}

TEST_CASE("treatment-free interval: a cohort draws each patient's delay, and line 2 starts that long after progression") {
    TempFolder dir;
    const auto loaded = load_study(dir.write("gap.yaml", R"(name: gap
horizon_days: 400
hybrid: {enabled: false}
patient: {tumour: {lethal_burden_cells: 1.0e14, carrying_capacity_cells: 1.0e15}}
regimen:
  - {name: watch, start: 0, therapies: []}
  - {name: second, start: progression, start_delay_days: 10, therapies: [{product: pomalidomide}]}
cohort:
  size: 5
  seed: 4
  parameters:
    - {path: patient.tumour.growth_rate_per_day, distribution: uniform, low: 0.008, high: 0.012}
    - {path: "regimen[second].start_delay_days", distribution: uniform, low: 20, high: 60}
)"),
                                   {});
    REQUIRE(loaded);
    const auto layout = row_layout(loaded.value(), {});
    const auto header = layout.header();
    const auto col = [&](const std::string& name) {
        const auto it = std::find(header.begin(), header.end(), name);
        REQUIRE(it != header.end());
        return static_cast<std::size_t>(it - header.begin());
    };
    std::vector<std::string> rows;
    RunnerOptions o;
    run_study(loaded.value(), layout, o, [&](const std::string& row) { rows.push_back(row); });
    REQUIRE(rows.size() == 5);
    int checked = 0;
    for (const auto& row : rows) {
        const auto cells = io::split_csv_line(row);
        const auto& progression = cells[col("line1_progression_day")];
        if (progression.empty()) continue;
        const double delay = std::stod(cells[col("regimen.second.start_delay_days")]);
        CHECK(delay >= 20.0);
        CHECK(delay <= 60.0);
        CHECK(std::stod(cells[col("line2_start_day")]) == doctest::Approx(std::stod(progression) + delay));
        CHECK(std::stod(cells[col("ttnt_days")]) == doctest::Approx(std::stod(progression) + delay));
        ++checked;
    }
    CHECK(checked >= 4);  // untreated, growing about 1%/day: progression within months
}
