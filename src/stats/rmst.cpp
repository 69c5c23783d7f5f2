#include "src/stats/rmst.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "src/stats/normal.hpp"

namespace cartsim::stats {

namespace {

void check_horizon(double horizon_days, const char* caller) {
    if (!(std::isfinite(horizon_days) && horizon_days > 0.0))
        throw std::invalid_argument(std::string(caller) + ": the horizon tau must be finite and > 0 days, got " +
                                    std::to_string(horizon_days));
}

}  // namespace

RestrictedMean restricted_mean(const KaplanMeier& km, double horizon_days) {
    check_horizon(horizon_days, "restricted_mean");
    if (km.subjects == 0) throw std::invalid_argument("restricted_mean: no subjects");

    // The curve is a step function: S = 1 on [0, t_1), S(t_i) on [t_i, t_{i+1}), and S(t_k) on [t_k, tau] for the
    // last event time t_k <= tau. after[i] is the area of the step that starts at event time t_i.
    std::vector<double> after;
    std::vector<double> greenwood;  // d_i / (n_i (n_i - d_i)), 0 where d_i = n_i (R survival's convention)
    double area = 0.0, previous_time = 0.0, previous_survival = 1.0;
    for (const auto& row : km.rows) {
        if (row.time_days > horizon_days) break;
        const double step = (row.time_days - previous_time) * previous_survival;
        area += step;
        if (!after.empty()) after.back() = step;
        after.push_back(0.0);
        const auto n = static_cast<double>(row.at_risk), d = static_cast<double>(row.events);
        greenwood.push_back(row.events < row.at_risk ? d / (n * (n - d)) : 0.0);
        previous_time = row.time_days;
        previous_survival = row.survival;
    }
    const double last_step = (horizon_days - previous_time) * previous_survival;
    area += last_step;
    if (!after.empty()) after.back() = last_step;

    // A_i, the area from t_i to tau, summed from the horizon backwards (as R's cumsum(rev(...))).
    double variance = 0.0, tail_area = 0.0;
    for (std::size_t i = after.size(); i-- > 0;) {
        tail_area += after[i];
        variance += tail_area * tail_area * greenwood[i];
    }
    return {horizon_days, area, std::sqrt(variance)};
}

RestrictedMean restricted_mean(const SurvivalData& data, double horizon_days) {
    check_horizon(horizon_days, "restricted_mean");
    if (data.empty()) throw std::invalid_argument("restricted_mean: no records");
    return restricted_mean(kaplan_meier(data), horizon_days);
}

RestrictedMeanDifference restricted_mean_difference(const SurvivalData& data, int group, int reference_group,
                                                    double horizon_days, double confidence) {
    check_horizon(horizon_days, "restricted_mean_difference");
    const double z = two_sided_z(confidence);
    if (group == reference_group)
        throw std::invalid_argument("restricted_mean_difference: the arm and the reference are the same group " +
                                    std::to_string(group));
    const SurvivalData arm_data = select_group(data, group), reference_data = select_group(data, reference_group);
    for (const auto& [label, records] : {std::pair{group, &arm_data}, std::pair{reference_group, &reference_data}})
        if (records->empty())
            throw std::invalid_argument("restricted_mean_difference: group " + std::to_string(label) +
                                        " has no records");

    RestrictedMeanDifference result;
    result.group = group;
    result.reference_group = reference_group;
    result.confidence = confidence;
    result.arm = restricted_mean(arm_data, horizon_days);
    result.reference = restricted_mean(reference_data, horizon_days);
    result.difference_days = result.arm.rmst_days - result.reference.rmst_days;
    result.std_error_days = std::hypot(result.arm.std_error_days, result.reference.std_error_days);
    result.ci_low_days = result.difference_days - z * result.std_error_days;
    result.ci_high_days = result.difference_days + z * result.std_error_days;
    if (result.std_error_days > 0.0)
        result.p_value = 2.0 * normal_cdf(-std::abs(result.difference_days / result.std_error_days));
    else
        result.p_value = result.difference_days == 0.0 ? 1.0 : 0.0;
    return result;
}

}  // namespace cartsim::stats
