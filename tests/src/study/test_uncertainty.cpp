#include <doctest/doctest.h>

#include <cmath>

#include "src/study/uncertainty.hpp"

using namespace cartsim::study;

namespace {

LoadedCalibration two_parameters() {
    LoadedCalibration c;
    c.spec.name = "toy";
    CalibrationParameter a, b;
    a.file = "p.yaml", a.key = "a", a.low = 0.1, a.high = 10.0, a.scale = cartsim::study::Scale::Log;
    b.file = "p.yaml", b.key = "b", b.low = -1.0, b.high = 1.0, b.scale = cartsim::study::Scale::Linear;
    c.spec.parameters = {a, b};
    c.fixed.resize(2);
    c.start = {1.0, 0.0};
    return c;
}

}  // namespace

TEST_CASE("uncertainty: the design starts at the fit, stays within the step of each range, and leaves held parameters") {
    auto c = two_parameters();
    const auto design = surface_design(c, {1.0, 0.0}, 9, 0.1, 3);
    REQUIRE(design.size() == 9);
    CHECK(design[0] == std::vector<double>{1.0, 0.0});
    for (const auto& p : design) {
        CHECK(std::abs(to_unit(c.spec.parameters[0], p[0]) - 0.5) <= 0.1 + 1e-12);
        CHECK(std::abs(p[1]) <= 0.2 + 1e-12);  // 0.1 of the range [-1, 1]
    }
    CHECK(surface_design(c, {1.0, 0.0}, 9, 0.1, 3) == design);  // a pure function of the seed
    c.fixed[1] = 0.5;
    for (const auto& p : surface_design(c, {1.0, 0.5}, 5, 0.1, 3)) CHECK(p[1] == 0.5);
}

TEST_CASE("uncertainty: a quadratic deviance in unit coordinates gives back its covariance, and draws follow it") {
    auto c = two_parameters();
    // D = (x / 0.05)^2 + (y / 0.1)^2 in unit coordinates: H = diag(2 / 0.05^2, 2 / 0.1^2), so the
    // covariance 2 H^-1 is diag(0.05^2, 0.1^2).
    const std::vector<double> centre{1.0, 0.0};
    const auto design = surface_design(c, centre, 30, 0.2, 5);
    std::vector<double> d;
    for (const auto& p : design) {
        const double x = to_unit(c.spec.parameters[0], p[0]) - 0.5, y = to_unit(c.spec.parameters[1], p[1]) - 0.5;
        d.push_back(std::pow(x / 0.05, 2) + std::pow(y / 0.1, 2));
    }
    const auto u = analyse_uncertainty(c, centre, design, d);
    CHECK(u.curvature.covariance(0, 0) == doctest::Approx(0.0025).epsilon(1e-6));
    CHECK(u.curvature.covariance(1, 1) == doctest::Approx(0.01).epsilon(1e-6));
    CHECK(std::abs(u.curvature.covariance(0, 1)) < 1e-9);
    const auto csv = uncertainty_csv(c, u);
    CHECK(csv.find("p:a,1,") != std::string::npos);
    // Draws: draw 0 is the fit; the others scatter with the covariance (sd 0.1 of the unit range for b):
    // over 2,000 draws the sample sd lies within 5% of 0.1 (its standard error is 0.1 / sqrt(2 * 2000) = 1.6%).
    ParameterDistributionSet set;
    set.calibration = c;
    set.free = {0, 1};
    set.centre = centre;
    set.covariance = u.curvature.covariance;
    CHECK(draw_parameters(set, 0, 1) == centre);
    CHECK(draw_parameters(set, 7, 1) == draw_parameters(set, 7, 1));
    CHECK(draw_parameters(set, 7, 1) != draw_parameters(set, 7, 2));  // another calibration: another stream
    double sum = 0.0, sum2 = 0.0;
    const int n = 2000;
    for (int k = 1; k <= n; ++k) {
        const double y = to_unit(c.spec.parameters[1], draw_parameters(set, k, 1)[1]) - 0.5;
        sum += y, sum2 += y * y;
    }
    const double mean = sum / n, sd = std::sqrt(sum2 / n - mean * mean);
    CHECK(std::abs(mean) < 4.0 * 0.1 / std::sqrt(double(n)));
    CHECK(sd == doctest::Approx(0.1).epsilon(0.05));
}

TEST_CASE("uncertainty: parameter draws widen an interval by the spread between draws") {
    TargetResult r;
    r.target.id = "orr";
    r.target.metric = Metric::Orr;
    r.model_value = 60.0;
    r.ci_low = 60.0 - 1.959963984540054 * 2.0;  // within-run se 2 points
    r.ci_high = 60.0 + 1.959963984540054 * 2.0;
    std::vector<std::vector<TargetResult>> draws;
    for (double v : {55.0, 57.0, 63.0, 65.0}) {  // between-draw variance: 26.67 (sample, n - 1)
        TargetResult d = r;
        d.model_value = v;
        draws.push_back({d});
    }
    std::vector<TargetResult> results{r};
    include_parameter_draws(results, draws);
    const double sd = std::sqrt(4.0 + (25.0 + 9.0 + 9.0 + 25.0) / 3.0);
    CHECK(*results[0].ci_low == doctest::Approx(60.0 - 1.959963984540054 * sd));
    CHECK(*results[0].ci_high == doctest::Approx(60.0 + 1.959963984540054 * sd));
    CHECK(*results[0].model_value == 60.0);  // the value stays the fit's
    CHECK(results[0].note.find("4 draws") != std::string::npos);
}

TEST_CASE("uncertainty: parameter draws keep an open-ended interval open") {
    // A median whose upper confidence limit was not reached: the run gives [low, open).
    TargetResult r;
    r.target.id = "pfs";
    r.target.metric = Metric::MedianPfsMonths;
    r.model_value = 20.0;
    r.ci_low = 15.0;
    std::vector<std::vector<TargetResult>> draws;
    for (double v : {18.0, 19.0, 22.0, 24.0}) {
        TargetResult d = r;
        d.model_value = v;
        draws.push_back({d});
    }
    std::vector<TargetResult> results{r};
    include_parameter_draws(results, draws);
    CHECK_FALSE(results[0].ci_high.has_value());
    REQUIRE(results[0].ci_low.has_value());
    CHECK(*results[0].ci_low < 15.0);  // widened on the closed side

    SUBCASE("a draw whose median is not reached opens the upper end of a closed interval") {
        TargetResult closed = r;
        closed.ci_high = 27.0;
        draws[2][0].model_value.reset();
        std::vector<TargetResult> out{closed};
        include_parameter_draws(out, draws);
        CHECK_FALSE(out[0].ci_high.has_value());
        REQUIRE(out[0].ci_low.has_value());
        CHECK(*out[0].ci_low < 15.0);
        CHECK(out[0].note.find("1 of 4 parameter draws gave no value") != std::string::npos);
    }
}

TEST_CASE("uncertainty: a one-sided interval (0 of 40, Wilson [0, 8.76]) is widened side by side, never narrowed") {
    // Regression: the within-run spread was half the interval's width, centred on the value, so at 0%
    // the widened interval [0, 4.38] was narrower than the run's own [0, 8.76].
    TargetResult r;
    r.target.id = "crs";
    r.target.metric = Metric::CrsAnyGrade;
    r.model_value = 0.0;
    r.ci_low = 0.0;
    r.ci_high = 8.762160119728666;
    std::vector<std::vector<TargetResult>> draws;
    for (double v : {0.0, 0.0, 2.5}) {
        TargetResult d = r;
        d.model_value = v;
        draws.push_back({d});
    }
    std::vector<TargetResult> results{r};
    include_parameter_draws(results, draws);
    const double between = (2.0 * (5.0 / 6.0) * (5.0 / 6.0) + (5.0 / 3.0) * (5.0 / 3.0)) / 2.0;  // mean 5/6
    const double within = 8.762160119728666 / 1.959963984540054;
    CHECK(*results[0].ci_low == 0.0);
    CHECK(*results[0].ci_high == doctest::Approx(1.959963984540054 * std::sqrt(within * within + between)));
    CHECK(*results[0].ci_high >= 8.762160119728666);
}
