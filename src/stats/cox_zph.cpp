#include "src/stats/cox_zph.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <boost/math/distributions/chi_squared.hpp>

#include "src/stats/kaplan_meier.hpp"

namespace cartsim::stats {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The score of the time-varying terms and the full information of (beta, theta) at theta = 0.
struct ZphScore {
    Eigen::VectorXd u;            // 2p: zeros for beta (its score vanishes at the fit), then sum g (x - xbar)
    Eigen::MatrixXd information;  // 2p x 2p
};

// g(t) = 1 - S(t-) at every event time of the pooled Kaplan-Meier curve, centred by its mean over the events.
std::vector<double> centred_km_transform(const KaplanMeier& km, std::vector<double>& event_times) {
    std::vector<double> g;
    double sum = 0.0, events = 0.0, survival_before = 1.0;
    for (const auto& row : km.rows) {
        event_times.push_back(row.time_days);
        g.push_back(1.0 - survival_before);
        sum += static_cast<double>(row.events) * g.back();
        events += static_cast<double>(row.events);
        survival_before = row.survival;
    }
    for (double& value : g) value -= sum / events;
    return g;
}

ZphScore zph_score(const SurvivalData& data, const Eigen::MatrixXd& covariates, const Eigen::VectorXd& beta,
                   CoxTies ties) {
    const auto p = covariates.cols();
    std::vector<double> event_times;
    const std::vector<double> g = centred_km_transform(kaplan_meier(data), event_times);

    // Descending time, so the risk set grows as the sweep goes on; covariates centred as in R (exact either way).
    std::vector<std::size_t> order(data.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return data[a].time_days > data[b].time_days; });
    const Eigen::RowVectorXd mean = covariates.colwise().mean();
    const Eigen::MatrixXd x = covariates.rowwise() - mean;
    const Eigen::VectorXd eta = x * beta;
    const double shift = eta.maxCoeff();  // exp(eta - shift) <= 1 cannot overflow; the ratios do not change

    ZphScore score{Eigen::VectorXd::Zero(2 * p), Eigen::MatrixXd::Zero(2 * p, 2 * p)};
    double risk0 = 0.0;
    Eigen::VectorXd risk1 = Eigen::VectorXd::Zero(p);
    Eigen::MatrixXd risk2 = Eigen::MatrixXd::Zero(p, p);
    std::size_t time_index = event_times.size();  // event_times ascend; walked from the end
    for (std::size_t i = 0; i < order.size();) {
        const double t = data[order[i]].time_days;
        double tied0 = 0.0, events = 0.0;
        Eigen::VectorXd tied1 = Eigen::VectorXd::Zero(p), event_sum = Eigen::VectorXd::Zero(p);
        Eigen::MatrixXd tied2 = Eigen::MatrixXd::Zero(p, p);
        for (; i < order.size() && data[order[i]].time_days == t; ++i) {
            const auto r = static_cast<Eigen::Index>(order[i]);
            const double w = std::exp(eta[r] - shift);
            const Eigen::VectorXd xi = x.row(r).transpose();
            risk0 += w;
            risk1 += w * xi;
            risk2 += w * xi * xi.transpose();
            if (!data[order[i]].event) continue;
            events += 1.0;
            tied0 += w;
            tied1 += w * xi;
            tied2 += w * xi * xi.transpose();
            event_sum += xi;
        }
        if (events == 0.0) continue;
        while (event_times[time_index - 1] != t) --time_index;  // every event time is a row of the table
        const double gt = g[time_index - 1];
        score.u.tail(p) += gt * event_sum;
        // Breslow: every tied event sees the full risk set. Efron: the l-th of d tied events sees it with l/d of
        // the tied events' weight removed (as cox_fit).
        for (double l = 0.0; l < events; l += 1.0) {
            const double removed = ties == CoxTies::Efron ? l / events : 0.0;
            const double s0 = risk0 - removed * tied0;
            const Eigen::VectorXd xbar = (risk1 - removed * tied1) / s0;
            const Eigen::MatrixXd v = (risk2 - removed * tied2) / s0 - xbar * xbar.transpose();
            score.u.tail(p) -= gt * xbar;
            score.information.topLeftCorner(p, p) += v;
            score.information.topRightCorner(p, p) += gt * v;
            score.information.bottomRightCorner(p, p) += gt * gt * v;
        }
    }
    score.information.bottomLeftCorner(p, p) = score.information.topRightCorner(p, p).transpose();
    return score;
}

// u' A^-1 u, or NaN when A is singular (relative to its largest pivot, as cox_fit judges its information).
double quadratic_form(const Eigen::MatrixXd& a, const Eigen::VectorXd& u) {
    const Eigen::LDLT<Eigen::MatrixXd> ldlt(a);
    if (ldlt.info() != Eigen::Success) return kNaN;
    const Eigen::VectorXd pivots = ldlt.vectorD();
    if (!(pivots.minCoeff() > 1e-12 * pivots.cwiseAbs().maxCoeff())) return kNaN;
    return u.dot(ldlt.solve(u));
}

double chi_square_upper_tail(double statistic, int degrees_of_freedom) {
    if (std::isnan(statistic)) return kNaN;
    const boost::math::chi_squared_distribution<double> chi2(degrees_of_freedom);
    return boost::math::cdf(boost::math::complement(chi2, std::max(0.0, statistic)));
}

}  // namespace

ProportionalHazardsTest proportional_hazards_test(const SurvivalData& data, const Eigen::MatrixXd& covariates,
                                                  const CoxFit& fit, CoxTies ties) {
    check_survival_data(data, "proportional_hazards_test");
    if (!fit.converged())
        throw std::invalid_argument("proportional_hazards_test: the Cox fit has not converged (" + fit.message + ")");
    const auto p = covariates.cols();
    if (covariates.rows() != static_cast<Eigen::Index>(data.size()) || p != fit.coefficients.size() || p == 0)
        throw std::invalid_argument("proportional_hazards_test: covariates must be records (" +
                                    std::to_string(data.size()) + ") x coefficients (" +
                                    std::to_string(fit.coefficients.size()) + "), got " +
                                    std::to_string(covariates.rows()) + " x " + std::to_string(p));

    const ZphScore score = zph_score(data, covariates, fit.coefficients, ties);
    ProportionalHazardsTest result;
    result.statistics.resize(p);
    result.p_values.resize(p);
    for (Eigen::Index j = 0; j < p; ++j) {
        // The beta block and covariate j's time-varying term: rows and columns 0..p-1 and p + j.
        std::vector<Eigen::Index> keep(static_cast<std::size_t>(p));
        std::iota(keep.begin(), keep.end(), Eigen::Index{0});
        keep.push_back(p + j);
        const Eigen::MatrixXd block = score.information(keep, keep);
        Eigen::VectorXd u = Eigen::VectorXd::Zero(p + 1);
        u[p] = score.u[p + j];
        result.statistics[j] = quadratic_form(block, u);
        result.p_values[j] = chi_square_upper_tail(result.statistics[j], 1);
    }
    result.global_degrees_of_freedom = static_cast<int>(p);
    result.global_statistic = quadratic_form(score.information, score.u);
    result.global_p_value = chi_square_upper_tail(result.global_statistic, result.global_degrees_of_freedom);
    return result;
}

}  // namespace cartsim::stats
