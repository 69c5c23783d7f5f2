#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "src/study/design.hpp"
#include "src/study/sampling_bridge.hpp"

using namespace cartsim::study;

namespace {

SweepParameter parameter(double low, double high, Scale scale = Scale::Linear) {
    SweepParameter p;
    p.path = "x";
    p.low = low;
    p.high = high;
    p.scale = scale;
    return p;
}

std::vector<double> ranks(const std::vector<double>& v) {
    std::vector<std::size_t> order(v.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return v[a] < v[b]; });
    std::vector<double> r(v.size());
    for (std::size_t i = 0; i < order.size(); ++i) r[order[i]] = double(i);
    return r;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
    const double n = double(a.size());
    const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n, mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / std::sqrt(saa * sbb);
}

}  // namespace

TEST_CASE("design: a grid is the Cartesian product, the first parameter varying slowest") {
    SweepSpec s;
    auto a = parameter(0, 0);
    a.values = {1, 2};
    auto b = parameter(10, 1000, Scale::Log);
    b.count = 3;
    s.parameters = {a, b};
    const auto points = design_points(s);
    REQUIRE(points.size() == 6);
    CHECK(points[0][0] == 1);
    CHECK(points[0][1] == doctest::Approx(10));
    CHECK(points[1][1] == doctest::Approx(100));
    CHECK(points[2][1] == doctest::Approx(1000));
    CHECK(points[3][0] == 2);
}

TEST_CASE("design: its size is known before it is built, and a design too large to load is refused (regression: a hang)") {
    // Three grid parameters of a million values each: 10^18 points from three lines, which `cartsim check`
    // set out to build (found with tests/fuzz).
    SweepSpec grid;
    auto a = parameter(0, 1);
    a.count = 1000000;
    grid.parameters = {a, a, a};
    grid.parameters[1].path = "y";
    grid.parameters[2].path = "z";
    CHECK(design_size(grid) == 1e18);
    const auto problems = validate(grid);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0] == "sweep: the design has 1e+18 points, more than 100000 (each point is a scenario built and "
                         "checked when the study loads)");
    SweepSpec sobol;
    sobol.design = SweepDesign::Sobol;
    sobol.points = 10000000;
    sobol.parameters = {grid.parameters[0], grid.parameters[1]};
    CHECK(design_size(sobol) == 4e7);  // N (d + 2)
    CHECK(validate(sobol).size() == 1);
    sobol.points = 25000;
    CHECK(validate(sobol).empty());  // 100,000 points: the most a design may have
}

TEST_CASE("design: a Latin hypercube puts one point in each stratum of each parameter's range") {
    SweepSpec s;
    s.design = SweepDesign::Lhs;
    s.points = 20;
    s.parameters = {parameter(0, 10), parameter(1, 1e4, Scale::Log)};
    const auto points = design_points(s);
    REQUIRE(points.size() == 20);
    std::vector<int> linear(20, 0), logarithmic(20, 0);
    for (const auto& p : points) {
        ++linear[static_cast<std::size_t>(p[0] / 10.0 * 20)];
        ++logarithmic[static_cast<std::size_t>(std::log10(p[1]) / 4.0 * 20)];
    }
    CHECK(std::all_of(linear.begin(), linear.end(), [](int c) { return c == 1; }));
    CHECK(std::all_of(logarithmic.begin(), logarithmic.end(), [](int c) { return c == 1; }));
}

TEST_CASE("design: a Saltelli design has N (d + 2) points: A, B, then A with one column from B") {
    SweepSpec s;
    s.design = SweepDesign::Sobol;
    s.points = 8;
    s.parameters = {parameter(0, 1), parameter(5, 6), parameter(-1, 1)};
    const auto p = design_points(s);
    REQUIRE(p.size() == 8 * 5);
    for (std::size_t j = 0; j < 8; ++j)
        for (std::size_t i = 0; i < 3; ++i)
            for (std::size_t k = 0; k < 3; ++k) CHECK(p[(2 + i) * 8 + j][k] == (k == i ? p[8 + j][k] : p[j][k]));
}

TEST_CASE("cohort draws: patient i is a pure function of (cohort seed, i)") {
    CohortSpec c;
    ParameterDistribution g;
    g.path = "a";
    g.median = 0.01;
    g.cv = 0.5;
    ParameterDistribution u;
    u.path = "b";
    u.distribution = DistributionKind::Uniform;
    u.low = 2;
    u.high = 3;
    c.parameters = {g, u};
    CHECK(draw_patient(c, 5) == draw_patient(c, 5));
    CHECK(draw_patient(c, 5) != draw_patient(c, 6));
    c.seed = 2;
    const auto other = draw_patient(c, 5);
    c.seed = 1;
    CHECK(other != draw_patient(c, 5));
    const auto median = median_draws(c);
    CHECK(median[0] == doctest::Approx(0.01));
    CHECK(median[1] == doctest::Approx(2.5));
}

TEST_CASE("cohort draws: rank correlations are honoured") {
    // Spearman rho of 2,000 draws; its sampling sd is about 1/sqrt(n) = 0.022, so 0.09 is 4 sd.
    CohortSpec c;
    ParameterDistribution a, b;
    a.path = "a";
    b.path = "b";
    b.distribution = DistributionKind::Beta;
    b.a = 2;
    b.b = 5;
    c.parameters = {a, b};
    c.correlation = CorrelationMethod::Rank;
    c.correlations = {{"a", "b", -0.6}};
    std::vector<double> x, y;
    for (int i = 0; i < 2000; ++i) {
        const auto d = draw_patient(c, i);
        x.push_back(d[0]);
        y.push_back(d[1]);
    }
    CHECK(std::abs(pearson(ranks(x), ranks(y)) + 0.6) < 0.09);
}

TEST_CASE("study spec: cross-field rules") {
    CohortSpec c;
    ParameterDistribution p;
    p.path = "x";
    p.distribution = DistributionKind::LogUniform;
    p.low = 0;
    c.parameters = {p, p};
    c.correlations = {{"x", "y", 0.5}};
    const auto problems = validate(c);
    const auto has = [&](const std::string& text) {
        return std::any_of(problems.begin(), problems.end(), [&](const auto& q) { return q.find(text) != std::string::npos; });
    };
    CHECK(has("listed twice"));
    CHECK(has("must be above 0 for log_uniform"));
    CHECK(has("'y' is not among cohort.parameters"));
    SweepSpec s;
    s.design = SweepDesign::Sobol;
    auto q = parameter(0, 1);
    q.values = {1, 2};
    s.parameters = {q};
    const auto sweep_problems = validate(s);
    CHECK(sweep_problems.size() == 2);  // explicit values outside a grid; Sobol needs two parameters
}
