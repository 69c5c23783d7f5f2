#include <doctest/doctest.h>

#include <stdexcept>

#include "src/stats/log_rank.hpp"

using namespace cartsim::stats;

TEST_CASE("log-rank: two groups with a tie match the hand computation") {
    // Group 0: 1E 3E 5C; group 1: 2E 3E 6E (days).
    //   t = 1: n0 = 3, n = 6, d = 1: E0 += 3/6 = 0.5, V += 1 * 5/5 * (1/2)(1/2)   = 0.25
    //   t = 2: n0 = 2, n = 5, d = 1: E0 += 2/5 = 0.4, V += 1 * 4/4 * (2/5)(3/5)   = 0.24
    //   t = 3: n0 = 2, n = 4, d = 2: E0 += 2 * 2/4 = 1, V += 2 * 2/3 * (1/2)(1/2) = 1/3
    //   t = 6: n0 = 0, n = 1, d = 1: E0 += 0, V += 0
    // O0 = 2, E0 = 1.9, V = 0.823333: chi2 = 0.1^2 / V = 0.0121457, p = P(chi2_1 > 0.0121457) = 0.912245.
    const SurvivalData data = {{1, true, 0}, {3, true, 0}, {5, false, 0}, {2, true, 1}, {3, true, 1}, {6, true, 1}};
    const LogRankResult r = log_rank(data);
    CHECK(r.groups == std::vector<int>{0, 1});
    CHECK(r.degrees_of_freedom == 1);
    CHECK(r.observed == std::vector<double>{2.0, 3.0});
    CHECK(r.expected[0] == doctest::Approx(1.9).epsilon(1e-14));
    CHECK(r.expected[1] == doctest::Approx(3.1).epsilon(1e-14));
    CHECK(r.statistic == doctest::Approx(0.012145748987854253).epsilon(1e-12));
    CHECK(r.p_value == doctest::Approx(0.9122446131268519).epsilon(1e-10));
}

TEST_CASE("log-rank: the statistic does not depend on group labels or record order") {
    const SurvivalData data = {{1, true, 0}, {3, true, 0}, {5, false, 0}, {2, true, 1}, {3, true, 1}, {6, true, 1}};
    const SurvivalData relabelled = {{6, true, -4}, {3, true, 9},  {2, true, -4},
                                     {5, false, 9}, {3, true, -4}, {1, true, 9}};
    CHECK(log_rank(relabelled).statistic == doctest::Approx(log_rank(data).statistic).epsilon(1e-13));
}

TEST_CASE("log-rank: three groups have two degrees of freedom and observed totals equal expected totals") {
    SurvivalData data;
    for (int i = 0; i < 12; ++i) data.push_back({1.0 + i, i % 4 != 3, i % 3});
    const LogRankResult r = log_rank(data);
    CHECK(r.degrees_of_freedom == 2);
    double observed = 0.0, expected = 0.0;
    for (std::size_t g = 0; g < 3; ++g) observed += r.observed[g], expected += r.expected[g];
    CHECK(expected == doctest::Approx(observed).epsilon(1e-13));
    CHECK(r.statistic >= 0.0);
    CHECK(r.p_value > 0.0);
    CHECK(r.p_value <= 1.0);
}

TEST_CASE("log-rank: identical groups give a statistic of zero, separated groups a small p-value") {
    SurvivalData same, apart;
    for (int i = 1; i <= 20; ++i) {
        same.push_back({double(i), true, 0});
        same.push_back({double(i), true, 1});
        apart.push_back({double(i), true, 0});
        apart.push_back({double(i) + 100.0, true, 1});
    }
    CHECK(log_rank(same).statistic == doctest::Approx(0.0).epsilon(1e-12));
    CHECK(log_rank(same).p_value == doctest::Approx(1.0));
    CHECK(log_rank(apart).p_value < 1e-6);
}

TEST_CASE("log-rank: one group or no events is an error") {
    CHECK_THROWS_AS(log_rank({{1, true, 0}, {2, true, 0}}), std::invalid_argument);
    CHECK_THROWS_AS(log_rank({{1, false, 0}, {2, false, 1}}), std::invalid_argument);
}

TEST_CASE("log-rank: round-off in the null direction of V does not add a degree of freedom") {
    // Regression: two groups of 8 (days rounded up) for which Eigen's default rank threshold counted the round-off
    // pivot of V's null direction, reporting 2 degrees of freedom and p = 0.99908. R 4.2.2, survival 3.5-3,
    // survdiff: chisq 0.0018343742455555, 1 df, p = 0.9658373718796741.
    const SurvivalData data = {{235, true, 0},  {155, true, 1},  {117, true, 1}, {214, false, 0},
                               {562, true, 0},  {319, true, 0},  {51, true, 0},  {462, true, 0},
                               {477, false, 1}, {613, true, 1},  {317, true, 0}, {165, true, 1},
                               {197, true, 1},  {78, false, 1},  {83, false, 0}, {241, true, 1}};
    const LogRankResult r = log_rank(data);
    CHECK(r.degrees_of_freedom == 1);
    CHECK(r.statistic == doctest::Approx(0.0018343742455555).epsilon(1e-9));
    CHECK(r.p_value == doctest::Approx(0.9658373718796741).epsilon(1e-9));
}
