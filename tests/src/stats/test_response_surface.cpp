#include <doctest/doctest.h>

#include <cmath>

#include <Eigen/Dense>

#include "solvers/agents/counter_rng.hpp"
#include "src/stats/response_surface.hpp"

using namespace cartsim::stats;

TEST_CASE("response surface: an exact quadratic is recovered, and its covariance is 2 H^-1") {
    // D(x) = 3 + g'x + x'Ax with A = [[2, 0.5], [0.5, 1]]: H = 2A = [[4, 1], [1, 2]].
    Eigen::MatrixXd a(2, 2);
    a << 2.0, 0.5, 0.5, 1.0;
    Eigen::Vector2d g(0.3, -0.2);
    cartsim::agents::CounterRng rng({7, 0, 0, 0, 0});
    Eigen::MatrixXd x(12, 2);
    Eigen::VectorXd d(12);
    for (int r = 0; r < 12; ++r) {
        x(r, 0) = rng.uniform() - 0.5;
        x(r, 1) = rng.uniform() - 0.5;
        const Eigen::Vector2d p = x.row(r).transpose();
        d(r) = 3.0 + g.dot(p) + p.dot(a * p);
    }
    const auto s = fit_quadratic(x, d);
    CHECK(s.constant == doctest::Approx(3.0).epsilon(1e-10));
    CHECK(s.gradient(0) == doctest::Approx(0.3).epsilon(1e-10));
    CHECK(s.hessian(0, 0) == doctest::Approx(4.0).epsilon(1e-10));
    CHECK(s.hessian(0, 1) == doctest::Approx(1.0).epsilon(1e-10));
    CHECK(s.hessian(1, 1) == doctest::Approx(2.0).epsilon(1e-10));
    CHECK(s.r_squared == doctest::Approx(1.0));
    CHECK(s.residual_sd < 1e-10);
    const auto c = analyse_curvature(s.hessian, 10.0);
    const Eigen::MatrixXd expected = 2.0 * s.hessian.inverse();
    CHECK((c.covariance - expected).cwiseAbs().maxCoeff() < 1e-9);
    for (const auto& dir : c.directions) CHECK(dir.identified);
}

TEST_CASE("response surface: a binomial deviance gives the binomial standard error") {
    // Deviance of k = 30 of n = 100 at rate p: its second derivative at p = 0.3 is 2 n / (p (1 - p)), so the
    // covariance 2 H^-1 is p (1 - p) / n, the familiar variance of a proportion, to within the
    // surface's fit over +-0.02.
    const double n = 100.0, k = 30.0;
    const auto dev = [&](double p) { return 2.0 * (k * std::log(k / (n * p)) + (n - k) * std::log((n - k) / (n * (1 - p)))); };
    Eigen::MatrixXd x(9, 1);
    Eigen::VectorXd d(9);
    for (int i = 0; i < 9; ++i) {
        x(i, 0) = -0.02 + 0.005 * i;
        d(i) = dev(0.3 + x(i, 0));
    }
    const auto c = analyse_curvature(fit_quadratic(x, d).hessian, 1.0);
    CHECK(std::sqrt(c.covariance(0, 0)) == doctest::Approx(std::sqrt(0.3 * 0.7 / 100.0)).epsilon(0.01));
}

TEST_CASE("response surface: a flat direction is named unidentified and gets the capped spread") {
    // D depends on x0 + x1 only: the direction (1, -1)/sqrt 2 is flat.
    Eigen::MatrixXd x(10, 2);
    Eigen::VectorXd d(10);
    cartsim::agents::CounterRng rng({9, 0, 0, 0, 0});
    for (int r = 0; r < 10; ++r) {
        x(r, 0) = rng.uniform() - 0.5;
        x(r, 1) = rng.uniform() - 0.5;
        d(r) = 50.0 * std::pow(x(r, 0) + x(r, 1), 2);
    }
    const auto c = analyse_curvature(fit_quadratic(x, d).hessian, 0.5);
    REQUIRE(c.directions.size() == 2);
    CHECK_FALSE(c.directions[0].identified);
    CHECK(c.directions[0].sd == doctest::Approx(0.5));
    CHECK(std::abs(c.directions[0].vector(0) + c.directions[0].vector(1)) < 1e-6);  // along (1, -1)
    CHECK(c.directions[1].identified);
    CHECK(c.directions[1].sd == doctest::Approx(std::sqrt(2.0 / 200.0)).epsilon(1e-6));  // H = 100 (1,1)(1,1)'/... eigenvalue 200
    CHECK_THROWS_AS(fit_quadratic(x.topRows(5), d.head(5)), std::invalid_argument);
}
