#include <doctest/doctest.h>

#include <cmath>
#include <sstream>

#include "src/io/csv.hpp"
#include "src/stats/cox.hpp"
#include "src/stats/kaplan_meier.hpp"
#include "src/study/study_loader.hpp"
#include "src/study/validation.hpp"
#include "tests/src/study/study_files.hpp"

#include <fstream>

using namespace cartsim::study;
using cartsim::study::testing::TempFolder;

namespace {

// Ten patients in arm a, four in arm b, one failed run; columns as in patients.csv (a subset).
const char* kTable =
    "patient,arm,best_response,mrd_negative,progression_day,relapse_type,crs_grade,pfs_days,pfs_event,os_days,os_event,"
    "level,other,error\n"
    "0,a,sCR,true,,,1,900,0,900,0,5,50,\n"
    "1,a,CR,true,400,antigen_negative,2,400,1,700,1,1,10,\n"
    "2,a,CR,false,300,antigen_positive_effector_loss,3,300,1,900,0,2,20,\n"
    "3,a,VGPR,false,200,antigen_positive_effector_loss,0,200,1,500,1,3,30,\n"
    "4,a,PR,false,100,antigen_negative,1,100,1,400,1,4,40,\n"
    "5,a,PR,false,500,antigen_low,1,500,1,900,0,6,60,\n"
    "6,a,SD,false,60,antigen_positive_effector_loss,0,60,1,200,1,7,80,\n"
    "7,a,PD,false,30,antigen_positive_effector_loss,4,30,1,100,1,8,70,\n"
    "8,a,MR,false,,,0,250,1,250,1,9,90,\n"
    "9,a,sCR,true,,,1,900,0,900,0,10,100,\n"
    "0,b,PR,false,90,antigen_negative,0,90,1,300,1,,,\n"
    "1,b,SD,false,45,antigen_negative,0,45,1,200,1,,,\n"
    "2,b,PD,false,20,antigen_negative,0,20,1,100,1,,,\n"
    "3,b,VGPR,false,150,antigen_negative,0,150,1,400,1,,,\n"
    "4,b,error,,,,,,,,,,,solver failed\n";

PatientTable table() {
    std::istringstream in(kTable);
    return read_patient_table(in);
}

TargetResult one(Metric metric, std::vector<std::string> arms = {"a"}) {
    TargetSpec t;
    t.quantity = "q";
    t.metric = metric;
    t.arms = std::move(arms);
    t.band = {0, 100};
    return evaluate_targets({t}, table(), "s").front();
}

TargetResult with(TargetSpec t) {
    t.quantity = "q";
    if (t.band.empty()) t.band = {0, 100};
    return evaluate_targets({t}, table(), "s").front();
}

}  // namespace

TEST_CASE("validation: response, MRD, CRS and relapse rates count the arm's patients, in percent") {
    CHECK(one(Metric::Orr).model_value == doctest::Approx(70.0));  // sCR, CR, CR, VGPR, PR, PR, sCR of 10
    CHECK(one(Metric::CrOrBetter).model_value == doctest::Approx(40.0));
    CHECK(one(Metric::Scr).model_value == doctest::Approx(20.0));
    CHECK(one(Metric::VgprOrBetter).model_value == doctest::Approx(50.0));
    CHECK(one(Metric::NoResponse).model_value == doctest::Approx(30.0));
    CHECK(one(Metric::MrdNegative).model_value == doctest::Approx(30.0));
    CHECK(one(Metric::MrdNegativeAmongCr).model_value == doctest::Approx(75.0));  // 3 of the 4 with >= CR
    CHECK(one(Metric::CrsAnyGrade).model_value == doctest::Approx(70.0));
    CHECK(one(Metric::CrsGrade3).model_value == doctest::Approx(20.0));
    // Relapses within the default 12 months (day 365.25): days 300, 200, 100, 60, 30; antigen-negative at day 100.
    CHECK(one(Metric::AntigenNegativeRelapses).model_value == doctest::Approx(100.0 * 1 / 5));
    // Pooled arms; the failed run of b does not count.
    CHECK(one(Metric::Orr, {"a", "b"}).model_value == doctest::Approx(100.0 * 9 / 14));
    const auto orr = one(Metric::Orr);
    CHECK(*orr.ci_low < 70.0);
    CHECK(*orr.ci_high > 70.0);
    CHECK(orr.note == "7 of 10");
}

TEST_CASE("validation: progressions within a landmark count only the patients who progressed") {
    TargetSpec t;
    t.metric = Metric::ProgressionsWithinMonths;
    t.arms = {"a"};
    t.at_months = 200.0 / 30.4375;  // day 200
    CHECK(with(t).model_value == doctest::Approx(100.0 * 4 / 7));  // days 200, 100, 60, 30 of 7
}

TEST_CASE("validation: the antigen-negative share counts the relapses within its landmark") {
    TargetSpec t;
    t.metric = Metric::AntigenNegativeRelapses;
    t.arms = {"a"};
    t.at_months = 1000.0 / 30.4375;  // every progression of arm a: antigen-negative at days 400 and 100 of 7
    CHECK(with(t).model_value == doctest::Approx(100.0 * 2 / 7));
    t.at_months = 350.0 / 30.4375;  // days 300, 200, 100, 60, 30
    CHECK(with(t).model_value == doctest::Approx(100.0 * 1 / 5));
    t.at_months = 50.0 / 30.4375;  // day 30 only, antigen-positive
    CHECK(with(t).model_value == doctest::Approx(0.0));
}

TEST_CASE("validation: survival medians and landmarks equal the Kaplan-Meier functions, in months") {
    cartsim::stats::SurvivalData pfs;
    for (double d : {900., 400., 300., 200., 100., 500., 60., 30., 250., 900.}) pfs.push_back({d, d != 900., 0});
    const auto km = cartsim::stats::kaplan_meier(pfs);
    const auto median = cartsim::stats::median_survival(km);
    const auto m = one(Metric::MedianPfsMonths);
    REQUIRE(m.model_value);
    CHECK(*m.model_value == doctest::Approx(*median.median_days / 30.4375));
    TargetSpec t;
    t.metric = Metric::PfsAtMonths;
    t.arms = {"a"};
    t.at_months = 10.0;
    const auto at = with(t);
    CHECK(*at.model_value == doctest::Approx(100.0 * cartsim::stats::survival_at(km, 304.375)));
    CHECK(*at.ci_low <= *at.model_value);
    CHECK(*at.ci_high >= *at.model_value);
    // Arm b's median OS is reached; a median that is not reached is reported as such.
    TargetSpec none;
    none.metric = Metric::MedianPfsMonths;
    none.arms = {"a"};
    std::istringstream censored("patient,arm,pfs_days,pfs_event,error\n0,a,100,1,\n1,a,200,0,\n2,a,300,0,\n");
    const auto r = evaluate_targets({none}, read_patient_table(censored), "s").front();
    CHECK_FALSE(r.model_value);
    CHECK(r.note == "median not reached");
}

TEST_CASE("validation: hazard ratios equal the Cox fit of the two arms") {
    TargetSpec t;
    t.metric = Metric::PfsHazardRatio;
    t.arms = {"b"};
    t.reference = "a";
    const auto hr = with(t);
    cartsim::stats::SurvivalData data;
    for (double d : {900., 400., 300., 200., 100., 500., 60., 30., 250., 900.}) data.push_back({d, d != 900., 0});
    for (double d : {90., 45., 20., 150.}) data.push_back({d, true, 1});
    const auto fit = cartsim::stats::cox_fit(data, cartsim::stats::group_indicator(data, 1));
    REQUIRE(fit.converged());
    CHECK(*hr.model_value == doctest::Approx(fit.hazard_ratios[0]));
    CHECK(*hr.ci_low == doctest::Approx(fit.ci_low[0]));
    CHECK(*hr.model_value > 1.0);  // arm b progresses sooner
}

TEST_CASE("validation: column medians, shares and Spearman's rho") {
    TargetSpec t;
    t.arms = {"a"};
    t.column = "level";
    t.metric = Metric::Median;
    const auto m = with(t);
    CHECK(*m.model_value == doctest::Approx(5.5));
    CHECK(*m.ci_low <= 5.5);
    CHECK(*m.ci_high >= 5.5);
    t.metric = Metric::ShareAbove;
    t.threshold = 7.5;
    CHECK(*with(t).model_value == doctest::Approx(30.0));
    t.metric = Metric::ShareBelow;
    CHECK(*with(t).model_value == doctest::Approx(70.0));
    // rho of level and other: ranks differ by one swap of 7 and 8 (80 vs 70): 1 - 6 * 2 / (10 * 99)
    t.metric = Metric::Spearman;
    t.column2 = "other";
    CHECK(*with(t).model_value == doctest::Approx(1.0 - 12.0 / 990.0));
    t.column = "missing_column";
    CHECK_THROWS_AS(with(t), std::runtime_error);
}

TEST_CASE("validation: a target is inside when its value lies in the band, and an assumed band is never inside") {
    TargetSpec t;
    t.metric = Metric::Orr;
    t.arms = {"a"};
    t.clinical_value = 80.0;  // arm a's ORR is 70
    t.band = {70.0, 84.0};
    t.status = TargetStatus::Independent;
    auto r = with(t);
    REQUIRE(r.model_value);
    CHECK(*r.model_value == doctest::Approx(70.0));
    CHECK(r.inside);  // 70 is on the edge
    t.band = {75.0, 84.0};
    CHECK_FALSE(with(t).inside);
    t.band = {60.0, 84.0};
    t.assumed_band = true;  // the model value lies in the band, but no source gives the band
    r = with(t);
    CHECK(*r.model_value == doctest::Approx(70.0));
    CHECK_FALSE(r.inside);
    CHECK_FALSE(r.target.counted());
}

TEST_CASE("validation: counts per status count source-backed bands only and never count input checks") {
    const auto result = [](TargetStatus status, bool assumed, bool inside) {
        TargetResult r;
        r.target.status = status;
        r.target.assumed_band = assumed;
        r.inside = inside;
        return r;
    };
    const std::vector<TargetResult> results{
        result(TargetStatus::Calibrated, false, true),  result(TargetStatus::Calibrated, false, false),
        result(TargetStatus::Independent, false, true), result(TargetStatus::Independent, true, false),
        result(TargetStatus::Calibrated, true, false),  result(TargetStatus::InputCheck, false, true),
        result(TargetStatus::InputCheck, false, false)};
    const auto c = count_statuses(results);
    CHECK(c.calibrated == 2);
    CHECK(c.calibrated_inside == 1);
    CHECK(c.independent == 1);
    CHECK(c.independent_inside == 1);
    CHECK(c.assumed_band == 2);
    CHECK(c.input_checks == 2);
    CHECK(c.input_checks_inside == 1);
    CHECK(counts_line(c) ==
          "calibrated 1 of 2 inside; independent 1 of 1 inside; assumed band 2 (not counted); input checks 1 of 2 (not validation)");
}

TEST_CASE("validation: input checks go to input_checks.csv, never to validation.csv") {
    TargetSpec t;
    t.quantity = "ORR";
    t.arms = {"a"};
    t.band = {0, 100};
    t.status = TargetStatus::Independent;
    TargetSpec input = t;
    input.quantity = "drawn density";
    input.status = TargetStatus::InputCheck;
    TempFolder dir;
    write_validation_tables(dir.path().string(), evaluate_targets({t, input, t}, table(), "s"));
    const auto lines = [&](const char* name) {
        std::ifstream in(dir.path() / name);
        std::vector<std::string> out;
        for (std::string l; std::getline(in, l);) out.push_back(l);
        return out;
    };
    const auto v = lines("validation.csv"), i = lines("input_checks.csv");
    REQUIRE(v.size() == 3);
    REQUIRE(i.size() == 2);
    CHECK(v[1].rfind("ORR,", 0) == 0);
    CHECK(i[1].rfind("drawn density,", 0) == 0);
    CHECK(v[0] == i[0]);
}

TEST_CASE("validation: validation.csv starts with the issue's columns, one row per target") {
    TargetSpec t;
    t.quantity = "ORR, all treated";
    t.trial = "KarMMa";
    t.source = "Munshi 2021";
    t.clinical_value = 73;
    t.band = {75, 81};
    t.arms = {"a"};
    t.id = "karmma-orr";
    t.status = TargetStatus::Calibrated;
    t.band_source = "target table";
    const auto csv = validation_csv(evaluate_targets({t, t}, table(), "karmma"));
    std::istringstream in(csv);
    std::string header, row;
    std::getline(in, header);
    CHECK(header.rfind("quantity,trial,clinical_value,source,band_low,band_high,model_value,model_ci_low,model_ci_high,inside,", 0) == 0);
    std::getline(in, row);
    const auto cells = cartsim::io::split_csv_line(row);
    REQUIRE(cells.size() == validation_header().size());
    CHECK(cells[0] == "ORR, all treated");
    CHECK(cells[6] == "70");
    CHECK(cells[9] == "false");
    CHECK(cells[11] == "calibrated");
    CHECK(cells[12] == "true");   // counted
    CHECK(cells[13] == "false");  // assumed_band
    CHECK(cells[14] == "target table");
    CHECK(cells[15] == "karmma-orr");
    CHECK(cells[16] == "karmma");
    std::getline(in, row);
    CHECK_FALSE(row.empty());
}

TEST_CASE("validation: a targets block is read strictly, bad targets name file, line and key") {
    using cartsim::study::testing::TempFolder;
    using cartsim::study::testing::kTrial;
    TempFolder dir;
    const auto errors_of = [&](const std::string& name, const std::string& targets) {
        auto loaded = load_study(dir.write(name, std::string(kTrial) + "targets:\n" + targets), {});
        return loaded ? std::string() : cartsim::config::format_errors(loaded.errors());
    };
    const std::string head = "  - {id: t1, status: independent, band_source: s, ";
    CHECK(errors_of("ok.yaml", head + "quantity: ORR, clinical_value: 70, band: [60, 80], metric: orr, arms: [car]}\n").empty());
    CHECK(errors_of("a.yaml", head + "quantity: ORR, clinical_value: 70, band: [60, 80], metric: orr, arms: [cart]}\n")
              .find("a.yaml:23:121: targets[0].arms: no arm named 'cart'") != std::string::npos);  // line 22: targets:
    CHECK(errors_of("b.yaml", head + "quantity: ORR, clinical_value: 70, band: [60, 80], metric: ore, arms: [car]}\n")
              .find("unknown value 'ore'") != std::string::npos);
    CHECK(errors_of("c.yaml", head + "quantity: ORR, clinical_value: 70, band: [80, 60], metric: orr, arms: [car]}\n")
              .find("low must not be above high") != std::string::npos);
    CHECK(errors_of("d.yaml", head + "quantity: HR, clinical_value: 1, band: [0, 2], metric: pfs_hazard_ratio, arms: [car]}\n")
              .find("needs the comparator arm") != std::string::npos);
    CHECK(errors_of("e.yaml", head + "quantity: x, clinical_value: 1, band: [0, 2], metric: median, arms: [car]}\n")
              .find("targets[0].column") != std::string::npos);
    // Every target says how a pass is earned, where its band comes from, and has a unique id.
    CHECK(errors_of("g.yaml", "  - {id: t1, band_source: s, quantity: ORR, clinical_value: 70, band: [60, 80], metric: orr, arms: [car]}\n")
              .find("targets[0].status: say how a pass is earned") != std::string::npos);
    CHECK(errors_of("h.yaml", "  - {id: t1, status: calibrated, quantity: ORR, clinical_value: 70, band: [60, 80], metric: orr, arms: [car]}\n")
              .find("targets[0].band_source") != std::string::npos);
    CHECK(errors_of("i.yaml", "  - {status: calibrated, band_source: s, quantity: ORR, clinical_value: 70, band: [60, 80], metric: orr, arms: [car]}\n")
              .find("targets[0].id") != std::string::npos);
    CHECK(errors_of("j.yaml", head + "quantity: ORR, clinical_value: 70, band: [60, 80], metric: orr, arms: [car]}\n" + head +
                                  "quantity: CR, clinical_value: 30, band: [20, 40], metric: cr_or_better, arms: [car]}\n")
              .find("targets[1].id: 't1' is used twice") != std::string::npos);
    CHECK(errors_of("k.yaml", head + "quantity: ORR, clinical_value: 70, ci: [72, 80], band: [60, 80], metric: orr, arms: [car]}\n")
              .find("targets[0].ci") != std::string::npos);
    CHECK(errors_of("l.yaml", head + "quantity: PFS12, clinical_value: 70, n: 100, band: [60, 80], metric: pfs_at_months, arms: [car]}\n")
              .find("a Kaplan-Meier landmark is not a binomial share") != std::string::npos);
    CHECK(errors_of("m.yaml", head + "quantity: x, clinical_value: 7, n: 100, band: [6, 8], metric: median_pfs_months, arms: [car]}\n")
              .find("percentages of patients only") != std::string::npos);
    CHECK(errors_of("f.yaml", head + "quantity: ORR, clinical_vale: 70, band: [60, 80], metric: orr, arms: [car]}\n")
              .find("did you mean 'clinical_value'") != std::string::npos);
}

TEST_CASE("validation: the table's statistics do not depend on the order rows were written in") {
    // patients.csv rows come in completion order, which depends on threads and ranks. Reversed rows
    // must give bit-identical results (Cox sums over patients; its last bits followed the row order).
    std::istringstream in(kTable);
    std::string header, line;
    std::getline(in, header);
    std::vector<std::string> lines;
    while (std::getline(in, line)) lines.push_back(line);
    std::string reversed = header + "\n";
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) reversed += *it + "\n";
    std::istringstream back(reversed);
    const PatientTable shuffled = read_patient_table(back);
    CHECK(shuffled.rows == table().rows);
    TargetSpec hr;
    hr.quantity = "hr";
    hr.metric = Metric::PfsHazardRatio;
    hr.arms = {"a"};
    hr.reference = "b";
    hr.band = {0, 10};
    const auto forward = evaluate_targets({hr}, table(), "s").front();
    const auto reverse = evaluate_targets({hr}, shuffled, "s").front();
    REQUIRE(forward.model_value.has_value());
    CHECK(*reverse.model_value == *forward.model_value);
}

TEST_CASE("validation: a subgroup counts only the arm's patients whose column lies within its bounds") {
    // Arm a's `level` column runs 5, 1, 2, ..., 10. Above 5: patients 6-9 (levels 6, 7, 8, 9, 10 minus
    // patient 0 at 5): patients 5, 6, 7, 8, 9 with PR, SD, PD, MR, sCR, so ORR 2 of 5.
    TargetSpec above;
    above.metric = Metric::Orr;
    above.arms = {"a"};
    above.subgroup = {"level", 5.0, std::nullopt};
    const auto r = with(above);
    CHECK(r.model_value == doctest::Approx(40.0));
    CHECK(r.note == "2 of 5");
    // At most 5: patients 0-4 (sCR, CR, CR, VGPR, PR): all respond. The two subgroups make up the arm.
    TargetSpec below = above;
    below.subgroup = {"level", std::nullopt, 5.0};
    CHECK(with(below).model_value == doctest::Approx(100.0));
    // Arm b has no level: no patient is in the subgroup.
    TargetSpec none = above;
    none.arms = {"b"};
    CHECK(with(none).note == "no patients");
    // A subgroup needs a bound, and bounds need a column.
    TargetSpec unbounded = above;
    unbounded.subgroup = {"level", std::nullopt, std::nullopt};
    unbounded.id = "u";
    unbounded.status = TargetStatus::Independent;
    unbounded.quantity = "q";
    unbounded.clinical_value = 1;
    unbounded.band = {0, 100};
    const auto problems = validate(TargetsSpec{{unbounded}}, {"a", "b"});
    CAPTURE(problems.size());
    CHECK(std::count_if(problems.begin(), problems.end(),
                        [](const std::string& p) { return p.find(".subgroup: give above") != std::string::npos; }) == 1);
    unbounded.subgroup = {"level", 0.0, std::nullopt};
    const auto fine = validate(TargetsSpec{{unbounded}}, {"a", "b"});
    CHECK(std::none_of(fine.begin(), fine.end(), [](const std::string& p) { return p.find("subgroup") != std::string::npos; }));
}
