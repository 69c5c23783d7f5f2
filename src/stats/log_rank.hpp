#pragma once
// The log-rank test that two or more groups share one survival function (Mantel 1966; Peto and Peto 1972).

#include <vector>

#include "src/stats/survival_data.hpp"

namespace cartsim::stats {

struct LogRankResult {
    std::vector<int> groups;       // the group labels, ascending
    std::vector<double> observed;  // events per group
    std::vector<double> expected;  // events per group expected if all groups share one hazard
    double statistic = 0.0;        // chi-square statistic (O - E)' V^+ (O - E)
    int degrees_of_freedom = 0;    // rank of V: the number of groups - 1 unless a group is never at risk at an event
    double p_value = 1.0;          // upper tail of the chi-square distribution at `statistic`
};

/// Unweighted log-rank test over the groups of `data`. At each distinct event time t with n subjects at risk
/// (n_g in group g) and d events: E_g += d n_g / n and V_gh += d (n - d) / (n - 1) (n_g / n) (delta_gh - n_h / n)
/// (the hypergeometric variance, as R survdiff and statsmodels survdiff). V has rank k - 1 at most, so the
/// statistic uses its Moore-Penrose inverse, which equals dropping one group when V has full rank k - 1.
/// Throws std::invalid_argument for fewer than two groups, no events, or negative or non-finite times.
LogRankResult log_rank(const SurvivalData& data);

}  // namespace cartsim::stats
