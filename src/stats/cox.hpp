#pragma once
// Cox proportional hazards regression (Cox 1972) by Newton-Raphson on the partial likelihood.

#include <string>

#include <Eigen/Core>

#include "src/stats/survival_data.hpp"

namespace cartsim::stats {

/// How tied event times enter the partial likelihood. Efron (1977) is the default of R coxph and closer to the
/// exact likelihood; Breslow (1974) is the default of statsmodels PHReg. Both agree when no event times tie.
enum class CoxTies { Efron, Breslow };

enum class CoxStatus {
    Converged,
    NoEvents,            // every record is censored: the partial likelihood is flat
    ConstantCovariate,   // a covariate column takes one value: its coefficient is not identified
    Singular,            // the information matrix is singular: collinear covariates
    MonotoneLikelihood,  // a coefficient runs to +-infinity (e.g. every event in one arm): the information about it
                         // has fallen below 1e-10 of its value at beta = 0, so the likelihood has no maximum
    NotConverged,        // no convergence within max_iterations
};

struct CoxOptions {
    CoxTies ties = CoxTies::Efron;
    int max_iterations = 50;   // Newton-Raphson iterations
    double tolerance = 1e-9;   // converged when every |step| < tolerance * (1 + max |coefficient|)
    double confidence = 0.95;  // coverage of the hazard-ratio intervals
};

struct CoxFit {
    CoxStatus status = CoxStatus::NotConverged;
    std::string message;  // why the fit failed; empty when converged
    // Coefficients: the last iterate when the fit failed (zeros if it never started). The inference fields below
    // are filled only when converged, and empty otherwise.
    Eigen::VectorXd coefficients;      // log hazard ratio per unit of each covariate
    Eigen::MatrixXd covariance;        // inverse observed information at the coefficients
    Eigen::VectorXd std_errors;        // sqrt of the covariance diagonal
    Eigen::VectorXd hazard_ratios;     // exp(coefficient)
    Eigen::VectorXd ci_low, ci_high;   // Wald interval of the hazard ratio: exp(coefficient -+ z std_error)
    Eigen::VectorXd p_values;          // two-sided Wald test of coefficient = 0
    double log_likelihood = 0.0;       // log partial likelihood at the coefficients
    double null_log_likelihood = 0.0;  // log partial likelihood at coefficients 0
    int iterations = 0;                // Newton-Raphson steps taken

    bool converged() const { return status == CoxStatus::Converged; }
};

/// Fits h(t | x) = h0(t) exp(x' beta) to `data` with one row of `covariates` per record (records x covariates;
/// group labels ignored). Newton-Raphson from beta = 0 with step halving whenever the likelihood would fall (as
/// R coxph); covariates are centred internally, which leaves beta unchanged. Data problems (no events, a constant
/// covariate, collinearity, a monotone likelihood, no convergence) are returned as a status with a message; malformed
/// input (row count, no columns, non-finite values, negative times) throws std::invalid_argument.
CoxFit cox_fit(const SurvivalData& data, const Eigen::MatrixXd& covariates, const CoxOptions& options = {});

/// A records x 1 covariate that is 1 for records of `group` and 0 otherwise, e.g. arm B against arm A: the
/// coefficient is then the log hazard ratio of `group` against the rest.
Eigen::MatrixXd group_indicator(const SurvivalData& data, int group);

}  // namespace cartsim::stats
