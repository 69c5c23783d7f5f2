#pragma once
// Sampling parameters from counter-based streams: distributions given by their quantile functions, the Gaussian copula
// for correlated parameters and Latin hypercubes. One header for callers that want all of it.

#include "src/stats/copula.hpp"
#include "src/stats/distributions.hpp"
#include "src/stats/latin_hypercube.hpp"
