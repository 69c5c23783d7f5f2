#pragma once
// Variance-based global sensitivity analysis: Saltelli designs and first- and total-order Sobol indices with
// bootstrap confidence intervals. Works in the unit cube; map each column to its parameter with quantile().

#include <cstddef>
#include <vector>

#include <Eigen/Core>

#include "solvers/agents/counter_rng.hpp"

namespace cartsim::stats {

/// Two independent base samples A and B (base_size x dimensions, points in (0, 1)).
struct SaltelliDesign {
    Eigen::MatrixXd a;
    Eigen::MatrixXd b;

    Eigen::Index base_size() const { return a.rows(); }
    Eigen::Index dimensions() const { return a.cols(); }

    /// The base_size * (dimensions + 2) points at which to evaluate the model, one per row, in this order: rows
    /// [0, N) are A, [N, 2N) are B, and [(2 + i) N, (3 + i) N) are A_B^(i), A with column i taken from B.
    Eigen::MatrixXd points() const;
};

/// A design whose A and B are independent uniforms from the stream (A row by row, then B row by row).
/// Throws std::invalid_argument when base_size or dimensions is 0.
SaltelliDesign saltelli_design(std::size_t base_size, std::size_t dimensions, agents::CounterRng& rng);

/// A design from given base samples (e.g. two Latin hypercubes from different streams); they must have the same,
/// non-empty shape (throws std::invalid_argument otherwise).
SaltelliDesign saltelli_design(Eigen::MatrixXd a, Eigen::MatrixXd b);

struct SobolIndex {
    double estimate = 0.0;   // share of the output variance, 0..1 up to sampling error (may fall slightly outside)
    double std_error = 0.0;  // bootstrap standard deviation of the estimate
    double ci_low = 0.0;     // bootstrap percentile interval
    double ci_high = 0.0;
};

struct SobolIndices {
    std::vector<SobolIndex> first_order;  // S_i: variance explained by parameter i alone
    std::vector<SobolIndex> total_order;  // ST_i: variance involving parameter i, with all its interactions
    double output_mean = 0.0;             // mean of f over A and B, in the output's unit
    double output_variance = 0.0;         // variance of f over A and B (divisor 2N), in the output's unit squared
};

struct BootstrapOptions {
    std::size_t resamples = 1000;  // bootstrap replicates; 0 leaves std_error and the interval at 0
    double confidence = 0.95;      // coverage of the percentile interval
    agents::StreamKey key{};       // stream for drawing the resampled rows
};

/// Sobol indices from the model outputs at SaltelliDesign::points() (same order, base_size * (dimensions + 2)
/// values). With V the variance of f over A and B:
///   first order (Saltelli et al. 2010, Comput. Phys. Commun. 181:259): S_i  = mean(f_B (f_ABi - f_A)) / V
///   total order (Jansen 1999, as recommended by Saltelli et al. 2010): ST_i = mean((f_A - f_ABi)^2) / (2 V)
/// Outputs are first centred on their mean over A and B (which changes the indices' expectations only by O(1/N) and
/// keeps a large output offset from inflating their variance). The bootstrap resamples the N base rows with replacement
/// (the same rows for every output block) and recomputes V and all indices. Throws std::invalid_argument when the size
/// does not match, base_size < 2, or V = 0.
SobolIndices sobol_indices(const Eigen::VectorXd& outputs, std::size_t dimensions,
                           const BootstrapOptions& options = {});

}  // namespace cartsim::stats
