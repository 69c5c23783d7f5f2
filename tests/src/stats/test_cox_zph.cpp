#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>

#include "solvers/agents/counter_rng.hpp"
#include "src/stats/cox_zph.hpp"

using namespace cartsim::stats;
using cartsim::agents::CounterRng;
using cartsim::agents::StreamKey;

namespace {

// Two arms of n / 2 subjects: arm 0 with a constant hazard (median 200 days), arm 1 with `early_ratio` times that
// hazard before `change_day` and `late_ratio` times it after; censored uniformly on [0, 1080] days and at 720 days.
// early_ratio == late_ratio is proportional hazards. With whole_days the times are rounded up to days (many ties).
SurvivalData two_arms(std::uint32_t seed, int n, double early_ratio, double late_ratio, double change_day,
                      bool whole_days) {
    CounterRng rng(StreamKey{20240611, seed, 0, 0, 0});
    const double hazard_per_day = std::log(2.0) / 200.0;
    SurvivalData data;
    for (int i = 0; i < n; ++i) {
        const int arm = i % 2;
        const double early = arm == 1 ? early_ratio * hazard_per_day : hazard_per_day;
        const double late = arm == 1 ? late_ratio * hazard_per_day : hazard_per_day;
        // Inverse of the piecewise-constant cumulative hazard at an Exp(1) draw.
        const double e = rng.exponential();
        double event_day = e / early;
        if (event_day > change_day) event_day = change_day + (e - early * change_day) / late;
        const double censor_day = std::min(1080.0 * rng.uniform(), 720.0);
        double time = std::min(event_day, censor_day);
        if (whole_days) time = std::ceil(time);
        data.push_back({time, event_day <= censor_day, arm});
    }
    return data;
}

ProportionalHazardsTest test_arm(const SurvivalData& data, CoxTies ties) {
    const Eigen::MatrixXd arm = group_indicator(data, 1);
    const CoxFit fit = cox_fit(data, arm, {.ties = ties});
    REQUIRE(fit.converged());
    return proportional_hazards_test(data, arm, fit, ties);
}

}  // namespace

TEST_CASE("cox zph: a small tied example matches R survival's cox.zph") {
    // R 4.2.2, survival 3.5-3: cox.zph(coxph(Surv(time, event) ~ arm, ties = ..., control = coxph.control(eps =
    // 1e-13)))$table["arm", ]: Efron chisq 0.026943524638496242, p 0.86961713254497441; Breslow chisq
    // 0.026942465381847649, p 0.86961967256845918 (1 df each). Days 3 and 6 hold tied events.
    const SurvivalData data = {{1, true, 0}, {2, false, 0}, {3, true, 0},  {3, true, 1}, {4, false, 1}, {5, true, 1},
                               {6, true, 0}, {6, true, 1},  {7, false, 1}, {8, true, 0}, {9, true, 1},  {10, false, 1}};
    const ProportionalHazardsTest efron = test_arm(data, CoxTies::Efron);
    CHECK(efron.statistics[0] == doctest::Approx(0.026943524638496242).epsilon(1e-9));
    CHECK(efron.p_values[0] == doctest::Approx(0.86961713254497441).epsilon(1e-9));
    const ProportionalHazardsTest breslow = test_arm(data, CoxTies::Breslow);
    CHECK(breslow.statistics[0] == doctest::Approx(0.026942465381847649).epsilon(1e-9));
    CHECK(breslow.p_values[0] == doctest::Approx(0.86961967256845918).epsilon(1e-9));
    // One covariate: the global test is the covariate's test.
    CHECK(efron.global_degrees_of_freedom == 1);
    CHECK(efron.global_statistic == doctest::Approx(efron.statistics[0]).epsilon(1e-12));
    CHECK(efron.global_p_value == doctest::Approx(efron.p_values[0]).epsilon(1e-12));
}

TEST_CASE("cox zph: under proportional hazards the 5% test rejects at about the nominal rate") {
    // 400 data sets of 200 subjects with hazard ratio 0.6. The score test is asymptotically chi-square(1), so the
    // rejection rate should be 0.05 within 4 binomial standard errors, 4 sqrt(0.05 * 0.95 / 400) = 0.044, and the
    // mean p-value 1/2 within 4 sqrt(1/12 / 400) = 0.058 (p uniform). The draws are fixed by the stream keys.
    const int data_sets = 400;
    int rejected_efron = 0, rejected_breslow = 0;
    double mean_p = 0.0;
    for (int seed = 0; seed < data_sets; ++seed) {
        const auto s = static_cast<std::uint32_t>(seed);
        const ProportionalHazardsTest efron = test_arm(two_arms(s, 200, 0.6, 0.6, 0.0, false), CoxTies::Efron);
        const ProportionalHazardsTest breslow = test_arm(two_arms(s, 200, 0.6, 0.6, 0.0, true), CoxTies::Breslow);
        rejected_efron += efron.p_values[0] < 0.05;
        rejected_breslow += breslow.p_values[0] < 0.05;
        mean_p += efron.p_values[0] / data_sets;
    }
    const double tolerance = 4.0 * std::sqrt(0.05 * 0.95 / data_sets);
    CHECK(std::abs(rejected_efron / double(data_sets) - 0.05) <= tolerance);
    CHECK(std::abs(rejected_breslow / double(data_sets) - 0.05) <= tolerance);
    CHECK(std::abs(mean_p - 0.5) <= 4.0 * std::sqrt(1.0 / 12.0 / data_sets));
}

TEST_CASE("cox zph: strongly crossing hazards are detected") {
    // Arm 1 has 4 times the hazard of arm 0 for 90 days and a quarter of it after: the curves cross near day 250.
    // With 300 subjects the test's power is close to 1, so every one of 20 data sets must give p < 0.001.
    for (std::uint32_t seed = 0; seed < 20; ++seed) {
        const SurvivalData data = two_arms(1000 + seed, 300, 4.0, 0.25, 90.0, false);
        const ProportionalHazardsTest test = test_arm(data, CoxTies::Efron);
        CHECK(test.p_values[0] < 1e-3);
        CHECK(test_arm(data, CoxTies::Breslow).p_values[0] < 1e-3);
    }
}

TEST_CASE("cox zph: two covariates give a test each and a global test with 2 degrees of freedom") {
    const SurvivalData data = two_arms(7, 200, 4.0, 0.25, 90.0, false);
    Eigen::MatrixXd x(static_cast<Eigen::Index>(data.size()), 2);
    x.col(0) = group_indicator(data, 1).col(0);
    for (Eigen::Index i = 0; i < x.rows(); ++i) x(i, 1) = std::sin(0.37 * static_cast<double>(i));  // a nuisance
    const CoxFit fit = cox_fit(data, x);
    REQUIRE(fit.converged());
    const ProportionalHazardsTest test = proportional_hazards_test(data, x, fit);
    REQUIRE(test.statistics.size() == 2);
    CHECK(test.global_degrees_of_freedom == 2);
    CHECK(test.p_values[0] < 1e-3);
    CHECK(test.global_statistic >= test.statistics[0]);  // the global test includes the arm's time-varying term
}

TEST_CASE("cox zph: an unconverged fit or mismatched covariates throw, one event time gives NaN") {
    const SurvivalData data = {{1, true, 0}, {2, true, 1}, {3, false, 0}, {4, true, 1}, {5, false, 0}};
    const Eigen::MatrixXd arm = group_indicator(data, 1);
    const CoxFit fit = cox_fit(data, arm);
    REQUIRE(fit.converged());
    CHECK_THROWS_AS(proportional_hazards_test(data, Eigen::MatrixXd::Zero(4, 1), fit), std::invalid_argument);
    CHECK_THROWS_AS(proportional_hazards_test(data, Eigen::MatrixXd::Zero(5, 2), fit), std::invalid_argument);
    CoxFit failed = fit;
    failed.status = CoxStatus::NotConverged;
    CHECK_THROWS_AS(proportional_hazards_test(data, arm, failed), std::invalid_argument);

    // Every event on day 2: g(t) takes one value, so the time-varying term is not identified.
    const SurvivalData one_time = {{2, true, 0}, {2, true, 1}, {2, true, 1}, {3, false, 0}, {5, false, 1}};
    const Eigen::MatrixXd one_arm = group_indicator(one_time, 1);
    const CoxFit one_fit = cox_fit(one_time, one_arm);
    REQUIRE(one_fit.converged());
    const ProportionalHazardsTest undefined = proportional_hazards_test(one_time, one_arm, one_fit);
    CHECK(std::isnan(undefined.statistics[0]));
    CHECK(std::isnan(undefined.p_values[0]));
    CHECK(std::isnan(undefined.global_statistic));
}
