#pragma once
// Cohort draws: patient i's values come from the counter-based stream (cohort seed, i), so patient i
// is the same in every arm, on any thread count and any MPI rank count. Correlations go through a
// Gaussian copula (Pearson r of the normal scores, or Spearman rho converted to it).

#include <stdexcept>
#include <vector>

#include "src/stats/distributions.hpp"
#include "src/study/study_spec.hpp"

namespace cartsim::study {

stats::Distribution to_distribution(const ParameterDistribution& p);

/// Each parameter's median (quantile 0.5), for load-time checks.
std::vector<double> median_draws(const CohortSpec& cohort);

/// Throws std::invalid_argument when the correlations do not form a positive definite matrix.
void check_correlations(const CohortSpec& cohort);

/// The drawn values of patient `patient`, in the order of cohort.parameters.
std::vector<double> draw_patient(const CohortSpec& cohort, int patient);

}  // namespace cartsim::study
