#pragma once
// Internal to the files implementing HybridTumour (hybrid_tumour.cpp, hybrid_cart.cpp,
// hybrid_lineage.cpp): the random-stream ranges of the hybrid layer and small shared helpers.

#include <cstdint>

#include "solvers/agents/agent.hpp"
#include "solvers/agents/counter_rng.hpp"
#include "solvers/hybrid/switching.hpp"

namespace cartsim::simulate::hybrid_detail {

using agents::Agent;
using agents::CounterRng;
using agents::StreamKey;
using hybrid::Representation;

// Random streams of the hybrid layer, separated by population number ranges.
constexpr std::uint32_t kConversionStreams = 0x10000;
constexpr std::uint32_t kMutantStreams = 0x20000;
constexpr std::uint32_t kKillStreams = 0x30000;
constexpr std::uint32_t kCarTStreams = 0x40000;           // leaps of CAR-T products
constexpr std::uint32_t kCarTConversionStreams = 0x50000;  // CAR-T hand-overs, infusions, depletion

inline double pos(double v) { return v > 0.0 ? v : 0.0; }

}  // namespace cartsim::simulate::hybrid_detail
