#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <vector>

#include <Eigen/Dense>

#include "src/stats/copula.hpp"
#include "src/stats/distributions.hpp"
#include "src/stats/normal.hpp"

using namespace cartsim::stats;
using cartsim::agents::CounterRng;
using cartsim::agents::StreamKey;

namespace {

double pearson(const Eigen::VectorXd& x, const Eigen::VectorXd& y) {
    const Eigen::ArrayXd dx = x.array() - x.mean(), dy = y.array() - y.mean();
    return (dx * dy).sum() / std::sqrt((dx * dx).sum() * (dy * dy).sum());
}

Eigen::VectorXd ranks(const Eigen::VectorXd& x) {
    std::vector<Eigen::Index> order(static_cast<std::size_t>(x.size()));
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return x[a] < x[b]; });
    Eigen::VectorXd r(x.size());
    for (std::size_t i = 0; i < order.size(); ++i) r[order[i]] = static_cast<double>(i);  // no ties: continuous draws
    return r;
}

// n draws of the copula, one per row.
Eigen::MatrixXd draw(const GaussianCopula& copula, Eigen::Index n, std::uint32_t stream) {
    CounterRng rng(StreamKey{11, stream, 0, 0, 0});
    Eigen::MatrixXd u(n, copula.dimension());
    for (Eigen::Index i = 0; i < n; ++i) u.row(i) = copula.sample(rng).transpose();
    return u;
}

}  // namespace

TEST_CASE("copula: Spearman to Pearson conversion") {
    CHECK(pearson_from_spearman(0.0) == 0.0);
    CHECK(pearson_from_spearman(1.0) == doctest::Approx(1.0).epsilon(1e-15));
    CHECK(pearson_from_spearman(-1.0) == doctest::Approx(-1.0).epsilon(1e-15));
    CHECK(pearson_from_spearman(0.5) == doctest::Approx(2.0 * std::sin(std::numbers::pi / 12.0)).epsilon(1e-15));
    CHECK(pearson_from_spearman(0.5) > 0.5);  // |r| slightly exceeds |rho| in between
    CHECK_THROWS_AS(pearson_from_spearman(1.1), std::invalid_argument);
}

TEST_CASE("copula: normal scores have the requested Pearson correlation and uniform marginals") {
    // Standard error of a sample Pearson r near rho is (1 - rho^2) / sqrt(n); 4 of them with n = 100,000 is <= 0.0127.
    Eigen::MatrixXd c(3, 3);
    c << 1.0, 0.6, -0.3, 0.6, 1.0, 0.2, -0.3, 0.2, 1.0;
    const GaussianCopula copula(c);
    const Eigen::Index n = 100000;
    const Eigen::MatrixXd u = draw(copula, n, 1);
    REQUIRE(u.minCoeff() > 0.0);
    REQUIRE(u.maxCoeff() < 1.0);
    Eigen::MatrixXd z(n, 3);
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < 3; ++j) z(i, j) = normal_quantile(u(i, j));
    for (Eigen::Index j = 0; j < 3; ++j) {
        // Uniform marginal: mean 1/2 within 4 sqrt(1/12 / n).
        CHECK(std::abs(u.col(j).mean() - 0.5) < 4.0 * std::sqrt(1.0 / 12.0 / n));
        for (Eigen::Index k = 0; k < j; ++k) {
            CAPTURE(j);
            CAPTURE(k);
            const double rho = c(j, k);
            CHECK(std::abs(pearson(z.col(j), z.col(k)) - rho) < 4.0 * (1.0 - rho * rho) / std::sqrt(double(n)));
        }
    }
}

TEST_CASE("copula: requested Spearman rank correlation survives any monotone marginals") {
    // Spearman's rho under a bivariate normal has standard error below 1/sqrt(n); tolerance 4/sqrt(n) = 0.0126.
    Eigen::MatrixXd rho(2, 2);
    rho << 1.0, 0.5, 0.5, 1.0;
    const GaussianCopula copula = GaussianCopula::from_spearman(rho);
    CHECK(copula.correlation()(0, 1) == doctest::Approx(pearson_from_spearman(0.5)).epsilon(1e-15));
    const Eigen::Index n = 100000;
    const Eigen::MatrixXd u = draw(copula, n, 2);
    Eigen::VectorXd kill_rate(n), dose(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        kill_rate[i] = quantile(LogNormal{0.3, 1.2}, u(i, 0));
        dose[i] = quantile(Beta{0.5, 3.0, 1e6, 1e8}, u(i, 1));
    }
    CHECK(std::abs(pearson(ranks(kill_rate), ranks(dose)) - 0.5) < 4.0 / std::sqrt(double(n)));
}

TEST_CASE("copula: independent uniforms in, correlated uniforms out, the same key gives the same draws") {
    Eigen::MatrixXd c(2, 2);
    c << 1.0, -0.8, -0.8, 1.0;
    const GaussianCopula copula(c);
    Eigen::VectorXd half(2);
    half << 0.5, 0.5;
    // The centre maps to the centre: Phi(L 0) = 1/2.
    CHECK(copula.correlate_uniforms(half).isApprox(half, 1e-15));
    // The first coordinate passes unchanged (L's first row is (1, 0)).
    Eigen::VectorXd u(2);
    u << 0.9, 0.3;
    CHECK(copula.correlate_uniforms(u)[0] == doctest::Approx(0.9).epsilon(1e-14));
    // Extreme scores stay strictly inside (0, 1).
    u << 1e-300, 1.0 - 1e-16;
    const Eigen::VectorXd extreme = copula.correlate_uniforms(u);
    CHECK(extreme.minCoeff() > 0.0);
    CHECK(extreme.maxCoeff() < 1.0);
    CHECK(draw(copula, 50, 3) == draw(copula, 50, 3));
    CHECK(draw(copula, 50, 3) != draw(copula, 50, 4));
}

TEST_CASE("copula: rejects matrices that are not correlation matrices") {
    Eigen::MatrixXd not_pd(3, 3);  // pairwise plausible, jointly impossible
    not_pd << 1.0, 0.9, 0.9, 0.9, 1.0, -0.9, 0.9, -0.9, 1.0;
    CHECK_THROWS_WITH_AS(GaussianCopula{not_pd}, doctest::Contains("not positive definite"), std::invalid_argument);
    Eigen::MatrixXd perfect(2, 2);
    perfect << 1.0, 1.0, 1.0, 1.0;
    CHECK_THROWS_AS(GaussianCopula{perfect}, std::invalid_argument);
    Eigen::MatrixXd asymmetric(2, 2);
    asymmetric << 1.0, 0.3, 0.2, 1.0;
    CHECK_THROWS_WITH_AS(GaussianCopula{asymmetric}, doctest::Contains("symmetric"), std::invalid_argument);
    Eigen::MatrixXd diagonal(2, 2);
    diagonal << 2.0, 0.3, 0.3, 1.0;
    CHECK_THROWS_WITH_AS(GaussianCopula{diagonal}, doctest::Contains("diagonal"), std::invalid_argument);
    CHECK_THROWS_AS(GaussianCopula{Eigen::MatrixXd(2, 3)}, std::invalid_argument);
}
