#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include "src/stats/kaplan_meier.hpp"

using namespace cartsim::stats;

namespace {

// Six subjects (days, E = event, C = censored): 1E 2C 3E 3E 4C 5E.
//   t = 1: n = 6, d = 1: S = 5/6,                   v = 1/(6*5) = 1/30
//   t = 3: n = 4, d = 2: S = 5/6 * 2/4 = 5/12,      v = 1/30 + 2/(4*2) = 17/60
//   t = 5: n = 1, d = 1: S = 0 (Greenwood undefined)
// SE = S sqrt(v): 5/6 sqrt(1/30) = 0.152145..., 5/12 sqrt(17/60) = 0.221787...
// Log-log interval with h = 1.959964 sqrt(v) / |ln S|: [S^exp(h), S^exp(-h)]
//   t = 1: h = 1.962673, [0.273123, 0.974712];  t = 3: h = 1.191838, [0.055992, 0.766522]
const SurvivalData kSix = {{1, true}, {2, false}, {3, true}, {3, true}, {4, false}, {5, true}};

}  // namespace

TEST_CASE("kaplan-meier: the six-subject table matches the hand computation") {
    const KaplanMeier km = kaplan_meier(kSix);
    REQUIRE(km.rows.size() == 3);
    CHECK(km.subjects == 6);
    CHECK(km.censored_before_first_event == 0);
    const auto& r = km.rows;
    CHECK(r[0].time_days == 1.0);
    CHECK(r[1].time_days == 3.0);
    CHECK(r[2].time_days == 5.0);
    CHECK(r[0].at_risk == 6);
    CHECK(r[1].at_risk == 4);
    CHECK(r[2].at_risk == 1);
    CHECK(r[0].events == 1);
    CHECK(r[1].events == 2);
    CHECK(r[2].events == 1);
    CHECK(r[0].censored == 1);  // day 2
    CHECK(r[1].censored == 1);  // day 4
    CHECK(r[2].censored == 0);
    CHECK(r[0].survival == doctest::Approx(5.0 / 6.0).epsilon(1e-14));
    CHECK(r[1].survival == doctest::Approx(5.0 / 12.0).epsilon(1e-14));
    CHECK(r[2].survival == 0.0);
    CHECK(r[0].std_error == doctest::Approx(0.15214515486254615).epsilon(1e-12));
    CHECK(r[1].std_error == doctest::Approx(0.2217877697593238).epsilon(1e-12));
    CHECK(r[0].ci_low == doctest::Approx(0.27312284992835584).epsilon(1e-12));
    CHECK(r[0].ci_high == doctest::Approx(0.9747124266908935).epsilon(1e-12));
    CHECK(r[1].ci_low == doctest::Approx(0.05599186485205287).epsilon(1e-12));
    CHECK(r[1].ci_high == doctest::Approx(0.7665222195505801).epsilon(1e-12));
    CHECK(std::isnan(r[2].std_error));
    CHECK(std::isnan(r[2].ci_low));
}

TEST_CASE("kaplan-meier: at-risk counts chain through events and censorings") {
    const SurvivalData data = {{0.5, false}, {2, true}, {2, false}, {7, true}, {9, false}, {9, true}, {12, false}};
    const KaplanMeier km = kaplan_meier(data);
    CHECK(km.censored_before_first_event == 1);
    REQUIRE(km.rows.size() == 3);
    CHECK(km.rows[0].at_risk == 6);  // the censoring at day 0.5 left first
    for (std::size_t i = 0; i + 1 < km.rows.size(); ++i)
        CHECK(km.rows[i + 1].at_risk == km.rows[i].at_risk - km.rows[i].events - km.rows[i].censored);
    // A subject censored at an event time was at risk at it: day 9 has 2 at risk (both day-9 records).
    CHECK(km.rows[2].at_risk == 3);
    CHECK(km.rows[2].censored == 2);  // day 9 and day 12
}

TEST_CASE("kaplan-meier: survival_at is the right-continuous step function") {
    const KaplanMeier km = kaplan_meier(kSix);
    CHECK(survival_at(km, 0.0) == 1.0);
    CHECK(survival_at(km, 0.999) == 1.0);
    CHECK(survival_at(km, 1.0) == doctest::Approx(5.0 / 6.0));
    CHECK(survival_at(km, 2.9) == doctest::Approx(5.0 / 6.0));
    CHECK(survival_at(km, 3.0) == doctest::Approx(5.0 / 12.0));
    CHECK(survival_at(km, 100.0) == 0.0);
}

TEST_CASE("kaplan-meier: number at risk counts times at or after t") {
    const auto counts = number_at_risk(kSix, {0.0, 1.0, 1.5, 3.0, 3.5, 5.0, 6.0});
    CHECK(counts == std::vector<long>{6, 6, 5, 4, 2, 1, 0});
}

TEST_CASE("kaplan-meier: median and Brookmeyer-Crowley interval of the six subjects") {
    // S = 5/6 at day 1, 5/12 at day 3: the median is day 3. Both bands (above) contain 0.5; day 5 has none, so the
    // interval runs from day 1 to the event time after day 3, day 5.
    const MedianSurvival m = median_survival(kaplan_meier(kSix));
    REQUIRE(m.median_days);
    CHECK(*m.median_days == 3.0);
    REQUIRE(m.ci_low_days);
    CHECK(*m.ci_low_days == 1.0);
    REQUIRE(m.ci_high_days);
    CHECK(*m.ci_high_days == 5.0);
}

TEST_CASE("kaplan-meier: a plateau at exactly one half gives the midpoint median") {
    // Four events at days 1..4: S = 3/4, 1/2, 1/4, 0; S = 1/2 on [2, 3), so the median is 2.5 (R, SAS).
    const MedianSurvival m = median_survival(kaplan_meier({{1, true}, {2, true}, {3, true}, {4, true}}));
    REQUIRE(m.median_days);
    CHECK(*m.median_days == 2.5);
}

TEST_CASE("kaplan-meier: median and upper bound are absent when not reached") {
    // S = 9/10 then 8/9 * 9/10 = 0.8: never below one half.
    SurvivalData data = {{1, true}, {2, true}};
    for (int i = 0; i < 8; ++i) data.push_back({10.0 + i, false});
    const MedianSurvival m = median_survival(kaplan_meier(data));
    CHECK_FALSE(m.median_days);
    CHECK_FALSE(m.ci_high_days);
    // The bands at days 1 and 2 ([0.473, 0.985] and [0.409, 0.946]) contain one half: the lower bound is day 1.
    REQUIRE(m.ci_low_days);
    CHECK(*m.ci_low_days == 1.0);
}

TEST_CASE("kaplan-meier: no events gives an empty table and rejects bad times") {
    const KaplanMeier km = kaplan_meier({{3, false}, {4, false}});
    CHECK(km.rows.empty());
    CHECK(km.censored_before_first_event == 2);
    CHECK_FALSE(median_survival(km).median_days);
    CHECK_THROWS_AS(kaplan_meier({{-1, true}}), std::invalid_argument);
    CHECK_THROWS_AS(kaplan_meier({{std::nan(""), true}}), std::invalid_argument);
    CHECK_THROWS_AS(kaplan_meier(kSix, 1.0), std::invalid_argument);
}
