#include "src/study/likelihood.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace cartsim::study {
namespace {

constexpr double kDaysPerMonth = 30.4375;
constexpr double kZ95 = 1.959963984540054;
constexpr double kMissingDeviance = 25.0;

/// x ln(x / y), with 0 ln 0 = 0.
double xlogxy(double x, double y) { return x > 0.0 ? x * std::log(x / y) : 0.0; }

double binomial_deviance(double figure_percent, int n, double model_percent) {
    const double nn = double(n);
    const double k = std::clamp(figure_percent / 100.0, 0.0, 1.0) * nn;
    // The model's rate is clamped half a trial patient from 0 and 1: a model rate of exactly 0 or 1
    // against a trial that saw the other outcome would give an infinite deviance.
    const double p = std::clamp(model_percent / 100.0, 0.5 / nn, 1.0 - 0.5 / nn);
    return 2.0 * (xlogxy(k, nn * p) + xlogxy(nn - k, nn * (1.0 - p)));
}

/// Normal on the scale `f`, with the standard error of the interval's half on the model's side.
double interval_deviance(double figure, double low, double high, double model, bool log_scale) {
    const auto f = [&](double x) { return log_scale ? std::log(std::max(x, 1e-300)) : x; };
    const double below = f(figure) - f(low), above = f(high) - f(figure);
    const auto usable = [](double h) { return h > 0.0 && std::isfinite(h); };
    double half = f(model) < f(figure) ? below : above;
    if (!usable(half)) half = usable(below) ? below : above;  // an open end ("not estimable"): the other half
    if (!usable(half)) throw std::invalid_argument("an interval of zero width gives no likelihood");
    const double z = (f(model) - f(figure)) / (half / kZ95);
    return z * z;
}

}  // namespace

LikelihoodForm likelihood_form(const TargetSpec& t) {
    if (t.assumed_band || t.status == TargetStatus::InputCheck) return LikelihoodForm::None;
    if (t.n > 0 && metric_is_percent(t.metric)) return LikelihoodForm::Binomial;
    if (t.ci.size() == 2) return LikelihoodForm::PublishedInterval;
    if (t.band.size() == 2) return LikelihoodForm::BandAsInterval;
    return LikelihoodForm::None;
}

std::string describe_likelihood(const TargetSpec& t) {
    switch (likelihood_form(t)) {
        case LikelihoodForm::Binomial: return fmt::format("binomial (n = {})", t.n);
        case LikelihoodForm::PublishedInterval: return "normal, published 95% CI";
        case LikelihoodForm::BandAsInterval: return "normal, band as 95% interval";
        case LikelihoodForm::None: break;
    }
    return "none";
}

double deviance(const TargetResult& r, double horizon_days) {
    const TargetSpec& t = r.target;
    const LikelihoodForm form = likelihood_form(t);
    if (form == LikelihoodForm::None)
        throw std::invalid_argument("target '" + t.id + "' has no likelihood (an assumed band or an input check)");
    std::optional<double> value = r.model_value;
    const bool survival_median = t.metric == Metric::MedianPfsMonths || t.metric == Metric::MedianOsMonths;
    if (!value && survival_median && r.note == "median not reached") value = horizon_days / kDaysPerMonth;
    if (!value) return kMissingDeviance;
    const bool log_scale = metric_is_ratio_scale(t.metric);
    switch (form) {
        case LikelihoodForm::Binomial: return binomial_deviance(t.clinical_value, t.n, *value);
        case LikelihoodForm::PublishedInterval: return interval_deviance(t.clinical_value, t.ci[0], t.ci[1], *value, log_scale);
        case LikelihoodForm::BandAsInterval:
            return interval_deviance(t.clinical_value, t.band[0], t.band[1], *value, log_scale);
        case LikelihoodForm::None: break;
    }
    return kMissingDeviance;
}

}  // namespace cartsim::study
