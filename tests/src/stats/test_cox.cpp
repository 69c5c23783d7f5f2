#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include "src/stats/cox.hpp"

using namespace cartsim::stats;

namespace {

Eigen::MatrixXd column(std::initializer_list<double> values) {
    Eigen::MatrixXd x(static_cast<Eigen::Index>(values.size()), 1);
    Eigen::Index i = 0;
    for (double v : values) x(i++, 0) = v;
    return x;
}

}  // namespace

TEST_CASE("cox: one binary covariate without ties matches the closed form") {
    // Events at days 1, 2, 3, 4 with x = 0, 1, 0, 1; r = exp(beta). Risk sets shrink one by one:
    //   L = 1/(2 + 2r) * r/(1 + 2r) * 1/(1 + r) * 1
    //   d log L / d beta = 1 - 2r/(1 + r) - 2r/(1 + 2r) = 0  <=>  1 - r - 4r^2 = 0  <=>  r = (sqrt(17) - 1) / 8
    //   information = 2r/(1 + r)^2 + 2r/(1 + 2r)^2, so beta = -0.940614, SE = 1.240258.
    const SurvivalData data = {{1, true}, {2, true}, {3, true}, {4, true}};
    const Eigen::MatrixXd x = column({0, 1, 0, 1});
    for (const CoxTies ties : {CoxTies::Efron, CoxTies::Breslow}) {
        const CoxFit fit = cox_fit(data, x, {.ties = ties});
        REQUIRE(fit.converged());
        CHECK(fit.message.empty());
        const double r = (std::sqrt(17.0) - 1.0) / 8.0;
        CHECK(fit.coefficients[0] == doctest::Approx(std::log(r)).epsilon(1e-10));
        CHECK(fit.std_errors[0] == doctest::Approx(1.2402583526701532).epsilon(1e-10));
        CHECK(fit.hazard_ratios[0] == doctest::Approx(r).epsilon(1e-10));
        const double z = 1.959963984540054;
        CHECK(fit.ci_low[0] == doctest::Approx(std::exp(std::log(r) - z * 1.2402583526701532)).epsilon(1e-9));
        CHECK(fit.ci_high[0] == doctest::Approx(std::exp(std::log(r) + z * 1.2402583526701532)).epsilon(1e-9));
        // log L at beta: -log(2 + 2r) + log r - log(1 + 2r) - log(1 + r); at beta = 0: -log 4 - log 3 - log 2.
        CHECK(
            fit.log_likelihood ==
            doctest::Approx(-std::log(2 + 2 * r) + std::log(r) - std::log(1 + 2 * r) - std::log(1 + r)).epsilon(1e-12));
        CHECK(fit.null_log_likelihood == doctest::Approx(-std::log(24.0)).epsilon(1e-12));
        CHECK(fit.iterations >= 2);
        CHECK(fit.iterations <= 10);  // Newton-Raphson converges quadratically
    }
}

TEST_CASE("cox: Efron and Breslow ties match their closed forms") {
    // Day 1: x = 0 and x = 1 both have events; day 2: x = 0 has an event. Risk set at day 1: weights 1, r, 1.
    // Breslow: L = r / (2 + r)^2, so 1 - 2r/(2 + r) = 0: r = 2, information 4r/(2 + r)^2 = 1/2, SE = sqrt 2.
    // Efron: the second tied event sees (2 + r) - (1 + r)/2 = (3 + r)/2, so L = r / ((2 + r)(3 + r)/2) and
    //   1 - r/(2 + r) - r/(3 + r) = 0  <=>  6 - r^2 = 0: r = sqrt 6, information 2r/(2 + r)^2 + 3r/(3 + r)^2.
    const SurvivalData data = {{1, true}, {1, true}, {2, true}};
    const Eigen::MatrixXd x = column({0, 1, 0});
    const CoxFit breslow = cox_fit(data, x, {.ties = CoxTies::Breslow});
    REQUIRE(breslow.converged());
    CHECK(breslow.coefficients[0] == doctest::Approx(std::log(2.0)).epsilon(1e-10));
    CHECK(breslow.std_errors[0] == doctest::Approx(std::sqrt(2.0)).epsilon(1e-10));
    const CoxFit efron = cox_fit(data, x, {.ties = CoxTies::Efron});
    REQUIRE(efron.converged());
    CHECK(efron.coefficients[0] == doctest::Approx(0.5 * std::log(6.0)).epsilon(1e-10));
    CHECK(efron.std_errors[0] == doctest::Approx(1.421485394282916).epsilon(1e-10));
}

TEST_CASE("cox: shifting or scaling a covariate scales the coefficient and leaves the fit otherwise unchanged") {
    const SurvivalData data = {{2, true},  {3, false}, {5, true},  {6, true},
                               {8, false}, {9, true},  {11, true}, {12, true}};
    const Eigen::MatrixXd x = column({0.3, 1.2, -0.5, 2.0, 0.1, 1.5, -1.0, 0.7});
    const CoxFit base = cox_fit(data, x);
    const CoxFit moved = cox_fit(data, (x.array() * 10.0 + 50.0).matrix());
    REQUIRE(base.converged());
    REQUIRE(moved.converged());
    CHECK(moved.coefficients[0] * 10.0 == doctest::Approx(base.coefficients[0]).epsilon(1e-9));
    CHECK(moved.std_errors[0] * 10.0 == doctest::Approx(base.std_errors[0]).epsilon(1e-9));
    CHECK(moved.log_likelihood == doctest::Approx(base.log_likelihood).epsilon(1e-12));
}

TEST_CASE("cox: group_indicator makes the arm covariate") {
    const SurvivalData data = {{1, true, 0}, {2, true, 1}, {3, true, 0}, {4, true, 1}};
    const Eigen::MatrixXd x = group_indicator(data, 1);
    CHECK(x.rows() == 4);
    CHECK(x.cols() == 1);
    CHECK(x(0, 0) == 0.0);
    CHECK(x(1, 0) == 1.0);
    CHECK(x(3, 0) == 1.0);
}

TEST_CASE("cox: data problems are reported with a status and a message") {
    const SurvivalData censored = {{1, false}, {2, false}, {3, false}};
    const CoxFit none = cox_fit(censored, column({0, 1, 0}));
    CHECK(none.status == CoxStatus::NoEvents);
    CHECK_FALSE(none.converged());
    CHECK_FALSE(none.message.empty());

    const SurvivalData data = {{1, true}, {2, true}, {3, false}, {4, true}};
    const CoxFit constant = cox_fit(data, column({1, 1, 1, 1}));
    CHECK(constant.status == CoxStatus::ConstantCovariate);
    CHECK(constant.message.find("covariate 0") != std::string::npos);

    Eigen::MatrixXd collinear(4, 2);
    collinear << 0, 0, 1, 2, 0, 0, 0.5, 1;  // the second column is twice the first
    CHECK(cox_fit(data, collinear).status == CoxStatus::Singular);

    // Every event in arm 1 before any arm-0 subject leaves: the likelihood rises for ever as beta grows.
    const SurvivalData separated = {{1, true}, {2, true}, {3, false}, {4, false}};
    const CoxFit monotone = cox_fit(separated, column({1, 1, 0, 0}));
    CHECK(monotone.status == CoxStatus::MonotoneLikelihood);
    CHECK(monotone.coefficients[0] > 20.0);  // information ~ exp(-beta) falls below 1e-10 near beta = 23
    CHECK(monotone.std_errors.size() == 0);
}

TEST_CASE("cox: malformed input throws") {
    const SurvivalData data = {{1, true}, {2, true}};
    CHECK_THROWS_AS(cox_fit(data, column({0, 1, 0})), std::invalid_argument);
    CHECK_THROWS_AS(cox_fit(data, Eigen::MatrixXd(2, 0)), std::invalid_argument);
    CHECK_THROWS_AS(cox_fit(data, column({0, std::nan("")})), std::invalid_argument);
}
