#pragma once
// Test of the proportional-hazards assumption of a Cox fit from its Schoenfeld residuals (Grambsch and Therneau 1994),
// in the score-test form of R survival 3.x's cox.zph (default transform = "km", terms = TRUE).

#include <Eigen/Core>

#include "src/stats/cox.hpp"
#include "src/stats/survival_data.hpp"

namespace cartsim::stats {

struct ProportionalHazardsTest {
    Eigen::VectorXd statistics;         // chi-square per covariate, 1 degree of freedom each
    Eigen::VectorXd p_values;           // upper chi-square(1) tail of each statistic
    double global_statistic = 0.0;      // chi-square of all covariates together
    int global_degrees_of_freedom = 0;  // the number of covariates
    double global_p_value = 1.0;        // upper chi-square tail of global_statistic
};

/// Tests beta_j(t) = beta_j + theta_j g(t) against theta_j = 0 for the converged fit `fit` of `data` and
/// `covariates` (the same arguments and `ties` that cox_fit was given). g(t) = 1 - S(t-) with S the pooled
/// Kaplan-Meier curve of `data` (R's transform "km"), centred by its mean over the events (tied events counted
/// each). The score test adds g(t) x as p extra covariates to the model at (beta, theta = 0): with
/// xbar(t), V(t) the risk-set mean and variance of x at each event (each Efron step for tied events),
///   U = sum_events g(t) (x - xbar(t)),   I = [[sum V, sum g V], [sum g V, sum g^2 V]]  (2p x 2p),
/// covariate j's statistic is u' I_jj^-1 u over the rows and columns {1..p, p + j} of I with u = (0, ..., 0, U_j)
/// (the score of beta is 0 at the fit), and the global statistic is (0, U)' I^-1 (0, U) with p degrees of freedom.
/// This is survival 3.x's cox.zph (R/cox.zph.R and src/zph1.c); it replaced the correlation test of survival 2.x.
/// A statistic (and its p-value) is NaN when I is singular, e.g. when every event falls at one time, so g is
/// constant. Throws std::invalid_argument when `fit` has not converged, or when `covariates` does not have one row
/// per record and one column per coefficient.
ProportionalHazardsTest proportional_hazards_test(const SurvivalData& data, const Eigen::MatrixXd& covariates,
                                                  const CoxFit& fit, CoxTies ties = CoxTies::Efron);

}  // namespace cartsim::stats
