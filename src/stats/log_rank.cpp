#include "src/stats/log_rank.hpp"

#include <algorithm>
#include <stdexcept>

#include <Eigen/Dense>
#include <boost/math/distributions/chi_squared.hpp>

namespace cartsim::stats {

namespace {

// Pivots of V below this fraction of the largest are round-off. Genuine ones are far larger: even one subject at risk
// among 10^4 at a single event adds about 1e-4 of an event's variance, against a largest pivot of at most the events.
constexpr double kRankTolerance = 1e-10;

}  // namespace

LogRankResult log_rank(const SurvivalData& data) {
    check_survival_data(data, "log_rank");
    LogRankResult result;
    result.groups = group_labels(data);
    const auto k = static_cast<Eigen::Index>(result.groups.size());
    if (k < 2) throw std::invalid_argument("log_rank: needs at least two groups, got " + std::to_string(k));
    auto index_of = [&](int label) {
        return std::lower_bound(result.groups.begin(), result.groups.end(), label) - result.groups.begin();
    };

    SurvivalData sorted = data;
    std::sort(sorted.begin(), sorted.end(),
              [](const SurvivalObservation& a, const SurvivalObservation& b) { return a.time_days < b.time_days; });
    Eigen::VectorXd at_risk = Eigen::VectorXd::Zero(k), observed = Eigen::VectorXd::Zero(k);
    Eigen::VectorXd expected = Eigen::VectorXd::Zero(k);
    Eigen::MatrixXd covariance = Eigen::MatrixXd::Zero(k, k);
    for (const auto& record : sorted) at_risk[index_of(record.group)] += 1.0;

    for (std::size_t i = 0; i < sorted.size();) {
        const double t = sorted[i].time_days;
        Eigen::VectorXd events = Eigen::VectorXd::Zero(k), leaving = Eigen::VectorXd::Zero(k);
        for (; i < sorted.size() && sorted[i].time_days == t; ++i) {
            const auto g = index_of(sorted[i].group);
            leaving[g] += 1.0;
            if (sorted[i].event) events[g] += 1.0;
        }
        const double n = at_risk.sum(), d = events.sum();
        observed += events;
        if (d > 0.0) {
            const Eigen::VectorXd share = at_risk / n;
            expected += d * share;
            // One subject at risk: the hypergeometric variance is 0 (and 0/0 in the formula).
            if (n > 1.0) {
                const Eigen::MatrixXd multinomial = Eigen::MatrixXd(share.asDiagonal()) - share * share.transpose();
                covariance += d * (n - d) / (n - 1.0) * multinomial;
            }
        }
        at_risk -= leaving;
    }
    if (observed.sum() == 0.0) throw std::invalid_argument("log_rank: no events, the test is undefined");

    const Eigen::VectorXd difference = observed - expected;
    // V has a null direction (its rows sum to 0), which round-off blurs into a pivot of ~1e-16 relative: Eigen's
    // default rank threshold (epsilon times the size) then counted it, giving k degrees of freedom instead of k - 1.
    Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd> decomposition(k, k);
    decomposition.setThreshold(kRankTolerance);
    decomposition.compute(covariance);
    result.degrees_of_freedom = static_cast<int>(decomposition.rank());
    result.statistic = difference.dot(decomposition.solve(difference));
    result.observed.assign(observed.begin(), observed.end());
    result.expected.assign(expected.begin(), expected.end());
    if (result.degrees_of_freedom > 0) {
        const boost::math::chi_squared_distribution<double> chi2(result.degrees_of_freedom);
        result.p_value = boost::math::cdf(boost::math::complement(chi2, std::max(0.0, result.statistic)));
    }
    return result;
}

}  // namespace cartsim::stats
