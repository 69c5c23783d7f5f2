#pragma once
// The calibration objective: an approximate likelihood of each trial's own data given the model's value,
// written as a deviance (-2 log likelihood ratio against a model that reproduces the figure exactly), so
// that sums over targets and differences between parameter sets mean something (a difference of 3.84
// is the 95% point of one degree of freedom).
//
// - A percentage with the trial's denominator n (response rates, shares of patients): binomial. The
//   trial saw k = n x figure / 100 patients; the model's rate is p:
//     D = 2 [k ln(k / (n p)) + (n - k) ln((n - k) / (n (1 - p)))].
// - A figure with its published 95% interval (Kaplan-Meier landmarks, medians, hazard ratios): normal,
//   with the standard error of the interval's half on the model's side, (bound - figure) / 1.96; medians
//   and hazard ratios on the log scale, where their intervals are symmetric.
// - Otherwise the band, when a source gives it, is used as a 95% interval in the same way (stated as
//   such in the output); a target with an assumed band has no likelihood and never enters an objective.
//
// Limits: the model's value carries Monte-Carlo noise from a finite virtual cohort, which the deviance
// ignores (the same patients in every evaluation keep it from misleading the search; the validation
// seeds measure it); targets of one trial are treated as independent although they share patients.

#include <string>

#include "src/study/validation.hpp"

namespace cartsim::study {

/// Which form a target's likelihood takes.
enum class LikelihoodForm { None, Binomial, PublishedInterval, BandAsInterval };

LikelihoodForm likelihood_form(const TargetSpec& t);

/// "binomial (n = 128)", "normal, published 95% CI", "normal, band as 95% interval", "none".
std::string describe_likelihood(const TargetSpec& t);

/// Deviance of one target at the model's value (0 when the model reproduces the figure). A survival
/// median the model does not reach counts as the horizon; any other missing value counts as 25 (a
/// figure five standard errors away). Throws std::invalid_argument for a target without a likelihood.
double deviance(const TargetResult& r, double horizon_days);

}  // namespace cartsim::study
