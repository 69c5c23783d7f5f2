#include "src/stats/response_surface.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <Eigen/Dense>

namespace cartsim::stats {

QuadraticSurface fit_quadratic(const Eigen::MatrixXd& x, const Eigen::VectorXd& d) {
    const Eigen::Index n = x.rows(), k = x.cols();
    const Eigen::Index terms = 1 + k + k * (k + 1) / 2;
    if (k == 0 || d.size() != n) throw std::invalid_argument("fit_quadratic: one deviance per design point, at least one coordinate");
    if (n < terms) throw std::invalid_argument("fit_quadratic: need at least 1 + k + k(k+1)/2 design points");
    Eigen::MatrixXd basis(n, terms);
    for (Eigen::Index r = 0; r < n; ++r) {
        Eigen::Index c = 0;
        basis(r, c++) = 1.0;
        for (Eigen::Index i = 0; i < k; ++i) basis(r, c++) = x(r, i);
        for (Eigen::Index i = 0; i < k; ++i)
            for (Eigen::Index j = i; j < k; ++j) basis(r, c++) = x(r, i) * x(r, j);
    }
    const Eigen::VectorXd beta = basis.colPivHouseholderQr().solve(d);
    QuadraticSurface s;
    s.constant = beta(0);
    s.gradient = beta.segment(1, k);
    s.hessian = Eigen::MatrixXd::Zero(k, k);
    Eigen::Index c = 1 + k;
    for (Eigen::Index i = 0; i < k; ++i)
        for (Eigen::Index j = i; j < k; ++j) {
            // x_i^2 has coefficient A_ii = H_ii / 2; x_i x_j (i < j) has 2 A_ij = H_ij.
            const double b = beta(c++);
            if (i == j) s.hessian(i, i) = 2.0 * b;
            else s.hessian(i, j) = s.hessian(j, i) = b;
        }
    const Eigen::VectorXd residual = d - basis * beta;
    const double mean = d.mean();
    const double total = (d.array() - mean).square().sum();
    s.residual_sd = std::sqrt(residual.squaredNorm() / double(n));
    s.r_squared = total > 0.0 ? 1.0 - residual.squaredNorm() / total : 1.0;
    return s;
}

Curvature analyse_curvature(const Eigen::MatrixXd& hessian, double max_sd) {
    if (hessian.rows() != hessian.cols() || hessian.rows() == 0) throw std::invalid_argument("analyse_curvature: a square matrix");
    if (!(max_sd > 0.0)) throw std::invalid_argument("analyse_curvature: max_sd must be positive");
    const Eigen::MatrixXd symmetric = 0.5 * (hessian + hessian.transpose());
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(symmetric);
    const Eigen::Index k = symmetric.rows();
    Curvature out;
    out.covariance = Eigen::MatrixXd::Zero(k, k);
    for (Eigen::Index i = 0; i < k; ++i) {  // eigenvalues come in increasing order: flattest first
        Direction dir;
        dir.vector = eigen.eigenvectors().col(i);
        dir.curvature = eigen.eigenvalues()(i);
        const double sd = dir.curvature > 0.0 ? std::sqrt(2.0 / dir.curvature) : INFINITY;
        dir.identified = sd < max_sd;
        dir.sd = std::min(sd, max_sd);
        out.covariance += dir.sd * dir.sd * dir.vector * dir.vector.transpose();
        out.directions.push_back(std::move(dir));
    }
    return out;
}

}  // namespace cartsim::stats
