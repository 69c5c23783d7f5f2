#include "src/stats/cox.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <Eigen/Dense>

#include "src/stats/normal.hpp"

namespace cartsim::stats {

namespace {

struct PartialLikelihood {
    double value = 0.0;
    Eigen::VectorXd gradient;
    Eigen::MatrixXd information;  // minus the Hessian
};

// Records sorted by descending time, so risk sets grow as the sweep goes on.
class CoxProblem {
public:
    CoxProblem(const SurvivalData& data, const Eigen::MatrixXd& covariates, CoxTies ties) : ties_(ties) {
        std::vector<std::size_t> order(data.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::sort(order.begin(), order.end(),
                  [&](std::size_t a, std::size_t b) { return data[a].time_days > data[b].time_days; });
        const Eigen::RowVectorXd mean = covariates.colwise().mean();
        x_.resize(covariates.rows(), covariates.cols());
        for (std::size_t i = 0; i < order.size(); ++i) {
            const auto row = static_cast<Eigen::Index>(i), source = static_cast<Eigen::Index>(order[i]);
            x_.row(row) = covariates.row(source) - mean;  // centring keeps exp(x' beta) in range
            time_.push_back(data[order[i]].time_days);
            event_.push_back(data[order[i]].event);
        }
    }

    PartialLikelihood evaluate(const Eigen::VectorXd& beta) const {
        const auto p = x_.cols();
        const Eigen::VectorXd eta = x_ * beta;
        const double shift = eta.size() > 0 ? eta.maxCoeff() : 0.0;  // exp(eta - shift) <= 1 cannot overflow
        PartialLikelihood result{0.0, Eigen::VectorXd::Zero(p), Eigen::MatrixXd::Zero(p, p)};
        double risk0 = 0.0;
        Eigen::VectorXd risk1 = Eigen::VectorXd::Zero(p);
        Eigen::MatrixXd risk2 = Eigen::MatrixXd::Zero(p, p);
        for (std::size_t i = 0; i < time_.size();) {
            double tied0 = 0.0, events = 0.0;
            Eigen::VectorXd tied1 = Eigen::VectorXd::Zero(p);
            Eigen::MatrixXd tied2 = Eigen::MatrixXd::Zero(p, p);
            for (const double t = time_[i]; i < time_.size() && time_[i] == t; ++i) {
                const auto r = static_cast<Eigen::Index>(i);
                const double w = std::exp(eta[r] - shift);
                const auto x = x_.row(r).transpose();
                risk0 += w;
                risk1 += w * x;
                risk2 += w * x * x.transpose();
                if (!event_[i]) continue;
                events += 1.0;
                tied0 += w;
                tied1 += w * x;
                tied2 += w * x * x.transpose();
                result.value += eta[r];
                result.gradient += x;
            }
            // Breslow: every tied event sees the full risk set. Efron: the l-th of d tied events sees it with
            // l/d of the tied events' weight removed, as if they had left one by one in unknown order.
            for (double l = 0.0; l < events; l += 1.0) {
                const double removed = ties_ == CoxTies::Efron ? l / events : 0.0;
                const double s0 = risk0 - removed * tied0;
                const Eigen::VectorXd s1 = risk1 - removed * tied1;
                const Eigen::MatrixXd s2 = risk2 - removed * tied2;
                result.value -= std::log(s0) + shift;
                result.gradient -= s1 / s0;
                result.information += s2 / s0 - s1 * s1.transpose() / (s0 * s0);
            }
        }
        return result;
    }

private:
    CoxTies ties_;
    Eigen::MatrixXd x_;
    std::vector<double> time_;
    std::vector<bool> event_;
};

// Relative to the largest pivot, so collinear covariates (a zero pivot blurred by round-off) count as singular.
bool positive_definite(const Eigen::LDLT<Eigen::MatrixXd>& ldlt) {
    if (ldlt.info() != Eigen::Success) return false;
    const Eigen::VectorXd pivots = ldlt.vectorD();
    return pivots.minCoeff() > 1e-12 * pivots.cwiseAbs().maxCoeff();
}

// As a coefficient runs off to infinity its information decays like exp(-|beta|), and Newton steps stay near 1
// until round-off stalls them at |beta| ~ 37 and fakes convergence. A collapse of the information against its
// value at beta = 0 exposes this long before.
bool information_collapsed(const Eigen::MatrixXd& information, const Eigen::VectorXd& initial_diagonal) {
    return (information.diagonal().array() < 1e-10 * initial_diagonal.array()).any();
}

constexpr const char* kSingularMessage = "cox_fit: information matrix is singular (collinear covariates?)";
constexpr const char* kMonotoneMessage =
    "cox_fit: monotone likelihood, a coefficient runs to infinity (e.g. every event in one group); no finite estimate";

CoxFit failure(CoxFit fit, CoxStatus status, std::string message) {
    fit.status = status;
    fit.message = std::move(message);
    return fit;
}

void fill_inference(CoxFit& fit, const Eigen::MatrixXd& covariance, double confidence) {
    const double z = two_sided_z(confidence);
    fit.covariance = covariance;
    fit.std_errors = covariance.diagonal().cwiseSqrt();
    fit.hazard_ratios = fit.coefficients.array().exp();
    fit.ci_low = (fit.coefficients - z * fit.std_errors).array().exp();
    fit.ci_high = (fit.coefficients + z * fit.std_errors).array().exp();
    fit.p_values.resize(fit.coefficients.size());
    for (Eigen::Index j = 0; j < fit.coefficients.size(); ++j)
        fit.p_values[j] = 2.0 * normal_cdf(-std::abs(fit.coefficients[j] / fit.std_errors[j]));
}

}  // namespace

CoxFit cox_fit(const SurvivalData& data, const Eigen::MatrixXd& covariates, const CoxOptions& options) {
    check_survival_data(data, "cox_fit");
    if (covariates.rows() != static_cast<Eigen::Index>(data.size()) || covariates.cols() == 0)
        throw std::invalid_argument("cox_fit: covariates must have one row per record (" + std::to_string(data.size()) +
                                    ") and at least one column, got " + std::to_string(covariates.rows()) + " x " +
                                    std::to_string(covariates.cols()));
    if (!covariates.allFinite()) throw std::invalid_argument("cox_fit: covariates must be finite");
    if (!(options.confidence > 0.0 && options.confidence < 1.0) || options.max_iterations < 1 ||
        !(options.tolerance > 0.0))
        throw std::invalid_argument("cox_fit: need 0 < confidence < 1, max_iterations >= 1 and tolerance > 0");

    CoxFit fit;
    fit.coefficients = Eigen::VectorXd::Zero(covariates.cols());
    if (std::none_of(data.begin(), data.end(), [](const SurvivalObservation& r) { return r.event; }))
        return failure(fit, CoxStatus::NoEvents, "cox_fit: no events, the partial likelihood is flat");
    for (Eigen::Index j = 0; j < covariates.cols(); ++j)
        if (covariates.col(j).maxCoeff() == covariates.col(j).minCoeff())
            return failure(
                fit, CoxStatus::ConstantCovariate,
                "cox_fit: covariate " + std::to_string(j) + " is constant, its coefficient is not identified");

    const CoxProblem problem(data, covariates, options.ties);
    PartialLikelihood current = problem.evaluate(fit.coefficients);
    fit.null_log_likelihood = fit.log_likelihood = current.value;
    const Eigen::VectorXd initial_information = current.information.diagonal();
    const auto degenerate = [&](const CoxFit& state) {
        if (information_collapsed(current.information, initial_information))
            return failure(state, CoxStatus::MonotoneLikelihood, kMonotoneMessage);
        return failure(state, CoxStatus::Singular, kSingularMessage);
    };
    for (fit.iterations = 1; fit.iterations <= options.max_iterations; ++fit.iterations) {
        const Eigen::LDLT<Eigen::MatrixXd> ldlt(current.information);
        if (!positive_definite(ldlt)) return degenerate(fit);
        Eigen::VectorXd step = ldlt.solve(current.gradient);
        PartialLikelihood next = problem.evaluate(fit.coefficients + step);
        // A likelihood drop beyond round-off means the step overshot: halve it, as R coxph does.
        const double slack = 1e-12 * (1.0 + std::abs(current.value));
        for (int halving = 0; !(std::isfinite(next.value) && next.value >= current.value - slack); ++halving) {
            if (halving == 40)
                return failure(fit, CoxStatus::NotConverged, "cox_fit: step halving failed to raise the likelihood");
            step /= 2.0;
            next = problem.evaluate(fit.coefficients + step);
        }
        fit.coefficients += step;
        current = std::move(next);
        fit.log_likelihood = current.value;
        if (step.cwiseAbs().maxCoeff() < options.tolerance * (1.0 + fit.coefficients.cwiseAbs().maxCoeff())) {
            const Eigen::LDLT<Eigen::MatrixXd> final_ldlt(current.information);
            if (!positive_definite(final_ldlt) || information_collapsed(current.information, initial_information))
                return degenerate(fit);
            fill_inference(fit, final_ldlt.solve(Eigen::MatrixXd::Identity(covariates.cols(), covariates.cols())),
                           options.confidence);
            fit.status = CoxStatus::Converged;
            return fit;
        }
    }
    fit.iterations = options.max_iterations;
    if (information_collapsed(current.information, initial_information)) return degenerate(fit);
    return failure(fit, CoxStatus::NotConverged,
                   "cox_fit: no convergence in " + std::to_string(options.max_iterations) + " iterations");
}

Eigen::MatrixXd group_indicator(const SurvivalData& data, int group) {
    Eigen::MatrixXd column(static_cast<Eigen::Index>(data.size()), 1);
    for (std::size_t i = 0; i < data.size(); ++i)
        column(static_cast<Eigen::Index>(i), 0) = data[i].group == group ? 1.0 : 0.0;
    return column;
}

}  // namespace cartsim::stats
