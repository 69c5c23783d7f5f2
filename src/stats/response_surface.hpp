#pragma once
// A quadratic response surface of a deviance (-2 log likelihood) around its minimum, and what its
// curvature says about the parameters: their covariance, and the directions the data do not pin down.
//
//   D(x) ~ c + g'x + x'Ax  (A symmetric), so the Hessian is H = 2A and, with log L = -D/2, the Fisher
//   information is H/2 and the covariance of the parameters is (H/2)^-1 = 2 H^-1.
//
// A fitted surface (least squares over design points) is used rather than finite differences because
// a simulated deviance is rough on small scales: the surface averages that roughness over the design.

#include <vector>

#include <Eigen/Core>

namespace cartsim::stats {

struct QuadraticSurface {
    double constant = 0.0;
    Eigen::VectorXd gradient;  // g, at x = 0
    Eigen::MatrixXd hessian;   // H = 2A
    double r_squared = 0.0;    // share of the deviance's variance over the design the surface explains
    double residual_sd = 0.0;  // root mean square residual, in deviance units
};

/// Least-squares fit of D at the rows of `x` (n points x k coordinates, centred on the point of
/// interest). Needs n >= 1 + k + k (k + 1) / 2 points; throws std::invalid_argument otherwise.
QuadraticSurface fit_quadratic(const Eigen::MatrixXd& x, const Eigen::VectorXd& d);

/// One principal direction of the curvature.
struct Direction {
    Eigen::VectorXd vector;  // unit length, in the coordinates of the fit
    double curvature = 0.0;  // eigenvalue of H
    double sd = 0.0;         // standard deviation along it, sqrt(2 / curvature), capped at max_sd
    bool identified = true;  // false when the curvature is not positive or the sd reaches max_sd
};

struct Curvature {
    Eigen::MatrixXd covariance;       // 2 H^-1, with unidentified directions given sd = max_sd
    std::vector<Direction> directions;  // flattest first
};

/// Covariance and principal directions of H. A direction along which the data do not determine the
/// parameters within `max_sd` (for example half the range searched) is marked unidentified and
/// contributes max_sd to the covariance: the spread of the prior range, not an infinite one.
Curvature analyse_curvature(const Eigen::MatrixXd& hessian, double max_sd);

}  // namespace cartsim::stats
