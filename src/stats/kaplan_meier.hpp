#pragma once
// Kaplan-Meier estimate of a survival function from right-censored data, with Greenwood standard errors,
// pointwise log-log confidence intervals and the median survival time with its Brookmeyer-Crowley interval.

#include <optional>
#include <vector>

#include "src/stats/survival_data.hpp"

namespace cartsim::stats {

/// One distinct event time of a Kaplan-Meier table.
struct KaplanMeierRow {
    double time_days = 0.0;  // the event time, days
    long at_risk = 0;        // subjects whose time_days >= this time (still followed just before it)
    long events = 0;         // events at exactly this time
    long censored = 0;       // censored at or after this time and before the next event time (or ever, for the
                             // last row), so at_risk of the next row = at_risk - events - censored
    double survival = 1.0;   // S(t), the probability of no event up to and including this time
    double std_error = 0.0;  // Greenwood standard error of S(t); NaN where S(t) = 0 (undefined there)
    double ci_low = 1.0;     // pointwise interval for S(t) on the log-log scale (see kaplan_meier); NaN where S = 0
    double ci_high = 1.0;
};

struct KaplanMeier {
    std::vector<KaplanMeierRow> rows;      // ascending time
    long subjects = 0;                     // all records
    long censored_before_first_event = 0;  // records censored before the first event time
    double confidence = 0.95;              // coverage of ci_low..ci_high
};

/// The Kaplan-Meier table of `data` (group labels ignored). Ties: events at a time count before censorings at
/// the same time (a subject censored at t was at risk at t), as in R survival and statsmodels.
/// Greenwood: Var S(t) = S(t)^2 sum_{t_i <= t} d_i / (n_i (n_i - d_i)).
/// Interval: log-log ("exponential Greenwood", R survival's conf.type = "log-log", statsmodels' "cloglog"):
/// the Wald interval of log(-log S), which stays inside (0, 1); with v = sum d_i / (n_i (n_i - d_i)) and
/// h = z sqrt(v) / |log S|, it is [S^exp(h), S^exp(-h)].
/// Throws std::invalid_argument for negative or non-finite times, or confidence outside (0, 1).
KaplanMeier kaplan_meier(const SurvivalData& data, double confidence = 0.95);

/// S(t) of the table at `time_days` (a right-continuous step function, 1 before the first event).
double survival_at(const KaplanMeier& km, double time_days);

/// Number at risk at each of `times_days` (subjects whose time_days >= t), e.g. for the table under a plot.
std::vector<long> number_at_risk(const SurvivalData& data, const std::vector<double>& times_days);

/// Median survival and its interval, days; each absent when not reached.
struct MedianSurvival {
    std::optional<double> median_days;
    std::optional<double> ci_low_days;
    std::optional<double> ci_high_days;
};

/// Median: the first event time with S(t) < 0.5, except that where S(t_i) = 0.5 (within 1e-10) it is the middle
/// of that plateau, (t_i + t_{i+1}) / 2 with t_{i+1} the next event time (t_i if none), as in R survival and SAS.
/// Interval (Brookmeyer and Crowley 1982, with the table's log-log band, as statsmodels quantile_ci "cloglog"
/// and SAS LIFETEST): the event times t whose pointwise interval contains 0.5 form the set; the interval runs
/// from the first of them to the event time after the last of them. The upper bound is absent when the band
/// still contains 0.5 at the last event time, and both are absent when no band contains 0.5.
MedianSurvival median_survival(const KaplanMeier& km);

}  // namespace cartsim::stats
