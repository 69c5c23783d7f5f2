#include "src/stats/copula.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

#include <Eigen/Cholesky>

#include "src/stats/normal.hpp"

namespace cartsim::stats {

namespace {

constexpr double kSymmetryTolerance = 1e-12;

std::string entry(Eigen::Index i, Eigen::Index j) { return "(" + std::to_string(i) + ", " + std::to_string(j) + ")"; }

void check_correlation(const Eigen::MatrixXd& c) {
    if (c.rows() != c.cols() || c.rows() == 0)
        throw std::invalid_argument("GaussianCopula: correlation matrix must be square and non-empty, got " +
                                    std::to_string(c.rows()) + " x " + std::to_string(c.cols()));
    if (!c.allFinite()) throw std::invalid_argument("GaussianCopula: correlation matrix has a non-finite entry");
    for (Eigen::Index i = 0; i < c.rows(); ++i) {
        if (std::abs(c(i, i) - 1.0) > kSymmetryTolerance)
            throw std::invalid_argument("GaussianCopula: diagonal entry " + entry(i, i) + " is " +
                                        std::to_string(c(i, i)) + ", not 1");
        for (Eigen::Index j = 0; j < i; ++j)
            if (std::abs(c(i, j) - c(j, i)) > kSymmetryTolerance)
                throw std::invalid_argument("GaussianCopula: not symmetric at " + entry(i, j));
    }
}

}  // namespace

double pearson_from_spearman(double spearman_rho) {
    if (!(spearman_rho >= -1.0 && spearman_rho <= 1.0))
        throw std::invalid_argument("pearson_from_spearman: rho must be in [-1, 1], got " +
                                    std::to_string(spearman_rho));
    return 2.0 * std::sin(std::numbers::pi * spearman_rho / 6.0);
}

GaussianCopula::GaussianCopula(const Eigen::MatrixXd& correlation) : correlation_(correlation) {
    check_correlation(correlation_);
    const Eigen::LLT<Eigen::MatrixXd> llt(correlation_);
    if (llt.info() != Eigen::Success)
        throw std::invalid_argument(
            "GaussianCopula: correlation matrix is not positive definite (inconsistent correlations, or a correlation "
            "of +-1)");
    cholesky_ = llt.matrixL();
}

GaussianCopula GaussianCopula::from_spearman(const Eigen::MatrixXd& rank_correlation) {
    check_correlation(rank_correlation);
    Eigen::MatrixXd pearson = rank_correlation;
    for (Eigen::Index i = 0; i < pearson.rows(); ++i)
        for (Eigen::Index j = 0; j < pearson.cols(); ++j)
            if (i != j) pearson(i, j) = pearson_from_spearman(rank_correlation(i, j));
    return GaussianCopula(pearson);
}

Eigen::VectorXd GaussianCopula::correlate_normals(const Eigen::VectorXd& independent_normals) const {
    if (independent_normals.size() != dimension())
        throw std::invalid_argument("GaussianCopula: expected " + std::to_string(dimension()) + " values, got " +
                                    std::to_string(independent_normals.size()));
    return cholesky_ * independent_normals;
}

Eigen::VectorXd GaussianCopula::correlate_uniforms(const Eigen::VectorXd& independent_uniforms) const {
    Eigen::VectorXd normals(independent_uniforms.size());
    for (Eigen::Index i = 0; i < normals.size(); ++i) normals[i] = normal_quantile(independent_uniforms[i]);
    Eigen::VectorXd uniforms = correlate_normals(normals);
    // Beyond about 8.3 sd, Phi rounds to 1 (or underflows towards 0); clamp so quantiles stay finite.
    const double tiny = std::numeric_limits<double>::min(), below_one = std::nextafter(1.0, 0.0);
    for (auto& value : uniforms) value = std::clamp(normal_cdf(value), tiny, below_one);
    return uniforms;
}

Eigen::VectorXd GaussianCopula::sample(agents::CounterRng& rng) const {
    Eigen::VectorXd uniforms(dimension());
    for (auto& u : uniforms) u = rng.uniform();
    return correlate_uniforms(uniforms);
}

}  // namespace cartsim::stats
