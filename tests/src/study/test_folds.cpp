#include <doctest/doctest.h>

#include "src/study/folds.hpp"

using namespace cartsim::study;

namespace {

std::vector<TargetInfo> targets() {
    return {{"k-orr", "KarMMa", {}, true},
            {"k-os", "KarMMa", {}, true},
            {"k-peak", "KarMMa", {}, false},  // assumed band: not a fold of its own
            {"c-orr", "CARTITUDE-1", {}, true},
            {"meta-orr", "meta-analysis", {"KarMMa", "CARTITUDE-1"}, true},
            {"tec-orr", "MajesTEC-1", {}, true},
            {"bio-only", "a lab", {}, false}};
}

LoadedCalibration calibration() {
    LoadedCalibration c;
    c.path = "spec.yaml";
    CalibrationParameter ide, shared, tec;
    ide.key = "ide", ide.informed_by = {"k-orr", "k-os"}, ide.prior = 0.8, ide.prior_source = "assumed";
    shared.key = "shared", shared.informed_by = {"k-orr", "c-orr"}, shared.prior = 0.01, shared.prior_source = "assumed";
    tec.key = "tec", tec.informed_by = {"tec-orr"};  // no prior
    c.spec.parameters = {ide, shared, tec};
    c.objective = {"k-orr", "k-os", "c-orr", "tec-orr"};
    c.fixed.resize(3);
    c.start = {0.9, 0.15, 0.04};
    return c;
}

}  // namespace

TEST_CASE("folds: one fold per trial with a counted target, in order of appearance") {
    CHECK(fold_trials(targets()) == std::vector<std::string>{"KarMMa", "CARTITUDE-1", "meta-analysis", "MajesTEC-1"});
}

TEST_CASE("folds: a trial leaves with the pools that include it, and a pool leaves with its members") {
    CHECK(left_out_ids(targets(), "KarMMa") == std::set<std::string>{"k-orr", "k-os", "k-peak", "meta-orr"});
    CHECK(left_out_ids(targets(), "CARTITUDE-1") == std::set<std::string>{"c-orr", "meta-orr"});
    CHECK(left_out_ids(targets(), "meta-analysis") == std::set<std::string>{"k-orr", "k-os", "k-peak", "c-orr", "meta-orr"});
    CHECK(left_out_ids(targets(), "MajesTEC-1") == std::set<std::string>{"tec-orr"});
}

TEST_CASE("folds: a parameter informed only by left-out targets goes to its prior while the others stay free") {
    const auto c = calibration();
    const auto k = restrict_to_fold(c, left_out_ids(targets(), "KarMMa"));
    CHECK(k.objective == std::set<std::string>{"c-orr", "tec-orr"});
    REQUIRE(k.fixed[0]);
    CHECK(*k.fixed[0] == 0.8);     // only KarMMa informs it: its prior, never its full-fit 0.9
    CHECK_FALSE(k.fixed[1]);       // CARTITUDE-1 still informs it: refitted
    CHECK_FALSE(k.fixed[2]);
    const auto meta = restrict_to_fold(c, left_out_ids(targets(), "meta-analysis"));
    CHECK(*meta.fixed[0] == 0.8);
    CHECK(*meta.fixed[1] == 0.01);  // both informing trials are the meta-analysis' members
    // A parameter that would need a prior it does not have is an error naming it.
    CHECK_THROWS_WITH_AS(restrict_to_fold(c, left_out_ids(targets(), "MajesTEC-1")),
                         doctest::Contains("parameter tec"), std::invalid_argument);
}
