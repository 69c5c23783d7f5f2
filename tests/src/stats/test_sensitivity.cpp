#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "src/stats/distributions.hpp"
#include "src/stats/latin_hypercube.hpp"
#include "src/stats/sensitivity.hpp"

using namespace cartsim::stats;
using cartsim::agents::CounterRng;
using cartsim::agents::StreamKey;

namespace {

constexpr double kPi = std::numbers::pi;

// Ishigami and Homma (1990): f = sin x1 + a sin^2 x2 + b x3^4 sin x1 on [-pi, pi]^3.
constexpr double kA = 7.0, kB = 0.1;

double ishigami(const Eigen::VectorXd& x) {
    return std::sin(x[0]) + kA * std::sin(x[1]) * std::sin(x[1]) + kB * std::pow(x[2], 4) * std::sin(x[0]);
}

// Exact partial variances (Sobol' and Levitan 1999): V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V3 = 0,
// V13 = b^2 pi^8 (1/18 - 1/50) = 8 b^2 pi^8 / 225, V = V1 + V2 + V13 = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2.
struct IshigamiExact {
    double v1 = 0.5 * std::pow(1.0 + kB * std::pow(kPi, 4) / 5.0, 2);
    double v2 = kA * kA / 8.0;
    double v13 = 8.0 * kB * kB * std::pow(kPi, 8) / 225.0;
    double v = v1 + v2 + v13;
    double first[3] = {v1 / v, v2 / v, 0.0};
    double total[3] = {(v1 + v13) / v, v2 / v, v13 / v};
};

Eigen::VectorXd evaluate(const SaltelliDesign& design) {
    const Eigen::MatrixXd unit = design.points();
    Eigen::VectorXd f(unit.rows());
    const Distribution side = Uniform{-kPi, kPi};
    for (Eigen::Index i = 0; i < unit.rows(); ++i) {
        Eigen::VectorXd x(3);
        for (Eigen::Index j = 0; j < 3; ++j) x[j] = quantile(side, unit(i, j));
        f[i] = ishigami(x);
    }
    return f;
}

}  // namespace

TEST_CASE("sensitivity: the exact Ishigami indices are the published ones") {
    const IshigamiExact exact;
    CHECK(exact.first[0] == doctest::Approx(0.3139).epsilon(1e-3));
    CHECK(exact.first[1] == doctest::Approx(0.4424).epsilon(1e-3));
    CHECK(exact.total[0] == doctest::Approx(0.5576).epsilon(1e-3));
    CHECK(exact.total[2] == doctest::Approx(0.2437).epsilon(1e-3));
    CHECK(exact.v == doctest::Approx(kA * kA / 8 + kB * std::pow(kPi, 4) / 5 + kB * kB * std::pow(kPi, 8) / 18 + 0.5));
}

TEST_CASE("sensitivity: Sobol indices of Ishigami within 4 bootstrap standard errors (N = 2^14)") {
    // Tolerance: 4 bootstrap standard errors of each estimate, and those must be below 0.02 so the check is not
    // vacuous (at N = 2^14 they are about 0.004 to 0.012). The draws are fixed by the stream key.
    const IshigamiExact exact;
    CounterRng rng(StreamKey{42, 0, 0, 0, 0});
    const SaltelliDesign design = saltelli_design(std::size_t{1} << 14, 3, rng);
    const SobolIndices s = sobol_indices(evaluate(design), 3, {.resamples = 500, .key = StreamKey{42, 1, 0, 0, 0}});
    CHECK(s.output_variance == doctest::Approx(exact.v).epsilon(0.03));
    for (std::size_t i = 0; i < 3; ++i) {
        CAPTURE(i);
        const SobolIndex first = s.first_order[i], total = s.total_order[i];
        MESSAGE("S" << i + 1 << " = " << first.estimate << " [" << first.ci_low << ", " << first.ci_high << "] exact "
                    << exact.first[i] << "; ST" << i + 1 << " = " << total.estimate << " [" << total.ci_low << ", "
                    << total.ci_high << "] exact " << exact.total[i]);
        CHECK(first.std_error > 0.0);
        CHECK(first.std_error < 0.02);
        CHECK(total.std_error < 0.02);
        CHECK(std::abs(first.estimate - exact.first[i]) < 4.0 * first.std_error);
        CHECK(std::abs(total.estimate - exact.total[i]) < 4.0 * total.std_error);
        CHECK(first.ci_low < first.estimate);
        CHECK(first.estimate < first.ci_high);
    }
}

TEST_CASE("sensitivity: Latin hypercube base samples work the same way") {
    const IshigamiExact exact;
    CounterRng rng_a(StreamKey{43, 0, 0, 0, 0}), rng_b(StreamKey{43, 1, 0, 0, 0});
    const auto design = saltelli_design(latin_hypercube(8192, 3, rng_a), latin_hypercube(8192, 3, rng_b));
    const SobolIndices s = sobol_indices(evaluate(design), 3, {.resamples = 300, .key = StreamKey{43, 2, 0, 0, 0}});
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(std::abs(s.first_order[i].estimate - exact.first[i]) < 4.0 * s.first_order[i].std_error);
        CHECK(std::abs(s.total_order[i].estimate - exact.total[i]) < 4.0 * s.total_order[i].std_error);
    }
}

TEST_CASE("sensitivity: the Saltelli points are A, B, then A with one column from B") {
    CounterRng rng(StreamKey{1, 2, 3, 4, 5});
    const SaltelliDesign design = saltelli_design(5, 3, rng);
    const Eigen::MatrixXd p = design.points();
    REQUIRE(p.rows() == 5 * (3 + 2));
    REQUIRE(p.cols() == 3);
    CHECK(p.topRows(5) == design.a);
    CHECK(p.middleRows(5, 5) == design.b);
    for (Eigen::Index i = 0; i < 3; ++i)
        for (Eigen::Index j = 0; j < 3; ++j)
            CHECK(p.middleRows((2 + i) * 5, 5).col(j) == (i == j ? design.b.col(j) : design.a.col(j)));
    CHECK(design.a != design.b);
}

TEST_CASE("sensitivity: a linear model gives S_i = ST_i = c_i^2 / sum c^2, unmoved by an output offset") {
    // f = 1e6 + 3 x1 + 1 x2 + 0 x3 on the unit cube: S = ST = (0.9, 0.1, 0). Total order is exact up to sampling of
    // the variance; the offset would swamp mean(f_B (f_ABi - f_A)) without centring.
    CounterRng rng(StreamKey{8, 0, 0, 0, 0});
    const SaltelliDesign design = saltelli_design(4096, 3, rng);
    const Eigen::MatrixXd p = design.points();
    const Eigen::VectorXd f = (3.0 * p.col(0) + p.col(1)).array() + 1e6;
    const BootstrapOptions options{.resamples = 200, .key = StreamKey{8, 1, 0, 0, 0}};
    const SobolIndices s = sobol_indices(f, 3, options);
    const double expected[3] = {0.9, 0.1, 0.0};
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(std::abs(s.first_order[i].estimate - expected[i]) < 4.0 * s.first_order[i].std_error + 1e-12);
        CHECK(std::abs(s.total_order[i].estimate - expected[i]) < 4.0 * s.total_order[i].std_error + 1e-12);
    }
    CHECK(s.total_order[2].estimate == 0.0);
    CHECK(s.first_order[0].std_error < 0.02);
    // Removing the offset changes nothing beyond round-off.
    const SobolIndices centred = sobol_indices((f.array() - 1e6).matrix(), 3, options);
    CHECK(centred.first_order[0].estimate == doctest::Approx(s.first_order[0].estimate).epsilon(1e-8));
    CHECK(centred.output_mean == doctest::Approx(s.output_mean - 1e6).epsilon(1e-6));
}

TEST_CASE("sensitivity: the same keys give the same indices and intervals, bad input throws") {
    const auto run = [](std::uint32_t bootstrap_stream) {
        CounterRng rng(StreamKey{9, 0, 0, 0, 0});
        const SaltelliDesign design = saltelli_design(256, 3, rng);
        return sobol_indices(evaluate(design), 3, {.resamples = 50, .key = StreamKey{9, bootstrap_stream, 0, 0, 0}});
    };
    const SobolIndices a = run(1), b = run(1), c = run(2);
    CHECK(a.first_order[1].estimate == b.first_order[1].estimate);
    CHECK(a.first_order[1].ci_low == b.first_order[1].ci_low);
    CHECK(a.total_order[2].ci_high == b.total_order[2].ci_high);
    CHECK(a.first_order[1].estimate == c.first_order[1].estimate);  // the point estimate ignores the bootstrap
    CHECK(a.first_order[1].ci_low != c.first_order[1].ci_low);
    CHECK_THROWS_AS(sobol_indices(Eigen::VectorXd::Ones(10), 3), std::invalid_argument);  // constant output
    CHECK_THROWS_AS(sobol_indices(Eigen::VectorXd::Zero(11), 3), std::invalid_argument);  // not N (d + 2)
    CounterRng rng(StreamKey{});
    CHECK_THROWS_AS(saltelli_design(Eigen::MatrixXd(3, 2), Eigen::MatrixXd(3, 3)), std::invalid_argument);
    CHECK_THROWS_AS(saltelli_design(0, 2, rng), std::invalid_argument);
}
