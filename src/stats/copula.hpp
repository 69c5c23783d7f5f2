#pragma once
// Gaussian copula: correlated uniforms for drawing correlated parameters with arbitrary marginal distributions
// (feed each output through that parameter's quantile()).

#include <Eigen/Core>

#include "solvers/agents/counter_rng.hpp"

namespace cartsim::stats {

/// Pearson correlation of the bivariate normal whose Spearman rank correlation is `spearman_rho` (in [-1, 1]):
/// r = 2 sin(pi rho / 6) (Pearson 1907). Ranks survive the copula's monotone marginal transforms, so a requested rank
/// correlation is met by the copula with this r, whatever the marginals.
double pearson_from_spearman(double spearman_rho);

class GaussianCopula {
public:
    /// `correlation`: the Pearson correlation matrix of the underlying normals. Throws std::invalid_argument unless
    /// it is square, symmetric (within 1e-12), has a unit diagonal (within 1e-12), and is positive definite (Eigen LLT
    /// succeeds; a perfect correlation of +-1 is rejected).
    explicit GaussianCopula(const Eigen::MatrixXd& correlation);

    /// The copula whose outputs have the given Spearman rank correlations: each entry converted by
    /// pearson_from_spearman. The converted matrix must still be positive definite (throws otherwise).
    static GaussianCopula from_spearman(const Eigen::MatrixXd& rank_correlation);

    Eigen::Index dimension() const { return cholesky_.rows(); }
    const Eigen::MatrixXd& correlation() const { return correlation_; }

    /// Correlated normal scores z = L n from independent standard normals n (L: Cholesky factor, L L' = correlation).
    Eigen::VectorXd correlate_normals(const Eigen::VectorXd& independent_normals) const;

    /// Correlated uniforms Phi(L Phi^-1(u)) from independent uniforms u in (0, 1), e.g. a Latin hypercube row. Each
    /// output is uniform on (0, 1); outputs are kept strictly inside (0, 1) so quantile() stays finite.
    Eigen::VectorXd correlate_uniforms(const Eigen::VectorXd& independent_uniforms) const;

    /// One vector of correlated uniforms, taking dimension() uniforms from the stream.
    Eigen::VectorXd sample(agents::CounterRng& rng) const;

private:
    Eigen::MatrixXd correlation_;
    Eigen::MatrixXd cholesky_;  // lower triangular
};

}  // namespace cartsim::stats
