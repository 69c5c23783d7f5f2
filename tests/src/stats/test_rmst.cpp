#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "src/stats/normal.hpp"
#include "src/stats/rmst.hpp"

using namespace cartsim::stats;

namespace {

// Six subjects (days, E = event, C = censored): 1E 2C 3E 3E 4C 5E, as in test_kaplan_meier.cpp:
//   S = 1 on [0, 1), 5/6 on [1, 3), 5/12 on [3, 5), 0 from 5 on;
//   Greenwood terms d / (n (n - d)): 1/30 at day 1, 2/8 at day 3, and 0 at day 5 (d = n, R survival's convention).
const SurvivalData kSix = {{1, true}, {2, false}, {3, true}, {3, true}, {4, false}, {5, true}};

}  // namespace

TEST_CASE("rmst: a curve with no events has RMST equal to tau and standard error 0") {
    const SurvivalData censored = {{10, false}, {20, false}, {30, false}};
    for (const double tau : {5.0, 30.0, 400.0}) {
        const RestrictedMean r = restricted_mean(censored, tau);
        CHECK(r.horizon_days == tau);
        CHECK(r.rmst_days == tau);
        CHECK(r.std_error_days == 0.0);
    }
    // Events after the horizon do not count either.
    const RestrictedMean early = restricted_mean(kSix, 0.5);
    CHECK(early.rmst_days == 0.5);
    CHECK(early.std_error_days == 0.0);
}

TEST_CASE("rmst: the six-subject example matches the hand computation and R survival") {
    // tau = 4.5: RMST = 1 + 2 * 5/6 + 1.5 * 5/12 = 79/24. Areas after each event time up to tau:
    //   A(3) = 1.5 * 5/12 = 5/8,  A(1) = 2 * 5/6 + 5/8 = 55/24,  so Var = (55/24)^2 / 30 + (5/8)^2 * 2/8.
    // R 4.2, survival 3.5-3: print(survfit(Surv(time, event) ~ 1), rmean = 4.5) gives 3.29 and 0.522 (0.5222204).
    const RestrictedMean r = restricted_mean(kSix, 4.5);
    CHECK(r.rmst_days == doctest::Approx(79.0 / 24.0).epsilon(1e-14));
    const double variance = (55.0 / 24.0) * (55.0 / 24.0) / 30.0 + (5.0 / 8.0) * (5.0 / 8.0) * 2.0 / 8.0;
    CHECK(r.std_error_days == doctest::Approx(std::sqrt(variance)).epsilon(1e-14));
    CHECK(r.std_error_days == doctest::Approx(0.5222204).epsilon(1e-7));

    // tau at an event time: that event's area A(3) is 0.
    const RestrictedMean at_three = restricted_mean(kSix, 3.0);
    CHECK(at_three.rmst_days == doctest::Approx(1.0 + 2.0 * 5.0 / 6.0).epsilon(1e-14));
    CHECK(at_three.std_error_days == doctest::Approx((5.0 / 3.0) / std::sqrt(30.0)).epsilon(1e-14));

    // tau past the curve's fall to 0: the area stops growing, and the day-5 term (d = n) adds nothing.
    // RMST = 1 + 2 * 5/6 + 2 * 5/12 = 3.5, A(1) = 5/2, A(3) = 5/6.
    const RestrictedMean late = restricted_mean(kSix, 10.0);
    CHECK(late.rmst_days == doctest::Approx(3.5).epsilon(1e-14));
    CHECK(late.std_error_days == doctest::Approx(std::sqrt(6.25 / 30.0 + 25.0 / 36.0 * 0.25)).epsilon(1e-14));

    // The Kaplan-Meier overload gives the same.
    const RestrictedMean from_table = restricted_mean(kaplan_meier(kSix), 4.5);
    CHECK(from_table.rmst_days == r.rmst_days);
    CHECK(from_table.std_error_days == r.std_error_days);
}

TEST_CASE("rmst: the difference of two arms, its standard error, interval and p-value") {
    // Group 0: 1E 2C 3E (S = 1, 2/3 from day 1, 0 from day 3); group 1: 3E 4C 5E (S = 1, 2/3 from day 3, 0 from 5).
    const SurvivalData data = {{1, true, 0}, {2, false, 0}, {3, true, 0}, {3, true, 1}, {4, false, 1}, {5, true, 1}};
    const double tau = 4.0;
    const RestrictedMean zero = restricted_mean(select_group(data, 0), tau);
    const RestrictedMean one = restricted_mean(select_group(data, 1), tau);
    CHECK(zero.rmst_days == doctest::Approx(1.0 + 2.0 * 2.0 / 3.0).epsilon(1e-14));
    CHECK(one.rmst_days == doctest::Approx(3.0 + 2.0 / 3.0).epsilon(1e-14));

    const RestrictedMeanDifference d = restricted_mean_difference(data, 1, 0, tau);
    CHECK(d.group == 1);
    CHECK(d.reference_group == 0);
    CHECK(d.arm.rmst_days == one.rmst_days);
    CHECK(d.reference.rmst_days == zero.rmst_days);
    CHECK(d.difference_days == doctest::Approx(one.rmst_days - zero.rmst_days).epsilon(1e-14));
    const double se = std::sqrt(zero.std_error_days * zero.std_error_days + one.std_error_days * one.std_error_days);
    CHECK(d.std_error_days == doctest::Approx(se).epsilon(1e-14));
    const double z = two_sided_z(0.95);
    CHECK(d.ci_low_days == doctest::Approx(d.difference_days - z * se).epsilon(1e-14));
    CHECK(d.ci_high_days == doctest::Approx(d.difference_days + z * se).epsilon(1e-14));
    CHECK(d.p_value == doctest::Approx(2.0 * normal_cdf(-d.difference_days / se)).epsilon(1e-14));

    const RestrictedMeanDifference swapped = restricted_mean_difference(data, 0, 1, tau, 0.9);
    CHECK(swapped.difference_days == -d.difference_days);
    CHECK(swapped.std_error_days == d.std_error_days);
    CHECK(swapped.p_value == doctest::Approx(d.p_value).epsilon(1e-14));
    CHECK(swapped.ci_high_days - swapped.ci_low_days < d.ci_high_days - d.ci_low_days);  // 90% is narrower
}

TEST_CASE("rmst: identical arms without events before tau give difference 0 and p-value 1") {
    const SurvivalData data = {{10, true, 0}, {12, false, 0}, {11, true, 1}, {15, false, 1}};
    const RestrictedMeanDifference d = restricted_mean_difference(data, 1, 0, 5.0);
    CHECK(d.difference_days == 0.0);
    CHECK(d.std_error_days == 0.0);
    CHECK(d.p_value == 1.0);
    CHECK(d.ci_low_days == 0.0);
    CHECK(d.ci_high_days == 0.0);
}

TEST_CASE("rmst: bad horizons, empty data and missing arms throw") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (const double tau : {0.0, -1.0, nan, std::numeric_limits<double>::infinity()}) {
        CHECK_THROWS_AS(restricted_mean(kSix, tau), std::invalid_argument);
        CHECK_THROWS_AS(restricted_mean_difference(kSix, 1, 0, tau), std::invalid_argument);
    }
    CHECK_THROWS_AS(restricted_mean(SurvivalData{}, 10.0), std::invalid_argument);
    CHECK_THROWS_AS(restricted_mean(kaplan_meier(SurvivalData{}), 10.0), std::invalid_argument);
    CHECK_THROWS_AS(restricted_mean(SurvivalData{{-1.0, true}}, 10.0), std::invalid_argument);
    const SurvivalData two_arms = {{1, true, 0}, {2, true, 1}};
    CHECK_THROWS_AS(restricted_mean_difference(two_arms, 1, 1, 10.0), std::invalid_argument);
    CHECK_THROWS_AS(restricted_mean_difference(two_arms, 2, 0, 10.0), std::invalid_argument);
    CHECK_THROWS_AS(restricted_mean_difference(two_arms, 1, 0, 10.0, 1.0), std::invalid_argument);
}
