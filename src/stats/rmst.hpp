#pragma once
// Restricted mean survival time (RMST): the area under a Kaplan-Meier curve from day 0 to a horizon tau, i.e. the
// expected event-free days within the first tau days, with its standard error as R survival reports it
// (print(survfit(...), rmean = tau)), and the difference of two arms with a normal-approximation interval.

#include "src/stats/kaplan_meier.hpp"
#include "src/stats/survival_data.hpp"

namespace cartsim::stats {

struct RestrictedMean {
    double horizon_days = 0.0;    // tau, days
    double rmst_days = 0.0;       // integral of S(t) dt from 0 to tau, days
    double std_error_days = 0.0;  // standard error of rmst_days, days
};

/// RMST of a Kaplan-Meier table up to `horizon_days` (tau > 0), days. With event times t_i <= tau, n_i at risk and
/// d_i events, and A_i = integral of S from t_i to tau (Klein and Moeschberger 2003, section 4.5):
///   RMST = integral of S from 0 to tau,   Var = sum_{t_i <= tau} A_i^2 d_i / (n_i (n_i - d_i)),
/// where a time with d_i = n_i (S falls to 0) contributes 0, as in R survival (survmean in print.survfit.R).
/// Beyond the last event time the curve is carried flat to tau, as R does; choose tau within every arm's follow-up
/// (e.g. the smallest arm's last observation) for an interpretable figure.
/// Throws std::invalid_argument unless tau > 0 (and finite), or when the table has no subjects.
RestrictedMean restricted_mean(const KaplanMeier& km, double horizon_days);

/// RMST of `data` (group labels ignored), via kaplan_meier. Throws std::invalid_argument as above, and for empty
/// data or negative or non-finite times.
RestrictedMean restricted_mean(const SurvivalData& data, double horizon_days);

/// RMST of one arm minus that of a reference arm, days, for independent arms.
struct RestrictedMeanDifference {
    int group = 1;                  // the arm
    int reference_group = 0;        // the arm it is compared with
    RestrictedMean arm, reference;  // each arm's RMST and standard error, days
    double difference_days = 0.0;   // arm.rmst_days - reference.rmst_days, days
    double std_error_days = 0.0;    // sqrt(arm SE^2 + reference SE^2), days
    double ci_low_days = 0.0;       // difference -+ z std_error (normal approximation), days
    double ci_high_days = 0.0;
    double p_value = 1.0;      // two-sided Wald test of difference = 0: 2 Phi(-|difference / std_error|)
    double confidence = 0.95;  // coverage of ci_low_days..ci_high_days
};

/// RMST difference of `group` minus `reference_group` in `data`, each arm's curve estimated on its own records.
/// p_value is 1 and the interval a point when both standard errors are 0 and the difference is 0 (e.g. no events
/// before tau in either arm); with a non-zero difference and zero standard error the p-value is 0.
/// Throws std::invalid_argument for tau <= 0, confidence outside (0, 1), equal groups, an arm with no records, or
/// negative or non-finite times.
RestrictedMeanDifference restricted_mean_difference(const SurvivalData& data, int group, int reference_group,
                                                    double horizon_days, double confidence = 0.95);

}  // namespace cartsim::stats
