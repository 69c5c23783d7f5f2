#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "src/io/column_names.hpp"
#include "src/io/csv.hpp"
#include "src/stats/cox.hpp"
#include "src/stats/cox_zph.hpp"
#include "src/stats/kaplan_meier.hpp"
#include "src/stats/log_rank.hpp"
#include "src/stats/rmst.hpp"
#include "src/study/patient_row.hpp"
#include "src/study/summarize.hpp"
#include "tests/src/study/study_files.hpp"

using namespace cartsim;
using namespace cartsim::study;
using cartsim::study::testing::kTrial;
using cartsim::study::testing::TempFolder;

namespace {

simulate::Summary two_lines() {
    simulate::Summary s;
    simulate::LineRecord first, second;
    first.name = "cart";
    first.start_day = 0.0;
    first.progression_day = 300.0;
    first.best_response = endpoints::Response::Complete;
    second.name = "bispecific";
    second.start_day = 300.0;
    s.lines = {first, second};
    s.progression_day = 300.0;
    s.best_response = endpoints::Response::Complete;
    return s;
}

/// A patients.csv for the two-arm test trial: PFS ends by progression (event) or at the horizon, 1000 days.
struct Fake {
    std::string arm;
    int patient;
    double pfs;
    bool pfs_event;
    std::string response;
};

std::string fake_csv(const RowLayout& layout, const std::vector<Fake>& rows) {
    const auto header = layout.header();
    std::string out;
    for (std::size_t i = 0; i < header.size(); ++i) out += (i ? "," : "") + header[i];
    out += '\n';
    for (const auto& f : rows) {
        PatientRecord r;
        r.group = f.arm;
        r.patient = f.patient;
        r.parameters = {0.01, 1e11};
        r.horizon_days = 1000.0;
        simulate::Summary s;
        simulate::LineRecord line;
        line.name = "x";
        line.start_day = 0.0;
        if (f.pfs_event) line.progression_day = f.pfs;
        s.lines = {line};
        s.progression_day = line.progression_day;
        if (!f.response.empty()) s.best_response = *enum_from_name<endpoints::Response>(f.response);
        r.summary = s;
        out += csv_line(layout, r) + '\n';
    }
    return out;
}

}  // namespace

TEST_CASE("patient row: PFS per line and OS, with censoring at the horizon") {
    auto s = two_lines();
    auto pfs1 = line_pfs(s, 0, 1000.0);
    REQUIRE(pfs1);
    CHECK(pfs1->first == 300.0);
    CHECK(pfs1->second);
    auto pfs2 = line_pfs(s, 1, 1000.0);
    REQUIRE(pfs2);
    CHECK(pfs2->first == 700.0);  // no progression on line 2, alive: censored at the horizon
    CHECK_FALSE(pfs2->second);
    CHECK_FALSE(line_pfs(s, 2, 1000.0));
    CHECK(overall_survival(s, 1000.0) == std::pair{1000.0, false});
    s.death_day = 800.0;
    CHECK(line_pfs(s, 1, 1000.0)->first == 500.0);
    CHECK(line_pfs(s, 1, 1000.0)->second);
    CHECK(overall_survival(s, 1000.0) == std::pair{800.0, true});
}

TEST_CASE("patient row: PFS2 runs to progression on the next line or death, time to next treatment to its start") {
    auto s = two_lines();
    // Progressed on line 1 at 300, line 2 from 300 without progression: PFS2 censored at the horizon.
    CHECK(pfs2_time(s, 1000.0) == std::pair{1000.0, false});
    CHECK(time_to_next_treatment(s, 1000.0) == std::pair{300.0, true});
    s.lines[1].progression_day = 650.0;
    CHECK(pfs2_time(s, 1000.0) == std::pair{650.0, true});
    s.lines[1].progression_day.reset();
    s.death_day = 720.0;
    CHECK(pfs2_time(s, 1000.0) == std::pair{720.0, true});
    // Never reached line 2: PFS2 and TTNT end at death.
    s.lines[1].start_day.reset();
    CHECK(time_to_next_treatment(s, 1000.0) == std::pair{720.0, true});
    CHECK(pfs2_time(s, 1000.0) == std::pair{720.0, true});
    // One line only: neither is defined.
    s.lines.pop_back();
    CHECK_FALSE(pfs2_time(s, 1000.0));
    CHECK_FALSE(time_to_next_treatment(s, 1000.0));
}

TEST_CASE("patient row: duration of response runs from the first response to progression, only for responders") {
    auto s = two_lines();
    CHECK_FALSE(duration_of_response(s, 0, 1000.0));
    s.lines[0].response_day = 28.0;
    CHECK(duration_of_response(s, 0, 1000.0) == std::pair{272.0, true});
    s.lines[1].response_day = 336.0;
    CHECK(duration_of_response(s, 1, 1000.0) == std::pair{664.0, false});
}

TEST_CASE("patient row: column names follow the output contract and per-line columns say line k") {
    RowLayout layout;
    layout.kind = StudyKind::Trial;
    layout.parameters = {"patient.tumour.clones[bcma-neg].fraction", "regimen[cart].therapies[ide-cel].dose_cells"};
    layout.lines = 2;
    layout.antigens = {Antigen::Bcma, Antigen::Gprc5d};
    const auto header = layout.header();
    for (const auto& name : header) CHECK_MESSAGE(io::valid_column(name), name);
    const auto has = [&](const std::string& name) { return std::find(header.begin(), header.end(), name) != header.end(); };
    CHECK(has("patient.tumour.clones.bcma_neg.fraction"));
    CHECK(has("regimen.cart.therapies.ide_cel.dose_cells"));
    for (const char* c : {"pfs_days", "pfs2_days", "ttnt_days", "os_days", "line1_pfs_days", "line2_pfs_days",
                          "line2_dor_days", "line2_prog_gprc5d_status", "line1_prog_bcma_median_molecules_per_cell",
                          "line1_prog_macrophage_suppressive_cells", "line1_prog_t_functional_fraction"})
        CHECK_MESSAGE(has(c), c);
    CHECK_FALSE(has("pfs1_days"));  // the old per-line name, easily read as PFS2 for line 2
    std::set<std::string> distinct(header.begin(), header.end());
    CHECK(distinct.size() == header.size());
}

TEST_CASE("patient row: every row has the header's cells, failed runs included") {
    RowLayout layout;
    layout.kind = StudyKind::Trial;
    layout.parameters = {"a.b", "c"};
    layout.lines = 2;
    layout.attribution = {"exhaustion"};
    const auto header = layout.header();
    CHECK(header.front() == "patient");
    CHECK(header[1] == "arm");
    CHECK(header.back() == "error");
    PatientRecord ok;
    ok.group = "arm, with comma";
    ok.parameters = {1, 2};
    ok.summary = two_lines();
    ok.attribution_days = {12.0};
    ok.horizon_days = 1000;
    PatientRecord failed;
    failed.group = "x";
    failed.error = "solver failed: step \"too small\"";
    for (const auto* r : {&ok, &failed}) {
        const auto cells = io::split_csv_line(csv_line(layout, *r));
        REQUIRE(cells.size() == header.size());
        CHECK(cells[1] == r->group);
        CHECK(cells.back() == r->error);
    }
}

TEST_CASE("summary: rates, medians and comparisons equal the statistics of the rows") {
    TempFolder dir;
    const auto loaded = load_study(dir.write("t.yaml", kTrial), {});
    REQUIRE(loaded);
    const auto layout = row_layout(loaded.value(), {});
    // Arm car: PFS 100, 200, 300 (events), 1000 (censored); arm none: 50, 150, 250, 400 (events).
    const std::vector<Fake> rows{{"car", 0, 100, true, "CR"},  {"none", 0, 50, true, "PD"}, {"car", 1, 200, true, "PR"},
                                 {"none", 1, 150, true, "SD"}, {"car", 2, 300, true, "MR"}, {"none", 2, 250, true, "PR"},
                                 {"car", 3, 1000, false, "sCR"}, {"none", 3, 400, true, "SD"}};
    std::istringstream in(fake_csv(layout, rows));
    const auto t = summarize(loaded.value(), layout, in);
    const auto& car = t.summary["arms"]["car"];
    CHECK(car["n"] == 4);
    CHECK(car["orr"]["value"].get<double>() == doctest::Approx(0.75));   // CR, PR, sCR
    CHECK(car["cr_or_better"]["value"].get<double>() == doctest::Approx(0.5));
    CHECK(t.summary["arms"]["none"]["orr"]["value"].get<double>() == doctest::Approx(0.25));
    stats::SurvivalData a{{100, true, 0}, {200, true, 0}, {300, true, 0}, {1000, false, 0}};
    stats::SurvivalData b{{50, true, 1}, {150, true, 1}, {250, true, 1}, {400, true, 1}};
    CHECK(car["median_pfs_days"]["value"].get<double>() ==
          doctest::Approx(*stats::median_survival(stats::kaplan_meier(a)).median_days));
    auto both = a;
    both.insert(both.end(), b.begin(), b.end());
    const auto& c = t.summary.at("comparisons").at(0);
    REQUIRE(c.at("hazard_ratio").at("value").is_number());
    CHECK(c["reference_arm"] == "car");  // the first arm, as no comparison block names one
    CHECK(c["arm"] == "none");
    CHECK(c["endpoint"] == "pfs");
    CHECK(c["hazard_ratio"]["value"].get<double>() ==
          doctest::Approx(stats::cox_fit(both, stats::group_indicator(both, 1)).hazard_ratios[0]));
    CHECK(c["logrank_p"].get<double>() == doctest::Approx(stats::log_rank(both).p_value));
    // Paired on the same patients: none - car = -50, -50, -50, -600.
    CHECK(c["paired"]["patients"] == 4);
    CHECK(c["paired"]["mean_difference_days"]["value"].get<double>() == doctest::Approx(-187.5));
    CHECK(c["paired"]["reference_longer_share"].get<double>() == 1.0);
    // RMST to the study's horizon (120 days) per arm and the difference none - car.
    const auto rmst = stats::restricted_mean_difference(both, 1, 0, 120.0);
    CHECK(c["rmst"]["horizon_days"].get<double>() == 120.0);
    CHECK(c["rmst"]["difference_days"]["value"].get<double>() == doctest::Approx(rmst.difference_days));
    CHECK(c["rmst"]["difference_days"]["ci_low"].get<double>() == doctest::Approx(rmst.ci_low_days));
    CHECK(car["rmst_days"]["pfs"]["value"].get<double>() == doctest::Approx(rmst.reference.rmst_days));
    // The proportional-hazards check of the same Cox fit.
    const auto fit = stats::cox_fit(both, stats::group_indicator(both, 1));
    const auto ph = stats::proportional_hazards_test(both, stats::group_indicator(both, 1), fit);
    CHECK(c["proportional_hazards"]["p_value"].get<double>() == doctest::Approx(ph.global_p_value));
    // km.csv: a row at time 0 for each arm and endpoint, then one per event time.
    CHECK(t.km_csv.find("car,pfs,0,4,0,0,1,1,1\n") != std::string::npos);
    CHECK(t.km_csv.find("none,pfs,400,1,1,0,0,") != std::string::npos);
}

TEST_CASE("summary: row order does not matter") {
    TempFolder dir;
    const auto loaded = load_study(dir.write("t.yaml", kTrial), {});
    REQUIRE(loaded);
    const auto layout = row_layout(loaded.value(), {});
    std::vector<Fake> rows{{"car", 0, 100, true, "CR"}, {"none", 0, 50, true, "PD"}, {"car", 1, 200, false, "PR"},
                           {"none", 1, 60, true, "SD"}};
    std::istringstream first(fake_csv(layout, rows));
    std::reverse(rows.begin(), rows.end());
    std::istringstream second(fake_csv(layout, rows));
    const auto a = summarize(loaded.value(), layout, first), b = summarize(loaded.value(), layout, second);
    CHECK(a.summary.dump() == b.summary.dump());
    CHECK(a.km_csv == b.km_csv);
}
