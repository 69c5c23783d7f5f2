#include <doctest/doctest.h>

#include <cmath>

#include "src/study/likelihood.hpp"

using namespace cartsim::study;

namespace {

TargetResult result(Metric metric, double clinical, std::optional<double> model) {
    TargetResult r;
    r.target.id = "t";
    r.target.status = TargetStatus::Calibrated;
    r.target.metric = metric;
    r.target.clinical_value = clinical;
    r.model_value = model;
    return r;
}

}  // namespace

TEST_CASE("likelihood: a rate with the trial's n is a binomial deviance, 0 at the trial's rate") {
    auto r = result(Metric::Orr, 73.0, 73.0);
    r.target.n = 128;
    r.target.band = {65, 81};
    CHECK(likelihood_form(r.target) == LikelihoodForm::Binomial);
    CHECK(describe_likelihood(r.target) == "binomial (n = 128)");
    CHECK(deviance(r, 365.0) == doctest::Approx(0.0).epsilon(1e-12));
    // By hand: k = 93.44 of 128, model p = 0.6.
    r.model_value = 60.0;
    const double k = 0.73 * 128.0, n = 128.0;
    const double expected = 2.0 * (k * std::log(k / (n * 0.6)) + (n - k) * std::log((n - k) / (n * 0.4)));
    CHECK(deviance(r, 365.0) == doctest::Approx(expected).epsilon(1e-12));
    // A model rate of 0 is held half a trial patient away, so the deviance stays finite.
    r.model_value = 0.0;
    CHECK(std::isfinite(deviance(r, 365.0)));
    CHECK(deviance(r, 365.0) > 100.0);
}

TEST_CASE("likelihood: a median or hazard ratio with a published interval is normal on the log scale, one side at a time") {
    auto r = result(Metric::MedianPfsMonths, 8.8, 8.8);
    r.target.ci = {5.6, 11.6};
    CHECK(likelihood_form(r.target) == LikelihoodForm::PublishedInterval);
    CHECK(deviance(r, 1825.0) == doctest::Approx(0.0));
    // Above the figure: the upper half of the interval sets the standard error.
    r.model_value = 11.6;
    CHECK(deviance(r, 1825.0) == doctest::Approx(1.959963984540054 * 1.959963984540054).epsilon(1e-9));
    r.model_value = 5.6;
    CHECK(deviance(r, 1825.0) == doctest::Approx(1.959963984540054 * 1.959963984540054).epsilon(1e-9));
    // A median not reached counts as the horizon (60 months here).
    r.model_value.reset();
    r.note = "median not reached";
    const double se = (std::log(11.6) - std::log(8.8)) / 1.959963984540054;
    const double z = (std::log(1826.25 / 30.4375) - std::log(8.8)) / se;
    CHECK(deviance(r, 1826.25) == doctest::Approx(z * z).epsilon(1e-9));
    // An interval open at the top ("not estimable") uses its lower half on both sides.
    auto open = result(Metric::MedianPfsMonths, 34.9, 40.0);
    open.target.ci = {25.2, INFINITY};
    const double se_low = (std::log(34.9) - std::log(25.2)) / 1.959963984540054;
    CHECK(deviance(open, 1825.0) == doctest::Approx(std::pow((std::log(40.0) - std::log(34.9)) / se_low, 2)).epsilon(1e-9));
}

TEST_CASE("likelihood: without n or an interval a source-backed band serves as a 95% interval, an assumed band gives none") {
    auto r = result(Metric::PfsAtMonths, 50.9, 60.9);
    r.target.band = {40.9, 60.9};
    CHECK(likelihood_form(r.target) == LikelihoodForm::BandAsInterval);
    CHECK(describe_likelihood(r.target) == "normal, band as 95% interval");
    CHECK(deviance(r, 1825.0) == doctest::Approx(1.959963984540054 * 1.959963984540054).epsilon(1e-9));
    r.target.assumed_band = true;
    CHECK(likelihood_form(r.target) == LikelihoodForm::None);
    CHECK_THROWS_AS(deviance(r, 1825.0), std::invalid_argument);
    r.target.assumed_band = false;
    r.target.status = TargetStatus::InputCheck;
    CHECK(likelihood_form(r.target) == LikelihoodForm::None);
    // A missing value that is not an unreached median counts as five standard errors.
    auto missing = result(Metric::Orr, 70.0, std::nullopt);
    missing.target.n = 100;
    missing.note = "no patients";
    CHECK(deviance(missing, 365.0) == doctest::Approx(25.0));
}
