#pragma once
// Parameter distributions for virtual-patient cohorts and sensitivity studies. Each maps a uniform u in [0, 1] to a
// value by its inverse CDF, `quantile(u)`, so independent draws, Latin hypercube points and copula outputs all feed
// the same function. Values carry the unit of the parameter they describe.

#include <string>
#include <variant>
#include <vector>

#include "solvers/agents/counter_rng.hpp"

namespace cartsim::stats {

/// Lognormal given by its median and coefficient of variation (sd / mean of the lognormal itself):
/// log X ~ Normal(mu = ln median, sigma^2 = ln(1 + cv^2)). cv = 0 gives the median with certainty.
struct LogNormal {
    double median = 1.0;  // > 0, unit of the parameter
    double cv = 0.0;      // >= 0, dimensionless
};

/// LogNormal(median, cv) conditioned on lower <= X <= upper: the lognormal shape of a measured spread without
/// the far tail that no patient can have (a tumour larger than the lethal burden). lower = 0 and upper = inf leave
/// that side open. cv is the spread of the untruncated lognormal.
struct TruncatedLogNormal {
    double median = 1.0;  // > 0, unit of the parameter, before truncation
    double cv = 0.5;      // > 0, before truncation
    double lower = 0.0;   // >= 0
    double upper = 1e300;  // > lower
};

struct Normal {
    double mean = 0.0;
    double sd = 1.0;  // >= 0; 0 gives the mean with certainty
};

/// Normal(mean, sd) conditioned on lower <= X <= upper (either bound may be infinite).
struct TruncatedNormal {
    double mean = 0.0;
    double sd = 1.0;  // > 0
    double lower = -1.0;
    double upper = 1.0;  // > lower
};

struct Uniform {
    double low = 0.0;
    double high = 1.0;  // >= low
};

/// log X uniform on [ln low, ln high]: every decade equally likely, for rates spanning orders of magnitude.
struct LogUniform {
    double low = 1.0;    // > 0
    double high = 10.0;  // >= low
};

/// Beta(a, b) scaled to [low, high]: X = low + (high - low) B.
struct Beta {
    double a = 1.0;  // > 0
    double b = 1.0;  // > 0
    double low = 0.0;
    double high = 1.0;  // > low
};

/// values[i] with probability weights[i] / sum(weights); weights >= 0 with a positive sum.
struct DiscreteChoice {
    std::vector<double> values;
    std::vector<double> weights;
};

using Distribution = std::variant<LogNormal, TruncatedLogNormal, Normal, TruncatedNormal, Uniform, LogUniform, Beta, DiscreteChoice>;

/// Every problem with the parameters (empty when valid), each naming the distribution and the field.
std::vector<std::string> validate(const Distribution& distribution);

/// Inverse CDF at u in [0, 1], in the unit of the parameter: the smallest x with F(x) >= u. u = 0 and u = 1 give the
/// ends of the support (possibly infinite). Throws std::invalid_argument for u outside [0, 1] or invalid parameters.
double quantile(const Distribution& distribution, double u);

/// One draw, quantile(rng.uniform()): exactly one uniform is taken from the stream, so streams stay aligned
/// whatever the distribution. The stream's uniforms lie in [2^-33, 1 - 2^-33], so normal draws stay within 6.4 sd.
double sample(const Distribution& distribution, agents::CounterRng& rng);

/// Mean of the distribution, in the unit of the parameter.
double mean(const Distribution& distribution);

/// Variance of the distribution, in the unit of the parameter squared.
double variance(const Distribution& distribution);

}  // namespace cartsim::stats
