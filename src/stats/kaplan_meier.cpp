#include "src/stats/kaplan_meier.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>

#include "src/stats/normal.hpp"

namespace cartsim::stats {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// S(t) is a product of many factors; a plateau meant to sit at exactly one half may be off by round-off.
constexpr double kHalfTolerance = 1e-10;

// Sets the log-log interval of a row from v = sum d / (n (n - d)), the Greenwood variance of log S.
void set_interval(KaplanMeierRow& row, double log_variance, double z) {
    if (row.survival <= 0.0) {
        row.std_error = row.ci_low = row.ci_high = kNaN;
        return;
    }
    row.std_error = row.survival * std::sqrt(log_variance);
    const double h = z * std::sqrt(log_variance) / std::abs(std::log(row.survival));
    row.ci_low = std::pow(row.survival, std::exp(h));
    row.ci_high = std::pow(row.survival, std::exp(-h));
}

}  // namespace

KaplanMeier kaplan_meier(const SurvivalData& data, double confidence) {
    check_survival_data(data, "kaplan_meier");
    const double z = two_sided_z(confidence);
    SurvivalData sorted = data;
    // Events before censorings at equal times, so a subject censored at t is counted at risk at t.
    std::sort(sorted.begin(), sorted.end(), [](const SurvivalObservation& a, const SurvivalObservation& b) {
        return a.time_days != b.time_days ? a.time_days < b.time_days : a.event > b.event;
    });

    KaplanMeier km;
    km.subjects = static_cast<long>(sorted.size());
    km.confidence = confidence;
    long at_risk = km.subjects;
    double survival = 1.0, log_variance = 0.0;
    for (std::size_t i = 0; i < sorted.size();) {
        const double t = sorted[i].time_days;
        long events = 0, censored = 0;
        for (; i < sorted.size() && sorted[i].time_days == t; ++i) (sorted[i].event ? events : censored) += 1;
        if (events == 0) {
            // A censoring-only time: it belongs to the previous event time's row.
            (km.rows.empty() ? km.censored_before_first_event : km.rows.back().censored) += censored;
            at_risk -= censored;
            continue;
        }
        KaplanMeierRow row;
        row.time_days = t;
        row.at_risk = at_risk;
        row.events = events;
        row.censored = censored;
        const auto n = static_cast<double>(at_risk), d = static_cast<double>(events);
        survival *= (n - d) / n;
        // d = n makes S = 0 and the Greenwood sum infinite; set_interval marks the row undefined.
        if (events < at_risk) log_variance += d / (n * (n - d));
        row.survival = survival;
        set_interval(row, log_variance, z);
        km.rows.push_back(row);
        at_risk -= events + censored;
    }
    return km;
}

double survival_at(const KaplanMeier& km, double time_days) {
    const auto after = std::upper_bound(km.rows.begin(), km.rows.end(), time_days,
                                        [](double t, const KaplanMeierRow& row) { return t < row.time_days; });
    return after == km.rows.begin() ? 1.0 : std::prev(after)->survival;
}

std::vector<long> number_at_risk(const SurvivalData& data, const std::vector<double>& times_days) {
    check_survival_data(data, "number_at_risk");
    std::vector<double> times;
    times.reserve(data.size());
    for (const auto& record : data) times.push_back(record.time_days);
    std::sort(times.begin(), times.end());
    std::vector<long> counts;
    counts.reserve(times_days.size());
    for (double t : times_days) {
        const auto first_at_or_after = std::lower_bound(times.begin(), times.end(), t);
        counts.push_back(static_cast<long>(times.end() - first_at_or_after));
    }
    return counts;
}

MedianSurvival median_survival(const KaplanMeier& km) {
    MedianSurvival result;
    const auto& rows = km.rows;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (std::abs(rows[i].survival - 0.5) <= kHalfTolerance) {
            result.median_days =
                i + 1 < rows.size() ? 0.5 * (rows[i].time_days + rows[i + 1].time_days) : rows[i].time_days;
            break;
        }
        if (rows[i].survival < 0.5) {
            result.median_days = rows[i].time_days;
            break;
        }
    }
    // Brookmeyer-Crowley: invert the pointwise test of S(t) = 0.5 over the event times.
    std::optional<std::size_t> first, last;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].ci_low <= 0.5 && 0.5 <= rows[i].ci_high) {  // false for the NaN of S = 0
            if (!first) first = i;
            last = i;
        }
    }
    if (first) {
        result.ci_low_days = rows[*first].time_days;
        if (*last + 1 < rows.size()) result.ci_high_days = rows[*last + 1].time_days;
    }
    return result;
}

}  // namespace cartsim::stats
